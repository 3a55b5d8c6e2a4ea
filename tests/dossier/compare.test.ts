import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareSections, diffText, richTextToText, sectionText, type DiffPart } from '../../dossier/compare';
import type { BudgetContent, SectionContentByKind } from '../../dossier/content';
import { br, doc, h, ol, p, quote, table, ul, li, bold } from '../../dossier/rich-text';
import { findSection, type Template, type TemplateSection } from '../../dossier/template';
import { demoContents } from '../../server/demo/labor-der-kreativen-koepfe';
import { loadTemplates } from '../../server/templates/loader';
import { projectRoot } from '../support/server';

const template: Template = (await loadTemplates(join(projectRoot, 'templates'))).get('verstetigung-smart-city')!;
const section = (id: string): TemplateSection => findSection(template, id)!;

/** The texts a diff reproduces: `from` from equal and deleted parts, `to` from equal and inserted ones. */
const sides = (diff: DiffPart[]) => ({
  from: diff
    .filter((part) => part.op !== 'insert')
    .map((part) => part.text)
    .join(''),
  to: diff
    .filter((part) => part.op !== 'delete')
    .map((part) => part.text)
    .join(''),
});

const budget = (overrides: Partial<BudgetContent> = {}): BudgetContent => ({
  firstYear: 2027,
  lastYear: 2028,
  lines: [
    {
      id: 'l1',
      costType: 'sach',
      recurrence: 'laufend',
      description: 'Miete Laborfläche',
      account: { produkt: '1.1.1.08', kostenstelle: '120800', sachkonto: '52310000', haushaltsstelle: '0.1234.5678' },
      amounts: { '2027': 3_600_000, '2028': 3_708_050 },
    },
    {
      id: 'l2',
      costType: 'ertrag',
      recurrence: 'einmalig',
      description: 'Zuschuss des Landkreises',
      account: { produkt: '', kostenstelle: '', sachkonto: '', haushaltsstelle: '' },
      amounts: { '2027': 500_000, '2031': 99_900 },
    },
  ],
  coverage: { kind: 'ueberplanmaessig', text: 'Deckung aus Produkt 1.1.1.09.' },
  followUpCosts: 'Ab 2029 rund 40.000 € jährlich.',
  statement: doc(p('Geprüft von der Kämmerei.')),
  ...overrides,
});

