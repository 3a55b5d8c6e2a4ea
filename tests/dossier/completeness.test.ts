import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSectionFilled } from '../../dossier/completeness';
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
    const empty = template.sections.filter((s) => s.required && !isSectionFilled(s, initialContent(s, 'Verstetigung der Sensorplattform', template, now) as never)).map((s) => s.id);
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
    const fields = { 'vorlage-art': 'beschlussvorlage', oeffentlichkeit: 'oeffentlich', datum: '2026-05-01', aktenzeichen: 'SC-1', federfuehrend: 'Amt', berichterstattung: 'Referentin', beteiligt: [] };
    expect(filled('kopf', { fields })).toBe(true);
    expect(filled('kopf', { fields: { ...fields, aktenzeichen: ' ' } })).toBe(false);
  });
});
