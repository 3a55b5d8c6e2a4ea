/**
 * Mitzeichnung as the Vorlage shows it, in the web client and in the PDF:
 * one row per involved department — those the header names as beteiligt, then
 * any other that signed — with its co-signature, or open while it has none.
 */
import type { SectionContentByKind } from './content';

/** The header field that names the involved departments (a convention of the templates, also printed in the PDF's header block). */
export const INVOLVED_DEPARTMENTS_FIELD = 'beteiligt';

/** The involved departments the header names. */
export function involvedDepartments(header: SectionContentByKind['header'] | undefined): string[] {
  const value = header?.fields[INVOLVED_DEPARTMENTS_FIELD];
  return Array.isArray(value) ? value.filter((name) => name.trim() !== '') : [];
}

export type Signature = SectionContentByKind['signatures']['items'][number];

export interface SignatureRow {
  department: string;
  /** Undefined: the department has not co-signed yet (ausstehend). */
  signature: Signature | undefined;
  /** Titles of the sections the signature covers; empty for the whole Vorlage. */
  sectionTitles: string[];
}

export function signatureRows(
  involved: readonly string[],
  signatures: readonly Signature[],
  sectionTitle: (sectionId: string) => string | undefined,
): SignatureRow[] {
  const signed = new Map(signatures.map((signature) => [signature.department, signature]));
  const departments = [...new Set([...involved.filter((name) => name.trim() !== ''), ...signatures.map((signature) => signature.department)])];
  return departments.map((department) => {
    const signature = signed.get(department);
    return { department, signature, sectionTitles: signature ? Object.keys(signature.sections).map((id) => sectionTitle(id) ?? id) : [] };
  });
}
