/**
 * Requests the API refuses before any route logic (encoding, charset, a body that is no object) and the
 * dossier routes' own checks, against a real server: each a 4xx with a German message, never a stack trace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, login, startTestServer, users, type Session, type TestServer } from '../support/server';

let server: TestServer;
let lead: Session;

beforeAll(async () => {
  server = await startTestServer();
  lead = await login(server.url, users.lead);
});
afterAll(() => server.close());

/** POST /api/dossiers with the given headers and raw body. */
const post = (headers: Record<string, string>, body: string) =>
  api(server.url, '/api/dossiers', { method: 'POST', headers: { cookie: lead.cookie, 'x-csrf-token': lead.csrfToken, ...headers }, body });

describe('request bodies the API cannot read', () => {
  it('refuses an unknown content encoding and an unknown charset with 415', async () => {
    const encoded = await post({ 'content-type': 'application/json', 'content-encoding': 'compress' }, '{}');
    expect(encoded.status).toBe(415);
    expect(encoded.body).toEqual({ error: 'Nicht unterstützte Zeichenkodierung.' });
    const charset = await post({ 'content-type': 'application/json; charset=iso-8859-15' }, '{}');
    expect(charset.status).toBe(415);
    expect(charset.body).toEqual({ error: 'Nicht unterstützte Zeichenkodierung.' });
  });

  it('names the body itself when it is no object', async () => {
    const { status, body } = await post({ 'content-type': 'application/json' }, '["eine Liste"]');
    expect(status).toBe(400);
    expect(body.details).toEqual([{ field: '(Body)', message: expect.any(String) }]);
    expect(body.error).toMatch(/^Ungültige Eingabe: \(Body\): /);
  });

  it('names every field that is wrong, one after the other', async () => {
    const { status, body } = await post({ 'content-type': 'application/json' }, JSON.stringify({ templateId: 5, title: 7 }));
    expect(status).toBe(400);
    expect(body.details.map((detail: { field: string }) => detail.field)).toEqual(['templateId', 'title']);
    expect(body.error).toMatch(/^Ungültige Eingabe: templateId: [^;]+; title: [^;]+$/);
  });
});

describe('creating and reading dossiers', () => {
  it('lets only authors create dossiers', async () => {
    const reader = await login(server.url, users.reader);
    const { status, body } = await api(server.url, '/api/dossiers', {
      method: 'POST',
      session: reader,
      json: { templateId: 'verstetigung-smart-city', title: 'Vom Rat' },
    });
    expect(status).toBe(403);
    expect(body).toEqual({ error: 'Neue Vorlagen legen Autorinnen und Autoren einer Dienststelle an.' });
  });

  it('refuses unknown involved departments, naming them', async () => {
    const { status, body } = await api(server.url, '/api/dossiers', {
      method: 'POST',
      session: lead,
      json: { templateId: 'verstetigung-smart-city', title: 'Mit Beteiligten', involvedDepartmentIds: ['kaemmerei', 'mond', 'mars'] },
    });
    expect(status).toBe(422);
    expect(body).toEqual({ error: 'Dienststelle(n) gibt es nicht: mond, mars' });
  });

  it('makes the author’s department the lead and involves the others once each, with a Location', async () => {
    const { status, headers, body } = await api(server.url, '/api/dossiers', {
      method: 'POST',
      session: lead,
      json: {
        templateId: 'verstetigung-smart-city',
        title: '  Mit Beteiligten  ',
        involvedDepartmentIds: ['kaemmerei', 'smart-city', 'kaemmerei', 'rechtsamt'],
      },
    });
    expect(status).toBe(201);
    expect(headers.get('location')).toBe(`/api/dossiers/${body.id}`);
    expect(body).toMatchObject({
      title: 'Mit Beteiligten',
      leadDepartmentId: 'smart-city',
      involvedDepartmentIds: ['kaemmerei', 'rechtsamt'],
      templateName: 'Verstetigungsbeschluss Smart-City-Maßnahme',
    });
    const view = await api(server.url, `/api/dossiers/${body.id}`, { session: lead });
    expect(view.body).toMatchObject({ id: body.id, you: { lead: true } });
    const finance = await login(server.url, users.finance);
    const asFinance = await api(server.url, `/api/dossiers/${body.id}`, { session: finance });
    expect(asFinance.body.you).toEqual({ lead: false });
    expect(asFinance.body.sections.find((section: { id: string }) => section.id === 'finanzen').canWrite).toBe(true);
    expect(view.body.sections.find((section: { id: string }) => section.id === 'finanzen').canWrite).toBe(false);
  });
});
