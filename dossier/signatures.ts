/**
 * Mitzeichnung as the Vorlage shows it, in the web client and in the PDF:
 * one row per involved department — those the header picks as beteiligt, then
 * any other that signed — with its co-signature, or open while it has none.
 * Rows are per department id, so one department is one row however its name
 * was once spelled.
 */
import type { SectionContentByKind } from './content';
import { departmentIds, departmentName, type DepartmentName } from './departments';
import { involvedDepartmentsField, involvedFrom, type Template } from './template';

/** Ids of the involved departments the header picks (names of older dossiers mapped to their ids). */
export function involvedDepartments(template: Template, header: SectionContentByKind['header'] | undefined, departments: readonly DepartmentName[]): string[] {
  const section = involvedDepartmentsField(template)?.section;
  return section ? departmentIds(involvedFrom(template, section, header) ?? [], departments) : [];
}

export type Signature = SectionContentByKind['signatures']['items'][number];
/** What a row needs of a signature. */
type SignatureLike = Pick<Signature, 'department' | 'name' | 'signedAt' | 'sections'>;

export interface SignatureRow<S extends SignatureLike = Signature> {
  departmentId: string;
  /** The department's name, as printed. */
  department: string;
  /** Undefined: the department has not co-signed yet (ausstehend). */
  signature: S | undefined;
  /** Titles of the sections the signature covers; empty for the whole Vorlage. */
  sectionTitles: string[];
}

export function signatureRows<S extends SignatureLike>(
  involvedIds: readonly string[],
  signatures: readonly S[],
  sectionTitle: (sectionId: string) => string | undefined,
  departments: readonly DepartmentName[],
): SignatureRow<S>[] {
  // a signature names its department by id (or, written before ids, by name)
  const signerId = (signature: S) => departmentIds([signature.department], departments)[0] ?? signature.department;
  const signed = new Map(signatures.map((signature) => [signerId(signature), signature]));
  const ids = [...new Set([...involvedIds, ...signed.keys()])];
  return ids.map((departmentId) => {
    const signature = signed.get(departmentId);
    return {
      departmentId,
      department: departmentName(departmentId, departments),
      signature,
      sectionTitles: signature ? Object.keys(signature.sections).map((id) => sectionTitle(id) ?? id) : [],
    };
  });
}
