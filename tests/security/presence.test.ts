/**
 * Presence cannot be forged: the server writes each connection's real user
 * into its awareness, drops entries for client ids that are not the
 * connection's own, and refuses oversized states. Attacked with a real
 * provider and a raw client, watched by other real providers and the
 * dossier list.
 */
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentName } from '../../dossier/layout';
import { presenceUser } from '../../dossier/presence';
import { MAX_AWARENESS_STATE_BYTES } from '../../server/collab/awareness';
import { MessageType, RawSyncClient, encodeMessage } from '../support/raw-sync';
import { api, createTestDossier, login, startTestServer, TestClient, typeInto, users, waitFor, type Session, type TestServer } from '../support/server';

let server: TestServer;
let lead: Session;
let finance: Session;
let reader: Session;
let clerk: Session;
let dossierId: string;
const section = () => documentName(dossierId, 'ausgangslage');
const cleanups: (() => void)[] = [];

/** A Petra Schmid that is not Petra Schmid. */
const forged = () => ({ id: clerk.user.id, name: 'Petra Schmid (Sitzungsdienst)', color: '#1d4f91' });

beforeAll(async () => {
  server = await startTestServer();
  [lead, finance, reader, clerk] = await Promise.all([
    login(server.url, users.lead),
    login(server.url, users.finance),
    login(server.url, users.viewer),
    login(server.url, users.clerk),
  ]);
  dossierId = await createTestDossier(server.url, { session: lead });
});
afterAll(async () => {
  for (const cleanup of cleanups) cleanup();
  await server.close();
});

async function client(session: Session): Promise<TestClient> {
  const opened = new TestClient(server.wsUrl, session);
  cleanups.push(() => opened.destroy());
  opened.open(section());
  await opened.synced(section());
  return opened;
}

/** Every awareness state a client has ever been shown, as JSON. */
function seenStates(watcher: TestClient): string[] {
  const awareness = watcher.providers.get(section())!.awareness!;
  const seen = [...awareness.getStates().values()].map((state) => JSON.stringify(state));
  awareness.on('change', () => seen.push(...[...awareness.getStates().values()].map((state) => JSON.stringify(state))));
  return seen;
}

const statesOf = (watcher: TestClient) => watcher.providers.get(section())!.awareness!.getStates();
const serverStates = () => server.collaboration.hocuspocus.documents.get(section())!.awareness.getStates();

/** An awareness message as a modified client could send it: any client ids, clocks and states. */
function awarenessMessage(entries: { clientId: number; clock: number; state: unknown }[]): Uint8Array {
  return encodeMessage(section(), (e) => {
    encoding.writeVarUint(e, MessageType.Awareness);
    const update = encoding.createEncoder();
    encoding.writeVarUint(update, entries.length);
    for (const { clientId, clock, state } of entries) {
      encoding.writeVarUint(update, clientId);
      encoding.writeVarUint(update, clock);
      encoding.writeVarString(update, JSON.stringify(state));
    }
    encoding.writeVarUint8Array(e, encoding.toUint8Array(update));
  });
}

async function raw(session: Session): Promise<RawSyncClient> {
  const opened = await RawSyncClient.connect(server.wsUrl, session.cookie);
  cleanups.push(() => opened.close());
  expect(await opened.authenticate(section())).toMatch(/^authenticated:/);
  return opened;
}

