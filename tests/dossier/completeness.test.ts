import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSectionFilled, missingHeaderFields } from '../../dossier/completeness';
import { emptyRichText } from '../../dossier/content';
import { doc, p } from '../../dossier/rich-text';
import { findSection, type Template, type TemplateSection } from '../../dossier/template';
import { initialContent } from '../../server/dossiers/create';
import { demoContents } from '../../server/demo/labor-der-kreativen-koepfe';
import { loadTemplates } from '../../server/templates/loader';
import { projectRoot } from '../support/server';

const template: Template = (await loadTemplates(join(projectRoot, 'templates'))).get('verstetigung-smart-city')!;
const section = (id: string): TemplateSection => findSection(template, id)!;
const filled = (id: string, content: unknown) => isSectionFilled(section(id), content as never);

describe('isSectionFilled', () => {
  it('counts every required section of a new dossier as empty except those the template or the title fill', () => {
    const now = new Date('2026-05-01T10:00:00Z');
    const empty = template.sections
      .filter((s) => s.required && !isSectionFilled(s, initialContent(s, 'Verstetigung der Sensorplattform', template, now) as never))
      .map((s) => s.id);
    // The subject is the title; the Beratungsfolge comes with two rows from the template.
    expect(empty).toEqual(['kopf', 'beschlussvorschlag', 'ausgangslage', 'zielgruppen', 'wirkung', 'betreibermodell', 'alternativen', 'finanzen', 'klima']);
  });

  it('counts every required section of the demo dossier as filled', () => {
    for (const s of template.sections.filter((s) => s.required)) expect([s.id, isSectionFilled(s, demoContents[s.id] as never)]).toEqual([s.id, true]);
  });

  it('treats text left as the template seeded it as empty, and any own text as filled', () => {
    const beschluss = section('beschlussvorschlag');
    expect(filled('beschlussvorschlag', beschluss.kind === 'text' ? beschluss.initial : null)).toBe(false);
    expect(filled('ausgangslage', emptyRichText())).toBe(false);
    expect(filled('ausgangslage', doc(p('Die Pegel-Warnung schützt die Altstadtkeller.')))).toBe(true);
  });

  it('asks a choice for the texts its option requires', () => {
    const explained = { erlaeuterung: doc(p('Weniger Fahrten.')) };
    expect(filled('klima', { value: null, texts: explained })).toBe(false);
    expect(filled('klima', { value: 'ja-positiv', texts: explained })).toBe(true);
    expect(filled('klima', { value: 'ja-negativ', texts: explained })).toBe(false);
    expect(filled('klima', { value: 'ja-negativ', texts: { ...explained, alternativen: doc(p('Ökostrom.')) } })).toBe(true);
  });

  it('needs every single-value header field but not the lists', () => {
    const fields = {
      'vorlage-art': 'beschlussvorlage',
      oeffentlichkeit: 'oeffentlich',
      datum: '2026-05-01',
      aktenzeichen: 'SC-1',
      federfuehrend: 'Amt',
      berichterstattung: 'Referentin',
      beteiligt: [],
    };
    expect(filled('kopf', { fields })).toBe(true);
    expect(filled('kopf', { fields: { ...fields, aktenzeichen: ' ' } })).toBe(false);
  });

  it('names the header fields still missing, in template order', () => {
    const kopf = section('kopf');
    if (kopf.kind !== 'header') throw new Error('kopf is no header');
    expect(
      missingHeaderFields(kopf, { fields: { 'vorlage-art': 'beschlussvorlage', oeffentlichkeit: 'oeffentlich', aktenzeichen: 'SC-1', beteiligt: [] } }),
    ).toEqual(['Datum', 'Federführende Dienststelle', 'Berichterstatter/in']);
  });
});

