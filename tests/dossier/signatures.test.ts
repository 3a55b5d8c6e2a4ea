import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { involvedDepartments, signatureRows } from '../../dossier/signatures';
import { loadTemplates } from '../../server/templates/loader';
import { projectRoot } from '../support/server';

const template = (await loadTemplates(join(projectRoot, 'templates'))).get('verstetigung-smart-city')!;
const departments = [
  { id: 'kaemmerei', name: 'Kämmerei' },
  { id: 'rechtsamt', name: 'Rechtsamt' },
  { id: 'personalamt', name: 'Personal- und Organisationsamt' },
];
const signature = (department: string, sections: Record<string, string> = {}) => ({
  department,
  name: `Leitung ${department}`,
  signedAt: '2026-11-20T09:30:00.000Z',
  sections,
});
const titles = new Map([['finanzen', 'Finanzielle Auswirkungen']]);

describe('Mitzeichnung rows', () => {
  it('lists the involved departments in header order, open until signed, then departments that signed without being picked, by name', () => {
    const rows = signatureRows(
      ['kaemmerei', 'rechtsamt'],
      [signature('personalamt'), signature('kaemmerei', { finanzen: 'h1', unbekannt: 'h2' })],
      (id) => titles.get(id),
      departments,
    );
    expect(rows.map((row) => [row.departmentId, row.department, row.signature?.name ?? 'ausstehend', row.sectionTitles])).toEqual([
      ['kaemmerei', 'Kämmerei', 'Leitung kaemmerei', ['Finanzielle Auswirkungen', 'unbekannt']],
      ['rechtsamt', 'Rechtsamt', 'ausstehend', []],
      ['personalamt', 'Personal- und Organisationsamt', 'Leitung personalamt', []],
    ]);
  });

  it('gives one row per department, however its name was spelled in an older header or signature', () => {
    const involved = involvedDepartments(template, { fields: { beteiligt: ['Kämmerei', 'kämmerei', ' KÄMMEREI ', 'kaemmerei', 'Rechtsamt'] } }, departments);
    expect(involved).toEqual(['kaemmerei', 'rechtsamt']);
    const rows = signatureRows(involved, [signature('kämmerei')], () => undefined, departments);
    expect(rows.map((row) => [row.department, row.signature ? 'signed' : 'open'])).toEqual([
      ['Kämmerei', 'signed'],
      ['Rechtsamt', 'open'],
    ]);
  });

  it('reads the involved departments from the header, ignoring what is not a list or no department', () => {
    expect(involvedDepartments(template, { fields: { beteiligt: ['rechtsamt', '', 'Stadtwerke', 'kaemmerei'] } }, departments)).toEqual([
      'rechtsamt',
      'kaemmerei',
    ]);
    expect(involvedDepartments(template, { fields: { beteiligt: 'kaemmerei' } }, departments)).toEqual([]);
    expect(involvedDepartments(template, undefined, departments)).toEqual([]);
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
