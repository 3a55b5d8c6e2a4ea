/**
 * Changes a process receives from another one through Redis: that process stores them, and
 * this one only checks the database for them once they have been quiet for a while, or before
 * it unloads the document. When the other process stored them the check is one read; when it
 * could not (it died, its storage failed), this process stores them itself.
 *
 * Two Ratsdossier servers in this process, on one PostgreSQL schema and one Redis prefix, as
 * two processes of a cluster would be (the process tests in tests/cluster start real
 * processes, whose code the mutation tests cannot change). Process A's storage is wrapped to
 * fail on demand (faulty-storage.ts); B's counts its reads and stores.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { documentName } from '../../dossier/layout';
import { createTestDossier, login, TestClient, typeInto, users, waitFor } from '../support/server';
import type { faulty } from './faulty-storage';
import { twoProcesses, twoProcessesUnavailable } from './two-processes';

/** How often a process read the stored state of the section the tests edit (other sections are loaded by the workflow). */
const reads = ({ control }: ReturnType<typeof faulty>) => control.stateReads.filter((section) => section === 'ausgangslage').length;
/** When those reads were made. */
const readTimes = ({ control }: ReturnType<typeof faulty>) => control.stateReadAt.filter((_, index) => control.stateReads[index] === 'ausgangslage');

const unavailable = await twoProcessesUnavailable('changes received from another process');

