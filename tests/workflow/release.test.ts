/**
 * The release by the clerk: refused with its reasons while the dossier is not
 * complete (an empty required section, a missing, invalid or objecting
 * signature), only by the clerk, once when two clerks release at once, and
 * with a Vorlagen-Nr. that no other Vorlage holds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentName } from '../../dossier/layout';
import { api, createTestUser, login, startTestServer, TestClient, typeInto, users, type Session, type TestServer } from '../support/server';
import { auditOf, completeDossier, involved, sign, signAll, signatoryOf, startCosigning, waitFor } from './support';

let server: TestServer;
let lead: Session;
let clerk: Session;
beforeAll(async () => {
  server = await startTestServer();
  [lead, clerk] = await Promise.all([login(server.url, users.lead), login(server.url, users.clerk)]);
});
afterAll(() => server?.close());

const release = (dossierId: string, session = clerk, json: unknown = {}) =>
  api(server.url, `/api/dossiers/${dossierId}/release`, { method: 'POST', session, json });

/** A dossier in co-signing that the Rechtsamt (and, for its budget, the Kämmerei) must sign. */
async function inCosigning(options: { leaveEmpty?: string[] } = {}): Promise<string> {
  const dossierId = await completeDossier(server, { involvedDepartmentIds: ['rechtsamt'], ...options });
  await startCosigning(server, lead, dossierId);
  return dossierId;
}

