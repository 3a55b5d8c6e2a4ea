/**
 * Who may see a dossier and who may write which section: one policy, used by
 * the REST API and by the collaboration server alike (and by the browser, only
 * to show what the server will allow).
 *
 * Roles are global (`author`, `finance`, `signatory`, `clerk`, `reader`, `admin`); being
 * the *lead* is not a role a user has but a relation to one dossier: an author
 * of the dossier's lead department (federführendes Amt). A section's owner is
 * `lead`, `workflow` (written by the server only) or a department function such
 * as `finance` — so the same template works in every city.
 */
import type { DossierStatus } from './status';

export const roles = ['author', 'finance', 'signatory', 'clerk', 'reader', 'admin'] as const;
export type Role = (typeof roles)[number];

export interface Actor {
  id: string;
  departmentId: string;
  /** What the department does, matched against section owners: `smart-city`, `finance`, `clerk`, `legal` … */
  departmentFunction: string;
  roles: readonly Role[];
}

export interface DossierAccess {
  status: DossierStatus;
  leadDepartmentId: string;
  involvedDepartmentIds: readonly string[];
  /** öffentlich (any signed-in user may read) or nichtöffentlich (its departments and the clerks only). */
  public: boolean;
}

const has = (actor: Actor, role: Role) => actor.roles.includes(role);

export function isLead(actor: Actor, dossier: DossierAccess): boolean {
  return actor.departmentId === dossier.leadDepartmentId && has(actor, 'author');
}

/** Someone who only reads (a councillor): no role that works on a Vorlage. */
const onlyReads = (actor: Actor) => actor.roles.every((role) => role === 'reader');

/**
 * Admins and clerks see every dossier. Readers (councillors) see a Vorlage once
 * it is released, as from a council information system, never a draft in
 * progress. Everyone else sees öffentlich dossiers and the nichtöffentlich
 * ones of their department (lead or involved).
 */
export function canSeeDossier(actor: Actor, dossier: DossierAccess): boolean {
  if (has(actor, 'admin') || has(actor, 'clerk')) return true;
  if (onlyReads(actor) && dossier.status !== 'released') return false;
  if (dossier.public) return true;
  return actor.departmentId === dossier.leadDepartmentId || dossier.involvedDepartmentIds.includes(actor.departmentId);
}

/**
 * Whether `actor` may download a file of an Anlage: a nichtöffentlich Anlage (or any of a nichtöffentlich
 * dossier) only for those who may see nichtöffentlich content of this dossier.
 */
export function canSeeAttachment(actor: Actor, dossier: DossierAccess, attachmentPublic: boolean): boolean {
  return canSeeDossier(actor, { ...dossier, public: dossier.public && attachmentPublic });
}

/** Whether `actor` may change the section owned by `owner`. Readers never write; after release nobody does. */
export function canWriteSection(actor: Actor, dossier: DossierAccess, owner: string): boolean {
  if (dossier.status === 'released' || owner === 'workflow') return false;
  if (!canSeeDossier(actor, dossier)) return false;
  if (has(actor, 'admin')) return true;
  if (owner === 'lead') return isLead(actor, dossier);
  const writer = has(actor, 'author') || has(actor, 'finance') || has(actor, 'clerk');
  return writer && (actor.departmentFunction === owner || actor.roles.includes(owner as Role));
}

/** Authors start dossiers (their department becomes the lead); admins may too. */
export function canCreateDossier(actor: Actor): boolean {
  return has(actor, 'author') || has(actor, 'admin');
}

/** The final, archival PDF (PDF/A) is what the council clerks hand on. */
export function canExportFinal(actor: Actor): boolean {
  return has(actor, 'clerk') || has(actor, 'admin');
}

/** Audit log and user management. */
export function canReadAudit(actor: Actor): boolean {
  return has(actor, 'admin') || has(actor, 'clerk');
}

export function canManageUsers(actor: Actor): boolean {
  return has(actor, 'admin');
}

// ---- workflow: Entwurf → In Mitzeichnung → Freigegeben ---------------------------------------------
// Each answers who may make the transition *now*; the REST API tells a wrong
// person (403) from a wrong moment (409) by asking `isLead` / the role first.

/** The lead sends its draft into co-signing. */
export function canStartCosigning(actor: Actor, dossier: DossierAccess): boolean {
  return isLead(actor, dossier) && dossier.status === 'draft';
}

/** The lead takes a dossier in co-signing back to draft (e.g. to answer an objection). */
export function canStopCosigning(actor: Actor, dossier: DossierAccess): boolean {
  return isLead(actor, dossier) && dossier.status === 'cosigning';
}

/** A signatory (Zeichnungsbefugnis) signs for their own department, when it is asked to co-sign. */
export function canSign(actor: Actor, dossier: DossierAccess, mustSign: readonly string[]): boolean {
  return has(actor, 'signatory') && mustSign.includes(actor.departmentId) && canSeeDossier(actor, dossier) && dossier.status === 'cosigning';
}

/** The council clerk (Sitzungsdienst) releases a dossier in co-signing; the completeness check decides whether it is ready. */
export function canRelease(actor: Actor, dossier: DossierAccess): boolean {
  return has(actor, 'clerk') && dossier.status === 'cosigning';
}

/** After a release the lead starts a new revision (Neufassung); the released version stays as it is. */
export function canStartRevision(actor: Actor, dossier: DossierAccess): boolean {
  return isLead(actor, dossier) && dossier.status === 'released';
}
