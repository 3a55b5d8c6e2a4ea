/**
 * Ten finance staff edit the budget section at once through real providers:
 * adding lines, editing their own lines and different cells of the same shared
 * lines, deleting some. Afterwards every client and the stored state hold the
 * same lines, nothing is lost, and the totals agree with a recount.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { budgetTotals } from '../../dossier/budget';
import { budgetContentSchema, type BudgetLine } from '../../dossier/content';
import { budgetLineToY, budgetRoots, documentName, readBudgetLine } from '../../dossier/layout';
import { addUser } from '../../server/accounts/users';
import { MessageType, RawSyncClient } from '../support/raw-sync';
import { api, createTestDossier, login, startTestServer, TestClient, users, waitFor, type Session, type TestServer } from '../support/server';

let server: TestServer;
let dossierId: string;
let year: number;
const clients: TestClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  dossierId = await createTestDossier(server.url);
  year = new Date().getFullYear();
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  await server.close();
});

const line = (id: string, description: string, amounts: Record<string, number> = {}): BudgetLine => ({
  id,
  costType: 'sach',
  recurrence: 'laufend',
  description,
  account: { produkt: '1.1.1.08', kostenstelle: '', sachkonto: '', haushaltsstelle: '' },
  amounts,
});

const findLine = (doc: Y.Doc, id: string) =>
  budgetRoots(doc)
    .lines.toArray()
    .find((map) => map.get('id') === id);
const lines = (doc: Y.Doc) => budgetRoots(doc).lines.toArray().map(readBudgetLine);

describe('budget co-editing', () => {
  it('ten finance clients converge without losing a line or a cell', async () => {
    const name = documentName(dossierId, 'finanzen');
    const sessions: Session[] = [];
    for (let i = 0; i < 10; i += 1) {
      await addUser(server.storage, {
        username: `kaemmerei.${i}`,
        displayName: `Kämmerei ${i}`,
        departmentId: 'kaemmerei',
        roles: ['finance'],
        password: 'kaemmerei-passwort',
      });
      sessions.push(await login(server.url, `kaemmerei.${i}`, 'kaemmerei-passwort'));
    }
    for (const session of sessions) clients.push(new TestClient(server.wsUrl, session));
    for (const client of clients) client.open(name);
    for (const client of clients) await client.synced(name);

    // three shared lines, created by one and seen by all
    const first = clients[0]!.doc(name);
    budgetRoots(first).lines.push(['shared-0', 'shared-1', 'shared-2'].map((id) => budgetLineToY(line(id, `Gemeinsame Zeile ${id}`))));
    for (const client of clients) await waitFor(() => lines(client.doc(name)).length === 3, { message: 'shared lines did not arrive' });

    // everyone at once, without waiting for each other
    const expected = new Map<string, BudgetLine>();
    clients.forEach((client, c) => {
      const doc = client.doc(name);
      // a distinct cell of a shared line per client: 3 lines × 4 years
      const shared = findLine(doc, `shared-${c % 3}`)!;
      (shared.get('amounts') as Y.Map<number>).set(String(year + Math.floor(c / 3)), 100_000 * (c + 1));
      // own lines: five added, two edited afterwards, one deleted
      for (let k = 0; k < 5; k += 1) budgetRoots(doc).lines.push([budgetLineToY(line(`c${c}-${k}`, `Zeile ${k} von ${c}`, { [String(year)]: 1000 * c + k }))]);
      findLine(doc, `c${c}-1`)!.set('description', `Zeile 1 von ${c}, überarbeitet`);
      (findLine(doc, `c${c}-2`)!.get('amounts') as Y.Map<number>).set(String(year + 1), 777);
      const lineArray = budgetRoots(doc).lines;
      lineArray.delete(
        lineArray.toArray().findIndex((map) => map.get('id') === `c${c}-4`),
        1,
      );
      for (let k = 0; k < 4; k += 1) {
        const amounts: Record<string, number> = { [String(year)]: 1000 * c + k, ...(k === 2 ? { [String(year + 1)]: 777 } : {}) };
        expected.set(`c${c}-${k}`, line(`c${c}-${k}`, k === 1 ? `Zeile 1 von ${c}, überarbeitet` : `Zeile ${k} von ${c}`, amounts));
      }
    });
    clients.forEach((_, c) => {
      const id = `shared-${c % 3}`;
      const previous = expected.get(id) ?? line(id, `Gemeinsame Zeile ${id}`);
      expected.set(id, { ...previous, amounts: { ...previous.amounts, [String(year + Math.floor(c / 3))]: 100_000 * (c + 1) } });
    });

    const fingerprint = (doc: Y.Doc) => JSON.stringify(lines(doc).sort((a, b) => a.id.localeCompare(b.id)));
    await waitFor(() => new Set(clients.map((c) => fingerprint(c.doc(name)))).size === 1, { timeout: 15_000, message: 'clients did not converge' });

    const converged = lines(clients[3]!.doc(name));
    expect(converged).toHaveLength(expected.size);
    for (const [id, want] of expected)
      expect(
        converged.find((l) => l.id === id),
        id,
      ).toEqual(want);

    for (const client of clients) await client.storedAll(name);
    const { body } = await api(server.url, `/api/dossiers/${dossierId}`, { session: sessions[0] });
    const section = body.sections.find((s: { id: string }) => s.id === 'finanzen');
    const stored = budgetContentSchema.parse(section.content);
    expect(JSON.stringify([...stored.lines].sort((a, b) => a.id.localeCompare(b.id)))).toBe(fingerprint(clients[7]!.doc(name)));

    // the totals the API reports agree with a recount of the stored lines
    const recount = (y: number) => stored.lines.reduce((sum, l) => sum + (l.amounts[String(y)] ?? 0), 0);
    for (const y of [year, year + 1, year + 2, year + 3]) expect(section.totals.costs.perYear[String(y)]).toBe(recount(y));
    expect(section.totals).toEqual(JSON.parse(JSON.stringify(budgetTotals(stored))));
  });

  it('exports the lines as CSV for Excel: BOM, semicolons, German decimals, totals, no formulas', async () => {
    const lead = await login(server.url, users.lead);
    const finance = await login(server.url, users.finance);
    const id = await createTestDossier(server.url, { session: lead });
    const client = new TestClient(server.wsUrl, finance);
    clients.push(client);
    const name = documentName(id, 'finanzen');
    client.open(name);
    await client.synced(name);
    budgetRoots(client.doc(name)).lines.push([
      budgetLineToY(line('a', 'Wartung; "Premium"', { [String(year)]: 1_250_000, [String(year + 1)]: 5 })),
      budgetLineToY({ ...line('b', '=HYPERLINK("x")', { [String(year)]: 100_000 }), costType: 'ertrag' }),
    ]);
    await client.storedAll(name);

    const response = await fetch(`${server.url}/api/dossiers/${id}/budget.csv`, { headers: { cookie: finance.cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="?Finanzen-\w+\.csv"?$/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = new TextDecoder().decode(bytes.slice(3)).split('\r\n');
    expect(rows[0]).toBe(
      `Kostenart;einmalig/laufend;Produkt;Kostenstelle;Sachkonto;Beschreibung;${year} (EUR);${year + 1} (EUR);${year + 2} (EUR);${year + 3} (EUR);Summe (EUR)`,
    );
    expect(rows[1]).toBe('Sachkosten;laufend;1.1.1.08;;;"Wartung; ""Premium""";12.500,00;0,05;0,00;0,00;12.500,05');
    expect(rows[2]).toBe(`Erträge/Einnahmen;laufend;1.1.1.08;;;"'=HYPERLINK(""x"")";1.000,00;0,00;0,00;0,00;1.000,00`);
    expect(rows).toContain('Nettobelastung;;;;;;11.500,00;0,05;0,00;0,00;11.500,05');

    const stranger = await fetch(`${server.url}/api/dossiers/${id}/budget.csv`);
    expect(stranger.status).toBe(401);
  });

  it('refuses a negative amount sent over Yjs: it is neither applied nor stored, valid amounts still are', async () => {
    const lead = await login(server.url, users.lead);
    const finance = await login(server.url, users.finance);
    const id = await createTestDossier(server.url, { session: lead });
    const name = documentName(id, 'finanzen');
    const client = new TestClient(server.wsUrl, finance);
    clients.push(client);
    client.open(name);
    await client.synced(name);
    budgetRoots(client.doc(name)).lines.push([budgetLineToY(line('miete', 'Miete', { [String(year)]: 50_000 }))]);
    await client.storedAll(name);

    // a script speaking the protocol itself, as the Kämmerei: a credit written as a negative cost, in an existing line and in a new one
    const raw = await RawSyncClient.connect(server.wsUrl, finance.cookie);
    expect(await raw.authenticate(name)).toBe('authenticated:read-write');
    const copy = await raw.fetchDocument(name);
    raw.sendEdit(name, copy, (doc) => (findLine(doc, 'miete')!.get('amounts') as Y.Map<number>).set(String(year), -20_000));
    await waitFor(() => raw.received.some((m) => m.document === name && m.type === MessageType.Close), { message: 'the document connection was not closed' });
    expect(raw.received.find((m) => m.type === MessageType.Close)!.summary).toBe('invalid-amount');
    raw.close();

    const again = await RawSyncClient.connect(server.wsUrl, finance.cookie);
    await again.authenticate(name);
    const fresh = await again.fetchDocument(name);
    again.sendEdit(name, fresh, (doc) => budgetRoots(doc).lines.push([budgetLineToY(line('gutschrift', 'Gutschrift', { [String(year)]: -1 }))]));
    await waitFor(() => again.received.some((m) => m.document === name && m.type === MessageType.Close), { message: 'the document connection was not closed' });
    expect(again.received.find((m) => m.type === MessageType.Close)!.summary).toBe('invalid-amount');
    again.close();

    // the live document and every client hold the valid state only; a valid edit afterwards is stored as usual
    const live = server.collaboration.hocuspocus.documents.get(name)!;
    expect(lines(live).map((l) => [l.id, l.amounts[String(year)]])).toEqual([['miete', 50_000]]);
    (findLine(client.doc(name), 'miete')!.get('amounts') as Y.Map<number>).set(String(year + 1), 7_500);
    await client.storedAll(name);
    const { body } = await api(server.url, `/api/dossiers/${id}`, { session: finance });
    const stored = budgetContentSchema.parse(body.sections.find((s: { id: string }) => s.id === 'finanzen').content);
    expect(stored.lines).toEqual([line('miete', 'Miete', { [String(year)]: 50_000, [String(year + 1)]: 7_500 })]);
    expect(lines(client.doc(name)).map((l) => l.amounts)).toEqual([{ [String(year)]: 50_000, [String(year + 1)]: 7_500 }]);
  });
});
