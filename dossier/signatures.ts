/**
 * Mitzeichnung as the Vorlage shows it, in the web client and in the PDF:
 * one row per involved department — those the header names as beteiligt, then
 * any other that signed — with its co-signature, or open while it has none.
 */
import type { BudgetContent, SectionContentByKind } from './content';
import type { Template } from './template';

/** The header field that names the involved departments (a convention of the templates, also printed in the PDF's header block). */
export const INVOLVED_DEPARTMENTS_FIELD = 'beteiligt';

/** The involved departments the header names. */
export function involvedDepartments(header: SectionContentByKind['header'] | undefined): string[] {
  const value = header?.fields[INVOLVED_DEPARTMENTS_FIELD];
  return Array.isArray(value) ? value.filter((name) => name.trim() !== '') : [];
}

export type Signature = SectionContentByKind['signatures']['items'][number];
/** What a row needs of a signature. */
type SignatureLike = Pick<Signature, 'department' | 'name' | 'signedAt' | 'sections'>;

export interface SignatureRow<S extends SignatureLike = Signature> {
  department: string;
  /** Undefined: the department has not co-signed yet (ausstehend). */
  signature: S | undefined;
  /** Titles of the sections the signature covers; empty for the whole Vorlage. */
  sectionTitles: string[];
}

export function signatureRows<S extends SignatureLike>(
  involved: readonly string[],
  signatures: readonly S[],
  sectionTitle: (sectionId: string) => string | undefined,
): SignatureRow<S>[] {
  const signed = new Map(signatures.map((signature) => [signature.department, signature]));
  const departments = [...new Set([...involved.filter((name) => name.trim() !== ''), ...signatures.map((signature) => signature.department)])];
  return departments.map((department) => {
    const signature = signed.get(department);
    return { department, signature, sectionTitles: signature ? Object.keys(signature.sections).map((id) => sectionTitle(id) ?? id) : [] };
  });
}

// ---- who co-signs what, and whether a signature still holds -------------------------------------

/**
 * The sections a department's co-signature covers: what the template names for
 * its function (`cosigning.covers`), otherwise every section but the Mitzeichnung itself.
 */
export function coveredSections(template: Template, departmentFunction: string): string[] {
  const narrowed = template.cosigning?.covers[departmentFunction];
  const signable = template.sections.filter((section) => section.kind !== 'signatures').map((section) => section.id);
  return narrowed ? signable.filter((id) => narrowed.includes(id)) : signable;
}

/**
 * The departments that must co-sign: the dossier's involved departments, and
 * the finance office (the department whose function is `finance`) whenever
 * the budget has a line. In the order the dossier names them.
 */
export function requiredDepartmentIds(
  dossier: { involvedDepartmentIds: readonly string[] },
  budget: Pick<BudgetContent, 'lines'> | undefined,
  departments: readonly { id: string; function: string }[],
): string[] {
  const required = [...new Set(dossier.involvedDepartmentIds)];
  const finance = departments.find((department) => department.function === 'finance');
  if (finance && (budget?.lines.length ?? 0) > 0 && !required.includes(finance.id)) required.push(finance.id);
  return required;
}

/** A signature holds while every section it signed still hashes as it did; otherwise it names the changed ones. */
export function signatureValidity(
  signed: Readonly<Record<string, string>>,
  current: ReadonlyMap<string, string>,
): { state: 'valid' | 'invalid'; changedSections: string[] } {
  const changedSections = Object.entries(signed)
    .filter(([sectionId, hash]) => current.get(sectionId) !== hash)
    .map(([sectionId]) => sectionId);
  return { state: changedSections.length === 0 ? 'valid' : 'invalid', changedSections };
}
