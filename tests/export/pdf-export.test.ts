import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XmlDocument } from 'xmldoc';
import { budgetTotals, costTypeLabels, formatCents, type YearAmounts } from '../../dossier/budget';
import { costTypes, type BudgetContent, type SectionContentByKind } from '../../dossier/content';
import { richTextPlain } from '../../dossier/schema';
import { demoContents, demoTitle } from '../../server/demo/labor-der-kreativen-koepfe';
import { WATERMARK_TEXT } from '../../server/export/pdf';
import { login, projectRoot, startTestServer, TestClient, typeInto, users, type Session, type TestServer } from '../support/server';
import {
  demoDossierId,
  exportPdf,
  pdfFile,
  pdfFonts,
  pdfInfo,
  pdfLines,
  pdfObjects,
  pdfOutline,
  pdfText,
  qpdfCheck,
  renderDossier,
  watermarkLetters,
  xmpPacket,
} from './support';

const REFERENCE = 'VO/26/00042/SC';
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
/** pdftotext output as one line; a line broken after a hyphen is joined without a space. */
const flat = (text: string) => text.replace(/-\n/g, '-').replace(/\s+/g, ' ');
const pages = (pdf: Uint8Array) => Number(pdfInfo(pdf).Pages);

/** The CLI in its own process, as clerks and scripts run it. */
async function exportWithCli(dataDir: string, dossierId: string, out: string): Promise<Uint8Array> {
  await promisify(execFile)(process.execPath, ['--import', 'tsx', join(projectRoot, 'server/export/cli.ts'), dossierId, out], {
    cwd: projectRoot,
    env: { ...process.env, DATA_DIR: dataDir, CITY_NAME: 'Stadt Musterstadt' },
  });
  return new Uint8Array(readFileSync(out));
}

