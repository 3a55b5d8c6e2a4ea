import { describe, expect, it } from 'vitest';
import { involvedDepartments, signatureRows } from '../../dossier/signatures';

const signature = (department: string, sections: Record<string, string> = {}) => ({ department, name: `Leitung ${department}`, signedAt: '2026-11-20T09:30:00.000Z', sections });
const titles = new Map([['finanzen', 'Finanzielle Auswirkungen']]);

describe('Mitzeichnung rows', () => {
  it('lists the involved departments in header order, open until signed, then departments that signed without being named', () => {
    const rows = signatureRows(['Kämmerei', ' ', 'Rechtsamt'], [signature('Personalamt'), signature('Kämmerei', { finanzen: 'h1', unbekannt: 'h2' })], (id) => titles.get(id));
    expect(rows.map((row) => [row.department, row.signature?.name ?? 'ausstehend', row.sectionTitles])).toEqual([
      ['Kämmerei', 'Leitung Kämmerei', ['Finanzielle Auswirkungen', 'unbekannt']],
      ['Rechtsamt', 'ausstehend', []],
      ['Personalamt', 'Leitung Personalamt', []],
    ]);
  });

  it('reads the involved departments from the header, ignoring what is not a list', () => {
    expect(involvedDepartments({ fields: { beteiligt: ['Kämmerei', '', 'Rechtsamt'] } })).toEqual(['Kämmerei', 'Rechtsamt']);
    expect(involvedDepartments({ fields: { beteiligt: 'Kämmerei' } })).toEqual([]);
    expect(involvedDepartments(undefined)).toEqual([]);
  });
});

describe('who co-signs what', async () => {
  const { coveredSections, requiredDepartmentIds, signatureValidity } = await import('../../dossier/signatures');
  const { loadTemplates } = await import('../../server/templates/loader');
  const { projectRoot } = await import('../support/server');
  const { join } = await import('node:path');
  const template = (await loadTemplates(join(projectRoot, 'templates'))).get('verstetigung-smart-city')!;
  const departments = [
    { id: 'kae', function: 'finance' },
    { id: 'ra', function: 'legal' },
  ];

  it('covers every section but the Mitzeichnung, unless the template narrows it for the department function', () => {
    expect(coveredSections(template, 'legal')).toEqual(template.sections.filter((s) => s.kind !== 'signatures').map((s) => s.id));
    expect(coveredSections(template, 'finance')).toEqual(['beschlussvorschlag', 'finanzen']);
  });

  it('asks the involved departments, and the finance office whenever the budget has a line', () => {
    expect(requiredDepartmentIds({ involvedDepartmentIds: ['ra'] }, { lines: [] }, departments)).toEqual(['ra']);
    expect(requiredDepartmentIds({ involvedDepartmentIds: ['ra'] }, { lines: [{} as never] }, departments)).toEqual(['ra', 'kae']);
    expect(requiredDepartmentIds({ involvedDepartmentIds: ['kae', 'ra', 'kae'] }, { lines: [{} as never] }, departments)).toEqual(['kae', 'ra']);
    expect(requiredDepartmentIds({ involvedDepartmentIds: [] }, undefined, departments)).toEqual([]);
  });

  it('a signature holds while every signed section hashes as signed', () => {
    const current = new Map([
      ['a', 'h1'],
      ['b', 'h2'],
    ]);
    expect(signatureValidity({ a: 'h1', b: 'h2' }, current)).toEqual({ state: 'valid', changedSections: [] });
    expect(signatureValidity({ a: 'h1', b: 'alt', c: 'h3' }, current)).toEqual({ state: 'invalid', changedSections: ['b', 'c'] });
  });
});
