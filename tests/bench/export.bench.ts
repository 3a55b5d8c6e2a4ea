/**
 * PDF export: a 40-page Vorlage rendered by pdfmake in the worker pool (cold:
 * fresh worker; warm: a worker that rendered before), its peak memory, the
 * same content as HTML printed by headless Chromium (--print-to-pdf) in the
 * same run, and the sync latency between two editors while ten exports run,
 * against no exports and against rendering on the event loop (what the pool
 * is there to avoid).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { budgetTotals, costTypeLabels, formatCents } from '../../dossier/budget';
import type { BudgetContent, RichTextDoc } from '../../dossier/content';
import { demoContents, demoTitle } from '../../server/demo/labor-der-kreativen-koepfe';
import type { SectionContents } from '../../server/dossiers/create';
import type { VorlageInput } from '../../server/export/pdf';
import { ExportPool } from '../../server/export/pool';
import { renderVorlage } from '../../server/export/render';
import { loadExportSource } from '../../server/export/source';
import { openSqliteStorage } from '../../server/storage/sqlite';
import { createDossier } from '../../server/dossiers/create';
import { loadTemplates } from '../../server/templates/loader';
import { createDossierWith, pdfInfo } from '../export/support';
import { login, projectRoot, startTestServer, TestClient, typeInto, users, waitFor, type Session } from '../support/server';

/** Demo chapters per Sachverhalt section: gives a Vorlage of about 40 pages. */
const REPEAT = 6;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))]!;
const ms = (value: number) => `${value.toFixed(0)} ms`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

/** The demo's Sachverhalt, repeated until the Vorlage is about 40 pages long. */
function longContents(repeat: number): SectionContents {
  const body = (doc: RichTextDoc) => doc.content ?? [];
  const chapter = [
    ...body(demoContents.ausgangslage as RichTextDoc),
    ...body(demoContents.wirkung as RichTextDoc),
    ...body(demoContents.betreibermodell as RichTextDoc),
  ];
  const long: RichTextDoc = {
    type: 'doc',
    content: Array.from({ length: repeat }, (_, i) => [
      { type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: `Teil ${i + 1}` }] },
      ...chapter,
    ]).flat(),
  };
  return { ...demoContents, ausgangslage: long, zielgruppen: long, wirkung: long, betreibermodell: long };
}

async function longInput(repeat: number): Promise<VorlageInput> {
  const templates = await loadTemplates(join(projectRoot, 'templates'));
  const storage = openSqliteStorage(':memory:');
  const dossier = await createDossier(storage, templates.get('verstetigung-smart-city')!, {
    title: demoTitle,
    contents: longContents(repeat),
    leadDepartmentId: 'smart-city',
  });
  const { snapshot, template } = await loadExportSource(storage, templates, dossier.id);
  await storage.close();
  return { snapshot, template, mode: 'final', letterhead: { cityName: 'Stadt Musterstadt', logo: null } };
}

/** Peak resident memory of this process (workers included) while `work` runs, above what it was before. */
async function peakMemory<T>(work: () => Promise<T>): Promise<{ result: T; peak: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  try {
    const result = await work();
    return { result, peak: peak - before };
  } finally {
    clearInterval(timer);
  }
}

// ---- the same content as HTML, for Chromium -----------------------------------------

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
type Node = { type: string; text?: string; attrs?: Record<string, unknown>; content?: Node[]; marks?: { type: string; attrs?: Record<string, unknown> }[] };
const markTags: Record<string, string> = { bold: 'strong', italic: 'em', underline: 'u', strike: 's' };
const blockTags: Record<string, string> = {
  paragraph: 'p',
  blockquote: 'blockquote',
  bulletList: 'ul',
  orderedList: 'ol',
  listItem: 'li',
  table: 'table',
  tableRow: 'tr',
  tableCell: 'td',
  tableHeader: 'th',
};
function html(node: Node): string {
  if (node.type === 'text') {
    return (node.marks ?? []).reduce(
      (inner, mark) =>
        mark.type === 'link' ? `<a href="${escapeHtml(String(mark.attrs?.href))}">${inner}</a>` : `<${markTags[mark.type]}>${inner}</${markTags[mark.type]}>`,
      escapeHtml(node.text ?? ''),
    );
  }
  if (node.type === 'hardBreak') return '<br>';
  if (node.type === 'horizontalRule') return '<hr>';
  const inner = (node.content ?? []).map(html).join('');
  if (node.type === 'doc') return inner;
  if (node.type === 'heading') return `<h${Number(node.attrs?.level ?? 3) + 1}>${inner}</h${Number(node.attrs?.level ?? 3) + 1}>`;
  const tag = blockTags[node.type]!;
  return `<${tag}>${inner}</${tag}>`;
}