describe('presence is decided by the server', () => {
  it("shows a reader who claims to be someone else under the reader's own name, to the others and in the dossier list", async () => {
    const watcher = await client(lead);
    const seen = seenStates(watcher);
    const attacker = await client(reader);
    const provider = attacker.providers.get(section())!;
    provider.awareness!.setLocalState({ user: forged(), editing: true });

    const ownId = provider.awareness!.clientID;
    await waitFor(() => statesOf(watcher).get(ownId)?.editing === true, { message: "the reader's state did not arrive" });
    expect(statesOf(watcher).get(ownId)!.user).toEqual(presenceUser(reader.user));
    expect(seen.join('\n')).not.toContain('Petra Schmid');

    const { body } = await api(server.url, '/api/dossiers', { session: lead });
    const editors = (body as { id: string; editors: { id: string; name: string; sections: string[] }[] }[]).find((d) => d.id === dossierId)!.editors;
    expect(editors).toContainEqual(expect.objectContaining({ id: reader.user.id, name: 'Dr. Eva Lange', sections: ['ausgangslage'] }));
    expect(JSON.stringify(editors)).not.toContain('Petra Schmid');
    attacker.destroy();
    watcher.destroy();
  });

  it("does not let a connection change another connection's entry", async () => {
    const victim = await client(finance);
    const victimProvider = victim.providers.get(section())!;
    victimProvider.setAwarenessField('editing', true);
    const victimId = victimProvider.awareness!.clientID;
    const watcher = await client(lead);
    await waitFor(() => statesOf(watcher).get(victimId)?.editing === true, { message: "the victim's state did not arrive" });
    const before = JSON.stringify(statesOf(watcher).get(victimId));
    const seen = seenStates(watcher);

    const attacker = await raw(reader);
    const attackerId = 4_000_000_001;
    const overwrite = (clock: number) => ({ clientId: victimId, clock, state: { user: forged(), editing: false, cursor: null } });
    // its first message names only the victim's id, later ones come with its own, then alone
    attacker.send(awarenessMessage([overwrite(10_000)]));
    attacker.send(awarenessMessage([overwrite(10_001), { clientId: attackerId, clock: 1, state: { editing: false } }]));
    attacker.send(awarenessMessage([overwrite(10_002)]));
    attacker.send(awarenessMessage([{ clientId: attackerId, clock: 2, state: { editing: true } }]));

    await waitFor(() => statesOf(watcher).get(attackerId)?.editing === true, { message: "the attacker's own state did not arrive" });
    expect(JSON.stringify(statesOf(watcher).get(victimId))).toBe(before);
    expect(JSON.stringify(serverStates().get(victimId))).toBe(before);
    expect(statesOf(watcher).get(attackerId)!.user).toEqual(presenceUser(reader.user));
    expect(seen.join('\n')).not.toContain('Petra Schmid');
    expect(attacker.received.some((m) => m.type === MessageType.Close)).toBe(false);
    attacker.close();
    watcher.destroy();
    victim.destroy();
  });

  it('lets a connection hold one presence: once it has an id, states for any other id are dropped', async () => {
    const watcher = await client(lead);
    const seen = seenStates(watcher);
    const attacker = await raw(reader);
    const [first, second] = [4_000_000_101, 4_000_000_102];
    attacker.send(awarenessMessage([{ clientId: first, clock: 1, state: { editing: false } }]));
    await waitFor(() => statesOf(watcher).has(first), { message: 'the first state did not arrive' });
    // a second id, new to the document and held by nobody: still not this connection's
    attacker.send(awarenessMessage([{ clientId: second, clock: 1, state: { editing: true, marker: 'zweite Identität' } }]));
    attacker.send(awarenessMessage([{ clientId: first, clock: 2, state: { editing: true } }]));
    await waitFor(() => statesOf(watcher).get(first)?.editing === true, { message: 'the own state did not change' });
    expect(statesOf(watcher).has(second)).toBe(false);
    expect(serverStates().has(second)).toBe(false);
    expect(seen.join('\n')).not.toContain('zweite Identität');
    attacker.close();
    watcher.destroy();
  });

  it('removes the presence of a connection that closes, for everyone still there', async () => {
    const watcher = await client(lead);
    const leaving = await raw(reader);
    const id = 4_000_000_201;
    leaving.send(awarenessMessage([{ clientId: id, clock: 1, state: { editing: true } }]));
    await waitFor(() => statesOf(watcher).get(id)?.editing === true, { message: 'the state did not arrive' });
    leaving.close();
    await waitFor(() => !statesOf(watcher).has(id) && !serverStates().has(id), { message: 'the presence of a closed connection stayed' });
    watcher.destroy();
  });

  it(`takes an awareness state of exactly ${MAX_AWARENESS_STATE_BYTES} bytes, and refuses one byte more`, async () => {
    const watcher = await client(lead);
    const state = (bytes: number) => {
      const shell = { editing: true, cursor: '' };
      return { ...shell, cursor: 'x'.repeat(bytes - JSON.stringify(shell).length) };
    };
    expect(JSON.stringify(state(MAX_AWARENESS_STATE_BYTES))).toHaveLength(MAX_AWARENESS_STATE_BYTES);
    const atLimit = await raw(reader);
    atLimit.send(awarenessMessage([{ clientId: 4_000_000_003, clock: 1, state: state(MAX_AWARENESS_STATE_BYTES) }]));
    await waitFor(() => statesOf(watcher).get(4_000_000_003)?.editing === true, { message: 'the state at the limit did not arrive' });
    const over = await raw(reader);
    over.send(awarenessMessage([{ clientId: 4_000_000_004, clock: 1, state: state(MAX_AWARENESS_STATE_BYTES + 1) }]));
    await waitFor(() => over.received.some((m) => m.type === MessageType.Close), { message: 'the connection over the limit was not closed' });
    expect(over.received.find((m) => m.type === MessageType.Close)!.summary).toBe('awareness-too-large');
    expect(atLimit.received.some((m) => m.type === MessageType.Close)).toBe(false);
    expect(serverStates().has(4_000_000_004)).toBe(false);
    atLimit.close();
    over.close();
    watcher.destroy();
  });

  it('refuses a 3.5 MB awareness state and closes that connection, while the others keep working', async () => {
    const writer = await client(lead);
    const watcher = await client(finance);
    const seen = seenStates(watcher);
    const attacker = await raw(reader);
    const attackerId = 4_000_000_002;
    attacker.send(awarenessMessage([{ clientId: attackerId, clock: 1, state: { editing: true, cursor: 'x'.repeat(3_500_000) } }]));

    await waitFor(() => attacker.received.some((m) => m.type === MessageType.Close), { timeout: 20_000, message: 'the connection was not closed' });
    expect(attacker.received.find((m) => m.type === MessageType.Close)!.summary).toBe('awareness-too-large');
    expect(serverStates().has(attackerId)).toBe(false);

    typeInto(writer.doc(section()), 'Nach dem Angriff.');
    await writer.storedAll(section());
    await waitFor(() => watcher.doc(section()).getXmlFragment('content').toString().includes('Nach dem Angriff.'), {
      message: 'the edit did not reach the others',
    });
    expect(statesOf(watcher).has(attackerId)).toBe(false);
    expect(seen.some((state) => state.length > 100_000)).toBe(false);
    expect((await api(server.url, '/api/health')).status).toBe(200);
    writer.destroy();
    watcher.destroy();
  });
});
