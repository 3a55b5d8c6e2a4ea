/**
 * SIGTERM stops the server gracefully: no new connections, every change received
 * and still inside the store debounce is stored, the database is closed, exit 0.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { documentName } from '../../dossier/layout';
import { createTestDossier, freePort, login, startServerProcess, tempDataDir, TestClient, typeInto, users, type ServerProcess } from '../support/server';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A section's stored canonical JSON, read from the SQLite file as the next start will see it. */
function storedContent(dataDir: string, dossierId: string, sectionId: string): string {
  const db = new Database(join(dataDir, 'ratsdossier.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT content FROM sections WHERE dossier_id = ? AND section_id = ?').get(dossierId, sectionId) as { content: string }).content;
  } finally {
    db.close();
  }
}

it('on SIGTERM stores every change still inside the debounce, from every open document, and exits 0', async () => {
  const data = tempDataDir();
  cleanup.push(() => data.remove());
  // a debounce far longer than the test: only the shutdown itself can store the edits
  const server: ServerProcess = await startServerProcess({ dataDir: data.dir, port: await freePort(), storeDebounceMs: 60_000 });
  cleanup.push(async () => {
    if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    await server.exited;
  });
  const lead = await login(server.url, users.lead);
  const finance = await login(server.url, users.finance);
  const first = await createTestDossier(server.url, { session: lead, title: 'Erste Vorlage' });
  const second = await createTestDossier(server.url, { session: lead, title: 'Zweite Vorlage' });
  const edits = [
    { session: lead, dossierId: first, sectionId: 'ausgangslage', text: 'Erste Vorlage, Ausgangslage, vor dem Beenden.' },
    { session: lead, dossierId: first, sectionId: 'betreibermodell', text: 'Erste Vorlage, Betreibermodell, vor dem Beenden.' },
    { session: lead, dossierId: second, sectionId: 'ausgangslage', text: 'Zweite Vorlage, Ausgangslage, vor dem Beenden.' },
  ];
  const leadClient = new TestClient(server.wsUrl, lead);
  const financeClient = new TestClient(server.wsUrl, finance);
  cleanup.push(
    () => leadClient.destroy(),
    () => financeClient.destroy(),
  );
  for (const edit of edits) {
    const name = documentName(edit.dossierId, edit.sectionId);
    leadClient.open(name);
    await leadClient.synced(name);
    typeInto(leadClient.doc(name), edit.text);
    await leadClient.synced(name);
  }
  // a second user's socket on one of the same documents stays open until the end
  financeClient.open(documentName(first, 'ausgangslage'));
  await financeClient.synced(documentName(first, 'ausgangslage'));
  for (const edit of edits) expect(storedContent(data.dir, edit.dossierId, edit.sectionId)).not.toContain(edit.text);

  server.child.kill('SIGTERM');
  expect(await server.exited).toBe(0);
  for (const edit of edits) expect(storedContent(data.dir, edit.dossierId, edit.sectionId)).toContain(edit.text);
  // the log says why it stopped, as JSON lines
  const log = server
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg: string; signal?: string });
  expect(log).toContainEqual(expect.objectContaining({ signal: 'SIGTERM', msg: 'Ratsdossier wird beendet: speichert alle Änderungen' }));
  expect(log.at(-1)).toMatchObject({ msg: 'Ratsdossier beendet' });
  // and it accepts nothing any more
  await expect(fetch(`${server.url}/api/health/live`)).rejects.toThrow();
}, 120_000);
