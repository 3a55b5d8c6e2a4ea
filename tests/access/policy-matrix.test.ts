/**
 * The shared policy over synthetic actors: every combination of roles that
 * matters × the actor's department (lead, involved, finance, clerk,
 * uninvolved) × section owner × status × öffentlich/nichtöffentlich, compared
 * with the rules written out below from SPEC.md and the doc comments of
 * dossier/policy.ts — not by calling the functions under test.
 */
import { dossierStatuses } from '../../dossier/status';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import {
  canCreateDossier,
  canRelease,
  canSign,
  canStartCosigning,
  canStartRevision,
  canStopCosigning,
  canExportFinal,
  canManageUsers,
  canReadAudit,
  canSeeDossier,
  canWriteSection,
  isLead,
  roles,
  type Actor,
  type DossierAccess,
  type Role,
} from '../../dossier/policy';
import { loadTemplates } from '../../server/templates/loader';
import { projectRoot } from '../support/server';

const LEAD = 'dept-lead';
const INVOLVED = 'dept-involved';

/** Where an actor sits, relative to the dossier under test. */
const places = {
  'lead department': { departmentId: LEAD, departmentFunction: 'smart-city', involved: false },
  'involved department': { departmentId: INVOLVED, departmentFunction: 'legal', involved: true },
  'finance, involved': { departmentId: 'dept-finance-involved', departmentFunction: 'finance', involved: true },
  'finance, not involved': { departmentId: 'dept-finance', departmentFunction: 'finance', involved: false },
  'clerk department': { departmentId: 'dept-clerk', departmentFunction: 'clerk', involved: false },
  'uninvolved department': { departmentId: 'dept-other', departmentFunction: 'hr', involved: false },
} as const;
type Place = keyof typeof places;

/** No role, each role alone, and every pair (a reader who is also an author, an author with finance …). */
const roleSets: Role[][] = [[], ...roles.map((r) => [r]), ...roles.flatMap((a, i) => roles.slice(i + 1).map((b) => [a, b]))];

const templateOwners = (await loadTemplates(join(projectRoot, 'templates'))).list().flatMap((t) => t.sections.map((s) => s.owner));
/** The owners the templates use, plus department functions a city may give sections to. */
const owners = [...new Set(['lead', 'workflow', 'finance', 'clerk', 'legal', 'climate', 'smart-city', 'reader', ...templateOwners])];
const statuses = dossierStatuses;

function dossierFor(status: DossierAccess['status'], isPublic: boolean): DossierAccess {
  const involvedDepartmentIds = Object.values(places)
    .filter((p) => p.involved)
    .map((p) => p.departmentId);
  return { status, leadDepartmentId: LEAD, involvedDepartmentIds, public: isPublic };
}

// ---- the rules, stated independently -------------------------------------------------------------

/**
 * SPEC: admins and the council clerks see everything; readers (councillors, no other role) only released
 * Vorlagen; öffentlich dossiers every other signed-in user; nichtöffentlich only the lead and involved departments.
 */
function expectedSee(actorRoles: Role[], place: Place, isPublic: boolean, status: string): boolean {
  if (actorRoles.includes('admin') || actorRoles.includes('clerk')) return true;
  if (actorRoles.every((r) => r === 'reader') && status !== 'released') return false;
  if (isPublic) return true;
  return place === 'lead department' || places[place].involved;
}

/** The lead is an author in the dossier's lead department — a relation, not a role. */
function expectedLead(actorRoles: Role[], place: Place): boolean {
  return place === 'lead department' && actorRoles.includes('author');
}

/**
 * Nobody writes a released dossier or a `workflow` section (the server writes those). Who cannot see
 * the dossier cannot write it. Admins write every other section. `lead` sections are the lead's. Any
 * other owner names a department function: an author, finance or clerk (never a plain reader) whose
 * department has that function, or who holds the role of that name, writes it.
 */
function expectedWrite(actorRoles: Role[], place: Place, owner: string, status: string, isPublic: boolean): boolean {
  if (status === 'released') return false;
  if (owner === 'workflow') return false;
  if (!expectedSee(actorRoles, place, isPublic, status)) return false;
  if (actorRoles.includes('admin')) return true;
  if (owner === 'lead') return expectedLead(actorRoles, place);
  const writes = actorRoles.some((r) => r === 'author' || r === 'finance' || r === 'clerk');
  if (!writes) return false;
  return places[place].departmentFunction === owner || (actorRoles as string[]).includes(owner);
}

// ---- the matrix -----------------------------------------------------------------------------------

const actorOf = (actorRoles: Role[], place: Place): Actor => ({
  id: `${place}:${actorRoles.join('+') || 'none'}`,
  departmentId: places[place].departmentId,
  departmentFunction: places[place].departmentFunction,
  roles: actorRoles,
});

