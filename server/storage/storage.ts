/**
 * Where dossiers live. One interface; SQLite is the embedded default.
 * Each section row keeps the merged Yjs state (what collaboration loads) and
 * its canonical JSON (what the API and the export read, without live Yjs).
 */
import type { SignatureDecision } from '../../dossier/content';
import type { Role } from '../../dossier/policy';
import type { AttachmentStore } from './attachments';

import type { DossierStatus } from '../../dossier/status';

export type { DossierStatus };

export interface DossierRecord {
  id: string;
  templateId: string;
  title: string;
  status: DossierStatus;
  /** Vorlagen-Nr., assigned by the council clerk; null until then. */
  referenceNumber: string | null;
  /** Federführendes Amt: its authors write the sections the template gives to `lead`. */
  leadDepartmentId: string;
  /** Beteiligte Dienststellen: may read a nichtöffentlich dossier. */
  involvedDepartmentIds: string[];
  /** öffentlich, from the template's visibility header field. */
  public: boolean;
  /** The version this dossier is being prepared as (or was released as): 1 at first, one more with each Neufassung. */
  revision: number;
  createdAt: string;
  updatedAt: string;
}

export interface DepartmentRecord {
  id: string;
  name: string;
  /** Kürzel, e.g. "SC" or "20". */
  shortName: string;
  /** What the department does, matched against template section owners (`finance`, `clerk`, …). */
  function: string;
}

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  departmentId: string;
  roles: Role[];
  passwordHash: string;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface SessionRecord {
  /** SHA-256 of the cookie token; the token itself is never stored. */
  tokenHash: string;
  userId: string;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
  /** Last request or edit made with it: sessions idle for too long expire. */
  lastSeenAt: string;
}

export interface AuditEntry {
  at: string;
  userId: string | null;
  action: string;
  dossierId: string | null;
  sectionId: string | null;
  detail: string | null;
}

export interface SectionRecord {
  dossierId: string;
  sectionId: string;
  state: Uint8Array;
  content: unknown;
  updatedAt: string;
}

export interface SectionStore {
  dossierId: string;
  sectionId: string;
  state: Uint8Array;
  content: unknown;
  updatedAt: string;
  /** Set when the stored section is the dossier's title section. */
  title?: string;
  /** Set when the stored section holds the dossier's öffentlich/nichtöffentlich field. */
  public?: boolean;
  /** Who changed the section since it was last stored, for the audit log. */
  changedBy?: string[];
}

/** A department's co-signature of one revision of a dossier. */
export interface SignatureRecord {
  dossierId: string;
  revision: number;
  departmentId: string;
  userId: string;
  signedAt: string;
  decision: SignatureDecision;
  /** The remark (agree-with-remarks) or the reason (object); null otherwise. */
  remark: string | null;
  /** The content hash of every section it covers, as the signer saw it. */
  sections: Record<string, string>;
  /**
   * The canonical JSON of every section it covers, as signed: after a later change voids the
   * signature, the department is shown word by word what changed since (from any device).
   */
  contents?: Record<string, unknown>;
}

/** A released version, immutable: what the list shows. */
export interface VersionSummary {
  dossierId: string;
  version: number;
  releasedAt: string;
  /** The clerk's user id. */
  releasedBy: string;
  referenceNumber: string;
  /** Hex SHA-256 of the final PDF. */
  sha256: string;
}

export interface VersionRecord extends VersionSummary {
  pdf: Uint8Array;
  /** The signatures as they were at release, with each department's state then. */
  signatures: unknown;
  sections: { sectionId: string; state: Uint8Array; content: unknown }[];
}

/** The Vorlagen-Nr. is held by another dossier (or an earlier version of one). */
export class ReferenceNumberTakenError extends Error {
  constructor(readonly referenceNumber: string) {
    super(`Vorlagen-Nr. ${referenceNumber} ist schon vergeben.`);
    this.name = 'ReferenceNumberTakenError';
  }
}

/** A drafting snapshot as listed: when it was taken and who changed sections since the one before. */
export interface DraftingSnapshotSummary {
  dossierId: string;
  /** 1, 2, … per dossier. */
  id: number;
  takenAt: string;
  /** SHA-256 of the sections' canonical JSON (sorted keys): an identical state is not snapshotted twice. */
  contentHash: string;
  /** Users with a stored change since the previous snapshot, in the order of their first change. */
  authorIds: string[];
}

export interface DraftingSnapshotRecord extends DraftingSnapshotSummary {
  /** Every section's canonical JSON by section id, as stored when the snapshot was taken. */
  sections: Record<string, unknown>;
}

