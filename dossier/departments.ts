/**
 * The city's departments as a dossier refers to them: by id. Dossiers written
 * before the header's "Beteiligte Dienststellen" held ids list names typed by
 * hand ("Kämmerei", "kämmerei "); wherever the department list is known they
 * are read as the department of that name, so one department is one entry.
 */

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

/** The printed name of a department id (the id itself for a department the city no longer has). */
export function departmentName(id: string, departments: readonly DepartmentName[]): string {
  return departments.find((department) => department.id === id)?.name ?? id;
}