describe.skipIf(unavailable !== undefined)('changes received from another process', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  /** By default a received change is checked for 5.2 s after it came (the maximum debounce and five seconds). */
  async function setup(receivedCheckMs?: number) {
    const { a, b } = await twoProcesses(
      cleanup,
      { storeDebounceMs: 100, storeMaxDebounceMs: 200 },
      receivedCheckMs === undefined ? {} : { persistenceTiming: { receivedCheckMs } },
    );
    const lead = await login(a.server.url, users.lead);
    const dossierId = await createTestDossier(a.server.url, { session: lead });
    const name = documentName(dossierId, 'ausgangslage');
    const clientA = new TestClient(a.wsUrl, lead);
    cleanup.push(() => clientA.destroy());
    const clientB = new TestClient(b.wsUrl, lead);
    cleanup.push(() => clientB.destroy());
    for (const client of [clientA, clientB]) {
      client.open(name);
      await client.synced(name);
    }
    const text = (client: TestClient) => client.doc(name).getXmlFragment('content').toString();
    /** The text of the section as the database holds it. */
    const storedText = async () => {
      const state = await b.real.dossiers.loadSectionState(dossierId, 'ausgangslage');
      const doc = new Y.Doc();
      if (state) Y.applyUpdate(doc, state);
      return doc.getXmlFragment('content').toString();
    };
    return { a, b, clientA, clientB, name, text, storedText };
  }

  it('are checked once they are quiet: stored by the process that received them, this one only reads', async () => {
    const { a, b, clientA, clientB, name, text, storedText } = await setup();
    typeInto(clientA.doc(name), 'Von Prozess A gespeichert.');
    await waitFor(() => text(clientB).includes('Von Prozess A gespeichert.'), { message: 'the change did not reach the other process' });
    await waitFor(async () => (await storedText()).includes('Von Prozess A gespeichert.'), { message: 'process A did not store its change' });
    expect(a.control.attempts.length).toBeGreaterThan(0);
    const readsBefore = reads(b);
    await waitFor(() => reads(b) > readsBefore, { timeout: 20_000, message: 'process B never checked the database for the received change' });
    expect(b.control.attempts, 'process B stored what process A had stored').toHaveLength(0);
  });

  it('are stored by this process when the one that received them could not store them', async () => {
    const { a, b, clientA, clientB, name, text, storedText } = await setup();
    a.control.failing = true;
    typeInto(clientA.doc(name), 'Sonst verloren.');
    await waitFor(() => text(clientB).includes('Sonst verloren.'), { message: 'the change did not reach the other process' });
    await waitFor(() => a.control.failures >= 1, { message: 'process A did not try to store' });
    await waitFor(async () => (await storedText()).includes('Sonst verloren.'), { timeout: 20_000, message: 'process B did not store the change A could not' });
    expect(b.control.attempts.length).toBeGreaterThan(0);
    // nobody made the change on B: B's store audits no one
    expect(b.control.attempts.flatMap((attempt) => attempt.audit ?? [])).toEqual([]);
    // B tells its clients what is stored, as after its own stores: A's change included
    await clientB.storedAll(name, 10_000, clientA.doc(name));
    // stored: B has nothing left to check when it unloads the document
    const readsAfterStore = reads(b);
    clientB.destroy();
    await waitFor(() => !b.server.collaboration.hocuspocus.documents.has(name), { message: 'process B did not unload the document' });
    expect(reads(b), 'process B checked again for changes it had stored').toBe(readsAfterStore);
  });

  it('are checked before the document is unloaded, and stored when the database lacks them', async () => {
    const { a, b, clientA, clientB, name, text, storedText } = await setup();
    a.control.failing = true;
    typeInto(clientA.doc(name), 'Beim Entladen gesichert.');
    await waitFor(() => text(clientB).includes('Beim Entladen gesichert.'), { message: 'the change did not reach the other process' });
    expect(b.control.attempts).toHaveLength(0);
    clientB.destroy();
    await waitFor(() => !b.server.collaboration.hocuspocus.documents.has(name), { message: 'process B did not unload the document' });
    expect(b.control.attempts.length, 'process B unloaded the document without storing what the database lacked').toBeGreaterThan(0);
    expect(await storedText()).toContain('Beim Entladen gesichert.');
  });

  it('are only read before unloading when the other process stored them', async () => {
    const { b, clientA, clientB, name, text, storedText } = await setup();
    typeInto(clientA.doc(name), 'Schon gespeichert.');
    await waitFor(() => text(clientB).includes('Schon gespeichert.'), { message: 'the change did not reach the other process' });
    await waitFor(async () => (await storedText()).includes('Schon gespeichert.'), { message: 'process A did not store its change' });
    const readsBefore = reads(b);
    clientB.destroy();
    await waitFor(() => !b.server.collaboration.hocuspocus.documents.has(name), { message: 'process B did not unload the document' });
    expect(reads(b)).toBeGreaterThan(readsBefore);
    expect(b.control.attempts, 'process B stored what process A had stored').toHaveLength(0);
  });

  it('are checked once quiet again: a second batch restarts the wait', async () => {
    const quietMs = 1500;
    const { a, b, clientA, clientB, name, text, storedText } = await setup(quietMs);
    const readsBefore = reads(b);
    typeInto(clientA.doc(name), 'Erster Schub.');
    await waitFor(() => text(clientB).includes('Erster Schub.'), { message: 'the first batch did not reach the other process' });
    await waitFor(async () => (await storedText()).includes('Erster Schub.'), { message: 'process A did not store the first batch' });
    const secondTypedAt = Date.now();
    typeInto(clientA.doc(name), ' Zweiter Schub.');
    await waitFor(() => text(clientB).includes('Zweiter Schub.'), { message: 'the second batch did not reach the other process' });
    await waitFor(() => reads(b) > readsBefore, { timeout: 20_000, message: 'process B never checked the database for the received changes' });
    // B received the second batch after it was typed, and waits the quiet time from then: a timer never fires early
    expect(readTimes(b)[readsBefore]!, 'process B checked before the second batch had been quiet').toBeGreaterThanOrEqual(secondTypedAt + quietMs - 2);
    expect(a.control.attempts.length).toBeGreaterThan(0);
  });

  it('are forgotten once a check found them stored: unloading afterwards reads nothing', async () => {
    const { b, clientA, clientB, name, text, storedText } = await setup(1000);
    typeInto(clientA.doc(name), 'Dort gespeichert.');
    await waitFor(() => text(clientB).includes('Dort gespeichert.'), { message: 'the change did not reach the other process' });
    await waitFor(async () => (await storedText()).includes('Dort gespeichert.'), { message: 'process A did not store its change' });
    const readsBefore = reads(b);
    await waitFor(() => reads(b) > readsBefore, { timeout: 20_000, message: 'process B never checked the database for the received change' });
    const readsAfterCheck = reads(b);
    clientB.destroy();
    await waitFor(() => !b.server.collaboration.hocuspocus.documents.has(name), { message: 'process B did not unload the document' });
    expect(reads(b), 'process B checked again for changes it had found stored').toBe(readsAfterCheck);
    expect(b.control.attempts).toHaveLength(0);
  });
});
