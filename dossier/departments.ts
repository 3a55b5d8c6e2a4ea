/**
 * The city's departments as a dossier refers to them: by id. Dossiers written
 * before the header's "Beteiligte Dienststellen" held ids list names typed by
 * hand ("Kämmerei", "kämmerei "); wherever the department list is known they
 * are read as the department of that name, so one department is one entry.
 */

import { canSeeDossier, type DossierAccess } from './policy';

/** What a dossier needs to know of a department: its id and the name it prints. */
export interface DepartmentName {
  id: string;
  name: string;
}

const spelling = (value: string) => value.trim().toLocaleLowerCase('de-DE');

/**
 * Department ids for header values: an id stands for itself, a name (case and
 * surrounding spaces ignored) for its department. Unknown values are dropped,
 * duplicates kept once, in the order first listed.
 */
export function departmentIds(values: readonly string[], departments: readonly DepartmentName[]): string[] {
  const byId = new Set(departments.map((department) => department.id));
  const byName = new Map(departments.map((department) => [spelling(department.name), department.id]));
  const ids = values.map((value) => (byId.has(value) ? value : byName.get(spelling(value))));
  return [...new Set(ids.filter((id) => id !== undefined))];
}

/** The involved departments a header lists, as ids: never the lead, which is not "involved" in its own dossier. */
export function involvedIds(listed: readonly string[], departments: readonly DepartmentName[], leadDepartmentId: string): string[] {
  return departmentIds(listed, departments).filter((id) => id !== leadDepartmentId);
}

/** The printed name of a department id (the id itself for a department the city no longer has). */
export function departmentName(id: string, departments: readonly DepartmentName[]): string {
  return departments.find((department) => department.id === id)?.name ?? id;
}

/** What decides which departments may read a Vorlage. */
export type DepartmentAccess = Pick<DossierAccess, 'public' | 'leadDepartmentId' | 'involvedDepartmentIds'>;

/**
 * The departments that may read the Vorlage now and could not after a change
 * (to öffentlich/nichtöffentlich or to the involved departments), so the lead
 * is asked before it is written. The Sitzungsdienst (function `clerk`) is never
 * among them: its clerks read every Vorlage.
 */
export function departmentsLosingAccess<D extends DepartmentName & { function: string }>(
  before: DepartmentAccess,
  after: DepartmentAccess,
  departments: readonly D[],
): D[] {
  // an author of the department: what the department may read of a draft as such
  const reads = (access: DepartmentAccess, departmentId: string) =>
    canSeeDossier({ id: '', departmentId, departmentFunction: '', roles: ['author'] }, { ...access, status: 'draft' });
  return departments.filter((department) => department.function !== 'clerk' && reads(before, department.id) && !reads(after, department.id));
}