function vorlageHtml(input: VorlageInput): string {
  const section = (id: string) => ({ content: input.snapshot.sections[id] });
  const budget = section('finanzen').content as BudgetContent;
  const totals = budgetTotals(budget);
  const budgetRows = budget.lines
    .map(
      (line) =>
        `<tr><td>${escapeHtml(line.description)}</td>${totals.years.map((y) => `<td class="n">${formatCents(line.amounts[y] ?? 0)}</td>`).join('')}</tr>`,
    )
    .join('');
  const totalRows = (['personal', 'sach', 'investition', 'ertrag'] as const)
    .map(
      (type) =>
        `<tr><th>Summe ${costTypeLabels[type]}</th>${totals.years.map((y) => `<td class="n">${formatCents(totals.byType[type].perYear[y]!)}</td>`).join('')}</tr>`,
    )
    .join('');
  const texts = input.template.sections
    .filter((s) => s.kind === 'text')
    .map((s) => `<h2>${escapeHtml(s.title)}</h2>${html(section(s.id).content as Node)}`)
    .join('');
  return `<!doctype html><html lang="de"><meta charset="utf-8"><title>${escapeHtml(input.snapshot.title)}</title>
<style>@page{size:A4;margin:24mm 20mm 20mm 25mm}body{font:10.5pt/1.25 Roboto,sans-serif}p{text-align:justify}table{border-collapse:collapse;width:100%}td,th{border:.5pt solid #999;padding:2pt 4pt}thead{display:table-header-group}.n{text-align:right}</style>
<h1>Stadt Musterstadt</h1><p>Beschlussvorlage</p>${texts}<h2>Finanzielle Auswirkungen</h2><table><thead><tr><th>Position</th>${totals.years.map((y) => `<th>${y}</th>`).join('')}</tr></thead>${budgetRows}${totalRows}</table></html>`;
}

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

async function chromiumPrint(htmlFile: string, out: string): Promise<number> {
  const start = performance.now();
  await promisify(execFile)('chromium', [...chromiumArgs, '--no-pdf-header-footer', `--print-to-pdf=${out}`, `file://${htmlFile}`], { timeout: 120_000 });
  return performance.now() - start;
}

// ---- sync latency ---------------------------------------------------------------

async function syncLatencies(wsUrl: string, session: Session, name: string, edits: number, during: () => { stop(): Promise<void> }): Promise<number[]> {
  const writer = new TestClient(wsUrl, session);
  const reader = new TestClient(wsUrl, session);
  writer.open(name);
  reader.open(name);
  await Promise.all([writer.synced(name), reader.synced(name)]);
  const load = during();
  const latencies: number[] = [];
  try {
    for (let edit = 0; edit < edits; edit += 1) {
      const marker = ` m${edit}x${Math.random().toString(36).slice(2, 6)}`;
      const start = performance.now();
      typeInto(writer.doc(name), marker);
      await waitFor(() => reader.doc(name).getXmlFragment('content').toString().includes(marker), { timeout: 30_000, interval: 1 });
      latencies.push(performance.now() - start);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await load.stop();
    writer.destroy();
    reader.destroy();
  }
  return latencies;
}

/** Keeps `parallel` renders in flight until stopped. */
function keepRendering(parallel: number, render: () => Promise<unknown>) {
  let running = true;
  let done = 0;
  const loops = Array.from({ length: parallel }, async () => {
    while (running) {
      await render();
      done += 1;
      // A render's own awaits settle as microtasks; yield so timers and sockets get their turn, as between requests.
      await new Promise((resolve) => setImmediate(resolve));
    }
  });
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
    done: () => done,
  };
}

