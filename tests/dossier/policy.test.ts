/** The rules of dossier/policy.ts one at a time, each with actors built for it (not the demo users). */
import { describe, expect, it } from 'vitest';
import {
  canCreateDossier,
  canExportFinal,
  canManageUsers,
  canReadAudit,
  canSeeDossier,
  canWriteSection,
  isLead,
  type Actor,
  type DossierAccess,
  type Role,
} from '../../dossier/policy';

const actor = (roles: Role[], departmentId = 'amt-1', departmentFunction = 'smart-city'): Actor => ({ id: 'u', departmentId, departmentFunction, roles });
const dossier = (changes: Partial<DossierAccess> = {}): DossierAccess => ({
  status: 'draft',
  leadDepartmentId: 'amt-1',
  involvedDepartmentIds: ['kaemmerei'],
  public: false,
  ...changes,
});

describe('who sees a dossier', () => {
  it('shows a nichtöffentlich dossier to its lead and involved departments, the clerks and admins only', () => {
    expect(canSeeDossier(actor(['signatory'], 'amt-1'), dossier())).toBe(true);
    expect(canSeeDossier(actor(['author'], 'kaemmerei'), dossier())).toBe(true);
    expect(canSeeDossier(actor(['reader'], 'kaemmerei'), dossier({ status: 'released' }))).toBe(true);
    expect(canSeeDossier(actor(['clerk'], 'sitzungsdienst'), dossier())).toBe(true);
    expect(canSeeDossier(actor(['admin'], 'it'), dossier())).toBe(true);
    expect(canSeeDossier(actor(['author', 'finance'], 'rechtsamt'), dossier())).toBe(false);
  });

  it('shows an öffentlich dossier to every signed-in user, to readers (councillors) once it is released', () => {
    expect(canSeeDossier(actor(['author'], 'rechtsamt'), dossier({ public: true }))).toBe(true);
    expect(canSeeDossier(actor(['reader'], 'rechtsamt'), dossier({ public: true, status: 'released' }))).toBe(true);
    expect(canSeeDossier(actor(['reader'], 'rechtsamt'), dossier({ public: true, status: 'cosigning' }))).toBe(false);
    expect(canSeeDossier(actor(['reader'], 'amt-1'), dossier({ public: true }))).toBe(false);
  });
});

describe('who writes a section', () => {
  it('lets only authors of the lead department write lead sections', () => {
    expect(isLead(actor(['author'], 'amt-1'), dossier())).toBe(true);
    expect(isLead(actor(['reader'], 'amt-1'), dossier())).toBe(false);
    expect(isLead(actor(['author'], 'kaemmerei'), dossier())).toBe(false);
    expect(canWriteSection(actor(['author'], 'amt-1'), dossier(), 'lead')).toBe(true);
    expect(canWriteSection(actor(['reader'], 'amt-1'), dossier(), 'lead')).toBe(false);
    expect(canWriteSection(actor(['finance'], 'amt-1'), dossier(), 'lead')).toBe(false);
    expect(canWriteSection(actor(['author'], 'kaemmerei', 'finance'), dossier(), 'lead')).toBe(false);
  });

  it('lets writers whose department function or role is the owner write its sections, readers never', () => {
    const kaemmerei = (roles: Role[]) => actor(roles, 'kaemmerei', 'finance');
    expect(canWriteSection(kaemmerei(['finance']), dossier(), 'finance')).toBe(true);
    expect(canWriteSection(kaemmerei(['author']), dossier(), 'finance')).toBe(true);
    expect(canWriteSection(kaemmerei(['reader']), dossier(), 'finance')).toBe(false);
    expect(canWriteSection(kaemmerei(['finance']), dossier(), 'legal')).toBe(false);
    // The owner named as a role: a clerk of any department writes `clerk` sections.
    expect(canWriteSection(actor(['clerk'], 'sitzungsdienst', 'council-office'), dossier(), 'clerk')).toBe(true);
    expect(canWriteSection(actor(['author'], 'amt-1', 'smart-city'), dossier(), 'clerk')).toBe(false);
  });

  it('lets admins write every section, but nobody a workflow section or anything after release', () => {
    expect(canWriteSection(actor(['admin'], 'it'), dossier(), 'lead')).toBe(true);
    expect(canWriteSection(actor(['admin'], 'it'), dossier(), 'finance')).toBe(true);
    expect(canWriteSection(actor(['admin'], 'it'), dossier(), 'workflow')).toBe(false);
    expect(canWriteSection(actor(['author'], 'amt-1'), dossier({ status: 'released' }), 'lead')).toBe(false);
    expect(canWriteSection(actor(['admin'], 'it'), dossier({ status: 'released' }), 'lead')).toBe(false);
    expect(canWriteSection(actor(['author'], 'amt-1'), dossier({ status: 'cosigning' }), 'lead')).toBe(true);
  });

  it('lets nobody write a dossier they may not see, even with the owner as department function', () => {
    expect(canWriteSection(actor(['finance'], 'kaemmerei-2', 'finance'), dossier(), 'finance')).toBe(false);
    expect(canWriteSection(actor(['finance'], 'kaemmerei-2', 'finance'), dossier({ public: true }), 'finance')).toBe(true);
  });
});

describe('global rights', () => {
  it.each<[Role, { create: boolean; final: boolean; audit: boolean; users: boolean }]>([
    ['author', { create: true, final: false, audit: false, users: false }],
    ['finance', { create: false, final: false, audit: false, users: false }],
    ['clerk', { create: false, final: true, audit: true, users: false }],
    ['reader', { create: false, final: false, audit: false, users: false }],
    ['admin', { create: true, final: true, audit: true, users: true }],
  ])('gives %s its rights', (role, rights) => {
    const user = actor([role]);
    expect({ create: canCreateDossier(user), final: canExportFinal(user), audit: canReadAudit(user), users: canManageUsers(user) }).toEqual(rights);
  });
});
