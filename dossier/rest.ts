/**
 * The JSON the REST API answers with, as types only: the server's view
 * builders declare them as their return types and the web client reads them,
 * so the two cannot drift apart.
 */
import type { PassagePart } from './search';
import type { BudgetTotals } from './budget';
import type { ReadinessItem } from './completeness';
import type { SignatureDecision } from './content';
import type { Role } from './policy';
import type { PresenceUser } from './presence';
import type { DossierStatus } from './status';
import type { Template, TemplateSection } from './template';

/** Someone who has the dossier open now (from collaboration awareness). */
export interface Editor extends PresenceUser {
  /** Sections this user is editing (has focus in) now. */
  sections: string[];
}

/** `GET /api/departments`: one of the city's departments. */
export interface Department {
  id: string;
  name: string;
  /** Kürzel, e.g. "SC" or "20". */
  shortName: string;
  /** What the department does, matched against template section owners (`finance`, `clerk`, …). */
  function: string;
}

/** A user account as the API shows it: never the password hash. */
export interface PublicUser {
  id: string;
  username: string;
  displayName: string;
  department: Department | null;
  roles: Role[];
  disabled: boolean;
}

/** `GET /api/auth/me`, login and password change: the user and the CSRF token for state-changing requests. */
export interface SessionAnswer {
  user: PublicUser;
  csrfToken: string;
}

/** `GET /api/dossiers`: one row of the list. */
export interface DossierSummary {
  id: string;
  title: string;
  templateId: string;
  templateName: string;
  status: DossierStatus;
  referenceNumber: string | null;
  leadDepartmentId: string;
  involvedDepartmentIds: string[];
  public: boolean;
  createdAt: string;
  updatedAt: string;
  /** Who has the dossier open now. */
  editors: Editor[];
}

/** One section of `GET /api/dossiers/:id`, in template order. */
export interface DossierSectionView {
  id: string;
  title: string;
  group: string | null;
  kind: TemplateSection['kind'];
  owner: string;
  required: boolean;
  /** Whether the signed-in user may write this section (the server enforces it; this is for display). */
  canWrite: boolean;
  updatedAt: string | null;
  /** The stored canonical JSON; null before anything was written. */
  content: unknown;
  /** Budget sections only: the sums the finance office checks. */
  totals?: BudgetTotals;
}

/** `GET /api/dossiers/:id`. */
export interface DossierView extends DossierSummary {
  /** The requesting user's relation to this dossier, so the UI can show what it may edit. */
  you: { lead: boolean };
  sections: DossierSectionView[];
}

/** `GET /api/audit`: one entry, with names and titles resolved so the log reads as sentences. */
export interface AuditLogEntry {
  id: number;
  at: string;
  userId: string | null;
  username: string | null;
  userDisplayName: string | null;
  /** The user's department, or for an invalidated signature the department it was given for. */
  departmentName: string | null;
  action: string;
  dossierId: string | null;
  dossierTitle: string | null;
  sectionId: string | null;
  sectionTitle: string | null;
  /** For an invalidated signature: the titles of the changed sections. */
  sectionTitles: string[] | null;
  detail: string | null;
}

/** `GET /api/templates`; `GET /api/templates/:id` answers one `Template`. */
export type TemplateList = Template[];

/** `GET /api/dossiers/:id/signatures`: a requested co-signature as the server judges it now. */
export interface SignatureStatus {
  departmentId: string;
  departmentName: string;
  state: 'pending' | 'valid' | 'invalid';
  decision: SignatureDecision | null;
  /** Display name of who signed. */
  signedBy: string | null;
  signedAt: string | null;
  remark: string | null;
  /** Hash of each covered section when signed. */
  sections: Record<string, string>;
  /** Signed sections whose content differs now. */
  changedSections: string[];
}

/** `GET /api/dossiers/:id/completeness`: the release checklist. */
export interface Completeness {
  ready: boolean;
  items: ReadinessItem[];
}

/** `POST /api/dossiers/:id/release` → 201. */
export interface ReleaseAnswer {
  version: number;
  referenceNumber: string;
  sha256: string;
}

/** `GET /api/dossiers/:id/versions`: one released version. */
export interface VersionEntry {
  version: number;
  releasedAt: string;
  /** The clerk's display name. */
  releasedBy: string;
  referenceNumber: string;
  sha256: string;
}

/** GET /api/search?q=: the Vorlagen whose text matches, best first, with up to three matching passages each. */
export interface SearchAnswer {
  /** The words searched for, as the server read the query. */
  terms: string[];
  results: SearchResult[];
}

export interface SearchResult {
  dossierId: string;
  hits: { sectionId: string; sectionTitle: string; passage: PassagePart[] }[];
}