describe('PDF export of the demo dossier', () => {
  let server: TestServer;
  let clerk: Session;
  let lead: Session;
  let id: string;
  let draft: Uint8Array;
  let final: Uint8Array;

  beforeAll(async () => {
    server = await startTestServer({ seedDemo: 'all' });
    clerk = await login(server.url, users.clerk);
    lead = await login(server.url, users.lead);
    id = await demoDossierId(server.url, clerk);
    await server.storage.dossiers.setReferenceNumber(id, REFERENCE);
    const [draftResponse, finalResponse] = await Promise.all([exportPdf(server.url, clerk, id), exportPdf(server.url, clerk, id, '?final=1')]);
    expect(draftResponse.status).toBe(200);
    expect(finalResponse.status).toBe(200);
    draft = draftResponse.pdf;
    final = finalResponse.pdf;
  });
  afterAll(() => server?.close());

  it('answers with the PDF, its SHA-256 and its mode in the headers', async () => {
    const response = await exportPdf(server.url, clerk, id, '?final=1');
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe('inline; filename="VO-26-00042-SC.pdf"');
    expect(response.headers.get('x-export-mode')).toBe('final');
    expect(response.headers.get('x-pdf-sha256')).toBe(sha256(response.pdf));
    expect(response.headers.get('repr-digest')).toBe(`sha-256=:${createHash('sha256').update(response.pdf).digest('base64')}:`);
  });

  it('prints every section title and body text in template order', () => {
    const text = flat(pdfText(draft));
    const expected = [
      'Stadt Musterstadt',
      REFERENCE,
      'Aktenzeichen',
      'SC-12/0231/2026',
      'Beratungsfolge',
      'Finanz- und Wirtschaftsausschuss',
      'Betreff',
      demoTitle,
      'Beschlussvorschlag',
      'Sachverhalt',
      '1. Ausgangslage und Problem',
      richTextPlain(demoContents.ausgangslage).slice(0, 60),
      '2. Zielgruppen: Kundinnen/Kunden und Nutzende',
      richTextPlain(demoContents.zielgruppen).slice(0, 60),
      '3. Wirkung und Indikatoren',
      richTextPlain(demoContents.wirkung).slice(0, 60),
      '4. Betreibermodell und Zuständigkeiten',
      richTextPlain(demoContents.betreibermodell).slice(0, 60),
      '5. Alternativen',
      richTextPlain(demoContents.alternativen).slice(0, 60),
      'Finanzielle Auswirkungen',
      'Stellungnahme der Kämmerei',
      'Klimarelevanz',
      'Anlagen',
      'Evaluationsbericht der Pilotphase 2023–2026',
      'Mitzeichnung',
      'Rechtsamt',
    ];
    let from = 0;
    for (const piece of expected) {
      const at = text.indexOf(piece, from);
      expect(at, `"${piece}" after position ${from}`).toBeGreaterThanOrEqual(0);
      from = at + piece.length;
    }
  });

  it('prints every Beratungsfolge row with its date, role and ö/nö, in order', () => {
    const lines = pdfLines(draft).map((line) => line.replace(/\s+/g, ' '));
    const roles = { vorberatung: 'Vorberatung', entscheidung: 'Entscheidung', kenntnisnahme: 'Kenntnisnahme' } as const;
    let from = 0;
    for (const row of (demoContents.beratungsfolge as SectionContentByKind['consultation']).rows) {
      const [year, month, day] = row.date.split('-');
      const at = lines.findIndex(
        (line, index) =>
          index >= from &&
          line.startsWith(row.body.split(' ').slice(0, 3).join(' ')) &&
          line.includes(`${day}.${month}.${year}`) &&
          line.includes(roles[row.role]) &&
          line.endsWith(row.public ? ' ö' : ' nö'),
      );
      expect(at, `row "${row.body}" after line ${from}`).toBeGreaterThanOrEqual(0);
      from = at + 1;
    }
  });

  it('prints the Klimarelevanz choice with its explanation', () => {
    const text = flat(pdfText(draft));
    const climate = text.slice(text.lastIndexOf('Klimarelevanz'), text.lastIndexOf('Anlagen'));
    expect(climate).toContain('Erläuterung');
    expect(climate).toContain(richTextPlain((demoContents.klima as SectionContentByKind['choice']).texts.erlaeuterung).slice(0, 80));
  });

  it('prints the budget totals per year and per type', () => {
    const lines = pdfLines(draft);
    const totals = budgetTotals(demoContents.finanzen as BudgetContent);
    const row = (label: string, amounts: YearAmounts) =>
      [label, ...totals.years.map((year) => formatCents(amounts.perYear[year]!)), formatCents(amounts.total)].join(' ');
    expect(lines).toContain(`Position (Art, Konto) ${totals.years.join(' ')} Summe`);
    for (const type of costTypes) expect(lines).toContain(row(`Summe ${costTypeLabels[type]}`, totals.byType[type]));
    expect(lines).toContain(row('Summe Kosten', totals.costs));
    expect(lines).toContain(row('davon einmalig', totals.oneOff));
    expect(lines).toContain(row('davon laufend', totals.recurring));
    expect(lines).toContain(row('Nettobelastung des Haushalts', totals.net));
  });

  it('has page numbers, the Vorlagen-Nr. in the running header, title and page count in the info', () => {
    const info = pdfInfo(draft);
    expect(info.Title).toBe(demoTitle);
    expect(info.Author).toBe('Amt für Digitalisierung und Smart City');
    const count = Number(info.Pages);
    expect(count).toBeGreaterThanOrEqual(4);
    expect(pdfText(draft, 1)).toContain(`Seite 1 von ${count}`);
    expect(pdfText(draft, count)).toContain(`Seite ${count} von ${count}`);
    expect(pdfText(draft, 2)).toContain(REFERENCE);
  });

  it('embeds every font and passes qpdf --check', () => {
    for (const pdf of [draft, final]) {
      const fonts = pdfFonts(pdf);
      expect(fonts.length).toBeGreaterThan(0);
      expect(fonts.filter((font) => !font.embedded)).toEqual([]);
      expect(qpdfCheck(pdf)).toContain('No syntax or stream encoding errors');
    }
  });

  it('bookmarks every section, the Sachverhalt parts under it', () => {
    const outline = pdfOutline(draft);
    expect(outline.map((item) => item.title)).toEqual([
      'Beratungsfolge',
      'Betreff',
      'Beschlussvorschlag',
      'Sachverhalt',
      'Finanzielle Auswirkungen',
      'Klimarelevanz',
      'Anlagen',
      'Mitzeichnung',
    ]);
    expect(outline[3]!.kids.map((item) => item.title)).toEqual([
      '1. Ausgangslage und Problem',
      '2. Zielgruppen: Kundinnen/Kunden und Nutzende',
      '3. Wirkung und Indikatoren',
      '4. Betreibermodell und Zuständigkeiten',
      '5. Alternativen',
    ]);
  });

  it('marks every page of a draft with the watermark, no page of the final file', () => {
    const letters = [...WATERMARK_TEXT].sort().join('');
    for (let page = 1; page <= pages(draft); page += 1) expect(watermarkLetters(pdfText(draft, page)), `draft page ${page}`).toBe(letters);
    for (let page = 1; page <= pages(final); page += 1) expect(watermarkLetters(pdfText(final, page)), `final page ${page}`).toBe('');
  });

  it('writes the final file as PDF/A-2b: language, XMP identification, output intent, no transparency', () => {
    const objects = pdfObjects(final);
    expect(Buffer.from(final.subarray(0, 8)).toString('latin1')).toBe('%PDF-1.7');
    expect(objects).toContain('/Lang (de-DE)');
    expect(objects).toContain('/S /GTS_PDFA1');
    const descriptions = new XmlDocument(xmpPacket(final)).childNamed('rdf:RDF')?.childrenNamed('rdf:Description') ?? [];
    const pdfaId = descriptions.find((node) => node.childNamed('pdfaid:part'));
    expect(pdfaId?.valueWithPath('pdfaid:part')).toBe('2');
    expect(pdfaId?.valueWithPath('pdfaid:conformance')).toBe('B');
    // Opacity other than 1, soft masks and transparency groups are transparency.
    const opacities = [...objects.matchAll(/\/(?:CA|ca) ([\d.]+)/g)].map((match) => Number(match[1]));
    expect(opacities.every((value) => value === 1)).toBe(true);
    expect(objects).not.toMatch(/\/SMask \d+ \d+ R/);
    expect(objects).not.toContain('/S /Transparency');
    // The draft's watermark is what makes it transparent.
    expect(pdfObjects(draft)).toMatch(/\/ca 0\.16/);
  });

  it('meets the other PDF/A-2b rules a validator checks: printable links, metadata matching the info, no encryption or scripts, a file ID', () => {
    const objects = pdfObjects(final);
    // every annotation (the links) must be printed: flag 4, not hidden
    const annotations = [...objects.matchAll(/<<((?:(?!<<|>>)[\s\S])*?\/Type \/Annot[\s\S]*?)>>/g)].map((match) => match[1]!);
    expect(annotations.length).toBeGreaterThan(0);
    for (const annotation of annotations) expect(annotation).toMatch(/\/F 4\b/);
    expect(objects).not.toContain('/Encrypt');
    expect(objects).not.toMatch(/\/JavaScript|\/JS\b|\/Launch/);
    expect(objects).toMatch(/\/ID \[<[0-9a-f]{32}><[0-9a-f]{32}>\]/);
    // the XMP packet says what the document info says
    const info = pdfInfo(final);
    const xmp = new XmlDocument(xmpPacket(final));
    const text = (name: string) =>
      xmp
        .descendantWithPath(`rdf:RDF`)
        ?.childrenNamed('rdf:Description')
        .map((d) => d.descendantWithPath(name))
        .find(Boolean);
    expect(text('dc:title.rdf:Alt.rdf:li')?.val).toBe(info.Title);
    expect(text('dc:creator.rdf:Seq.rdf:li')?.val).toBe(info.Author);
    expect(text('pdf:Producer')?.val).toBe(info.Producer);
  });

  it('gives the same bytes for the same stored state in another process, and new bytes after a change', async () => {
    const again = await exportPdf(server.url, clerk, id, '?final=1');
    expect(sha256(again.pdf)).toBe(sha256(final));
    const fromCli = await exportWithCli(server.dataDir, id, pdfFile(new Uint8Array()));
    expect(sha256(fromCli)).toBe(sha256(final));
    expect(Buffer.compare(Buffer.from(fromCli), Buffer.from(final))).toBe(0);

    const editor = new TestClient(server.wsUrl, lead);
    try {
      const name = `${id}/alternativen`;
      editor.open(name);
      await editor.synced(name);
      typeInto(editor.doc(name), ' Geprüft.');
      await editor.storedAll(name);
    } finally {
      editor.destroy();
    }
    // what the server derives from the change (the Mitzeichnung's departments asked) is written and stored too
    await server.workflow.settled(id);
    await server.collaboration.persistence.flushAll(server.collaboration.hocuspocus.documents);
    const changed = await exportPdf(server.url, clerk, id, '?final=1');
    expect(changed.headers.get('x-pdf-sha256')).not.toBe(sha256(final));
    expect(flat(pdfText(changed.pdf))).toContain('Geprüft.');
    const changedFromCli = await exportWithCli(server.dataDir, id, pdfFile(new Uint8Array()));
    expect(sha256(changedFromCli)).toBe(changed.headers.get('x-pdf-sha256'));
  });

  it('lets those who see the draft export it, leaves the final file to the clerks, and nobody without a session', async () => {
    // a councillor (reader) sees released Vorlagen only, not the draft
    expect((await exportPdf(server.url, await login(server.url, users.reader), id)).status).toBe(404);
    const reader = await login(server.url, users.viewer);
    expect((await exportPdf(server.url, reader, id)).status).toBe(200);
    const final = await exportPdf(server.url, reader, id, '?final=1');
    expect(final.status).toBe(403);
    expect(JSON.parse(final.text())).toEqual({ error: 'Die endgültige Fassung exportiert der Sitzungsdienst.' });
    expect((await exportPdf(server.url, lead, id, '?final=1')).status).toBe(403);
    expect((await exportPdf(server.url, undefined, id)).status).toBe(401);
  });

  it('answers 404 for an unknown dossier and 400 for a bad mode, in German', async () => {
    const missing = await exportPdf(server.url, clerk, 'gibtesnicht');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text())).toEqual({ error: 'Vorlage "gibtesnicht" gibt es nicht.' });
    const bad = await exportPdf(server.url, clerk, id, '?final=ja');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text()).error).toMatch(/Parameter "final"/);
  });
});

