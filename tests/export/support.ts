/** PDF tools for the export tests: the real poppler and qpdf binaries on real files. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SectionContents } from '../../server/dossiers/create';
import { demoDepartments } from '../../server/demo/people';
import { createDossier } from '../../server/dossiers/create';
import { openSqliteStorage } from '../../server/storage/sqlite';
import { openStorage } from '../../server/storage/open';
import { loadTemplates } from '../../server/templates/loader';
import type { ExportMode } from '../../server/export/pdf';
import { renderVorlage, type RenderedPdf } from '../../server/export/render';
import { loadExportSource } from '../../server/export/source';
import { api, projectRoot, type Session } from '../support/server';

const scratch = mkdtempSync(join(tmpdir(), 'ratsdossier-pdf-'));
let fileCount = 0;

/** Writes the bytes to a fresh temporary file and returns its path. */
export function pdfFile(pdf: Uint8Array): string {
  fileCount += 1;
  const path = join(scratch, `export-${fileCount}.pdf`);
  writeFileSync(path, pdf);
  return path;
}

const run = (command: string, args: string[]) => execFileSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

/** Text of the whole PDF or of one page, in reading order. */
export function pdfText(pdf: Uint8Array, page?: number): string {
  const pages = page === undefined ? [] : ['-f', String(page), '-l', String(page)];
  return run('pdftotext', ['-enc', 'UTF-8', ...pages, pdfFile(pdf), '-']);
}

/**
 * The printed lines of the PDF, rebuilt from word positions (pdftotext
 * -bbox): words at the same height form one line, left to right. Table rows
 * come out as rows, whatever order the cells were drawn in.
 */
export function pdfLines(pdf: Uint8Array): string[] {
  const xhtml = run('pdftotext', ['-bbox', '-enc', 'UTF-8', pdfFile(pdf), '-']);
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  const lines: string[] = [];
  for (const page of xhtml.split('<page ').slice(1)) {
    const words = [...page.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)<\/word>/g)].map((match) => ({
      x: Number(match[1]),
      y: Number(match[2]),
      text: match[3]!.replace(/&(\w+);/g, (_, name: string) => entities[name] ?? `&${name};`),
    }));
    const rows: { y: number; words: typeof words }[] = [];
    for (const word of words.sort((a, b) => a.y - b.y)) {
      const row = rows.find((candidate) => Math.abs(candidate.y - word.y) < 2);
      if (row) row.words.push(word);
      else rows.push({ y: word.y, words: [word] });
    }
    lines.push(
      ...rows.map((row) =>
        row.words
          .sort((a, b) => a.x - b.x)
          .map((word) => word.text)
          .join(' '),
      ),
    );
  }
  return lines;
}

/** Letters of the diagonal watermark on a page: pdftotext splits rotated text into fragments on lines of their own. */
export function watermarkLetters(pageText: string): string {
  return [
    ...pageText
      .split('\n')
      .filter((line) => /^[ENTWURF]+$/.test(line.trim()))
      .join('')
      .trim(),
  ]
    .sort()
    .join('');
}

export function pdfInfo(pdf: Uint8Array): Record<string, string> {
  const lines = run('pdfinfo', ['-enc', 'UTF-8', pdfFile(pdf)]).split('\n');
  return Object.fromEntries(
    lines.filter((line) => line.includes(':')).map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
  );
}

/** pdffonts rows: name and whether the font is embedded. */
export function pdfFonts(pdf: Uint8Array): { name: string; embedded: boolean }[] {
  const rows = run('pdffonts', [pdfFile(pdf)])
    .split('\n')
    .slice(2)
    .filter(Boolean);
  return rows.map((row) => {
    const columns = row.trim().split(/\s+/);
    // name type… encoding emb sub uni object ID: "emb" is the fifth column from the end
    return { name: columns[0]!, embedded: columns[columns.length - 5] === 'yes' };
  });
}

