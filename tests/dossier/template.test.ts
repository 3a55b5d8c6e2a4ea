import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decidesAccess, findSection, involvedDepartmentsField, involvedFrom, templateSchema, visibilityFrom, type Template } from '../../dossier/template';
import { projectRoot } from '../support/server';

const shipped = JSON.parse(readFileSync(join(projectRoot, 'templates/verstetigung-smart-city.json'), 'utf8'));
const template: Template = templateSchema.parse(shipped);

/** The messages (with their paths) the schema gives for the shipped template changed by `change`. */
function issues(change: (template: any) => void): { path: string; message: string }[] {
  const copy = structuredClone(shipped);
  change(copy);
  const result = templateSchema.safeParse(copy);
  return result.success ? [] : result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

describe('template schema', () => {
  it('accepts the shipped template as it is', () => {
    expect(issues(() => {})).toEqual([]);
  });

  it('names a duplicate section id at the second occurrence', () => {
    expect(issues((t) => (t.sections[3].id = t.sections[2].id))).toContainEqual({
      path: 'sections.3.id',
      message: `Abschnitts-ID "${shipped.sections[2].id}" ist doppelt`,
    });
  });

  it('lets co-signing cover only signable sections of the template', () => {
    expect(template.cosigning?.covers.finance).toEqual(['finanzen', 'beschlussvorschlag']);
    const message = (id: string) => ({ path: 'cosigning.covers.finance', message: `"${id}" ist kein mitzuzeichnender Abschnitt dieses Vorlagenmusters` });
    expect(issues((t) => (t.cosigning.covers.finance = ['finanzen', 'gibt-es-nicht']))).toEqual([message('gibt-es-nicht')]);
    expect(issues((t) => (t.cosigning.covers.finance = ['mitzeichnung']))).toEqual([message('mitzeichnung')]);
    expect(issues((t) => (t.cosigning.covers.finance = []))).toHaveLength(1);
    expect(issues((t) => delete t.cosigning)).toEqual([]);
  });

  it('needs the title section to be a text section of the template', () => {
    const message = (id: string) => ({ path: 'titleSection', message: `"${id}" ist kein Textabschnitt dieses Vorlagenmusters` });
    expect(issues((t) => (t.titleSection = 'gibt-es-nicht'))).toEqual([message('gibt-es-nicht')]);
    expect(issues((t) => (t.titleSection = 'kopf'))).toEqual([message('kopf')]);
  });

  it('needs the visibility field to be a field of a header section', () => {
    const visibility = shipped.visibility;
    expect(visibility).toBeDefined();
    const message = (at: string) => ({ path: 'visibility', message: `"${at}" ist kein Kopffeld dieses Vorlagenmusters` });
    expect(issues((t) => (t.visibility.field = 'fehlt'))).toEqual([message(`${visibility.section}.fehlt`)]);
    expect(issues((t) => (t.visibility.section = 'betreff'))).toEqual([message(`betreff.${visibility.field}`)]);
    expect(issues((t) => (t.visibility.section = 'fehlt'))).toEqual([message(`fehlt.${visibility.field}`)]);
    expect(issues((t) => delete t.visibility)).toEqual([]);
  });

  it('refuses a reference-number pattern that is no regular expression, and an example that does not match it', () => {
    expect(issues((t) => (t.referenceNumber.pattern = '(['))).toEqual([{ path: 'referenceNumber.pattern', message: 'kein gültiger regulärer Ausdruck' }]);
    expect(issues((t) => (t.referenceNumber = { pattern: '^\\d{4}/\\d{3}$', example: '2026-001' }))).toEqual([
      { path: 'referenceNumber.example', message: 'Beispiel passt nicht zum Muster' },
    ]);
    expect(issues((t) => (t.referenceNumber = { pattern: '^\\d{4}/\\d{3}$', example: '2026/001' }))).toEqual([]);
  });

  it('allows only lowercase slugs as ids and owners', () => {
    const slugMessage = 'nur Kleinbuchstaben, Ziffern und Bindestriche, beginnend mit einem Buchstaben';
    expect(issues((t) => (t.sections[2].owner = 'Finance'))).toEqual([{ path: 'sections.2.owner', message: slugMessage }]);
    expect(issues((t) => (t.id = '1-vorlage'))).toEqual([{ path: 'id', message: slugMessage }]);
    expect(issues((t) => (t.id = 'vorlage-2'))).toEqual([]);
  });
});

describe('template lookups', () => {
  it('finds a section by id, and nothing for an unknown id', () => {
    expect(findSection(template, 'betreff')?.kind).toBe('text');
    expect(findSection(template, 'gibt-es-nicht')).toBeUndefined();
  });

  it('reads öffentlich from the visibility field of its section only', () => {
    const { section, field, publicValue } = template.visibility!;
    expect(visibilityFrom(template, section, { fields: { [field]: publicValue } })).toBe(true);
    expect(visibilityFrom(template, section, { fields: { [field]: `nicht${publicValue}` } })).toBe(false);
    // A header without the field, or no content at all, is nichtöffentlich: confidential unless said otherwise.
    expect(visibilityFrom(template, section, { fields: {} })).toBe(false);
    expect(visibilityFrom(template, section, null)).toBe(false);
    expect(visibilityFrom(template, 'betreff', { fields: { [field]: publicValue } })).toBeUndefined();
    expect(visibilityFrom({ ...template, visibility: undefined }, section, { fields: { [field]: publicValue } })).toBeUndefined();
  });

  it('has at most one field of involved departments, and reads what it lists from that field only', () => {
    expect(involvedDepartmentsField(template)).toEqual({ section: 'kopf', field: 'beteiligt' });
    const second = { id: 'mitwirkend', label: 'Mitwirkende Dienststellen', type: 'departments' };
    expect(issues((t) => t.sections[0].fields.push(second))).toEqual([
      { path: 'sections', message: 'höchstens ein Kopffeld vom Typ "departments" (Beteiligte Dienststellen)' },
    ]);
    expect(involvedFrom(template, 'kopf', { fields: { beteiligt: ['kaemmerei', 3, 'Rechtsamt'] } })).toEqual(['kaemmerei', 'Rechtsamt']);
    expect(involvedFrom(template, 'kopf', { fields: { beteiligt: 'kaemmerei' } })).toEqual([]);
    expect(involvedFrom(template, 'kopf', null)).toEqual([]);
    expect(involvedFrom(template, 'betreff', { fields: { beteiligt: ['kaemmerei'] } })).toBeUndefined();
    const withoutField = templateSchema.parse({
      ...shipped,
      sections: shipped.sections.map((s: any) => (s.id === 'kopf' ? { ...s, fields: s.fields.filter((f: any) => f.type !== 'departments') } : s)),
    });
    expect(involvedDepartmentsField(withoutField)).toBeUndefined();
    expect(involvedFrom(withoutField, 'kopf', { fields: { beteiligt: ['kaemmerei'] } })).toBeUndefined();
  });

  it('knows which sections decide who may read: the one with the visibility field, the one listing involved departments', () => {
    expect(template.sections.filter((s) => decidesAccess(template, s.id)).map((s) => s.id)).toEqual(['kopf']);
    // each on its own, wherever a template puts it
    const apart: Template = { ...template, visibility: { ...template.visibility!, section: 'betreff' } };
    expect(template.sections.filter((s) => decidesAccess(apart, s.id)).map((s) => s.id)).toEqual(['kopf', 'betreff']);
    const withoutVisibility: Template = { ...template, visibility: undefined };
    expect(decidesAccess(withoutVisibility, 'kopf')).toBe(true);
    const neither: Template = { ...withoutVisibility, sections: template.sections.filter((s) => s.kind !== 'header') };
    expect(neither.sections.some((s) => decidesAccess(neither, s.id))).toBe(false);
    expect(decidesAccess(template, 'gibt-es-nicht')).toBe(false);
  });
});