describe('PDF export of awkward text', () => {
  const awkward = 'Müller & Söhne <GmbH> „Straße“ "Zitat" \'Apostroph\' – 12 € ß';

  it('renders &, <, quotes and umlauts in every field, with parseable XMP metadata', async () => {
    const { pdf } = await renderDossier(
      {
        kopf: {
          fields: {
            'vorlage-art': 'beschlussvorlage',
            oeffentlichkeit: 'oeffentlich',
            datum: '2026-11-18',
            aktenzeichen: awkward,
            federfuehrend: `Amt für ${awkward}`,
            beteiligt: [awkward],
            berichterstattung: awkward,
          },
        },
        beratungsfolge: { rows: [{ id: 'a', body: awkward, date: '2027-01-20', role: 'entscheidung', public: false, result: awkward }] },
        anlagen: { items: [{ id: 'a', title: awkward, public: true }] },
      },
      { title: `Betreff ${awkward}`, mode: 'final', referenceNumber: 'VO/26/00001/ÄÖÜ', cityName: `Stadt ${awkward}` },
    );
    const xmp = new XmlDocument(xmpPacket(pdf));
    const described = (xmp.childNamed('rdf:RDF')?.childrenNamed('rdf:Description') ?? []).map((node) => node.toString({ compressed: true }));
    expect(described.join('\n')).toContain('&lt;GmbH&gt;');
    const title = xmp
      .childNamed('rdf:RDF')
      ?.childrenNamed('rdf:Description')
      .map((node) => node.valueWithPath('dc:title.rdf:Alt.rdf:li'))
      .find(Boolean);
    expect(title).toBe(`Betreff ${awkward}`);
    const info = pdfInfo(pdf);
    expect(info.Title).toBe(`Betreff ${awkward}`);
    expect(info.Author).toBe(`Amt für ${awkward}`);
    const text = flat(pdfText(pdf));
    expect(text.split(awkward).length - 1).toBeGreaterThanOrEqual(6);
    expect(text).toContain('VO/26/00001/ÄÖÜ');
    expect(qpdfCheck(pdf)).toContain('No syntax or stream encoding errors');
  });

  it('shows an unassigned Vorlagen-Nr. and empty sections as such in a draft', async () => {
    const { pdf } = await renderDossier({}, { title: 'Leere Vorlage' });
    const text = flat(pdfText(pdf));
    expect(text).toContain('wird vom Sitzungsdienst vergeben');
    expect(text).toContain('Dieser Abschnitt ist noch nicht ausgefüllt.');
    expect(text).toContain('Keine Haushaltspositionen erfasst.');
    expect(flat(pdfText(pdf, 2))).toContain('Entwurf');
  });
});

describe('PDF export of the involved departments', () => {
  it('prints the names of the picked departments in the header and one Mitzeichnung row per department, however an older header spelled it', async () => {
    const { pdf } = await renderDossier({
      kopf: {
        fields: {
          'vorlage-art': 'beschlussvorlage',
          oeffentlichkeit: 'oeffentlich',
          beteiligt: ['kaemmerei', 'Kämmerei', 'rechtsamt', 'kämmerei ', 'Stadtwerke'],
        },
      },
    });
    const lines = pdfLines(pdf).map((line) => line.replace(/\s+/g, ' ').trim());
    expect(lines).toContain('Beteiligte Dienststellen Kämmerei, Rechtsamt');
    const open = lines.filter((line) => line.endsWith('ausstehend'));
    expect(open).toEqual(['Kämmerei ausstehend', 'Rechtsamt ausstehend']);
    expect(flat(pdfText(pdf))).not.toContain('kaemmerei');
  });
});
