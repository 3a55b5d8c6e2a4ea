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
const signature = (department: string, sections: Record<string, string> = {}) => ({ department, name: `Leitung ${department}`, signedAt: '2026-11-20T09:30:00.000Z', sections });
const titles = new Map([['finanzen', 'Finanzielle Auswirkungen']]);

describe('Mitzeichnung rows', () => {
  it('lists the involved departments in header order, open until signed, then departments that signed without being picked, by name', () => {
    const rows = signatureRows(['kaemmerei', 'rechtsamt'], [signature('personalamt'), signature('kaemmerei', { finanzen: 'h1', unbekannt: 'h2' })], (id) => titles.get(id), departments);
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
    expect(involvedDepartments(template, { fields: { beteiligt: ['rechtsamt', '', 'Stadtwerke', 'kaemmerei'] } }, departments)).toEqual(['rechtsamt', 'kaemmerei']);
    expect(involvedDepartments(template, { fields: { beteiligt: 'kaemmerei' } }, departments)).toEqual([]);
    expect(involvedDepartments(template, undefined, departments)).toEqual([]);
  });
});