describe('sectionText: a readable projection of each kind', () => {
  it('rich text keeps paragraphs, headings, list items (numbered, nested), hard breaks and table rows apart', () => {
    const text = richTextToText(
      doc(
        h(2, 'Ziele'),
        p('Erster ', bold('Absatz'), '.'),
        p(),
        p('Zeile eins', br(), 'Zeile zwei'),
        ol('Erstens', 'Zweitens'),
        ul(li('Oben', ul('Unten'))),
        quote(p('Zitat')),
        table(['Indikator', 'Ziel'], ['Besuche', '3.000']),
      ),
    );
    expect(text).toBe(
      [
        'Ziele',
        'Erster Absatz.',
        'Zeile eins',
        'Zeile zwei',
        '1. Erstens',
        '2. Zweitens',
        '• Oben',
        '  • Unten',
        'Zitat',
        'Indikator | Ziel',
        'Besuche | 3.000',
      ].join('\n'),
    );
    expect(sectionText(section('ausgangslage'), doc(p('Ein Satz.')))).toBe('Ein Satz.');
    expect(richTextToText({ type: 'doc', content: [{ type: 'orderedList', attrs: { start: 3 }, content: [li('Drittens')] }] })).toBe('3. Drittens');
  });

  it('header: "Label: value" per template field, select options by label, dates de-DE, lists joined, empty as –', () => {
    const content: SectionContentByKind['header'] = {
      fields: {
        'vorlage-art': 'beschlussvorlage',
        oeffentlichkeit: 'nichtoeffentlich',
        datum: '2026-11-18',
        aktenzeichen: ' SC-12/0231 ',
        beteiligt: ['Kämmerei', ' ', 'Rechtsamt'],
      },
    };
    expect(sectionText(section('kopf'), content).split('\n')).toEqual([
      'Vorlage-Art: Beschlussvorlage',
      'Öffentlichkeit: nichtöffentlich',
      'Datum: 18.11.2026',
      'Aktenzeichen: SC-12/0231',
      'Federführende Dienststelle: –',
      'Beteiligte Dienststellen: Kämmerei, Rechtsamt',
      'Berichterstatter/in: –',
    ]);
  });

  it('Beratungsfolge: one line per row with body, date, role, öffentlich/nichtöffentlich and result', () => {
    const content: SectionContentByKind['consultation'] = {
      rows: [
        { id: 'r1', body: 'Finanzausschuss', date: '2027-01-27', role: 'vorberatung', public: false, result: '' },
        { id: 'r2', body: 'Stadtrat', date: '', role: 'entscheidung', public: true, result: 'einstimmig beschlossen' },
      ],
    };
    expect(sectionText(section('beratungsfolge'), content).split('\n')).toEqual([
      'Finanzausschuss, 27.01.2027, Vorberatung, nichtöffentlich',
      'Stadtrat, Datum offen, Entscheidung, öffentlich, Ergebnis: einstimmig beschlossen',
    ]);
  });

  it('budget: each line with type, recurrence, account, amounts per year de-DE, then the totals, coverage, follow-up costs and statement', () => {
    expect(sectionText(section('finanzen'), budget(), 'doppisch').split('\n')).toEqual([
      'Sachkosten (laufend): Miete Laborfläche',
      'Konto: 1.1.1.08 / 120800 / 52310000',
      '2027: 36.000,00\u00A0€; 2028: 37.080,50\u00A0€; gesamt: 73.080,50\u00A0€',
      'Erträge/Einnahmen (einmalig): Zuschuss des Landkreises',
      // 2031 lies outside the budget's years and counts nowhere
      '2027: 5.000,00\u00A0€; 2028: 0,00\u00A0€; gesamt: 5.000,00\u00A0€',
      'Summe Kosten: 2027: 36.000,00\u00A0€; 2028: 37.080,50\u00A0€; gesamt: 73.080,50\u00A0€',
      'Summe Erträge: 2027: 5.000,00\u00A0€; 2028: 0,00\u00A0€; gesamt: 5.000,00\u00A0€',
      'Nettobelastung: 2027: 31.000,00\u00A0€; 2028: 37.080,50\u00A0€; gesamt: 68.080,50\u00A0€',
      'Deckung: überplanmäßige Ausgabe',
      'Deckung aus Produkt 1.1.1.09.',
      'Folgekosten: Ab 2029 rund 40.000 € jährlich.',
      'Geprüft von der Kämmerei.',
    ]);
    expect(sectionText(section('finanzen'), budget(), 'kameral').split('\n')[1]).toBe('Konto: 0.1234.5678');
    expect(
      sectionText(section('finanzen'), budget({ lines: [], coverage: { kind: null, text: '' }, followUpCosts: '', statement: doc(p()) })).split('\n'),
    ).toEqual([
      'Summe Kosten: 2027: 0,00\u00A0€; 2028: 0,00\u00A0€; gesamt: 0,00\u00A0€',
      'Summe Erträge: 2027: 0,00\u00A0€; 2028: 0,00\u00A0€; gesamt: 0,00\u00A0€',
      'Nettobelastung: 2027: 0,00\u00A0€; 2028: 0,00\u00A0€; gesamt: 0,00\u00A0€',
      'Deckung: nicht angegeben',
    ]);
  });

  it('choice: the chosen option by label and the texts that apply, or that hold text although they do not apply', () => {
    const klima = section('klima');
    expect(sectionText(klima, { value: null, texts: {} }).split('\n')).toEqual(['Auswahl: keine Auswahl', 'Erläuterung:', '–']);
    const texts = { erlaeuterung: doc(p('Weniger Fahrten.')), alternativen: doc(p('Ökostrom.')) };
    const labels = klima.kind === 'choice' ? Object.fromEntries(klima.texts.map((text) => [text.id, text.label])) : {};
    expect(sectionText(klima, { value: 'ja-negativ', texts }).split('\n')).toEqual([
      'Auswahl: ja, negativ',
      'Erläuterung:',
      'Weniger Fahrten.',
      `${labels.alternativen}:`,
      'Ökostrom.',
    ]);
    expect(sectionText(klima, { value: 'ja-positiv', texts: { erlaeuterung: texts.erlaeuterung, alternativen: doc(p()) } }).split('\n')).toEqual([
      'Auswahl: ja, positiv',
      'Erläuterung:',
      'Weniger Fahrten.',
    ]);
  });

  it('attachments and signatures: one line each', () => {
    expect(
      sectionText(section('anlagen'), {
        items: [
          { id: 'a1', title: 'Evaluationsbericht', public: true },
          { id: 'a2', title: ' ', public: false },
          { id: 'a3', title: 'Lageplan', public: true, fileId: '3f9k2a7bqq00xx' },
        ],
      }).split('\n'),
    ).toEqual(['Anlage 1: Evaluationsbericht (öffentlich)', 'Anlage 2: (ohne Titel) (nichtöffentlich)', 'Anlage 3: Lageplan (öffentlich), Datei 3f9k2a7b']);
    expect(
      sectionText(section('mitzeichnung'), {
        items: [{ department: 'Kämmerei', name: 'Sabine Huber', signedAt: '2026-12-01T09:30:00.000Z', sections: { finanzen: 'abc' } }],
      }),
    ).toBe('Kämmerei: Sabine Huber, 01.12.2026');
  });

  it('content that does not fit its kind reads as empty instead of failing the report', () => {
    expect(sectionText(section('kopf'), { fields: 7 })).toBe('');
    expect(sectionText(section('finanzen'), undefined)).toBe('');
    expect(sectionText(section('ausgangslage'), 'kein Dokument')).toBe('');
  });
});

