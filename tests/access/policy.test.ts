/**
 * The permission matrix, written out by hand: for every demo user (one per
 * role and department) and every section owner of the template, who may read
 * the dossier and who may write. The policy must reproduce it exactly.
 */
import { describe, expect, it } from 'vitest';
import { canCreateDossier, canReadAudit, canSeeDossier, canWriteSection, type Actor, type DossierAccess } from '../../dossier/policy';
import { demoDepartments, demoUsers } from '../../server/demo/people';

const actors: Record<string, Actor> = Object.fromEntries(
  demoUsers.map((user) => {
    const department = demoDepartments.find((d) => d.id === user.departmentId)!;
    return [user.username, { id: user.username, departmentId: department.id, departmentFunction: department.function, roles: user.roles }];
  }),
);

const dossier = (change: Partial<DossierAccess> = {}): DossierAccess => ({
  status: 'draft',
  leadDepartmentId: 'smart-city',
  involvedDepartmentIds: ['kaemmerei', 'rechtsamt'],
  public: true,
  ...change,
});

// owner → users who may write a section with that owner in a draft (expected, not derived)
const writers: Record<string, string[]> = {
  lead: ['jana.becker', 'tobias.wagner', 'admin'],
  finance: ['sabine.huber', 'murat.yilmaz', 'admin'],
  clerk: ['petra.schmid', 'admin'],
  legal: ['clara.neumann', 'admin'],
  workflow: [],
};

describe('permission matrix', () => {
  for (const [owner, allowed] of Object.entries(writers)) {
    it(`section owned by "${owner}": exactly ${allowed.join(', ') || 'nobody'} may write`, () => {
      for (const [username, actor] of Object.entries(actors)) {
        expect(canWriteSection(actor, dossier(), owner), `${username} writing ${owner}`).toBe(allowed.includes(username));
      }
    });
  }

  it('after release nobody writes anything, admins included', () => {
    for (const [username, actor] of Object.entries(actors)) {
      for (const owner of Object.keys(writers)) expect(canWriteSection(actor, dossier({ status: 'released' }), owner), username).toBe(false);
    }
  });

  it('an öffentlich dossier is readable by every signed-in user, by a councillor once released', () => {
    for (const [username, actor] of Object.entries(actors)) expect(canSeeDossier(actor, dossier()), username).toBe(username !== 'stadtrat.meier');
    // the councillor gets the Vorlage when it is released
    for (const actor of Object.values(actors)) expect(canSeeDossier(actor, dossier({ status: 'released' }))).toBe(true);
  });

  it('a nichtöffentlich dossier is readable by its lead and involved departments, clerks and admins only', () => {
    const hidden = dossier({ public: false });
    const readers = [
      'jana.becker',
      'tobias.wagner',
      'sabine.huber',
      'murat.yilmaz',
      'clara.neumann',
      'petra.schmid',
      'admin',
      'markus.klein',
      'kai.fischer',
      'eva.lange',
    ];
    for (const [username, actor] of Object.entries(actors)) expect(canSeeDossier(actor, hidden), username).toBe(readers.includes(username));
    // a department that cannot see the dossier cannot write it either, whatever it owns
    expect(canWriteSection(actors['felix.roth']!, hidden, 'climate')).toBe(false);
  });

  it('the lead is relative to the dossier: the same author is no lead of another department’s dossier', () => {
    expect(canWriteSection(actors['jana.becker']!, dossier({ leadDepartmentId: 'rechtsamt' }), 'lead')).toBe(false);
    expect(canWriteSection(actors['clara.neumann']!, dossier({ leadDepartmentId: 'rechtsamt' }), 'lead')).toBe(true);
  });

  it('who may start dossiers and read the audit log', () => {
    const creators = ['jana.becker', 'tobias.wagner', 'sabine.huber', 'clara.neumann', 'felix.roth', 'admin'];
    const auditors = ['petra.schmid', 'admin'];
    for (const [username, actor] of Object.entries(actors)) {
      expect(canCreateDossier(actor), username).toBe(creators.includes(username));
      expect(canReadAudit(actor), username).toBe(auditors.includes(username));
    }
  });
});
