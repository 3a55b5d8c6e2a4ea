/**
 * Who may co-sign, and that nobody signs text they did not see: a stale hash
 * is refused with the changed sections; a signatory of another department, an
 * author, a reader, the clerk are refused; re-signing replaces the
 * department's signature; each signature is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../dossier/content-hash';
import { documentName } from '../../dossier/layout';
import { api, createTestUser, login, startTestServer, TestClient, typeInto, users, type TestServer } from '../support/server';
import { auditOf, completeDossier, shownHashes, sign, startCosigning } from './support';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const signaturesOf = async (dossierId: string) =>
  (await api(server.url, `/api/dossiers/${dossierId}/signatures`, { session: await login(server.url, users.clerk) })).body;

describe('co-signing', () => {
  it('a stale hash is refused with 409 and exactly the sections that changed; the fresh ones are accepted', async () => {
    const dossierId = await completeDossier(server);
    const lead = await login(server.url, users.lead);
    await startCosigning(server, lead, dossierId);
    const legal = await login(server.url, users.signatoryLegal);
    const seen = await shownHashes(server, legal, dossierId);

    const editor = new TestClient(server.wsUrl, lead);
    const name = documentName(dossierId, 'wirkung');
    editor.open(name);
    await editor.synced(name);
    typeInto(editor.doc(name), ' Eine Zahl mehr.');
    await editor.synced(name);

    const stale = await api(server.url, `/api/dossiers/${dossierId}/signatures`, {
      method: 'POST',
      session: legal,
      json: { contentHashes: seen, decision: 'agree' },
    });
    expect(stale.status).toBe(409);
    expect(stale.body).toEqual({ error: expect.stringMatching(/geändert/), changedSections: ['wirkung'] });
    expect((await signaturesOf(dossierId)).find((s: { departmentId: string }) => s.departmentId === 'rechtsamt').state).toBe('pending');

    // a hash of nothing the server has, for a section the client left out, is stale too
    const { wirkung: _left, ...withoutOne } = await shownHashes(server, legal, dossierId);
    const missing = await api(server.url, `/api/dossiers/${dossierId}/signatures`, {
      method: 'POST',
      session: legal,
      json: { contentHashes: withoutOne, decision: 'agree' },
    });
    expect(missing).toMatchObject({ status: 409, body: { changedSections: ['wirkung'] } });

    // what the view shows now is what the live document holds, even before it is stored
    const fresh = await sign(server, legal, dossierId);
    expect(fresh.status).toBe(201);
    expect(fresh.body).toMatchObject({
      departmentId: 'rechtsamt',
      departmentName: 'Rechtsamt',
      state: 'valid',
      decision: 'agree',
      signedBy: 'Dr. Eva Lange',
      changedSections: [],
    });
    expect(fresh.body.sections.wirkung).toBe(
      await contentHash(
        (await api(server.url, `/api/dossiers/${dossierId}`, { session: legal })).body.sections.find((s: { id: string }) => s.id === 'wirkung').content,
      ),
    );
    expect(Object.keys(fresh.body.sections)).not.toContain('mitzeichnung');
    editor.destroy();
  });

  it('only a signatory of a department asked to co-sign signs: others get 403, a draft 409', async () => {
    const dossierId = await completeDossier(server, { involvedDepartmentIds: ['rechtsamt'] });
    const lead = await login(server.url, users.lead);
    const legalSignatory = await login(server.url, users.signatoryLegal);
    expect((await sign(server, legalSignatory, dossierId)).status).toBe(409);
    await startCosigning(server, lead, dossierId);

    const climateSignatory = await login(server.url, users.signatoryClimate); // not involved
    const hrSignatory = await login(server.url, users.signatoryHr); // not involved (nichtöffentlich would hide it)
    const leadSignatory = await login(server.url, users.signatoryLead); // the lead department is not asked
    const legalAuthor = await login(server.url, users.legal); // involved, but no Zeichnungsbefugnis
    for (const session of [
      climateSignatory,
      hrSignatory,
      leadSignatory,
      legalAuthor,
      lead,
      await login(server.url, users.clerk),
      await login(server.url, users.admin),
    ]) {
      const refused = await sign(server, session, dossierId);
      expect(refused.status, session.user.username).toBe(403);
      expect(refused.body.error).toMatch(/zeichnungsbefugt/);
    }
    // the demo dossier's budget has lines: the finance office is asked although not named
    const financeSignatory = await login(server.url, users.signatoryFinance);
    expect((await sign(server, financeSignatory, dossierId)).status).toBe(201);
    expect((await signaturesOf(dossierId)).map((s: { departmentId: string; state: string }) => [s.departmentId, s.state])).toEqual([
      ['rechtsamt', 'pending'],
      ['kaemmerei', 'valid'],
    ]);
    expect((await auditOf(server, dossierId)).filter((row) => row.action === 'signature.given').map((row) => [row.userId, row.detail])).toEqual([
      [financeSignatory.user.id, 'agree'],
    ]);
  });

  it('a reader cannot sign either', async () => {
    const dossierId = await completeDossier(server);
    await startCosigning(server, await login(server.url, users.lead), dossierId);
    const reader = await login(server.url, users.reader);
    const response = await api(server.url, `/api/dossiers/${dossierId}/signatures`, {
      method: 'POST',
      session: reader,
      json: { contentHashes: {}, decision: 'agree' },
    });
    expect([403, 404]).toContain(response.status);
    expect(response.body.error).toEqual(expect.any(String));
  });

  it('re-signing replaces the department’s signature; remarks and objections need a text', async () => {
    const dossierId = await completeDossier(server, { involvedDepartmentIds: ['rechtsamt'] });
    await startCosigning(server, await login(server.url, users.lead), dossierId);
    const legal = await login(server.url, users.signatoryLegal);
    // a second signatory of the same department
    const deputy = await createTestUser(server.url, { departmentId: 'rechtsamt', roles: ['signatory'] });

    expect((await sign(server, legal, dossierId, 'object')).status).toBe(400);
    expect((await sign(server, legal, dossierId, 'agree-with-remarks', '   ')).status).toBe(400);
    expect((await sign(server, legal, dossierId, 'object', 'Die Vergabe ist nicht geklärt.')).status).toBe(201);
    expect((await signaturesOf(dossierId))[0]).toMatchObject({
      departmentId: 'rechtsamt',
      decision: 'object',
      remark: 'Die Vergabe ist nicht geklärt.',
      signedBy: 'Dr. Eva Lange',
    });
    expect((await sign(server, deputy, dossierId, 'agree-with-remarks', 'Vergabe nachgereicht.')).status).toBe(201);
    const [signature] = await signaturesOf(dossierId);
    expect(signature).toMatchObject({ decision: 'agree-with-remarks', remark: 'Vergabe nachgereicht.', signedBy: deputy.user.displayName, state: 'valid' });
    expect((await server.storage.workflow.listSignatures(dossierId, 1)).filter((s) => s.departmentId === 'rechtsamt')).toHaveLength(1);
  });
});
