/**
 * What the REST API says when it cannot serve a request: each refusal a user or a script can run
 * into, with its status and its German message as the client shows it. The messages are the
 * interface here: a changed or empty one is a defect a user sees.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPdf } from '../export/support';
import { api, createTestDossier, login, type Session, startTestServer, users, type TestServer } from '../support/server';

let server: TestServer;
let lead: Session;
let dossierId: string;

beforeAll(async () => {
  server = await startTestServer();
  lead = await login(server.url, users.lead);
  dossierId = await createTestDossier(server.url, { session: lead, title: 'Noch ohne Fassung' });
});
afterAll(() => server?.close());

describe('refusals of the REST API', () => {
  it('answers versions, comparisons and exports it has not got with the number asked for', async () => {
    const refusals: [path: string, status: number, error: string][] = [
      [`/api/dossiers/${dossierId}/versions/7`, 404, 'Version 7 dieser Vorlage gibt es nicht.'],
      [`/api/dossiers/${dossierId}/versions/0`, 400, 'Die Versionsnummer muss eine positive ganze Zahl sein.'],
      [`/api/dossiers/${dossierId}/versions/zwei`, 400, 'Die Versionsnummer muss eine positive ganze Zahl sein.'],
      [`/api/dossiers/${dossierId}/export.pdf?version=3`, 404, 'Version 3 dieser Vorlage gibt es nicht.'],
      [`/api/dossiers/${dossierId}/compare?from=1&to=current`, 404, 'Version 1 gibt es nicht.'],
      [`/api/dossiers/${dossierId}/compare?from=current&to=2`, 404, 'Version 2 gibt es nicht.'],
      [
        `/api/dossiers/${dossierId}/compare?from=erste&to=current`,
        400,
        'Der Parameter "from" muss eine Versionsnummer (1, 2, …) oder "current" (aktueller Entwurf) sein.',
      ],
      [
        `/api/dossiers/${dossierId}/compare?from=current`,
        400,
        'Der Parameter "to" muss eine Versionsnummer (1, 2, …) oder "current" (aktueller Entwurf) sein.',
      ],
      [`/api/dossiers/${dossierId}/history/999`, 404, 'Den Stand "999" gibt es in dieser Vorlage nicht.'],
      [`/api/dossiers/${dossierId}/history/${'x'.repeat(30)}`, 404, `Den Stand "${'x'.repeat(20)}" gibt es in dieser Vorlage nicht.`],
    ];
    for (const [path, status, error] of refusals) {
      const answer = await api(server.url, path, { session: lead });
      expect([path, answer.status, answer.body.error]).toEqual([path, status, error]);
    }
    // the same draft compared with itself: no refusal
    expect((await api(server.url, `/api/dossiers/${dossierId}/compare?from=current&to=current`, { session: lead })).status).toBe(200);
  });

  it('answers an export the full queue cannot take with 503, Retry-After and a German message', async () => {
    const busy = await startTestServer({ exportWorkers: 1, exportQueueLimit: 1, exportsPerUser: 5 });
    try {
      const author = await login(busy.url, users.lead);
      const id = await createTestDossier(busy.url, { session: author });
      const answers = await Promise.all(Array.from({ length: 5 }, () => exportPdf(busy.url, author, id)));
      const full = answers.filter((answer) => answer.status === 503);
      expect(full.length, 'one worker and one place in the queue took every export').toBeGreaterThan(0);
      expect(answers.filter((answer) => answer.status !== 503).map((answer) => answer.status)).toEqual(
        answers.filter((answer) => answer.status !== 503).map(() => 200),
      );
      for (const answer of full) {
        expect(answer.headers.get('retry-after')).toBe('5');
        expect(JSON.parse(answer.text()).error).toBe('Gerade laufen zu viele PDF-Exporte. Bitte in einigen Sekunden erneut versuchen.');
      }
    } finally {
      await busy.close();
    }
  });
});
