/**
 * Demo departments and users, seeded on the first start together with the demo
 * dossier. Every demo user has the password `ratsdossier-demo` (see README);
 * set SEED_DEMO=false for a real installation.
 */
import type { Role } from '../../dossier/policy';
import type { DepartmentRecord } from '../storage/storage';

export const DEMO_PASSWORD = 'ratsdossier-demo';

export const demoDepartments: DepartmentRecord[] = [
  { id: 'smart-city', name: 'Amt für Digitalisierung und Smart City', shortName: 'SC', function: 'smart-city' },
  { id: 'kaemmerei', name: 'Kämmerei', shortName: '20', function: 'finance' },
  { id: 'rechtsamt', name: 'Rechtsamt', shortName: '30', function: 'legal' },
  { id: 'klimaschutz', name: 'Amt für Klimaschutz', shortName: 'KS', function: 'climate' },
  { id: 'personalamt', name: 'Personal- und Organisationsamt', shortName: '11', function: 'hr' },
  { id: 'sitzungsdienst', name: 'Sitzungsdienst', shortName: 'SD', function: 'clerk' },
  { id: 'it', name: 'IT und Organisation', shortName: 'IT', function: 'it' },
  { id: 'stadtrat', name: 'Stadtrat', shortName: 'SR', function: 'council' },
];

export const demoUsers: { username: string; displayName: string; departmentId: string; roles: Role[] }[] = [
  { username: 'jana.becker', displayName: 'Jana Becker', departmentId: 'smart-city', roles: ['author'] },
  { username: 'tobias.wagner', displayName: 'Tobias Wagner', departmentId: 'smart-city', roles: ['author'] },
  { username: 'sabine.huber', displayName: 'Sabine Huber', departmentId: 'kaemmerei', roles: ['author', 'finance'] },
  { username: 'murat.yilmaz', displayName: 'Murat Yılmaz', departmentId: 'kaemmerei', roles: ['finance'] },
  { username: 'clara.neumann', displayName: 'Dr. Clara Neumann', departmentId: 'rechtsamt', roles: ['author'] },
  { username: 'felix.roth', displayName: 'Felix Roth', departmentId: 'klimaschutz', roles: ['author'] },
  { username: 'petra.schmid', displayName: 'Petra Schmid', departmentId: 'sitzungsdienst', roles: ['clerk'] },
  { username: 'stadtrat.meier', displayName: 'Stadträtin Anna Meier', departmentId: 'stadtrat', roles: ['reader'] },
  { username: 'admin', displayName: 'Administration', departmentId: 'it', roles: ['admin'] },
  // Zeichnungsbefugnis: who co-signs for a department (Amtsleitung or a deputy), one for the lead and for every department the demo dossier involves
  { username: 'markus.klein', displayName: 'Markus Klein', departmentId: 'smart-city', roles: ['signatory'] },
  { username: 'kai.fischer', displayName: 'Kai Fischer', departmentId: 'kaemmerei', roles: ['signatory'] },
  { username: 'eva.lange', displayName: 'Dr. Eva Lange', departmentId: 'rechtsamt', roles: ['signatory'] },
  { username: 'jonas.weber', displayName: 'Jonas Weber', departmentId: 'klimaschutz', roles: ['signatory'] },
  { username: 'ines.hoffmann', displayName: 'Ines Hoffmann', departmentId: 'personalamt', roles: ['signatory'] },
];
