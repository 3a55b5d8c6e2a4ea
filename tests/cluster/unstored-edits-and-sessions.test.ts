/**
 * Two real server processes on one PostgreSQL schema and one Redis prefix,
 * where B stores its documents only after a minute (its debounce): what an
 * editor typed on B is in B's memory alone. A release or a co-signature made
 * through A must not bind content without it; a session ended through A
 * closes its sockets on B at once, not at B's next sweep.
 *
 * PostgreSQL: TEST_DATABASE_URL, else 127.0.0.1:5432/test; Redis: REDIS_URL,
 * else 127.0.0.1:6379. Unreachable, the tests skip with the reason; in CI
 * (`CI` set) they fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CloseCode } from '../../dossier/close-codes';
import { contentHash } from '../../dossier/content-hash';
import { documentName } from '../../dossier/layout';
import { demoTitle } from '../../server/demo/labor-der-kreativen-koepfe';
import { RawSyncClient } from '../support/raw-sync';
import { redisUnavailable } from '../support/redis';
import { api, createTestDossier, createTestUser, login, TestClient, typeInto, users, waitFor, type ServerProcess, type Session } from '../support/server';
import { postgresUnavailable } from '../storage/factories';
import { signatoryOf } from '../workflow/support';
import { Cluster } from './support';

const redisMissing = await redisUnavailable('the tests of unstored edits and sessions across processes');
const postgresMissing = await postgresUnavailable();
if (postgresMissing && process.env.CI) throw new Error(`PostgreSQL is required in CI: ${postgresMissing}`);
if (postgresMissing) console.warn(`Skipping the tests of unstored edits and sessions across processes: ${postgresMissing}`);
const unreachable = redisMissing ?? postgresMissing;

const cluster = new Cluster();
let a: ServerProcess;
let b: ServerProcess;

const sectionOf = (body: { sections: { id: string; content: unknown; contentHash: string }[] }, id: string) => body.sections.find((s) => s.id === id)!;

/** The dossier as the user's view on A shows it. */
async function viewOnA(session: Session, dossierId: string) {
  const { status, body } = await api(a.url, `/api/dossiers/${dossierId}`, { session });
  expect(status).toBe(200);
  return body as { status: string; sections: { id: string; content: unknown; contentHash: string }[] };
}

/** Signs through A with the hashes A's view shows the signatory now. */
async function signOnA(signatory: Session, dossierId: string) {
  const view = await viewOnA(signatory, dossierId);
  const contentHashes = Object.fromEntries(view.sections.map((s) => [s.id, s.contentHash]));
  return api(a.url, `/api/dossiers/${dossierId}/signatures`, { method: 'POST', session: signatory, json: { contentHashes, decision: 'agree' } });
}

