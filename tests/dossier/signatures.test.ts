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
