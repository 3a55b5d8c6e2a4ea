/**
 * Where dossiers live: narrow stores by aggregate; SQLite is the embedded default, PostgreSQL the production one.
 * Each section row keeps the merged Yjs state (what collaboration loads) and
 * its canonical JSON (what the API and the export read, without live Yjs).
 */
import type { SignatureDecision } from '../../dossier/content';
import type { Role } from '../../dossier/policy';
import type { AttachmentStore } from './attachments';

import type { DossierStatus } from '../../dossier/status';
import type { SearchIndex } from './search';

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

/**
 * One store of a section: its merged Yjs state with the canonical JSON, and what the caller decided
 * goes with it (the dossier's title and visibility, audit entries), all written in one transaction.
 */
export interface SectionWrite {
  dossierId: string;
  sectionId: string;
  state: Uint8Array;
  content: unknown;
  updatedAt: string;
  /**
   * The canonical JSON of a merged state: called when the stored state holds updates `state` lacks
   * (another process stored them), so that the stored JSON follows the merged state.
   */
  contentOf?: (merged: Uint8Array) => unknown;
  /** Changes to the dossier row that go with this store. */
  dossier?: { title?: string; public?: boolean };
  /** Audit entries written in the same transaction. */
  audit?: AuditEntry[];
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

/**
 * A unique key is taken (a username, a Vorlagen-Nr., a version number, …): the API answers 409 with
 * the German message, never 500. `key` names the table and column(s), e.g. "users.username".
 */
export class DuplicateKeyError extends Error {
  constructor(
    readonly key: string,
    message = duplicateMessages[key] ?? 'Diesen Eintrag gibt es schon.',
  ) {
    super(message);
    this.name = 'DuplicateKeyError';
  }
}

const duplicateMessages: Record<string, string> = {
  'users.username': 'Diesen Benutzernamen gibt es schon.',
  'departments.id': 'Diese Dienststelle gibt es schon.',
  'dossiers.reference_number': 'Diese Vorlagen-Nr. ist schon vergeben.',
  'versions.version': 'Diese Version der Vorlage gibt es schon.',
};

/** The Vorlagen-Nr. is held by another dossier (or an earlier version of one). */
export class ReferenceNumberTakenError extends DuplicateKeyError {
  constructor(readonly referenceNumber: string) {
    super('dossiers.reference_number', `Vorlagen-Nr. ${referenceNumber} ist schon vergeben.`);
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

/** Dossiers with their sections (Yjs state and canonical JSON), visibility, status and Vorlagen-Nr. */
export interface DossierStore {
  create(dossier: DossierRecord, sections: SectionRecord[]): Promise<void>;
  list(): Promise<DossierRecord[]>;
  get(id: string): Promise<DossierRecord | undefined>;
  /** Canonical JSON of every section of a dossier, keyed by section id. */
  getSectionContents(dossierId: string): Promise<Map<string, { content: unknown; updatedAt: string }>>;
  loadSectionState(dossierId: string, sectionId: string): Promise<Uint8Array | undefined>;
  /**
   * Stores a section in one transaction: the stored state is merged with `write.state` (the row
   * locked meanwhile), so two processes storing one section never lose each other's updates; the
   * dossier's `updatedAt` follows, plus the title, visibility and audit entries the caller passes.
   * Fails, changing nothing, when the section does not exist.
   */
  storeSection(write: SectionWrite): Promise<void>;
  /**
   * Sets öffentlich/nichtöffentlich at once, when the live header changes it:
   * access follows the live document, not the next debounced store.
   */
  setPublic(dossierId: string, isPublic: boolean): Promise<void>;
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
  transition(id: string, from: DossierStatus, to: DossierStatus, at: string): Promise<boolean>;
  /** Sets the Vorlagen-Nr.; throws ReferenceNumberTakenError when another dossier or version holds it. */
  setReferenceNumber(dossierId: string, referenceNumber: string): Promise<void>;
  /**
   * Gives the dossier the next free Vorlagen-Nr. `<prefix><NNNNN><suffix>` (five digits,
   * counted over every number that starts with `prefix`, e.g. "VO/26/"), unless it has one; returns it.
   */
  assignReferenceNumber(dossierId: string, prefix: string, suffix: string): Promise<string>;
}

/** Co-signatures and released versions. */
export interface WorkflowStore {
  /** Stores a department's signature of a revision, replacing the one it gave before. */
  saveSignature(signature: SignatureRecord): Promise<void>;
  listSignatures(dossierId: string, revision: number): Promise<SignatureRecord[]>;
  /** Stores a released version with its sections, signatures and PDF in one transaction; a version number is never stored twice (DuplicateKeyError). */
  createVersion(version: VersionRecord): Promise<void>;
  listVersions(dossierId: string): Promise<VersionSummary[]>;
  getVersion(dossierId: string, version: number): Promise<VersionRecord | undefined>;
}

/** Drafting snapshots. */
export interface HistoryStore {
  /**
   * Adds a snapshot with the next id of the dossier; its authors are the users of every
   * `section.changed` audit entry since the previous snapshot, decided in the same transaction.
   */
  addSnapshot(input: { dossierId: string; takenAt: string; contentHash: string; sections: Record<string, unknown> }): Promise<DraftingSnapshotSummary>;
  /** Snapshots of a dossier, newest first, without their content. */
  listSnapshots(dossierId: string): Promise<DraftingSnapshotSummary[]>;
  getSnapshot(dossierId: string, id: number): Promise<DraftingSnapshotRecord | undefined>;
}

/** Departments, users, sessions, and one-time markers. */
export interface AccountStore {
  listDepartments(): Promise<DepartmentRecord[]>;
  getDepartment(id: string): Promise<DepartmentRecord | undefined>;
  saveDepartment(department: DepartmentRecord): Promise<void>;

  listUsers(): Promise<UserRecord[]>;
  getUser(id: string): Promise<UserRecord | undefined>;
  /** Case-insensitive. */
  getUserByUsername(username: string): Promise<UserRecord | undefined>;
  /** Throws DuplicateKeyError("users.username") when the username (in any case) is taken. */
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

  /** A one-time marker, e.g. that the demo data was seeded; returns false if it was set before. */
  claimOnce(key: string): Promise<boolean>;
}

export interface AuditStore {
  append(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  list(filter: { dossierId?: string; limit: number }): Promise<(AuditEntry & { id: number })[]>;
}

/** Where everything lives: SQLite in DATA_DIR by default, PostgreSQL with DATABASE_URL (see open.ts). */
export interface Storage {
  readonly kind: 'sqlite' | 'postgres';
  readonly dossiers: DossierStore;
  readonly workflow: WorkflowStore;
  readonly history: HistoryStore;
  readonly accounts: AccountStore;
  readonly audit: AuditStore;
  /** The full-text index of the sections' text. */
  readonly search: SearchIndex;
  /** The files of Anlagen. */
  readonly attachments: AttachmentStore;
  /** Throws when the database is unreachable (for /api/health/ready). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
