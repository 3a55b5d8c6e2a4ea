/**
 * The persistence extension in one process: when it stores, what it writes with a store (audit
 * users, the dossier's title and visibility), the delays of its retries, one store at a time per
 * document, and what a client that connects later is told is stored.
 *
 * Each test starts its own server (SQLite, wrapped by faulty-storage.ts), with short retry
 * delays; the failure paths against every storage back end are in persistence-failures.test.ts.
 * Changes made on the server (a direct connection, as the drafting history, the Anlagen and the
 * workflow make them) are stored like a client's.
 */
import { join } from 'node:path';
import { Hocuspocus } from '@hocuspocus/server';
import { afterEach, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { documentName, setHeaderField } from '../../dossier/layout';
import type { TemplateSection } from '../../dossier/template';
import { startRatsdossier } from '../../server/app';
import type { CollabContext } from '../../server/collab/access';
import { Persistence, type PersistenceTiming } from '../../server/collab/persistence';
import { sectionResolver } from '../../server/dossiers/sections';
import { loadTemplates } from '../../server/templates/loader';
import { sqliteFactory } from '../storage/factories';
import { createTestDossier, login, projectRoot, type Session, testConfig, TestClient, typeInto, users, waitFor, wsUrlOf } from '../support/server';
import { faulty } from './faulty-storage';

const templates = await loadTemplates(join(projectRoot, 'templates'));
const template = templates.get('verstetigung-smart-city')!;
const RETRY_DELAYS_MS = [40, 80, 160];
type HeaderSection = Extract<TemplateSection, { kind: 'header' }>;

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A server whose stores happen only when a test asks (the debounce is a minute away). */
async function setup(timing: PersistenceTiming = { retryDelaysMs: RETRY_DELAYS_MS }) {
  const { storage, control, real } = faulty(await sqliteFactory.open());
  const app = await startRatsdossier(testConfig({ storeDebounceMs: 60_000, storeMaxDebounceMs: 60_000 }), { storage, persistenceTiming: timing });
  cleanup.push(() => app.close());
  const lead = await login(app.url, users.lead);
  const dossierId = await createTestDossier(app.url, { session: lead, title: 'Titel bei Anlage' });
  const { hocuspocus, persistence } = app.collaboration;
  /** Makes a change on the server, as the given user or without one. */
  const change = async (sectionId: string, edit: (doc: Y.Doc) => void, session?: Session) => {
    const context = session ? ({ user: session.user } as Partial<CollabContext>) : {};
    const connection = await hocuspocus.openDirectConnection(documentName(dossierId, sectionId), context);
    cleanup.push(() => connection.disconnect());
    await connection.transact(edit);
  };
  /** Stores every loaded document with unstored changes now, as shutdown does. */
  const flush = () => persistence.flushAll(hocuspocus.documents);
  const changedBy = async () =>
    (await real.audit.list({ dossierId, limit: 100 })).filter((entry) => entry.action === 'section.changed').map((entry) => entry.userId);
  return { app, real, control, lead, dossierId, hocuspocus, persistence, change, flush, changedBy };
}

it('stores a server-side change on flush, audited under the user it was made for, and nothing when nothing changed', async () => {
  const { control, lead, dossierId, real, change, flush, changedBy } = await setup();
  await change('ausgangslage', () => undefined, lead);
  const readsAfterLoad = control.stateReads.length;
  await flush();
  expect(control.attempts, 'a flush without changes stored something').toHaveLength(0);
  expect(control.stateReads.length, 'a flush without changes read the database').toBe(readsAfterLoad);

  await change('ausgangslage', (doc) => typeInto(doc, 'Auf dem Server geschrieben.'), lead);
  await flush();
  // only changes received from another process are compared with the database first
  expect(control.stateReads.length, 'storing a change made here read the stored state first').toBe(readsAfterLoad);
  expect(JSON.stringify((await real.dossiers.getSectionContents(dossierId)).get('ausgangslage')?.content)).toContain('Auf dem Server geschrieben.');
  expect(await changedBy()).toEqual([lead.user.id]);

  await flush();
  expect(control.attempts, 'a stored change was stored again').toHaveLength(1);
  expect(await changedBy(), 'a stored change was audited again').toEqual([lead.user.id]);
});

it('stores a change made without a user, and audits nobody for it', async () => {
  const { real, dossierId, hocuspocus, change, flush, changedBy } = await setup();
  await change('ausgangslage', (doc) => typeInto(doc, 'Vom Arbeitsablauf.'));
  // and one made on the live document itself, without any transaction origin
  typeInto(hocuspocus.documents.get(documentName(dossierId, 'ausgangslage'))!, ' Ohne Herkunft.');
  await flush();
  expect(JSON.stringify((await real.dossiers.getSectionContents(dossierId)).get('ausgangslage')?.content)).toContain('Vom Arbeitsablauf. Ohne Herkunft.');
  expect(await changedBy()).toEqual([]);
});

it('takes the dossier title from the Betreff section only, and the visibility from the Kopf', async () => {
  const { real, lead, dossierId, change, flush } = await setup();
  await change('ausgangslage', (doc) => typeInto(doc, 'Kein Titel.'), lead);
  await flush();
  expect((await real.dossiers.get(dossierId))?.title).toBe('Titel bei Anlage');

  await change('betreff', (doc) => typeInto(doc, ' der Parkraumsensorik'), lead);
  await flush();
  expect((await real.dossiers.get(dossierId))?.title).toBe('Titel bei Anlage der Parkraumsensorik');

  const kopf = template.sections.find((section): section is HeaderSection => section.id === template.visibility!.section)!;
  const visibility = kopf.fields.find((field) => field.id === template.visibility!.field)!;
  const isPublic = async () => (await real.dossiers.get(dossierId))?.public;
  const before = await isPublic();
  const other = kopf.fields.find((field) => field.type === 'text' && field.id !== visibility.id)!;
  await change(kopf.id, (doc) => setHeaderField(doc, other, 'Aktenzeichen 1'), lead);
  await flush();
  expect(await isPublic(), 'a Kopf field other than the visibility changed it').toBe(before);
  expect((await real.dossiers.get(dossierId))?.title, 'a Kopf store changed the title').toBe('Titel bei Anlage der Parkraumsensorik');
  const [value] = before ? ['nichtoeffentlich'] : [template.visibility!.publicValue];
  await change(kopf.id, (doc) => setHeaderField(doc, visibility, value as never), lead);
  await flush();
  expect(await isPublic()).toBe(!before);
});

it('retries a failed store with growing delays, the last one repeating, until a store succeeds', async () => {
  const { control, lead, dossierId, persistence, change, flush } = await setup();
  const name = documentName(dossierId, 'ausgangslage');
  control.failing = true;
  await change('ausgangslage', (doc) => typeInto(doc, 'Wiederholt.'), lead);
  await expect(flush()).rejects.toThrow('injected: storage unavailable');
  expect(persistence.retrying(name)).toBe(true);
  await waitFor(() => control.failures >= 5, { message: 'the failed store was not retried four times' });
  const gaps = control.failedAt.slice(1).map((at, index) => at - control.failedAt[index]!);
  // a timer never fires early: each gap is at least its delay (2 ms for the clock's rounding)
  for (const [index, gap] of gaps.slice(0, 4).entries())
    expect(gap, `retry ${index + 1} came too early`).toBeGreaterThanOrEqual(RETRY_DELAYS_MS[Math.min(index, RETRY_DELAYS_MS.length - 1)]! - 2);

  control.failing = false;
  await waitFor(() => !persistence.retrying(name), { message: 'no retry stored the change' });
});

it('schedules no retry once it is shut down', async () => {
  const { control, lead, dossierId, persistence, change, flush } = await setup({ retryDelaysMs: [60_000] });
  const name = documentName(dossierId, 'ausgangslage');
  control.failing = true;
  await change('ausgangslage', (doc) => typeInto(doc, 'Beim Herunterfahren.'), lead);
  await expect(flush()).rejects.toThrow('injected: storage unavailable');
  expect(persistence.retrying(name)).toBe(true);
  persistence.destroy();
  expect(persistence.retrying(name), 'shutdown left a retry waiting').toBe(false);
  await expect(flush()).rejects.toThrow('injected: storage unavailable');
  expect(persistence.retrying(name), 'a store failing after shutdown scheduled a retry').toBe(false);
  control.failing = false;
});

it('runs the stores of one document one at a time, and a flush waits for the running one', async () => {
  const { control, lead, dossierId, real, change, flush } = await setup();
  let open!: () => void;
  control.gate = new Promise((resolve) => (open = resolve));
  cleanup.push(() => open()); // a failing test must not leave shutdown waiting at the gate
  await change('ausgangslage', (doc) => typeInto(doc, 'Erster Teil.'), lead);
  const first = flush();
  await waitFor(() => control.entered >= 1, { message: 'the first store did not start' });
  await change('ausgangslage', (doc) => typeInto(doc, ' Zweiter Teil.'), lead);
  const second = flush();
  // once what the second flush set off has run as far as it can (SQLite answers at once), it waits behind the running store
  await new Promise((resolve) => setImmediate(resolve));
  expect(control.entered, 'a second store entered the storage while the first ran').toBe(1);
  control.gate = undefined;
  open();
  await Promise.all([first, second]);
  expect(control.mostRunning, 'two stores of one document ran at once').toBe(1);
  expect(JSON.stringify((await real.dossiers.getSectionContents(dossierId)).get('ausgangslage')?.content)).toContain('Erster Teil. Zweiter Teil.');
});

it('tells a client that connects after a store what is stored now', async () => {
  const { app, lead, dossierId } = await setup();
  const name = documentName(dossierId, 'ausgangslage');
  const writer = new TestClient(wsUrlOf(app.url), lead);
  cleanup.push(() => writer.destroy());
  writer.open(name);
  await writer.synced(name);
  typeInto(writer.doc(name), 'Schon gespeichert.');
  await writer.synced(name);
  await app.collaboration.persistence.flushAll(app.collaboration.hocuspocus.documents);
  await writer.storedAll(name);

  const reader = new TestClient(wsUrlOf(app.url), lead);
  cleanup.push(() => reader.destroy());
  reader.open(name);
  await reader.synced(name);
  // no store happens after this one connects: only what it was told on connecting can say so
  await reader.storedAll(name, 5_000, writer.doc(name));
});

it('refuses to load a document that has no stored state', async () => {
  const { hocuspocus } = await setup();
  await expect(hocuspocus.openDirectConnection(documentName('kein-dossier', 'ausgangslage'), {})).rejects.toThrow(
    `no stored state for ${documentName('kein-dossier', 'ausgangslage')}`,
  );
});

it('stores without an after-store step when none is given', async () => {
  const { real, lead, dossierId } = await setup();
  // a Hocuspocus of its own over the same storage, with a persistence that has nothing to run after a store
  const persistence = new Persistence(real, sectionResolver(real, templates));
  const hocuspocus = new Hocuspocus({ extensions: [persistence], debounce: 60_000, maxDebounce: 60_000 });
  const connection = await hocuspocus.openDirectConnection(documentName(dossierId, 'ausgangslage'), { user: lead.user });
  cleanup.push(() => connection.disconnect());
  await connection.transact((doc) => typeInto(doc, 'Ohne Nachlauf.'));
  await persistence.flushAll(hocuspocus.documents);
  expect(persistence.retrying(documentName(dossierId, 'ausgangslage'))).toBe(false);
  expect(JSON.stringify((await real.dossiers.getSectionContents(dossierId)).get('ausgangslage')?.content)).toContain('Ohne Nachlauf.');
});