describe('policy matrix over synthetic actors', () => {
  it('covers the owners of every installed template', () => {
    expect(templateOwners.length).toBeGreaterThan(0);
    for (const owner of ['lead', 'workflow', 'finance']) expect(owners).toContain(owner);
  });

  it('visibility and lead: every role set × department × status × öffentlich', () => {
    const wrong: string[] = [];
    for (const actorRoles of roleSets)
      for (const place of Object.keys(places) as Place[])
        for (const status of statuses)
          for (const isPublic of [true, false]) {
            const actor = actorOf(actorRoles, place);
            const dossier = dossierFor(status, isPublic);
            const case_ = `${actor.id} ${status} ${isPublic ? 'öffentlich' : 'nichtöffentlich'}`;
            if (canSeeDossier(actor, dossier) !== expectedSee(actorRoles, place, isPublic, status)) wrong.push(`see: ${case_}`);
            if (isLead(actor, dossier) !== expectedLead(actorRoles, place)) wrong.push(`lead: ${case_}`);
          }
    expect(wrong).toEqual([]);
  });

  it('writing a section: every role set × department × owner × status × öffentlich', () => {
    const wrong: string[] = [];
    let cases = 0;
    for (const actorRoles of roleSets)
      for (const place of Object.keys(places) as Place[])
        for (const owner of owners)
          for (const status of statuses)
            for (const isPublic of [true, false]) {
              cases += 1;
              const expected = expectedWrite(actorRoles, place, owner, status, isPublic);
              const actual = canWriteSection(actorOf(actorRoles, place), dossierFor(status, isPublic), owner);
              if (actual !== expected) {
                wrong.push(`${actorOf(actorRoles, place).id} owner=${owner} ${status} ${isPublic ? 'öffentlich' : 'nichtöffentlich'}: expected ${expected}`);
              }
            }
    expect(cases).toBeGreaterThan(3000);
    expect(wrong.slice(0, 20)).toEqual([]);
  });

  it('the matrix contains the cases that matter: readers in an owning department, leads without the author role', () => {
    const draft = dossierFor('draft', true);
    // a reader in the finance department does not write the finance section, nor a reader in the lead department the lead's
    expect(expectedWrite(['reader'], 'finance, involved', 'finance', 'draft', true)).toBe(false);
    expect(canWriteSection(actorOf(['reader'], 'finance, involved'), draft, 'finance')).toBe(false);
    expect(canWriteSection(actorOf(['reader'], 'lead department'), draft, 'lead')).toBe(false);
    // finance staff of the lead department without the author role are not the lead
    expect(canWriteSection(actorOf(['finance'], 'lead department'), draft, 'lead')).toBe(false);
    // a councillor sees the released Vorlage, not the draft, even of their own department
    expect(canSeeDossier(actorOf(['reader'], 'lead department'), draft)).toBe(false);
    expect(canSeeDossier(actorOf(['reader'], 'uninvolved department'), dossierFor('cosigning', true))).toBe(false);
    expect(canSeeDossier(actorOf(['reader'], 'uninvolved department'), dossierFor('released', true))).toBe(true);
    expect(canSeeDossier(actorOf(['reader', 'author'], 'uninvolved department'), draft)).toBe(true);
    // a nichtöffentlich dossier is hidden from an uninvolved author, even one with the owning function
    expect(canSeeDossier(actorOf(['author', 'finance'], 'finance, not involved'), dossierFor('draft', false))).toBe(false);
    expect(canWriteSection(actorOf(['author', 'finance'], 'finance, not involved'), dossierFor('draft', false), 'finance')).toBe(false);
  });

  it('global permissions: creating, the final PDF, the audit log, user management', () => {
    const wrong: string[] = [];
    for (const actorRoles of roleSets) {
      const actor = actorOf(actorRoles, 'uninvolved department');
      const has = (r: Role) => actorRoles.includes(r);
      const expected = {
        create: has('author') || has('admin'),
        exportFinal: has('clerk') || has('admin'),
        audit: has('clerk') || has('admin'),
        users: has('admin'),
      };
      const actual = { create: canCreateDossier(actor), exportFinal: canExportFinal(actor), audit: canReadAudit(actor), users: canManageUsers(actor) };
      if (JSON.stringify(actual) !== JSON.stringify(expected)) wrong.push(`${actor.id}: ${JSON.stringify(actual)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('workflow transitions: every role set × department × status × öffentlich', () => {
    const wrong: string[] = [];
    // the departments asked to co-sign: the involved ones (the finance office among them when the budget has a line)
    const mustSign = Object.values(places)
      .filter((p) => p.involved)
      .map((p) => p.departmentId);
    for (const actorRoles of roleSets)
      for (const place of Object.keys(places) as Place[])
        for (const status of statuses)
          for (const isPublic of [true, false]) {
            const actor = actorOf(actorRoles, place);
            const dossier = dossierFor(status, isPublic);
            const lead = expectedLead(actorRoles, place);
            const expected = {
              // only the lead moves its dossier between draft and co-signing, and starts a Neufassung after release
              start: lead && status === 'draft',
              stop: lead && status === 'cosigning',
              revision: lead && status === 'released',
              // only the council clerk releases, and only what is in co-signing
              release: actorRoles.includes('clerk') && status === 'cosigning',
              // a signatory signs for their own department when it is asked, while in co-signing, if they see the dossier
              sign: actorRoles.includes('signatory') && places[place].involved && status === 'cosigning' && expectedSee(actorRoles, place, isPublic, status),
            };
            const actual = {
              start: canStartCosigning(actor, dossier),
              stop: canStopCosigning(actor, dossier),
              revision: canStartRevision(actor, dossier),
              release: canRelease(actor, dossier),
              sign: canSign(actor, dossier, mustSign),
            };
            if (JSON.stringify(actual) !== JSON.stringify(expected)) wrong.push(`${actor.id} ${status} ${isPublic}: ${JSON.stringify(actual)}`);
          }
    expect(wrong.slice(0, 20)).toEqual([]);
  });
});