describe('diffText: words as a reader sees them, from the diff package', () => {
  it('shows a known edit as exactly that deletion and insertion', () => {
    expect(diffText('Die Stadt zahlt 10.000 Euro.', 'Die Stadt zahlt 12.000 Euro jährlich.')).toEqual([
      { op: 'equal', text: 'Die Stadt zahlt ' },
      { op: 'delete', text: '10.000' },
      { op: 'insert', text: '12.000' },
      { op: 'equal', text: ' Euro' },
      { op: 'insert', text: ' jährlich' },
      { op: 'equal', text: '.' },
    ]);
  });

  it('keeps German amounts whole and reproduces both texts exactly, whitespace and line breaks included', () => {
    const diff = diffText('Miete: 1.250,00 €\nZweite  Zeile', 'Miete: 1.350,50 €\nZweite Zeile\nDritte');
    expect(diff.filter((part) => part.op !== 'equal')).toEqual([
      { op: 'delete', text: '1.250,00' },
      { op: 'insert', text: '1.350,50' },
      { op: 'delete', text: '  ' },
      { op: 'insert', text: ' ' },
      { op: 'insert', text: '\nDritte' },
    ]);
    expect(sides(diff)).toEqual({ from: 'Miete: 1.250,00 €\nZweite  Zeile', to: 'Miete: 1.350,50 €\nZweite Zeile\nDritte' });
  });

  it('shows a rewritten sentence as one deletion and one insertion, not as words alternating with kept spaces', () => {
    expect(diffText('Der Rat beschließt die Sache.\nDie Stadt zahlt.', 'Neu formuliert ist sie ganz anders.\nDie Stadt zahlt.')).toEqual([
      { op: 'delete', text: 'Der Rat beschließt die Sache' },
      { op: 'insert', text: 'Neu formuliert ist sie ganz anders' },
      { op: 'equal', text: '.\nDie Stadt zahlt.' },
    ]);
  });

  it('compares words only within changed lines: an unchanged paragraph stays whole between two changed ones', () => {
    const from = ['Erster Absatz mit der Miete.', 'Unverändert: der Rat und die Stadt.', 'Dritter Absatz mit der Stadt.'].join('\n');
    const to = ['Erster Absatz ohne Miete.', 'Unverändert: der Rat und die Stadt.', 'Dritter Absatz mit dem Land.'].join('\n');
    const diff = diffText(from, to);
    expect(diff).toEqual([
      { op: 'equal', text: 'Erster Absatz ' },
      { op: 'delete', text: 'mit der ' },
      { op: 'insert', text: 'ohne ' },
      { op: 'equal', text: 'Miete.\nUnverändert: der Rat und die Stadt.\nDritter Absatz mit ' },
      { op: 'delete', text: 'der Stadt' },
      { op: 'insert', text: 'dem Land' },
      { op: 'equal', text: '.' },
    ]);
    expect(sides(diff)).toEqual({ from, to });
  });

  it('shows a block with too many edits to diff cheaply as deleted and inserted as a whole', () => {
    const words = (seed: number) => Array.from({ length: 3000 }, (_, i) => `w${(i * seed) % 7919}`).join(' ');
    expect(diffText(words(7), words(13))).toEqual([
      { op: 'delete', text: words(7) },
      { op: 'insert', text: words(13) },
    ]);
  });

  it('an empty side is all insertion or all deletion; equal texts are one equal part', () => {
    expect(diffText('', 'Neu.')).toEqual([{ op: 'insert', text: 'Neu.' }]);
    expect(diffText('Alt.', '')).toEqual([{ op: 'delete', text: 'Alt.' }]);
    expect(diffText('Gleich.', 'Gleich.')).toEqual([{ op: 'equal', text: 'Gleich.' }]);
  });
});

