/**
 * Page breaks as a council member would notice them: no heading is left
 * alone at the bottom of a page, and small blocks (the coverage checkboxes,
 * the co-signature table) are not torn apart. The demo dossier is rendered
 * with 0…23 extra lines before the financial section, so every heading after
 * it passes through the bottom of a page in one of the variants.
 */
import { describe, expect, it } from 'vitest';
import type { RichTextDoc } from '../../dossier/content';
import { doc, p, type Block } from '../../dossier/rich-text';
import { demoContents } from '../../server/demo/labor-der-kreativen-koepfe';
import { loadTemplates } from '../../server/templates/loader';
import { join } from 'node:path';
import { projectRoot } from '../support/server';
import { pdfInfo, pdfText, renderDossier } from './support';

const template = (await loadTemplates(join(projectRoot, 'templates'))).get('verstetigung-smart-city')!;
const headings = new Set([
  ...template.sections.map((section) => section.title),
  ...template.sections.flatMap((section) => (section.group ? [section.group] : [])),
  'Deckung',
  'Folgekosten',
  'Stellungnahme der Kämmerei',
  'Erläuterung',
]);
const isHeading = (line: string) => headings.has(line.replace(/^\d+\.\s+/, ''));

/** The content lines of a page, without running header and footer. */
function contentLines(pdf: Uint8Array, page: number): string[] {
  return pdfText(pdf, page)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !/^Stand: /.test(line) && !/^Seite \d+ von \d+$/.test(line) && !/Beschlussvorlage$/.test(line) && line !== 'ohne Vorlagen-Nr.');
}

describe('page breaks of the Vorlage', () => {
  it('never leaves a heading at the bottom of a page and keeps the coverage checkboxes and co-signatures together', async () => {
    const alternatives = demoContents.alternativen as RichTextDoc;
    const endedOnHeading: string[] = [];
    for (let extra = 0; extra < 24; extra += 1) {
      const filler = Array.from({ length: extra }, (_, i) => p(`Ergänzung ${i + 1}.`));
      const contents = { ...demoContents, alternativen: doc(...(alternatives.content as Block[]), ...filler) };
      const { pdf } = await renderDossier(contents, { mode: 'final', title: 'Verstetigung des Labors der kreativen Köpfe' });
      const pages = Number(pdfInfo(pdf).Pages);
      for (let page = 1; page <= pages; page += 1) {
        const lines = contentLines(pdf, page);
        const last = lines.at(-1) ?? '';
        if (page < pages && isHeading(last)) endedOnHeading.push(`${extra} Zusatzzeilen, Seite ${page}: „${last}“`);
        // the four coverage options share a page, and the co-signature rows share one with their heading
        const coverage = ['Mittel sind im Haushalt vorhanden', 'überplanmäßige Ausgabe', 'außerplanmäßige Ausgabe', 'Deckungsvorschlag'].filter((option) =>
          lines.includes(option),
        );
        expect([0, 4], `${extra} Zusatzzeilen, Seite ${page}: ${coverage.join(', ')}`).toContain(coverage.length);
        if (lines.includes('Mitzeichnung'))
          expect(
            lines.filter((line) => line.endsWith('ausstehend')),
            `${extra} Zusatzzeilen, Seite ${page}`,
          ).toHaveLength(4);
      }
    }
    expect(endedOnHeading).toEqual([]);
  }, 60_000);
});
