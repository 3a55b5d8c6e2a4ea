/**
 * Rows of the tables both storages share, as records: the columns are named and encoded alike in SQLite and
 * PostgreSQL (lists as JSON text); only a flag differs, an INTEGER 0/1 in SQLite and a BOOLEAN in PostgreSQL.
 */
import type { Role } from '../../dossier/policy';
import type { DossierRecord, DraftingSnapshotSummary, UserRecord } from './storage';

/** A flag column: 1/0 from SQLite, true/false from PostgreSQL. */
type Flag = number | boolean;
const flag = (value: Flag) => value === true || value === 1;

export interface DossierRow {
  id: string;
  template_id: string;
  title: string;
  status: DossierRecord['status'];
  reference_number: string | null;
  lead_department_id: string;
  involved_department_ids: string;
  public: Flag;
  revision: number;
  created_at: string;
  updated_at: string;
}

export const toDossier = (row: DossierRow): DossierRecord => ({
  id: row.id,
  templateId: row.template_id,
  title: row.title,
  status: row.status,
  referenceNumber: row.reference_number,
  leadDepartmentId: row.lead_department_id,
  involvedDepartmentIds: JSON.parse(row.involved_department_ids) as string[],
  public: flag(row.public),
  revision: row.revision,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  department_id: string;
  roles: string;
  password_hash: string;
  disabled: Flag;
  created_at: string;
  updated_at: string;
}

export const toUser = (row: UserRow): UserRecord => ({
  id: row.id,
  username: row.username,
  displayName: row.display_name,
  departmentId: row.department_id,
  roles: JSON.parse(row.roles) as Role[],
  passwordHash: row.password_hash,
  disabled: flag(row.disabled),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export interface DraftingSnapshotRow {
  dossier_id: string;
  id: number;
  taken_at: string;
  content_hash: string;
  author_ids: string;
  sections?: string;
}

export const toDraftingSnapshot = (row: DraftingSnapshotRow): DraftingSnapshotSummary => ({
  dossierId: row.dossier_id,
  id: row.id,
  takenAt: row.taken_at,
  contentHash: row.content_hash,
  authorIds: JSON.parse(row.author_ids) as string[],
});
