/**
 * Two real server processes (`tsx server/main.ts`) on one database and one
 * Redis, as behind a load balancer: what happens on A reaches B — section
 * edits, presence, the list page's "who is editing now", a revoked right
 * (admin API or users CLI), a release, the login throttle.
 *
 * The processes share DATA_DIR (SQLite in WAL mode is safe across processes)
 * or DATABASE_URL when the environment sets one. Redis: REDIS_URL, else
 * 127.0.0.1:6379; each run gets its own key prefix. Without Redis the tests
 * skip with the reason, in CI (`CI` set) they fail.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentName } from '../../dossier/layout';
import { redisUnavailable, redisUrl } from '../support/redis';
import {
  api,
  createTestDossier,
  createTestUser,
  login,
  projectRoot,
  TestClient,
  typeInto,
  users,
  waitFor,
  type ServerProcess,
  type Session,
} from '../support/server';
import { signatoryOf } from '../workflow/support';
import { Cluster } from './support';
import { demoTitle } from '../../server/demo/labor-der-kreativen-koepfe';

const unreachable = await redisUnavailable('the tests across server processes');

const cluster = new Cluster();
let a: ServerProcess;
let b: ServerProcess;

function client(server: ServerProcess, session: Session): TestClient {
  const opened = new TestClient(server.wsUrl, session);
  cluster.cleanups.push(() => opened.destroy());
  return opened;
}

async function opened(server: ServerProcess, session: Session, name: string): Promise<TestClient> {
  const c = client(server, session);
  c.open(name);
  await c.synced(name);
  return c;
}

const text = (c: TestClient, name: string) => c.doc(name).getXmlFragment('content').toString();

describe.skipIf(unreachable !== undefined)('two server processes with Redis', () => {
  beforeAll(async () => {
    // A seeds the demo people and the demo dossier into the fresh data directory; B finds them there
    a = await cluster.start({ seedDemo: 'true' });
    b = await cluster.start({ seedDemo: 'people' });
  }, 300_000);

  afterAll(() => cluster.stop(), 30_000);

  it('editors on A and on B edit the same section and converge', async () => {
    const lead = await login(a.url, users.lead);
    const colleague = await login(b.url, users.leadColleague);
    const dossierId = await createTestDossier(a.url, { session: lead });
    const name = documentName(dossierId, 'ausgangslage');
    const onA = await opened(a, lead, name);
    const onB = await opened(b, colleague, name);
    typeInto(onA.doc(name), 'Von A getippt. ');
    typeInto(onB.doc(name), 'Von B getippt. ');
    await waitFor(() => text(onA, name) === text(onB, name) && text(onA, name).includes('Von A') && text(onA, name).includes('Von B'), {
      message: () => `not converged:\nA: ${text(onA, name)}\nB: ${text(onB, name)}`,
    });
  });

  it('shows who is in a section across processes, and who edits on A in B’s dossier list', async () => {
    const lead = await login(a.url, users.lead);
    const reader = await login(b.url, users.viewer);
    const dossierId = await createTestDossier(a.url, { session: lead });
    const name = documentName(dossierId, 'ausgangslage');
    const listOnB = async () => {
      const { body } = await api(b.url, '/api/dossiers', { session: reader });
      return (body as { id: string; editors: { id: string; sections: string[] }[] }[]).find((d) => d.id === dossierId)?.editors;
    };
    // B has none of this dossier's documents loaded: the list learns of the editor from A
    const editor = await opened(a, lead, name);
    editor.providers.get(name)!.setAwarenessField('editing', true);
    await waitFor(async () => (await listOnB())?.some((e) => e.id === lead.user.id && e.sections.includes('ausgangslage')) === true, {
      message: 'B’s dossier list did not show the editor on A',
    });

    // carets and presence: a watcher on B sees the editor on A, as the server wrote who it is
    const watcher = await opened(b, reader, name);
    const states = () => [...watcher.providers.get(name)!.awareness!.getStates().values()] as { user?: { id: string }; editing?: boolean }[];
    await waitFor(() => states().some((s) => s.user?.id === lead.user.id && s.editing === true), { message: 'the presence of A’s editor did not reach B' });

    editor.destroy();
    await waitFor(async () => (await listOnB())?.length === 0, { message: 'B’s dossier list still shows the editor who left A' });
  });

  it('a right revoked through A applies to a connection on B within two seconds', async () => {
    const author = await createTestUser(a.url, { departmentId: 'smart-city', roles: ['author'] });
    const dossierId = await createTestDossier(a.url);
    const name = documentName(dossierId, 'ausgangslage');
    const onB = await opened(b, author, name);
    expect(onB.readOnly.get(name)).toBe(false);

    const admin = await login(a.url, users.admin);
    const revoked = await api(a.url, `/api/users/${author.user.id}`, { method: 'PATCH', session: admin, json: { roles: ['signatory'] } });
    expect(revoked.status).toBe(200);
    const at = Date.now();
    await waitFor(() => onB.readOnly.get(name) === true, { timeout: 2000, message: 'B’s connection was not made read-only within two seconds' });
    expect(Date.now() - at).toBeLessThanOrEqual(2000);

    // disabled: B closes the connection and the session is gone everywhere
    const connectedBefore = onB.providers.get(name)!.isAuthenticated;
    expect(connectedBefore).toBe(true);
    expect((await api(a.url, `/api/users/${author.user.id}`, { method: 'PATCH', session: admin, json: { disabled: true } })).status).toBe(200);
    expect((await api(b.url, '/api/auth/me', { session: author })).status).toBe(401);
  });

  it('the users CLI tells every process at once (no poll with Redis)', async () => {
    const author = await createTestUser(a.url, { departmentId: 'smart-city', roles: ['author'] });
    const dossierId = await createTestDossier(a.url);
    const name = documentName(dossierId, 'ausgangslage');
    const [onA, onB] = [await opened(a, author, name), await opened(b, author, name)];
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', join(projectRoot, 'server/accounts/cli.ts'), 'set', author.user.username, '--department', 'rechtsamt'],
      { cwd: projectRoot, env: { ...process.env, DATA_DIR: cluster.data.dir, REDIS_URL: redisUrl, REDIS_PREFIX: cluster.prefix } },
    );
    expect(stdout).toContain('geändert');
    // published before the CLI exited: both connections follow within the time of one delivery
    await waitFor(() => onA.readOnly.get(name) === true && onB.readOnly.get(name) === true, {
      timeout: 2000,
      message: 'the department change by the CLI did not reach both processes',
    });
  }, 60_000);

  it('a release through A makes the connections on B read-only', async () => {
    const lead = await login(a.url, users.lead);
    const clerk = await login(a.url, users.clerk);
    const { body: list } = await api(a.url, '/api/dossiers', { session: lead });
    const demo = (list as { id: string; title: string }[]).find((d) => d.title === demoTitle)!;
    const name = documentName(demo.id, 'ausgangslage');
    const onB = await opened(b, await login(b.url, users.leadColleague), name);
    expect(onB.readOnly.get(name)).toBe(false);

    expect((await api(a.url, `/api/dossiers/${demo.id}/cosigning`, { method: 'POST', session: lead })).status).toBe(200);
    const { body: required } = await api(a.url, `/api/dossiers/${demo.id}/signatures`, { session: lead });
    for (const { departmentId } of required as { departmentId: keyof typeof signatoryOf }[]) {
      const signatory = await login(a.url, signatoryOf[departmentId]);
      const { body: view } = await api(a.url, `/api/dossiers/${demo.id}`, { session: signatory });
      const contentHashes = Object.fromEntries((view.sections as { id: string; contentHash: string }[]).map((s) => [s.id, s.contentHash]));
      const signed = await api(a.url, `/api/dossiers/${demo.id}/signatures`, {
        method: 'POST',
        session: signatory,
        json: { contentHashes, decision: 'agree' },
      });
      expect(signed.status, JSON.stringify(signed.body)).toBe(201);
    }

    const released = await api(a.url, `/api/dossiers/${demo.id}/release`, { method: 'POST', session: clerk, json: {} });
    expect(released.status, JSON.stringify(released.body)).toBe(201);
    await waitFor(() => onB.readOnly.get(name) === true, { timeout: 2000, message: 'B’s connection stayed writable after the release on A' });
  }, 60_000);

  it('logins throttled on A are throttled on B', async () => {
    const user = await createTestUser(a.url, { departmentId: 'smart-city', roles: ['author'] });
    const attempt = (server: ServerProcess, password: string) =>
      api(server.url, '/api/auth/login', { method: 'POST', json: { username: user.user.username, password } });
    // seven failures on A (waiting out the delays after the fifth and sixth): the next attempt must wait four seconds
    for (let failures = 0; failures < 7; failures++) {
      await waitFor(async () => (await attempt(a, 'falsches-Passwort')).status === 401, { timeout: 10_000, interval: 250 });
    }
    const onB = await attempt(b, 'falsches-Passwort');
    expect(onB.status).toBe(429);
    expect(Number(onB.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  }, 30_000);
});