describe('readiness for release', async () => {
  const { checkReadiness } = await import('../../dossier/completeness');
  const templates = await loadTemplates(join(projectRoot, 'templates'));
  const template = templates.get('verstetigung-smart-city')!;
  const complete = () =>
    new Map<string, unknown>(template.sections.map((s) => [s.id, demoContents[s.id] ?? initialContent(s, 'Betreff', template, new Date('2026-11-01'))]));
  const valid = {
    departmentId: 'rechtsamt',
    departmentName: 'Rechtsamt',
    state: 'valid' as const,
    decision: 'agree' as const,
    remark: null,
    changedSections: [],
  };
  const errors = (result: ReturnType<typeof checkReadiness>) => result.items.filter((i) => !i.ok && i.severity === 'error').map((i) => i.id);

  it('is ready when everything required is there; a missing Vorlagen-Nr. is only a warning, the release assigns one', () => {
    const result = checkReadiness(template, complete(), [valid], { referenceNumber: null });
    expect(result.ready).toBe(true);
    expect(result.items.find((i) => i.id === 'reference-number')).toMatchObject({ ok: false, severity: 'warning' });
    expect(checkReadiness(template, complete(), [valid], { referenceNumber: 'VO/26/00001/SC' }).items.find((i) => i.id === 'reference-number')).toMatchObject({
      ok: true,
    });
  });

  it('names each empty required section, a missing Beratungsfolge and incomplete costs', () => {
    const contents = complete();
    contents.set('wirkung', emptyRichText());
    contents.set('beratungsfolge', { rows: [] });
    const budget = structuredClone(demoContents.finanzen) as { coverage: { kind: string | null } };
    budget.coverage.kind = null;
    contents.set('finanzen', budget);
    const result = checkReadiness(template, contents, [], { referenceNumber: null });
    expect(result.ready).toBe(false);
    expect(errors(result)).toEqual(['section:beratungsfolge', 'consultation', 'section:wirkung', 'section:finanzen', 'budget']);
    expect(result.items.find((i) => i.id === 'budget')!.message).toMatch(/Deckung fehlt/);
  });

  it('blocks on negative amounts stored before they were refused, naming how many lines hold one', () => {
    const contents = complete();
    const budget = structuredClone(demoContents.finanzen) as { lines: { amounts: Record<string, number> }[] };
    budget.lines[0]!.amounts['2027'] = -100;
    budget.lines[1]!.amounts['2028'] = -1;
    contents.set('finanzen', budget);
    const result = checkReadiness(template, contents, [valid], { referenceNumber: null });
    expect(result.ready).toBe(false);
    expect(errors(result)).toEqual(['budget-negative']);
    expect(result.items.find((i) => i.id === 'budget-negative')!.message).toMatch(/2 Haushaltszeilen haben einen negativen Betrag/);
  });

  it('blocks on a pending, an invalid signature and an objection, with German reasons', () => {
    const result = checkReadiness(
      template,
      complete(),
      [
        { ...valid, departmentId: 'a', departmentName: 'Amt A', state: 'pending', decision: null },
        { ...valid, departmentId: 'b', departmentName: 'Amt B', state: 'invalid', changedSections: ['finanzen'] },
        { ...valid, departmentId: 'c', departmentName: 'Amt C', decision: 'object', remark: 'Nicht abgestimmt.' },
        { ...valid, departmentId: 'd', departmentName: 'Amt D', decision: 'agree-with-remarks', remark: 'Bitte Termin prüfen.' },
      ],
      { referenceNumber: null },
    );
    expect(errors(result)).toEqual(['signature:a', 'signature:b', 'signature:c']);
    expect(result.items.filter((i) => i.id.startsWith('signature:')).map((i) => i.message)).toEqual([
      'Die Mitzeichnung von Amt A fehlt.',
      'Die Mitzeichnung von Amt B ist ungültig, weil sich danach geändert hat: Finanzielle Auswirkungen.',
      'Amt C hat Einwand erhoben: „Nicht abgestimmt.“',
      'Amt D hat mitgezeichnet.',
    ]);
  });

  it('unanswered guidance of an optional section is a warning, never an error', () => {
    const contents = complete();
    contents.set('anlagen', { items: [] });
    const result = checkReadiness(template, contents, [], { referenceNumber: 'VO/26/00001/SC' });
    expect(result.ready).toBe(true);
    expect(result.items.find((i) => i.id === 'guidance:anlagen')).toMatchObject({ ok: false, severity: 'warning' });
  });
});
