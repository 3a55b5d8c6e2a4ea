/**
 * Who is editing now, across processes: each process publishes what its own connections show
 * soon after it changes (and on a heartbeat), and lists the others' latest snapshots with its
 * own. The heartbeat is set far beyond the tests' waits where a test is about the prompt
 * publication, and the prompt publication far beyond them where it is about the heartbeat, so
 * that each path is tested on its own.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { documentName } from '../../dossier/layout';
import type { Editor } from '../../dossier/rest';
import type { StartOptions } from '../../server/app';
import type { ClusterEvent } from '../../server/cluster/events';
import { redisEvents } from '../../server/cluster/redis';
import { redisUrl } from '../support/redis';
import { api, createTestDossier, login, TestClient, users, waitFor, type Session } from '../support/server';
import { twoProcesses, twoProcessesUnavailable } from './two-processes';

type EditorsEvent = Extract<ClusterEvent, { type: 'editors' }>;

const unavailable = await twoProcessesUnavailable('who is editing now across processes');

describe.skipIf(unavailable !== undefined)('who is editing now, across processes', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function setup(presenceTiming: NonNullable<StartOptions['presenceTiming']>) {
    const { prefix, a, b } = await twoProcesses(cleanup, {}, { presenceTiming });
    const lead = await login(a.server.url, users.lead);
    const dossierId = await createTestDossier(a.server.url, { session: lead });
    const name = documentName(dossierId, 'ausgangslage');
    const onA = new TestClient(a.wsUrl, lead);
    cleanup.push(() => onA.destroy());
    onA.open(name);
    await onA.synced(name);
    /** The dossier's editors as a process's dossier list shows them. */
    const editorsOn = async (url: string, session: Session = lead): Promise<Editor[]> => {
      const { body } = await api(url, '/api/dossiers', { session });
      return (body as { id: string; editors: Editor[] }[]).find((dossier) => dossier.id === dossierId)!.editors;
    };
    return { prefix, a, b, lead, dossierId, onA, name, editorsOn };
  }

  /** The snapshots A publishes (the process whose editors show in the dossier), and those of the others, as they arrive. */
  async function snapshotsOf(prefix: string, dossierId: string) {
    const listener = await redisEvents(redisUrl, prefix);
    cleanup.push(() => listener.close());
    const fromA: EditorsEvent[] = [];
    const fromOthers: EditorsEvent[] = [];
    let processA: string | undefined;
    listener.subscribe((event) => {
      if (event.type !== 'editors') return;
      if (dossierId in event.dossiers) processA ??= event.processId;
      (event.processId === processA ? fromA : fromOthers).push(event);
    });
    return { fromA, fromOthers };
  }

  it('shows on B, soon after each change, who edits which section on A, and drops them when they leave', async () => {
    const { a, b, lead, onA, name, editorsOn } = await setup({ heartbeatMs: 600_000, delayMs: 50 });
    const sectionsOnB = async () => (await editorsOn(b.server.url)).find((editor) => editor.id === lead.user.id)?.sections;
    onA.providers.get(name)!.setAwarenessField('editing', true);
    await waitFor(async () => (await sectionsOnB())?.[0] === 'ausgangslage', { message: 'B does not show the editor A has' });
    expect(await editorsOn(b.server.url)).toEqual([expect.objectContaining({ id: lead.user.id, name: lead.user.displayName, sections: ['ausgangslage'] })]);
    onA.providers.get(name)!.setAwarenessField('editing', false);
    await waitFor(async () => (await sectionsOnB())?.length === 0, { message: 'B still shows the section A no longer edits' });
    onA.destroy();
    await waitFor(() => !a.server.collaboration.hocuspocus.documents.has(name), { message: 'A did not unload the document' });
    await waitFor(async () => (await editorsOn(b.server.url)).length === 0, { message: 'B still shows an editor who left A' });
  });

  it('tells the others when a process closes, without waiting for its snapshot to expire', async () => {
    const { a, b, onA, name, editorsOn } = await setup({ heartbeatMs: 600_000, delayMs: 50 });
    onA.providers.get(name)!.setAwarenessField('editing', true);
    await waitFor(async () => (await editorsOn(b.server.url)).length === 1, { message: 'B does not show the editor A has' });
    await a.server.close();
    await waitFor(async () => (await editorsOn(b.server.url)).length === 0, { message: 'B still shows the editors of a closed process' });
  });

  it('publishes on the heartbeat what changed since', async () => {
    const { b, lead, onA, name, editorsOn } = await setup({ heartbeatMs: 200, delayMs: 600_000 });
    onA.providers.get(name)!.setAwarenessField('editing', true);
    await waitFor(async () => (await editorsOn(b.server.url))[0]?.sections[0] === 'ausgangslage', { message: 'no heartbeat brought the editor to B' });
    expect((await editorsOn(b.server.url)).map((editor) => editor.id)).toEqual([lead.user.id]);
  });

  it('repeats an unchanged snapshot on every heartbeat, so that the others keep it beyond its expiry', async () => {
    const { prefix, b, lead, onA, name, dossierId, editorsOn } = await setup({ heartbeatMs: 200, delayMs: 50 });
    const { fromA } = await snapshotsOf(prefix, dossierId);
    onA.providers.get(name)!.setAwarenessField('editing', true);
    await waitFor(async () => (await editorsOn(b.server.url)).length === 1, { message: 'B does not show the editor A has' });
    // each snapshot expires after three heartbeats: five more heartbeats outlive the first one
    const seen = fromA.length;
    await waitFor(() => fromA.length >= seen + 5, { message: 'A published no heartbeat while nothing changed' });
    expect(new Set(fromA.map((event) => event.expiresInMs))).toEqual(new Set([3 * 200]));
    expect((await editorsOn(b.server.url)).map((editor) => editor.id)).toEqual([lead.user.id]);
  });

  it('publishes a change soon, and nothing for awareness changes that change no snapshot', async () => {
    const { a, prefix, onA, name, dossierId } = await setup({ heartbeatMs: 600_000, delayMs: 50 });
    const { fromA } = await snapshotsOf(prefix, dossierId);
    const provider = onA.providers.get(name)!;
    provider.setAwarenessField('editing', true);
    await waitFor(() => fromA.length === 1, { message: 'the change was not published' });
    // caret moves: the server has them, the snapshot (who edits which section) is the same
    const serverState = () => a.server.collaboration.hocuspocus.documents.get(name)!.awareness.getStates().get(provider.awareness!.clientID);
    for (const position of [3, 17, 42]) {
      provider.setAwarenessField('cursor', { position });
      await waitFor(() => (serverState()?.cursor as { position?: number } | undefined)?.position === position);
    }
    provider.setAwarenessField('editing', false);
    await waitFor(() => fromA.length >= 2, { message: 'the second change was not published' });
    expect(fromA.map((event) => event.dossiers[dossierId]?.[0]?.sections)).toEqual([['ausgangslage'], []]);
  });

  it('after closing, a process publishes one empty snapshot that expires at once, and nothing more', async () => {
    const { a, b, prefix, onA, name, dossierId, editorsOn } = await setup({ heartbeatMs: 200, delayMs: 50 });
    const { fromA, fromOthers } = await snapshotsOf(prefix, dossierId);
    onA.providers.get(name)!.setAwarenessField('editing', true);
    await waitFor(async () => (await editorsOn(b.server.url)).length === 1, { message: 'B does not show the editor A has' });
    await a.server.close();
    const closedAt = fromA.length;
    // B's own heartbeats go on: while three of them pass, A publishes nothing more
    const others = fromOthers.length;
    await waitFor(() => fromOthers.length >= others + 3, { message: 'B published no heartbeat' });
    expect(fromA.at(-1)).toMatchObject({ dossiers: {}, expiresInMs: 0 });
    expect(fromA.slice(closedAt - 1).length).toBe(1);
  });

  it('drops the snapshot of a process that stopped publishing (killed) once it expires', async () => {
    const { prefix, b, dossierId, editorsOn } = await setup({ heartbeatMs: 600_000, delayMs: 50 });
    const killed = await redisEvents(redisUrl, prefix);
    cleanup.push(() => killed.close());
    const ghost: Editor = { id: 'gone-user', name: 'Gerd Gone', color: '#336699', sections: ['ausgangslage'] };
    await killed.publish({ type: 'editors', processId: 'killed-process', expiresInMs: 1500, dossiers: { [dossierId]: [ghost] } });
    await waitFor(async () => (await editorsOn(b.server.url)).some((editor) => editor.name === 'Gerd Gone'), {
      message: 'B does not show the other process’s editor',
    });
    expect(await editorsOn(b.server.url)).toEqual([ghost]);
    await waitFor(async () => (await editorsOn(b.server.url)).length === 0, { message: 'B still shows an expired snapshot' });
  });
});