describe('release', () => {
  it('is refused with the reasons: an empty required section, missing signatures', async () => {
    const dossierId = await inCosigning({ leaveEmpty: ['zielgruppen'] });
    const refused = await release(dossierId);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatch(/nicht freigabereif/);
    expect(refused.body.reasons).toEqual([
      'Pflichtabschnitt „Zielgruppen: Kundinnen/Kunden und Nutzende“ ist noch leer.',
      'Die Mitzeichnung von Rechtsamt fehlt.',
      'Die Mitzeichnung von Kämmerei fehlt.',
    ]);
    const checklist = await api(server.url, `/api/dossiers/${dossierId}/completeness`, { session: lead });
    expect(checklist.body.ready).toBe(false);
    expect(checklist.body.items).toContainEqual({ id: 'reference-number', ok: false, severity: 'warning', message: expect.any(String) });
    expect((await server.storage.dossiers.get(dossierId))!.status).toBe('cosigning');
    expect(await server.storage.workflow.listVersions(dossierId)).toEqual([]);
  });

  it('is refused while a signature is invalid or an objection stands', async () => {
    const dossierId = await inCosigning();
    await signAll(server, dossierId, ['kaemmerei']);
    const legal = await login(server.url, users.signatoryLegal);
    expect((await sign(server, legal, dossierId, 'object', 'Datenschutzfolgenabschätzung fehlt.')).status).toBe(201);
    expect((await release(dossierId)).body.reasons).toEqual(['Rechtsamt hat Einwand erhoben: „Datenschutzfolgenabschätzung fehlt.“']);

    expect((await sign(server, legal, dossierId)).status).toBe(201);
    const editor = new TestClient(server.wsUrl, lead);
    const name = documentName(dossierId, 'beschlussvorschlag');
    editor.open(name);
    await editor.synced(name);
    typeInto(editor.doc(name), ' Geändert.');
    await editor.synced(name);
    // checked on the content now, not on what the Mitzeichnung document said a moment ago
    const refused = await release(dossierId);
    expect(refused.status).toBe(409);
    expect(refused.body.reasons).toEqual([
      'Die Mitzeichnung von Rechtsamt ist ungültig, weil sich danach geändert hat: Beschlussvorschlag.',
      'Die Mitzeichnung von Kämmerei ist ungültig, weil sich danach geändert hat: Beschlussvorschlag.',
    ]);
    editor.destroy();
  });

  it('only the clerk releases, and only a dossier in co-signing', async () => {
    const draft = await completeDossier(server, { involvedDepartmentIds: [] });
    expect(await release(draft)).toMatchObject({ status: 409, body: { reasons: expect.any(Array) } });
    await startCosigning(server, lead, draft);
    await signAll(server, draft, ['kaemmerei']);
    for (const username of [users.lead, users.admin, users.signatoryFinance, users.finance]) {
      const refused = await release(draft, await login(server.url, username));
      expect(refused.status, username).toBe(403);
      expect(refused.body.error).toMatch(/Sitzungsdienst/);
    }
    expect(await release(draft)).toMatchObject({ status: 201, body: { version: 1 } });
    expect(await release(draft)).toMatchObject({ status: 409 });
    const transitions = (await auditOf(server, draft)).filter((row) => row.action === 'dossier.status').map((row) => [row.userId, row.detail]);
    expect(transitions).toEqual([
      [lead.user.id, 'draft→cosigning'],
      [clerk.user.id, 'cosigning→released'],
    ]);
  });

  it('two clerks releasing at once give one version', async () => {
    const dossierId = await completeDossier(server, { involvedDepartmentIds: [] });
    await startCosigning(server, lead, dossierId);
    await signAll(server, dossierId, ['kaemmerei']);
    const otherClerk = await createTestUser(server.url, { departmentId: 'sitzungsdienst', roles: ['clerk'] });
    const answers = await Promise.all([release(dossierId, clerk), release(dossierId, otherClerk)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
    expect((await server.storage.workflow.listVersions(dossierId)).map((v) => v.version)).toEqual([1]);
    expect((await auditOf(server, dossierId)).filter((row) => row.detail === 'cosigning→released')).toHaveLength(1);
  });

  it('takes a given Vorlagen-Nr. once: a duplicate is a 409, a malformed one a 400; numbers are counted per year', async () => {
    const first = await completeDossier(server, { involvedDepartmentIds: [] });
    const second = await completeDossier(server, { involvedDepartmentIds: [] });
    for (const id of [first, second]) {
      await startCosigning(server, lead, id);
      await signAll(server, id, ['kaemmerei']);
    }
    const year = new Date().toISOString().slice(2, 4);
    const given = `VO/${year}/90000/SC`;
    expect(await release(first, clerk, { referenceNumber: given })).toMatchObject({ status: 201, body: { referenceNumber: given } });
    expect((await release(second, clerk, { referenceNumber: 'VO 26 4711' })).status).toBe(400);
    const duplicate = await release(second, clerk, { referenceNumber: given });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error).toContain(given);
    expect((await server.storage.dossiers.get(second))!.status).toBe('cosigning');
    // assigned: the next number of the year after the highest one given
    const assigned = await release(second);
    expect(assigned).toMatchObject({ status: 201, body: { referenceNumber: `VO/${year}/90001/SC` } });
  });

  it('the released PDF prints the Vorlagen-Nr. and the signatures and never says Entwurf', async () => {
    const dossierId = await completeDossier(server);
    await startCosigning(server, lead, dossierId);
    await signAll(server, dossierId);
    const released = await release(dossierId);
    expect(released.status).toBe(201);
    const version = await server.storage.workflow.getVersion(dossierId, 1);
    const { execFileSync } = await import('node:child_process');
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: Buffer.from(version!.pdf) }).toString();
    const info = execFileSync('pdfinfo', ['-'], { input: Buffer.from(version!.pdf) }).toString();
    expect(text).toContain(released.body.referenceNumber);
    // (the demo text itself speaks of the "Entwurf des Haushalts")
    expect(`${text.replaceAll('Entwurf des Haushalts', '')}\n${info}`).not.toMatch(/entwurf/i);
    const flat = text.replace(/\s+/g, ' ');
    for (const department of involved) expect(flat, department).toContain((await login(server.url, signatoryOf[department])).user.displayName);
    expect(text.match(/\bmitgezeichnet\b/g)).toHaveLength(involved.length);
    await waitFor(async () => (await server.storage.dossiers.get(dossierId))!.status === 'released');
  });
});
