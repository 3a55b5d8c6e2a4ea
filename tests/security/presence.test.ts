/**
 * Presence cannot be forged: the server writes who a connection is into its
 * awareness state, drops entries for client ids that are not the
 * connection's, and refuses oversized states. Real server, real providers,
 * a raw client for what a provider would never send.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { documentName } from '../../dossier/layout';
import { userColor } from '../../dossier/presence';
import { encodeMessage, MessageType, RawSyncClient } from '../support/raw-sync';
import { api, createTestDossier, login, startTestServer, TestClient, typeInto, users, waitFor, type Session, type TestServer } from '../support/server';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup() {
  const s = await startTestServer();
  cleanups.push(() => s.close());
  const lead = await login(s.url, users.lead);
  const reader = await login(s.url, users.reader);
  const dossierId = await createTestDossier(s.url, { session: lead });
  return { s, lead, reader, dossierId, name: documentName(dossierId, 'ausgangslage') };
}
function client(s: TestServer, session: Session): TestClient {
  const c = new TestClient(s.wsUrl, session);
  cleanups.push(() => c.destroy());
  return c;
}
const stateOf = (c: TestClient, name: string, clientId: number) => c.providers.get(name)!.awareness!.getStates().get(clientId) as Record<string, any> | undefined;

/** An awareness message for `clientId`, as no provider would send it. */
function awarenessMessage(name: string, clientId: number, state: Record<string, unknown>, clock = 1): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  const awareness = new Awareness(doc);
  for (let i = 1; i < clock; i += 1) awareness.setLocalState({ i });
  awareness.setLocalState(state);
  const update = encodeAwarenessUpdate(awareness, [clientId]);
  awareness.destroy();
  return encodeMessage(name, (e) => {
    encoding.writeVarUint(e, MessageType.Awareness);
    encoding.writeVarUint8Array(e, update);
  });
}

describe('presence', () => {
  it('shows a connection as its signed-in user, whatever name it publishes', async () => {
    const { s, lead, reader, dossierId, name } = await setup();
    const watcher = client(s, lead);
    watcher.open(name);
    const forger = client(s, reader);
    const provider = forger.open(name);
    await Promise.all([watcher.synced(name), waitFor(() => provider.isAuthenticated)]);
    provider.setAwarenessField('user', { id: 'petra', name: 'Petra Schmid (Sitzungsdienst)', color: '#ff0000' });
    provider.setAwarenessField('editing', true);

    const forgerId = provider.document.clientID;
    await waitFor(() => stateOf(watcher, name, forgerId)?.editing === true, { message: 'the forged state did not arrive at all' });
    expect(stateOf(watcher, name, forgerId)!.user).toEqual({ id: reader.user.id, name: reader.user.displayName, color: userColor(reader.user.id) });
    const { body } = await api(s.url, '/api/dossiers', { session: lead });
    const editors = (body as { id: string; editors: { id: string; name: string; sections: string[] }[] }[]).find((d) => d.id === dossierId)!.editors;
    expect(editors).toEqual([expect.objectContaining({ id: reader.user.id, name: reader.user.displayName, sections: ['ausgangslage'] })]);
    expect(JSON.stringify(body)).not.toContain('Petra');
  });

  it('drops entries a connection sends for another connection’s client id', async () => {
    const { s, lead, reader, name } = await setup();
    const victim = client(s, lead);
    const provider = victim.open(name);
    await victim.synced(name);
    provider.setAwarenessField('editing', true);
    const server = () => s.collaboration.hocuspocus.documents.get(name)!.awareness.getStates();
    await waitFor(() => server().get(provider.document.clientID)?.editing === true);

    const attacker = await RawSyncClient.connect(s.wsUrl, reader.cookie);
    cleanups.push(() => attacker.close());
    expect(await attacker.authenticate(name)).toBe('authenticated:readonly');
    attacker.send(awarenessMessage(name, 4242, { editing: false }));
    attacker.send(awarenessMessage(name, provider.document.clientID, { user: { id: 'x', name: 'Übernommen' }, editing: false }, 50));
    // the attacker's own entry (its first id) is the barrier: it arrives after the forged one was dealt with
    await waitFor(() => server().has(4242));
    expect(server().get(4242)!.user.name).toBe(reader.user.displayName);
    expect(server().get(provider.document.clientID)).toMatchObject({ editing: true, user: { id: lead.user.id } });
    typeInto(victim.doc(name), 'Weiter.');
    await victim.storedAll(name);
  });

  it('refuses an oversized awareness state and keeps serving the others', async () => {
    const { s, lead, reader, name } = await setup();
    const editor = client(s, lead);
    editor.open(name);
    await editor.synced(name);
    const attacker = await RawSyncClient.connect(s.wsUrl, reader.cookie);
    cleanups.push(() => attacker.close());
    expect(await attacker.authenticate(name)).toBe('authenticated:readonly');
    attacker.send(awarenessMessage(name, 777, { user: { name: 'x' }, blob: 'x'.repeat(3_500_000) }));
    await waitFor(() => attacker.received.some((m) => m.type === MessageType.Close), { message: 'the document connection was not closed' });
    expect(attacker.received.find((m) => m.type === MessageType.Close)!.summary).toBe('awareness-too-large');
    expect(s.collaboration.hocuspocus.documents.get(name)!.awareness.getStates().has(777)).toBe(false);
    typeInto(editor.doc(name), 'Läuft weiter.');
    await editor.storedAll(name);
    expect((await api(s.url, '/api/health')).status).toBe(200);
  });
});