export default async function exportBench(): Promise<void> {
  const input = await longInput(REPEAT);
  const inline = await renderVorlage(input);
  const pages = Number(pdfInfo(inline.pdf).Pages);

  // cold: a fresh pool, so worker start, module loading and font parsing count
  const cold: number[] = [];
  for (let run = 0; run < 3; run += 1) {
    const pool = new ExportPool({ workers: 1, queueLimit: 0 });
    const start = performance.now();
    await pool.render(input);
    cold.push(performance.now() - start);
    await pool.close();
  }
  const pool = new ExportPool({ workers: 1, queueLimit: 0 });
  await pool.render(input);
  const warm: number[] = [];
  const { peak } = await peakMemory(async () => {
    for (let run = 0; run < 7; run += 1) {
      const start = performance.now();
      await pool.render(input);
      warm.push(performance.now() - start);
    }
  });
  await pool.close();
  const onLoop: number[] = [];
  for (let run = 0; run < 3; run += 1) {
    const start = performance.now();
    await renderVorlage(input);
    onLoop.push(performance.now() - start);
  }

  const dir = mkdtempSync(join(tmpdir(), 'ratsdossier-bench-'));
  const htmlFile = join(dir, 'vorlage.html');
  writeFileSync(htmlFile, vorlageHtml(input));
  const chromium: number[] = [];
  for (let run = 0; run < 3; run += 1) chromium.push(await chromiumPrint(htmlFile, join(dir, `chromium-${run}.pdf`)));
  const chromiumPages = Number(pdfInfo(new Uint8Array(readFileSync(join(dir, 'chromium-0.pdf')))).Pages);

  console.log(
    `40-page Vorlage: pdfmake ${pages} pages (${(inline.pdf.byteLength / 1024).toFixed(0)} KiB); Chromium ${chromiumPages} pages from the same content as HTML`,
  );
  console.table([
    { renderer: 'pdfmake in worker, cold (new worker)', median: ms(median(cold)), 'vs Chromium': (median(cold) / median(chromium)).toFixed(2) },
    { renderer: 'pdfmake in worker, warm', median: ms(median(warm)), 'vs Chromium': (median(warm) / median(chromium)).toFixed(2) },
    { renderer: 'pdfmake on the event loop (blocks it)', median: ms(median(onLoop)), 'vs Chromium': (median(onLoop) / median(chromium)).toFixed(2) },
    { renderer: 'Chromium --print-to-pdf (new process each)', median: ms(median(chromium)), 'vs Chromium': '1.00' },
  ]);
  console.log(`peak memory while rendering warm in the worker: +${mib(peak)} RSS over the idle process`);

  // sync latency between two editors, with and without ten exports running
  const server = await startTestServer({ exportWorkers: 2, exportQueueLimit: 20 });
  try {
    const dossierId = await createDossierWith(server.dataDir, demoTitle, longContents(REPEAT));
    const name = `${dossierId}/alternativen`;
    const edits = 150;
    const lead = await login(server.url, users.lead);
    const idle = await syncLatencies(server.wsUrl, lead, name, edits, () => ({ stop: async () => {} }));
    let exported = 0;
    const viaPool = await syncLatencies(server.wsUrl, lead, name, edits, () => {
      const load = keepRendering(10, async () => {
        const response = await fetch(`${server.url}/api/dossiers/${dossierId}/export.pdf`, { headers: { cookie: lead.cookie } });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`export answered ${response.status}`);
      });
      return {
        stop: async () => {
          await load.stop();
          exported = load.done();
        },
      };
    });
    const blocking = await syncLatencies(server.wsUrl, lead, name, 40, () => keepRendering(1, () => renderVorlage(input)));
    const row = (label: string, values: number[]) => ({
      situation: label,
      edits: values.length,
      p50: ms(percentile(values, 50)),
      p99: ms(percentile(values, 99)),
      max: ms(Math.max(...values)),
    });
    console.table([
      row('no exports', idle),
      row(`10 exports in flight (worker pool, ${exported} done)`, viaPool),
      row('exports rendered on the event loop (not done; for comparison)', blocking),
    ]);
    console.log(`sync latency p99 with 10 exports / without: ${(percentile(viaPool, 99) / percentile(idle, 99)).toFixed(2)}`);
  } finally {
    await server.close();
  }
}
