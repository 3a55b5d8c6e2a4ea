/**
 * Statuses: only the lead moves a dossier between draft and co-signing, each
 * transition is a compare-and-set, audited, and pushed at once into the
 * Mitzeichnung document of every open client and into storage.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentName, readMitzeichnung } from '../../dossier/layout';
import { api, login, startTestServer, TestClient, users, waitFor, type TestServer } from '../support/server';
import { auditOf, completeDossier, storedSection } from './support';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe('draft ↔ co-signing', () => {
  it('the lead starts and withdraws co-signing; open clients see the status live, storage agrees, both are audited', async () => {
    const dossierId = await completeDossier(server);
    const lead = await login(server.url, users.lead);
    const reader = new TestClient(server.wsUrl, await login(server.url, users.legal));
    const mitzeichnung = documentName(dossierId, 'mitzeichnung');
    reader.open(mitzeichnung);
    await reader.synced(mitzeichnung);
    expect(readMitzeichnung(reader.doc(mitzeichnung)).status).toBe('draft');

    const started = await api(server.url, `/api/dossiers/${dossierId}/cosigning`, { method: 'POST', session: lead });
    expect(started).toMatchObject({ status: 200, body: { status: 'cosigning' } });
    await waitFor(() => readMitzeichnung(reader.doc(mitzeichnung)).status === 'cosigning');
    expect(readMitzeichnung(reader.doc(mitzeichnung)).requested.map((r) => r.departmentId)).toEqual(['kaemmerei', 'personalamt', 'rechtsamt', 'klimaschutz']);
    const stored = await storedSection(server, dossierId, 'mitzeichnung');
    expect(stored.content).toMatchObject({ status: 'cosigning' });
    expect(stored.fromState).toEqual(stored.content);
    expect((await api(server.url, `/api/dossiers/${dossierId}`, { session: lead })).body.status).toBe('cosigning');

    const again = await api(server.url, `/api/dossiers/${dossierId}/cosigning`, { method: 'POST', session: lead });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatch(/Mitzeichnung/);

    const withdrawn = await api(server.url, `/api/dossiers/${dossierId}/cosigning`, { method: 'DELETE', session: lead });
    expect(withdrawn).toMatchObject({ status: 200, body: { status: 'draft' } });
    await waitFor(() => readMitzeichnung(reader.doc(mitzeichnung)).status === 'draft');
    expect((await api(server.url, `/api/dossiers/${dossierId}/cosigning`, { method: 'DELETE', session: lead })).status).toBe(409);

    const rows = (await auditOf(server, dossierId)).filter((row) => row.action === 'dossier.status');
    expect(rows.map((row) => [row.userId, row.detail])).toEqual([
      [lead.user.id, 'draft→cosigning'],
      [lead.user.id, 'cosigning→draft'],
    ]);
    reader.destroy();
  });

  it('nobody but the lead moves it: finance, a signatory of the lead department, the clerk, the admin, an author of another department get 403', async () => {
    const dossierId = await completeDossier(server);
    for (const username of [users.finance, users.signatoryLead, users.clerk, users.admin, users.legal]) {
      const session = await login(server.url, username);
      const response = await api(server.url, `/api/dossiers/${dossierId}/cosigning`, { method: 'POST', session });
      expect(response.status, username).toBe(403);
      expect(response.body.error).toMatch(/federführende/);
    }
    const lead = await login(server.url, users.lead);
    expect((await api(server.url, `/api/dossiers/${dossierId}/cosigning`, { method: 'POST', session: lead })).status).toBe(200);
    for (const username of [users.finance, users.signatoryLead, users.clerk, users.admin]) {
      const session = await login(server.url, username);
      expect((await api(server.url, `/api/dossiers/${dossierId}/cosigning`, { method: 'DELETE', session })).status, username).toBe(403);
    }
    expect((await server.storage.dossiers.get(dossierId))!.status).toBe('cosigning');
    expect((await auditOf(server, dossierId)).filter((row) => row.action === 'dossier.status')).toHaveLength(1);
  });

  it('two leads starting co-signing at once: one transition, one audit row', async () => {
    const dossierId = await completeDossier(server);
    const [a, b] = await Promise.all([login(server.url, users.lead), login(server.url, users.leadColleague)]);
    const answers = await Promise.all([a, b].map((session) => api(server.url, `/api/dossiers/${dossierId}/cosigning`, { method: 'POST', session })));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    expect((await auditOf(server, dossierId)).filter((row) => row.action === 'dossier.status')).toHaveLength(1);
  });
});