export interface Storage {
  readonly kind: string;
  /** The files of Anlagen. */
  readonly attachments: AttachmentStore;
  createDossier(dossier: DossierRecord, sections: SectionRecord[]): Promise<void>;
  listDossiers(): Promise<DossierRecord[]>;
  getDossier(id: string): Promise<DossierRecord | undefined>;
  /** Canonical JSON of every section of a dossier, keyed by section id. */
  getSectionContents(dossierId: string): Promise<Map<string, { content: unknown; updatedAt: string }>>;
  loadSectionState(dossierId: string, sectionId: string): Promise<Uint8Array | undefined>;
  storeSection(store: SectionStore): Promise<void>;
  /**
   * Sets öffentlich/nichtöffentlich at once, when the live header changes it:
   * access follows the live document, not the next debounced store.
   */
  setDossierPublic(dossierId: string, isPublic: boolean): Promise<void>;
  /**
   * Sets the involved departments at once, when the live header changes them.
   * Ids of departments the city does not have are ignored, and so is the lead
   * department (it is never "involved" in its own dossier).
   */
  setInvolvedDepartments(dossierId: string, departmentIds: readonly string[]): Promise<void>;
  /**
   * Compare-and-set of the workflow status: changes it only if it is `from`
   * (returns false otherwise), so two clerks releasing at once give one
   * version. A released dossier made a draft again starts the next revision.
   */
  transitionDossier(id: string, from: DossierStatus, to: DossierStatus, at: string): Promise<boolean>;
  /** Sets the Vorlagen-Nr.; throws ReferenceNumberTakenError when another dossier or version holds it. */
  setReferenceNumber(dossierId: string, referenceNumber: string): Promise<void>;
  /**
   * Gives the dossier the next free Vorlagen-Nr. `<prefix><NNNNN><suffix>` (five digits,
   * counted over every number that starts with `prefix`, e.g. "VO/26/"), unless it has one; returns it.
   */
  assignReferenceNumber(dossierId: string, prefix: string, suffix: string): Promise<string>;

  /** Stores a department's signature of a revision, replacing the one it gave before. */
  saveSignature(signature: SignatureRecord): Promise<void>;
  listSignatures(dossierId: string, revision: number): Promise<SignatureRecord[]>;

  /** Stores a released version with its sections, signatures and PDF in one transaction; a version number is never stored twice. */
  createVersion(version: VersionRecord): Promise<void>;
  listVersions(dossierId: string): Promise<VersionSummary[]>;
  getVersion(dossierId: string, version: number): Promise<VersionRecord | undefined>;

  /** A one-time marker, e.g. that the demo data was seeded; returns false if it was set before. */
  claimOnce(key: string): Promise<boolean>;

  listDepartments(): Promise<DepartmentRecord[]>;
  getDepartment(id: string): Promise<DepartmentRecord | undefined>;
  saveDepartment(department: DepartmentRecord): Promise<void>;

  listUsers(): Promise<UserRecord[]>;
  getUser(id: string): Promise<UserRecord | undefined>;
  getUserByUsername(username: string): Promise<UserRecord | undefined>;
  createUser(user: UserRecord): Promise<void>;
  /** Replaces the user's changeable fields and sets `updatedAt`. */
  updateUser(user: UserRecord): Promise<void>;
  /** Users changed after `since` (ISO timestamp), so open connections can follow. */
  usersChangedSince(since: string): Promise<UserRecord[]>;

  createSession(session: SessionRecord): Promise<void>;
  getSession(tokenHash: string): Promise<SessionRecord | undefined>;
  deleteSession(tokenHash: string): Promise<void>;
  /** Records use of a session (`at` only moves forward). */
  touchSession(tokenHash: string, at: string): Promise<void>;
  deleteUserSessions(userId: string): Promise<void>;
  deleteExpiredSessions(now: string): Promise<void>;

  appendAudit(entry: AuditEntry): Promise<void>;
  listAudit(filter: { dossierId?: string; limit: number }): Promise<(AuditEntry & { id: number })[]>;

  /**
   * Drafting history: adds a snapshot with the next id of the dossier; its authors are the users of every
   * `section.changed` audit entry since the previous snapshot, decided in the same transaction.
   */
  addDraftingSnapshot(input: { dossierId: string; takenAt: string; contentHash: string; sections: Record<string, unknown> }): Promise<DraftingSnapshotSummary>;
  /** Snapshots of a dossier, newest first, without their content. */
  listDraftingSnapshots(dossierId: string): Promise<DraftingSnapshotSummary[]>;
  getDraftingSnapshot(dossierId: string, id: number): Promise<DraftingSnapshotRecord | undefined>;

  close(): Promise<void>;
}