/** Runs `qpdf --check`; throws with qpdf's output when the file is damaged. */
export function qpdfCheck(pdf: Uint8Array): string {
  return run('qpdf', ['--check', pdfFile(pdf)]);
}

/** The PDF uncompressed and with readable objects (qpdf --qdf), as latin1 text for searching. */
export function pdfObjects(pdf: Uint8Array): string {
  fileCount += 1;
  const out = join(scratch, `qdf-${fileCount}.pdf`);
  run('qpdf', ['--qdf', '--object-streams=disable', pdfFile(pdf), out]);
  return readFileSync(out, 'latin1');
}

export interface OutlineItem {
  title: string;
  kids: OutlineItem[];
}
export function pdfOutline(pdf: Uint8Array): OutlineItem[] {
  return (JSON.parse(run('qpdf', ['--json', '--json-key=outlines', pdfFile(pdf)])) as { outlines: OutlineItem[] }).outlines;
}

/** The XMP metadata packet of the document catalog. */
export function xmpPacket(pdf: Uint8Array): string {
  const text = Buffer.from(pdf).toString('utf8');
  const start = text.indexOf('<?xpacket begin');
  const end = text.indexOf('<?xpacket end="w"?>');
  if (start < 0 || end < 0) throw new Error('no XMP packet in the PDF');
  return text.slice(start, end + '<?xpacket end="w"?>'.length);
}

/** Exports as the given signed-in user (without one, as nobody). */
export async function exportPdf(baseUrl: string, session: Session | undefined, dossierId: string, query = '') {
  const response = await fetch(`${baseUrl}/api/dossiers/${dossierId}/export.pdf${query}`, { headers: session ? { cookie: session.cookie } : {} });
  const body = new Uint8Array(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, pdf: body, text: () => Buffer.from(body).toString('utf8') };
}

export async function demoDossierId(baseUrl: string, session: Session): Promise<string> {
  const { body } = await api(baseUrl, '/api/dossiers', { session });
  const demo = (body as { id: string; templateId: string }[]).find((dossier) => dossier.templateId === 'verstetigung-smart-city');
  if (!demo) throw new Error('the demo dossier was not seeded');
  return demo.id;
}

const STORED_AT = new Date('2026-11-18T09:30:00Z');
const template = async () => (await loadTemplates(join(projectRoot, 'templates'))).get('verstetigung-smart-city')!;

/** Creates a dossier with given section contents in a running server's database, as the demo seed does. */
export async function createDossierWith(dataDir: string, title: string, contents: SectionContents): Promise<string> {
  const storage = await openStorage({ dataDir, databaseUrl: null });
  try {
    return (await createDossier(storage, await template(), { title, contents, leadDepartmentId: 'smart-city', now: STORED_AT })).id;
  } finally {
    await storage.close();
  }
}

/**
 * Renders a dossier in this thread, without a server: stored in an in-memory
 * database first, so the export reads it exactly as it reads a real one.
 */
export async function renderDossier(
  contents: SectionContents,
  options: { title?: string; mode?: ExportMode; referenceNumber?: string; cityName?: string; logo?: string | null } = {},
): Promise<RenderedPdf> {
  const storage = openSqliteStorage(':memory:');
  try {
    // the city's departments, whose names the header and the Mitzeichnung print
    for (const department of demoDepartments) await storage.accounts.saveDepartment(department);
    const templates = await loadTemplates(join(projectRoot, 'templates'));
    const dossier = await createDossier(storage, templates.get('verstetigung-smart-city')!, {
      title: options.title ?? 'Testvorlage',
      contents,
      leadDepartmentId: 'smart-city',
      now: STORED_AT,
    });
    const { snapshot, template } = await loadExportSource(storage, templates, dossier.id);
    return await renderVorlage({
      snapshot: { ...snapshot, referenceNumber: options.referenceNumber ?? null },
      template,
      mode: options.mode ?? 'draft',
      letterhead: { cityName: options.cityName ?? 'Stadt Musterstadt', logo: options.logo ?? null },
    });
  } finally {
    await storage.close();
  }
}
