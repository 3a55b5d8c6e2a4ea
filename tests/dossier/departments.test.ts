import { describe, expect, it } from 'vitest';
import { departmentIds, departmentName, departmentsLosingAccess } from '../../dossier/departments';

const departments = [
  { id: 'kaemmerei', name: 'Kämmerei' },
  { id: 'rechtsamt', name: 'Rechtsamt' },
  { id: 'personalamt', name: 'Personal- und Organisationsamt' },
];

describe('department ids for header values', () => {
  it('keeps ids, maps names case-insensitively to ids, drops unknown values and duplicates', () => {
    expect(departmentIds(['rechtsamt', 'personal- und organisationsamt', 'Rechtsamt', 'RECHTSAMT', 'Kammerei', 'kaemmerei'], departments)).toEqual([
      'rechtsamt',
      'personalamt',
      'kaemmerei',
    ]);
    expect(departmentIds(['Kämmerei'], [])).toEqual([]);
  });

  it('names a department by the city’s list, and a department the city no longer has by its id', () => {
    expect(departmentName('personalamt', departments)).toBe('Personal- und Organisationsamt');
    expect(departmentName('stadtwerke', departments)).toBe('stadtwerke');
  });
});

describe('departments losing access', () => {
  const city = [
    { id: 'smart-city', name: 'Amt für Digitalisierung und Smart City', function: 'smart-city' },
    { id: 'kaemmerei', name: 'Kämmerei', function: 'finance' },
    { id: 'rechtsamt', name: 'Rechtsamt', function: 'legal' },
    { id: 'sitzungsdienst', name: 'Sitzungsdienst', function: 'clerk' },
    { id: 'stadtrat', name: 'Stadtrat', function: 'council' },
  ];
  const access = (isPublic: boolean, involvedDepartmentIds: string[]) => ({ public: isPublic, leadDepartmentId: 'smart-city', involvedDepartmentIds });
  const losing = (before: ReturnType<typeof access>, after: ReturnType<typeof access>) => departmentsLosingAccess(before, after, city).map((d) => d.id);

  it('turning nichtöffentlich: every department but the lead, the involved ones and the Sitzungsdienst', () => {
    expect(losing(access(true, ['kaemmerei']), access(false, ['kaemmerei']))).toEqual(['rechtsamt', 'stadtrat']);
  });

  it('taking a department off the list of a nichtöffentlich Vorlage: that department; of an öffentlich one: none', () => {
    expect(losing(access(false, ['kaemmerei', 'rechtsamt']), access(false, ['rechtsamt']))).toEqual(['kaemmerei']);
    expect(losing(access(true, ['kaemmerei', 'rechtsamt']), access(true, ['rechtsamt']))).toEqual([]);
  });

  it('giving access takes none away', () => {
    expect(losing(access(false, []), access(true, []))).toEqual([]);
    expect(losing(access(false, []), access(false, ['kaemmerei']))).toEqual([]);
  });
});
