/** One user cannot fill the export queue: the clerk's final export still goes through. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDossierId, exportPdf } from '../export/support';
import { login, startTestServer, users, waitFor, type TestServer } from '../support/server';

describe('export requests per user', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ seedDemo: 'all', exportWorkers: 2, exportQueueLimit: 20 });
  });
  afterAll(() => server?.close());

  it('are limited, so a reader firing 30 exports leaves room for the clerk’s final export', async () => {
    const [reader, clerk] = await Promise.all([login(server.url, users.viewer), login(server.url, users.clerk)]);
    const id = await demoDossierId(server.url, clerk);

    let answered = 0;
    const flood = Array.from({ length: 30 }, () => exportPdf(server.url, reader, id).finally(() => (answered += 1)));
    // every one of the reader's requests is answered or waiting in the pool
    await waitFor(() => {
      const { running, queued } = server.exportPool.load();
      return answered + running + queued >= 30;
    });
    const final = await exportPdf(server.url, clerk, id, '?final=1');
    expect(final.status).toBe(200);
    expect(final.headers.get('x-export-mode')).toBe('final');

    const answers = await Promise.all(flood);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(28);
    expect(answers.filter((a) => a.status === 200).length).toBe(30 - refused.length);
    for (const answer of refused) {
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(JSON.parse(answer.text()).error).toMatch(/schon 2 PDF-Exporte in Arbeit/);
    }
    // once the reader's exports are done, the reader may export again
    expect((await exportPdf(server.url, reader, id)).status).toBe(200);
  }, 60_000);
});
