import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sectionContentSchemas } from '../../dossier/content';
import { api, createTestDossier, login, startTestServer, users, type Session, type TestServer } from '../support/server';

let server: TestServer;
let lead: Session;
/** Calls the API as the smart-city lead. */
const call = (path: string, init: Parameters<typeof api>[2] = {}) => api(server.url, path, { session: lead, ...init });
beforeAll(async () => {
  server = await startTestServer({ seedDemo: 'all' });
  lead = await login(server.url, users.lead);
});
afterAll(() => server.close());

describe('REST API', () => {
  it('answers health', async () => {
    const { status, body } = await call('/api/health');
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', storage: 'sqlite' });
  });

  it('lists the templates with their sections', async () => {
    const { status, body } = await call('/api/templates');
    expect(status).toBe(200);
    expect(body.map((t: { id: string }) => t.id)).toEqual(['verstetigung-smart-city']);
    expect(body[0].sections).toHaveLength(13);
    const single = await call('/api/templates/verstetigung-smart-city');
    expect(single.body.name).toBe('Verstetigungsbeschluss Smart-City-Maßnahme');
  });

  it('seeds the demo dossier on first start, with content in every section', async () => {
    const list = await call('/api/dossiers');
    const demo = list.body.find((d: { title: string }) => d.title.startsWith('Verstetigung des Labors der kreativen Köpfe'));
    expect(demo).toMatchObject({ status: 'draft', templateId: 'verstetigung-smart-city', referenceNumber: null });
    const { body } = await call(`/api/dossiers/${demo.id}`);
    const text = JSON.stringify(body);
    for (const phrase of [
      'Reparatur-Café',
      'Kundinnen und Kunden',
      'Besuche der offenen Werkstatt',
      'in Eigenregie',
      'Wird das Labor nicht weitergeführt',
      'Stadtrat',
    ]) {
      expect(text).toContain(phrase);
    }
    const finanzen = body.sections.find((s: { id: string }) => s.id === 'finanzen');
    expect(finanzen.content.lines.length).toBeGreaterThanOrEqual(5);
    expect(finanzen.totals.net.perYear['2027']).toBe(16_430_000);
    expect(body.sections.find((s: { id: string }) => s.id === 'klima').content.value).toBe('ja-positiv');
  });

  it('creates a dossier with every section initialised from the template', async () => {
    const created = await call('/api/dossiers', {
      method: 'POST',
      json: { templateId: 'verstetigung-smart-city', title: '  Verstetigung der Sensorplattform „Klima-Check“  ' },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/api/dossiers/${created.body.id}`);
    expect(created.body).toMatchObject({ title: 'Verstetigung der Sensorplattform „Klima-Check“', status: 'draft' });

    const { status, body } = await call(`/api/dossiers/${created.body.id}`);
    expect(status).toBe(200);
    const template = (await call('/api/templates/verstetigung-smart-city')).body;
    expect(body.sections.map((s: { id: string }) => s.id)).toEqual(template.sections.map((s: { id: string }) => s.id));
    for (const section of body.sections) {
      const schema = sectionContentSchemas[section.kind as keyof typeof sectionContentSchemas];
      expect(schema.safeParse(section.content).success, section.id).toBe(true);
      expect(section.updatedAt, section.id).toBe(body.createdAt);
    }
    const byId = Object.fromEntries(body.sections.map((s: { id: string; content: unknown }) => [s.id, s.content]));
    expect(byId.betreff.content[0].content[0].text).toBe('Verstetigung der Sensorplattform „Klima-Check“');
    expect(byId.beschlussvorschlag.content[0].content[0].text).toBe('Der Stadtrat beschließt:');
    expect(byId.beschlussvorschlag.content[1].type).toBe('orderedList');
    expect(byId.wirkung.content[0].type).toBe('table');
    // the Federführende Dienststelle is the creator's department
    expect(byId.kopf.fields).toMatchObject({
      'vorlage-art': 'beschlussvorlage',
      oeffentlichkeit: 'oeffentlich',
      beteiligt: [],
      federfuehrend: 'Amt für Digitalisierung und Smart City',
    });
    expect(byId.beratungsfolge.rows.map((r: { role: string }) => r.role)).toEqual(['vorberatung', 'entscheidung']);
    const year = new Date().getFullYear();
    expect(byId.finanzen).toMatchObject({ firstYear: year, lastYear: year + 3, lines: [] });
    expect(byId.klima).toEqual({ value: null, texts: { erlaeuterung: expect.any(Object), alternativen: expect.any(Object) } });

    const list = await call('/api/dossiers');
    expect(list.body.map((d: { id: string }) => d.id)).toContain(created.body.id);
  });

  it('involves each department given once, and never the creator’s own, which leads', async () => {
    const created = await call('/api/dossiers', {
      method: 'POST',
      json: { templateId: 'verstetigung-smart-city', title: 'Mit Beteiligten', involvedDepartmentIds: ['kaemmerei', 'rechtsamt', 'kaemmerei', 'smart-city'] },
    });
    expect(created.status).toBe(201);
    expect([created.body.leadDepartmentId, created.body.involvedDepartmentIds]).toEqual(['smart-city', ['kaemmerei', 'rechtsamt']]);
    const { body } = await call(`/api/dossiers/${created.body.id}`);
    const kopf = body.sections.find((section: { id: string }) => section.id === 'kopf');
    expect(kopf.content.fields.beteiligt).toEqual(['kaemmerei', 'rechtsamt']);
  });

  describe('refuses bad input with a clear 4xx and a message', () => {
    it('malformed JSON body', async () => {
      const { status, body } = await call('/api/dossiers', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"templateId": ' });
      expect(status).toBe(400);
      expect(body).toEqual({ error: 'Der Request-Body ist kein gültiges JSON.' });
    });

    it('missing body', async () => {
      const { status, body } = await call('/api/dossiers', { method: 'POST' });
      expect(status).toBe(400);
      expect(body.error).toMatch(/JSON-Body/);
    });

    it('missing and wrong fields, each named', async () => {
      const { status, body } = await call('/api/dossiers', { method: 'POST', json: { title: 7 } });
      expect(status).toBe(400);
      expect(body.details.map((d: { field: string }) => d.field).sort()).toEqual(['templateId', 'title']);
    });

    it('a title too short', async () => {
      const { status, body } = await call('/api/dossiers', { method: 'POST', json: { templateId: 'verstetigung-smart-city', title: ' a ' } });
      expect(status).toBe(400);
      expect(body.error).toContain('mindestens 3 Zeichen');
    });

    it('unknown template id', async () => {
      const { status, body } = await call('/api/dossiers', { method: 'POST', json: { templateId: 'gibt-es-nicht', title: 'Ein Betreff' } });
      expect(status).toBe(422);
      expect(body.error).toBe('Vorlagenmuster "gibt-es-nicht" gibt es nicht.');
      const template = await call('/api/templates/gibt-es-nicht');
      expect(template.status).toBe(404);
      expect(template.body.error).toBe('Vorlagenmuster "gibt-es-nicht" gibt es nicht.');
      const none = await call('/api/dossiers', { method: 'POST', json: { templateId: '', title: 'Ein Betreff' } });
      expect(none.status).toBe(400);
      expect(none.body.error).toContain('Bitte ein Vorlagenmuster wählen.');
    });

    it('unknown dossier ids, including odd ones', async () => {
      for (const id of ['unbekannt', '..%2F..%2Fetc', 'a'.repeat(300)]) {
        const { status, body } = await call(`/api/dossiers/${id}`);
        expect(status, id).toBe(404);
        expect(body.error).toMatch(/^Vorlage ".*" gibt es nicht\.$/);
      }
    });

    it('unknown API routes and methods', async () => {
      const { status, body } = await call('/api/nichts');
      expect(status).toBe(404);
      expect(body.error).toContain('/nichts');
      expect((await call('/api/dossiers', { method: 'DELETE' })).status).toBe(404);
    });

    it('a body over the size limit', async () => {
      const { status, body } = await call('/api/dossiers', { method: 'POST', json: { templateId: 'x', title: 'x'.repeat(2 * 1024 * 1024) } });
      expect(status).toBe(413);
      expect(body.error).toMatch(/zu groß/);
    });

    it('never answers with a stack trace, and the server keeps serving', async () => {
      const { body } = await call('/api/dossiers', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[' });
      expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/);
      expect((await call('/api/health')).status).toBe(200);
      expect(await createTestDossier(server.url, { session: lead })).toMatch(/^[0-9a-z]{12}$/);
    });
  });
});
