/** GET /api/dossiers/:id/export.pdf and budget.csv against a real server: modes, headers, permissions, limits. */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestDossier, login, startTestServer, users, type Session, type TestServer } from '../support/server';
import { completeDossier, signAll, startCosigning } from '../workflow/support';

let server: TestServer;
let lead: Session;
let dossierId: string;

beforeAll(async () => {
  server = await startTestServer({ exportsPerUser: 1 });
  lead = await login(server.url, users.lead);
  dossierId = await createTestDossier(server.url, { session: lead, title: 'Export über die API' });
});
afterAll(() => server.close());

const exportPdf = async (session: Session, id: string, query = '') => {
  const response = await fetch(`${server.url}/api/dossiers/${id}/export.pdf${query}`, { headers: { cookie: session.cookie } });
  const body = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, body, json: () => JSON.parse(body.toString('utf8')) as { error: string } };
};

describe('PDF export over the API', () => {
  it('answers with the PDF, its digest in hex and as Repr-Digest, its mode and a file name', async () => {
    const { status, headers, body } = await exportPdf(lead, dossierId);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('application/pdf');
    expect(body.subarray(0, 5).toString()).toBe('%PDF-');
    const sha256 = createHash('sha256').update(body).digest();
    expect(headers.get('x-pdf-sha256')).toBe(sha256.toString('hex'));
    expect(headers.get('repr-digest')).toBe(`sha-256=:${sha256.toString('base64')}:`);
    expect(headers.get('x-export-mode')).toBe('draft');
    expect(headers.get('content-disposition')).toBe(`inline; filename="Entwurf-${dossierId}.pdf"`);
  });

  it('reads the mode from ?final, and refuses anything else', async () => {
    const clerk = await login(server.url, users.clerk);
    for (const [query, mode] of [
      ['?final=0', 'draft'],
      ['?final=false', 'draft'],
      ['?final=1', 'final'],
      ['?final=true', 'final'],
    ] as const) {
      expect((await exportPdf(clerk, dossierId, query)).headers.get('x-export-mode'), query).toBe(mode);
    }
    const bad = await exportPdf(clerk, dossierId, '?final=ja');
    expect(bad.status).toBe(400);
    expect(bad.json()).toEqual({ error: 'Der Parameter "final" muss 1 (endgültige Fassung) oder 0 (Entwurf) sein.' });
  });

  it('leaves the final file to the clerks and hides dossiers the user may not see', async () => {
    const final = await exportPdf(lead, dossierId, '?final=1');
    expect(final.status).toBe(403);
    expect(final.json()).toEqual({ error: 'Die endgültige Fassung exportiert der Sitzungsdienst.' });
    const missing = await exportPdf(lead, 'd-gibt-es-nicht');
    expect(missing.status).toBe(404);
    expect(missing.json().error).toMatch(/^Vorlage "d-gibt-es-nicht" gibt es nicht\.$/);
  });

  it('lets one user have only so many exports running at once, and frees the slot afterwards', async () => {
    const finance = await login(server.url, users.finance);
    const [first, second] = await Promise.all([exportPdf(finance, dossierId), exportPdf(finance, dossierId)]);
    const statuses = [first.status, second.status].sort();
    expect(statuses).toEqual([200, 429]);
    const refused = first.status === 429 ? first : second;
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(refused.json()).toEqual({ error: 'Sie haben schon einen PDF-Export in Arbeit. Bitte warten, bis einer fertig ist.' });
    // another user is not affected, and the slot is free again
    expect((await exportPdf(finance, dossierId)).status).toBe(200);
  });
});

describe('budget CSV over the API', () => {
  it('answers with the CSV as an attachment named after the dossier', async () => {
    const response = await fetch(`${server.url}/api/dossiers/${dossierId}/budget.csv`, { headers: { cookie: lead.cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename=Finanzen-${dossierId}.csv`);
    // the BOM, then the header row (response.text() would drop the BOM)
    expect(Buffer.from(await response.arrayBuffer()).toString('utf8', 0, 13)).toBe('\uFEFFKostenart;');
    const missing = await api(server.url, '/api/dossiers/d-gibt-es-nicht/budget.csv', { session: lead });
    expect(missing.status).toBe(404);
  });
});

describe('the PDF of a released version', () => {
  it('is the stored file, byte for byte, named after its Vorlagen-Nr. and version', async () => {
    const released = await completeDossier(server, { title: 'Freigegebene Fassung' });
    await startCosigning(server, lead, released);
    await signAll(server, released);
    const clerk = await login(server.url, users.clerk);
    const release = await api(server.url, `/api/dossiers/${released}/release`, { method: 'POST', session: clerk, json: { referenceNumber: 'VO/26/00815/SC' } });
    expect(release.status, JSON.stringify(release.body)).toBe(201);
    const response = await fetch(`${server.url}/api/dossiers/${released}/export.pdf?version=1`, { headers: { cookie: lead.cookie } });
    expect(response.status).toBe(200);
    const pdf = Buffer.from(await response.arrayBuffer());
    const sha256 = createHash('sha256').update(pdf).digest();
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(
      Object.fromEntries(
        ['content-type', 'content-disposition', 'x-pdf-sha256', 'repr-digest', 'x-export-mode', 'x-version'].map((name) => [name, response.headers.get(name)]),
      ),
    ).toEqual({
      'content-type': 'application/pdf',
      'content-disposition': 'inline; filename="VO-26-00815-SC-v1.pdf"',
      'x-pdf-sha256': sha256.toString('hex'),
      'repr-digest': `sha-256=:${sha256.toString('base64')}:`,
      'x-export-mode': 'final',
      'x-version': '1',
    });
    // the budget as CSV is named after the Vorlagen-Nr. as well
    const csv = await fetch(`${server.url}/api/dossiers/${released}/budget.csv`, { headers: { cookie: lead.cookie } });
    expect([csv.status, csv.headers.get('content-type'), csv.headers.get('content-disposition')]).toEqual([
      200,
      'text/csv; charset=utf-8',
      'attachment; filename=Finanzen-VO-26-00815-SC.csv',
    ]);
    const missing = await api(server.url, `/api/dossiers/${released}/export.pdf?version=2`, { session: lead });
    expect([missing.status, missing.body.error]).toEqual([404, 'Version 2 dieser Vorlage gibt es nicht.']);
  });
});