describe.skipIf(unreachable !== undefined)('unstored edits and ended sessions across two processes', () => {
  beforeAll(async () => {
    await cluster.useFreshSchema();
    // A seeds the demo people and the demo dossier; B finds them, and keeps its edits unstored for a minute
    a = await cluster.start({ seedDemo: 'true', env: { LOG_LEVEL: 'warn' } });
    b = await cluster.start({ seedDemo: 'people', storeDebounceMs: 60_000, env: { STORE_MAX_DEBOUNCE_MS: '60000', LOG_LEVEL: 'warn' } });
  }, 300_000);

  afterAll(() => cluster.stop(), 60_000);

  it('a co-signature and the release through A take in what an editor on B typed and B has not stored', async () => {
    const lead = await login(a.url, users.lead);
    const clerk = await login(a.url, users.clerk);
    const { body: list } = await api(a.url, '/api/dossiers', { session: lead });
    const dossierId = (list as { id: string; title: string }[]).find((d) => d.title === demoTitle)!.id;
    expect((await api(a.url, `/api/dossiers/${dossierId}/cosigning`, { method: 'POST', session: lead })).status).toBe(200);

    const name = documentName(dossierId, 'ausgangslage');
    const editor = new TestClient(b.wsUrl, await login(b.url, users.leadColleague));
    cluster.cleanups.push(() => editor.destroy());
    editor.open(name);
    await editor.synced(name);
    typeInto(editor.doc(name), ' Ergänzt auf B vor der Mitzeichnung.');
    await editor.synced(name);
    // the premise: B has the edit, storage (and so A) does not
    expect(JSON.stringify(sectionOf(await viewOnA(lead, dossierId), 'ausgangslage').content)).not.toContain('Ergänzt auf B');

    // The first signatory saw the content without B's edit: refused, naming the section. Everyone signs what is stored then.
    const { body: required } = await api(a.url, `/api/dossiers/${dossierId}/signatures`, { session: lead });
    const signatories: Session[] = [];
    // the Kämmerei signs the budget and the proposal only: another signs first, over the Ausgangslage
    const departments = (required as { departmentId: keyof typeof signatoryOf }[]).map((r) => r.departmentId).sort((x) => (x === 'kaemmerei' ? 1 : -1));
    for (const departmentId of departments) signatories.push(await login(a.url, signatoryOf[departmentId]));
    const stale = await signOnA(signatories[0]!, dossierId);
    expect(stale.status, JSON.stringify(stale.body)).toBe(409);
    expect(stale.body.changedSections).toContain('ausgangslage');
    expect(JSON.stringify(sectionOf(await viewOnA(lead, dossierId), 'ausgangslage').content)).toContain('Ergänzt auf B vor der Mitzeichnung.');
    for (const signatory of signatories) {
      const signed = await signOnA(signatory, dossierId);
      expect(signed.status, JSON.stringify(signed.body)).toBe(201);
    }

    // typed on B after every signature: the release finds it and refuses, as the signatures no longer hold
    typeInto(editor.doc(name), ' Nach den Mitzeichnungen auf B getippt.');
    await editor.synced(name);
    const refused = await api(a.url, `/api/dossiers/${dossierId}/release`, { method: 'POST', session: clerk, json: {} });
    expect(refused.status, JSON.stringify(refused.body)).toBe(409);
    expect((refused.body.reasons as string[]).some((reason) => /ungültig, weil sich danach geändert hat: Ausgangslage/.test(reason))).toBe(true);
    expect((await viewOnA(lead, dossierId)).status).toBe('cosigning');
    expect((await api(a.url, `/api/dossiers/${dossierId}/versions`, { session: lead })).body).toEqual([]);

    // signed again: released, with both edits, and every signature holds for exactly the released sections
    await waitFor(() => editor.readOnly.get(name) === false, { message: 'B’s editor stayed read-only after the refused release' });
    for (const signatory of signatories) {
      const signed = await signOnA(signatory, dossierId);
      expect(signed.status, JSON.stringify(signed.body)).toBe(201);
    }
    const released = await api(a.url, `/api/dossiers/${dossierId}/release`, { method: 'POST', session: clerk, json: {} });
    expect(released.status, JSON.stringify(released.body)).toBe(201);
    const { body: version } = await api(a.url, `/api/dossiers/${dossierId}/versions/${released.body.version}`, { session: lead });
    const releasedText = JSON.stringify(sectionOf(version, 'ausgangslage').content);
    expect(releasedText).toContain('Ergänzt auf B vor der Mitzeichnung.');
    expect(releasedText).toContain('Nach den Mitzeichnungen auf B getippt.');
    const hashes = new Map(
      await Promise.all(version.sections.map(async (s: { id: string; content: unknown }) => [s.id, await contentHash(s.content)] as const)),
    );
    expect(version.signatures.length).toBe(signatories.length);
    for (const signature of version.signatures as { state: string; sections: Record<string, string> }[]) {
      expect(signature.state).toBe('valid');
      for (const [sectionId, hash] of Object.entries(signature.sections)) expect(hash, sectionId).toBe(hashes.get(sectionId));
    }
    await waitFor(() => editor.readOnly.get(name) === true, { message: 'B’s editor stayed writable after the release' });
  }, 120_000);

  it('refuses a co-signature (503, in German) while a process holding edits does not answer, and takes it once it does', async () => {
    const lead = await login(a.url, users.lead);
    const dossierId = await createTestDossier(a.url, { session: lead, involvedDepartmentIds: ['rechtsamt'] });
    expect((await api(a.url, `/api/dossiers/${dossierId}/cosigning`, { method: 'POST', session: lead })).status).toBe(200);
    const signatory = await login(a.url, signatoryOf.rechtsamt);
    // B is stopped, as a process hanging in a long pause would be: still subscribed, it cannot answer
    b.child.kill('SIGSTOP');
    try {
      const refused = await signOnA(signatory, dossierId);
      expect(refused.status, JSON.stringify(refused.body)).toBe(503);
      expect(refused.body.error).toMatch(/^Nicht alle Server haben die letzten Änderungen an dieser Vorlage gespeichert/);
    } finally {
      b.child.kill('SIGCONT');
    }
    const signed = await signOnA(signatory, dossierId);
    expect(signed.status, JSON.stringify(signed.body)).toBe(201);
  }, 60_000);

  it('a logout through A closes that session’s sockets on B within two seconds, and they cannot come back', async () => {
    const dossierId = await createTestDossier(a.url);
    const name = documentName(dossierId, 'ausgangslage');
    const session = await login(a.url, users.leadColleague);
    const otherDevice = await login(a.url, users.leadColleague);
    const socket = await RawSyncClient.connect(b.wsUrl, session.cookie);
    const other = await RawSyncClient.connect(b.wsUrl, otherDevice.cookie);
    cluster.cleanups.push(
      () => socket.close(),
      () => other.close(),
    );
    expect(await socket.authenticate(name)).toMatch(/^authenticated/);
    expect(await other.authenticate(name)).toMatch(/^authenticated/);
    let closedWith: number | undefined;
    void socket.closed.then((code) => (closedWith = code));

    expect((await api(a.url, '/api/auth/logout', { method: 'POST', session })).status).toBe(204);
    await waitFor(() => closedWith !== undefined, { timeout: 2000, message: 'B did not close the socket of the ended session within two seconds' });
    expect(closedWith).toBe(CloseCode.unauthorized);
    // the same user's other session keeps its socket; the ended one opens none
    expect(other.socket.readyState).toBe(WebSocket.OPEN);
    const again = await RawSyncClient.connect(b.wsUrl, session.cookie);
    cluster.cleanups.push(() => again.close());
    expect(await again.authenticate(name)).toBe('denied:unauthorized');
  });

  it('a user disabled through A loses their sockets on B within two seconds', async () => {
    const author = await createTestUser(a.url, { departmentId: 'smart-city', roles: ['author'] });
    const dossierId = await createTestDossier(a.url);
    const socket = await RawSyncClient.connect(b.wsUrl, author.cookie);
    cluster.cleanups.push(() => socket.close());
    expect(await socket.authenticate(documentName(dossierId, 'ausgangslage'))).toMatch(/^authenticated/);
    let closedWith: number | undefined;
    void socket.closed.then((code) => (closedWith = code));

    const admin = await login(a.url, users.admin);
    const disabled = await api(a.url, `/api/users/${author.user.id}`, { method: 'PATCH', session: admin, json: { disabled: true } });
    expect(disabled.status, `${JSON.stringify(disabled.body)}\n${a.output().slice(-3000)}`).toBe(200);
    await waitFor(() => closedWith !== undefined, { timeout: 2000, message: 'B did not close the disabled user’s socket within two seconds' });
    expect(closedWith).toBe(CloseCode.unauthorized);
  });
});