describe('compareSections', () => {
  const ids = template.sections.map((s) => s.id);

  it('lists every section in template order; unchanged ones with changed false and one equal part holding their text', () => {
    const report = compareSections(template, demoContents, structuredClone(demoContents));
    expect(report.map((s) => s.sectionId)).toEqual(ids);
    expect(report.map((s) => s.title)).toEqual(template.sections.map((s) => s.title));
    for (const entry of report) {
      expect(entry.changed, entry.sectionId).toBe(false);
      expect(entry.diff, entry.sectionId).toEqual([
        { op: 'equal', text: sectionText(section(entry.sectionId), demoContents[entry.sectionId], template.budgetScheme) },
      ]);
    }
  });

  it('marks exactly the edited section as changed, with the edit as its only insertion and deletion', () => {
    const from = { ...demoContents, alternativen: doc(p('Die Stadt zahlt 10.000 Euro.'), p('Zweiter Absatz.')) };
    const to = { ...demoContents, alternativen: doc(p('Die Stadt zahlt 12.000 Euro jährlich.'), p('Zweiter Absatz.')) };
    const report = compareSections(template, from, to);
    expect(report.filter((s) => s.changed).map((s) => s.sectionId)).toEqual(['alternativen']);
    expect(report.find((s) => s.sectionId === 'alternativen')!.diff).toEqual([
      { op: 'equal', text: 'Die Stadt zahlt ' },
      { op: 'delete', text: '10.000' },
      { op: 'insert', text: '12.000' },
      { op: 'equal', text: ' Euro' },
      { op: 'insert', text: ' jährlich' },
      { op: 'equal', text: '.\nZweiter Absatz.' },
    ]);
  });

  it('ignores the key order of the JSON', () => {
    const reversed = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(reversed)
        : typeof value === 'object' && value !== null
          ? Object.fromEntries(
              Object.entries(value)
                .reverse()
                .map(([key, inner]) => [key, reversed(inner)]),
            )
          : value;
    const shuffled = Object.fromEntries(
      Object.entries(demoContents)
        .reverse()
        .map(([key, value]) => [key, reversed(value)]),
    );
    expect(JSON.stringify(shuffled)).not.toBe(JSON.stringify(demoContents));
    expect(compareSections(template, demoContents, shuffled).filter((s) => s.changed)).toEqual([]);
  });

  it('reads a section missing from one state as empty: all inserted', () => {
    const { anlagen, ...withoutAttachments } = demoContents;
    const entry = compareSections(template, withoutAttachments, demoContents).find((s) => s.sectionId === 'anlagen')!;
    expect(entry.changed).toBe(true);
    expect(entry.diff).toEqual([{ op: 'insert', text: sectionText(section('anlagen'), anlagen) }]);
  });

  it('shows a changed budget amount as the changed numbers, in the line and in the totals', () => {
    const demoBudget = demoContents.finanzen as BudgetContent;
    const first = demoBudget.lines[0]!;
    const year = String(demoBudget.firstYear);
    const raised = {
      ...demoBudget,
      lines: [{ ...first, amounts: { ...first.amounts, [year]: first.amounts[year]! + 100_000 } }, ...demoBudget.lines.slice(1)],
    };
    const entry = compareSections(template, demoContents, { ...demoContents, finanzen: raised }).find((s) => s.sectionId === 'finanzen')!;
    expect(entry.changed).toBe(true);
    const changes = entry.diff.filter((part) => part.op !== 'equal');
    // the line's year and total, Summe Kosten's year and total, Nettobelastung's year and total: six numbers, each deleted and inserted whole
    expect(changes).toHaveLength(12);
    for (const change of changes) expect(change.text).toMatch(/^\d{1,3}(\.\d{3})*,\d{2}$/);
    expect(sides(entry.diff).to).toBe(sectionText(section('finanzen'), raised, template.budgetScheme));
  });
});
