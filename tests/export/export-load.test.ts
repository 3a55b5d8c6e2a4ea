import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { demoContents, demoTitle } from '../../server/demo/labor-der-kreativen-koepfe';
import { ExportPool, ExportQueueFullError } from '../../server/export/pool';
import { loadExportSource } from '../../server/export/source';
import { openSqliteStorage } from '../../server/storage/sqlite';
import { createDossier } from '../../server/dossiers/create';
import { loadTemplates } from '../../server/templates/loader';
import { login, projectRoot, startTestServer, TestClient, typeInto, users, waitFor, type Session, type TestServer } from '../support/server';
import { demoDossierId, exportPdf, pdfText } from './support';

async function demoInput() {
  const templates = await loadTemplates(join(projectRoot, 'templates'));
  const storage = openSqliteStorage(':memory:');
  const dossier = await createDossier(storage, templates.get('verstetigung-smart-city')!, { title: demoTitle, contents: demoContents, leadDepartmentId: 'smart-city' });
  const { view, template } = await loadExportSource(storage, templates, dossier.id);
  await storage.close();
  return { view, template, mode: 'draft' as const, letterhead: { cityName: 'Stadt Musterstadt', logo: null } };
}

describe('export worker pool', () => {
  it('refuses a render at once when all workers are busy and the queue is full', async () => {
    const pool = new ExportPool({ workers: 1, queueLimit: 1 });
    try {
      const input = await demoInput();
      const running = pool.render(input);
      const waiting = pool.render(input);
      await expect(pool.render(input)).rejects.toBeInstanceOf(ExportQueueFullError);
      expect(pool.load()).toEqual({ running: 1, queued: 1, workers: 1 });
      const [first, second] = await Promise.all([running, waiting]);
      expect(first.sha256).toBe(second.sha256);
      expect(Buffer.from(first.pdf.subarray(0, 5)).toString()).toBe('%PDF-');
      // the refused render did not break the pool
      expect((await pool.render(input)).sha256).toBe(first.sha256);
    } finally {
      await pool.close();
    }
  });
});

describe('PDF exports under load', () => {
  let server: TestServer;
  let clerk: Session;
  let lead: Session;
  let id: string;

  beforeAll(async () => {
    server = await startTestServer({ seedDemo: 'all', exportWorkers: 2, exportQueueLimit: 1, exportsPerUser: 10 });
    clerk = await login(server.url, users.clerk);
    lead = await login(server.url, users.lead);
    id = await demoDossierId(server.url, clerk);
  });
  afterAll(() => server?.close());

  it('answers 503 with Retry-After and a German message when the export queue is full', async () => {
    const responses = await Promise.all(Array.from({ length: 8 }, () => exportPdf(server.url, clerk, id)));
    const refused = responses.filter((response) => response.status === 503);
    expect(responses.filter((response) => response.status === 200).length).toBeGreaterThanOrEqual(3);
    // 2 workers + 1 waiting place: of 8 requests arriving together, at least some are refused
    expect(refused.length).toBeGreaterThan(0);
    for (const response of refused) {
      expect(response.headers.get('retry-after')).toBe('5');
      expect(JSON.parse(response.text())).toEqual({ error: 'Gerade laufen zu viele PDF-Exporte. Bitte in einigen Sekunden erneut versuchen.' });
    }
  });
});

describe('PDF exports while editors type', () => {
  let server: TestServer;
  let clerk: Session;
  let lead: Session;
  let id: string;

  beforeAll(async () => {
    server = await startTestServer({ seedDemo: 'all', exportWorkers: 2, exportQueueLimit: 20, exportsPerUser: 10 });
    clerk = await login(server.url, users.clerk);
    lead = await login(server.url, users.lead);
    id = await demoDossierId(server.url, clerk);
  });
  afterAll(() => server?.close());

  it('keeps edits flowing between two editors during ten parallel exports', async () => {
    const name = `${id}/alternativen`;
    const writer = new TestClient(server.wsUrl, lead);
    const reader = new TestClient(server.wsUrl, lead);
    try {
      writer.open(name);
      reader.open(name);
      await Promise.all([writer.synced(name), reader.synced(name)]);
      const exports = Promise.all(Array.from({ length: 10 }, () => exportPdf(server.url, clerk, id)));
      const readerText = () => reader.doc(name).getXmlFragment('content').toString();
      for (let edit = 1; edit <= 20; edit += 1) {
        typeInto(writer.doc(name), ` Änderung ${edit}.`);
        await waitFor(() => readerText().includes(`Änderung ${edit}.`), { timeout: 20_000, message: `edit ${edit} did not reach the other editor` });
      }
      const responses = await exports;
      expect(responses.map((response) => response.status)).toEqual(Array.from({ length: 10 }, () => 200));
      for (const response of responses) expect(pdfText(response.pdf)).toContain('Alternativen');
      await writer.storedAll(name);
      const after = await exportPdf(server.url, clerk, id);
      expect(pdfText(after.pdf).replace(/\s+/g, ' ')).toContain('Änderung 20.');
    } finally {
      writer.destroy();
      reader.destroy();
    }
  });
});
