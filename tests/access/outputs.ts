/**
 * Every output of Ratsdossier that can carry a dossier's content, with how to
 * fetch it. tests/access/confidentiality.test.ts generates one test per entry
 * (a user who may not see a nichtöffentlich dossier gets nothing of it) and
 * fails when the Express app mounts a GET route that is neither here nor in
 * `outputsWithoutDossierContent` — so a new output cannot ship without its test.
 */

/** The confidential dossier and what must never reach an outsider. */
export interface Secret {
  dossierId: string;
  /** A released version of a nichtöffentlich dossier with the same title and text. */
  releasedDossierId: string;
  title: string;
  sectionText: string;
  editorName: string;
  /** A file of an Anlage of the dossier, and one of the released version. */
  fileId: string;
  releasedFileId: string;
  fileName: string;
}

export interface Output {
  /** The route as mounted, e.g. `GET /api/dossiers/:id`. */
  route: string;
  /** What is fetched (a route may have several outputs, e.g. draft and final PDF). */
  name: string;
  /** A user who may see this output of the dossier: the positive control that the fetch reaches the content. */
  insider: string;
  /** The path fetched with GET and the user's session cookie. */
  path(secret: Secret): string;
  /** Statuses an outsider may get: a hidden dossier answers like a missing one (404), a forbidden route 403. */
  outsiderStatus: readonly number[];
  /** What the insider's answer contains, so an empty answer cannot pass for a confidential one. */
  insiderShows(secret: Secret): string[];
}

export const outputs: Output[] = [
  {
    route: 'GET /api/dossiers',
    name: 'list, with who is editing now',
    insider: 'jana.becker',
    path: () => `/api/dossiers`,
    outsiderStatus: [200],
    insiderShows: (s) => [s.dossierId, s.title, s.editorName],
  },
  {
    route: 'GET /api/search',
    name: 'full-text search, with the matching passage',
    insider: 'jana.becker',
    path: (s) => `/api/search?q=${encodeURIComponent(s.sectionText)}`,
    outsiderStatus: [200],
    insiderShows: (s) => [s.dossierId, s.releasedDossierId, 'Omega'],
  },
  {
    route: 'GET /api/dossiers/:id',
    name: 'dossier view with sections and editors',
    insider: 'jana.becker',
    path: (s) => `/api/dossiers/${s.dossierId}`,
    outsiderStatus: [404],
    insiderShows: (s) => [s.title, s.sectionText, s.editorName],
  },
  {
    route: 'GET /api/dossiers/:id/export.pdf',
    name: 'PDF draft',
    insider: 'jana.becker',
    path: (s) => `/api/dossiers/${s.dossierId}/export.pdf`,
    outsiderStatus: [404],
    insiderShows: () => ['%PDF-'],
  },
  {
    route: 'GET /api/dossiers/:id/export.pdf',
    name: 'PDF final',
    insider: 'petra.schmid',
    path: (s) => `/api/dossiers/${s.dossierId}/export.pdf?final=1`,
    outsiderStatus: [403, 404],
    insiderShows: () => ['%PDF-'],
  },
  {
    route: 'GET /api/dossiers/:id/budget.csv',
    name: 'budget CSV',
    insider: 'sabine.huber',
    path: (s) => `/api/dossiers/${s.dossierId}/budget.csv`,
    outsiderStatus: [404],
    insiderShows: () => ['Kostenart', 'Nettobelastung'],
  },
  {
    route: 'GET /api/dossiers/:id/export.pdf',
    name: 'PDF of a released version',
    insider: 'jana.becker',
    path: (s) => `/api/dossiers/${s.releasedDossierId}/export.pdf?version=1`,
    outsiderStatus: [404],
    insiderShows: () => ['%PDF-'],
  },
  {
    route: 'GET /api/dossiers/:id/signatures',
    name: 'co-signatures',
    insider: 'jana.becker',
    path: (s) => `/api/dossiers/${s.dossierId}/signatures`,
    outsiderStatus: [404],
    insiderShows: () => ['"departmentId":"kaemmerei"', '"state":"pending"'],
  },
  {
    route: 'GET /api/dossiers/:id/signatures/:departmentId/changes',
    name: 'what changed since a department signed',
    insider: 'jana.becker',
    path: (s) => `/api/dossiers/${s.releasedDossierId}/signatures/kaemmerei/changes`,
    outsiderStatus: [404],
    // nothing changed since the Kämmerei signed the released Vorlage
    insiderShows: () => ['[]'],
  },
  {
    route: 'GET /api/dossiers/:id/completeness',
    name: 'readiness checklist',
    insider: 'petra.schmid',
    path: (s) => `/api/dossiers/${s.dossierId}/completeness`,
    outsiderStatus: [404],
    insiderShows: () => ['"ready":false', 'Pflichtabschnitt'],
  },
  {
    route: 'GET /api/dossiers/:id/versions',
    name: 'released versions',
    insider: 'jana.becker',
    path: (s) => `/api/dossiers/${s.releasedDossierId}/versions`,
    outsiderStatus: [404],
    insiderShows: () => ['"version":1', 'VO/'],
  },
  {
    route: 'GET /api/dossiers/:id/versions/:n',
    name: 'a released version’s sections',
    insider: 'jana.becker',
    path: (s) => `/api/dossiers/${s.releasedDossierId}/versions/1`,
    outsiderStatus: [404],
    insiderShows: (s) => [s.title, s.sectionText],
  },
  {
    route: 'GET /api/dossiers/:id/history',
    name: 'drafting history: snapshots with their authors',
    insider: 'jana.becker',
    path: (s) => `/api/dossiers/${s.dossierId}/history`,
    outsiderStatus: [404],
    insiderShows: (s) => [s.editorName],
  },
  {
    route: 'GET /api/dossiers/:id/history/:snapshotId',
    name: 'drafting history: the first snapshot, read-only',
    insider: 'jana.becker',
    // the first store of the dossier takes snapshot 1 (server/history/drafting-history.ts)
    path: (s) => `/api/dossiers/${s.dossierId}/history/1`,
    outsiderStatus: [404],
    insiderShows: (s) => [s.title],
  },
  {
    route: 'GET /api/dossiers/:id/compare',
    name: 'change report of the draft',
    insider: 'jana.becker',
    path: (s) => `/api/dossiers/${s.dossierId}/compare?from=current&to=current`,
    outsiderStatus: [404],
    insiderShows: (s) => [s.sectionText],
  },
  {
    route: 'GET /api/dossiers/:id/compare',
    name: 'change report between a released version and the draft',
    insider: 'jana.becker',
    path: (s) => `/api/dossiers/${s.releasedDossierId}/compare?from=1&to=current`,
    outsiderStatus: [404],
    insiderShows: (s) => [s.sectionText],
  },
  {
    route: 'GET /api/dossiers/:id/attachments',
    name: 'files of the Anlagen',
    insider: 'jana.becker',
    path: (s) => `/api/dossiers/${s.dossierId}/attachments`,
    outsiderStatus: [404],
    insiderShows: (s) => [s.fileId, s.fileName],
  },
  {
    route: 'GET /api/dossiers/:id/attachments/:fileId',
    name: 'a file of an Anlage',
    insider: 'jana.becker',
    path: (s) => `/api/dossiers/${s.dossierId}/attachments/${s.fileId}`,
    outsiderStatus: [404],
    insiderShows: () => ['%PDF-'],
  },
  {
    route: 'GET /api/dossiers/:id/versions/:n/attachments',
    name: 'files of the Anlagen of a released version',
    insider: 'jana.becker',
    path: (s) => `/api/dossiers/${s.releasedDossierId}/versions/1/attachments`,
    outsiderStatus: [404],
    insiderShows: (s) => [s.releasedFileId, s.fileName],
  },
  {
    route: 'GET /api/dossiers/:id/versions/:n/attachments/:fileId',
    name: 'a file of an Anlage of a released version',
    insider: 'jana.becker',
    path: (s) => `/api/dossiers/${s.releasedDossierId}/versions/1/attachments/${s.releasedFileId}`,
    outsiderStatus: [404],
    insiderShows: () => ['%PDF-'],
  },
  {
    route: 'GET /api/audit',
    name: 'audit log of the dossier',
    insider: 'admin',
    path: (s) => `/api/audit?dossierId=${s.dossierId}`,
    outsiderStatus: [403],
    insiderShows: (s) => [s.dossierId, s.title],
  },
];

/** GET routes that carry no dossier's content, and why. */
export const outputsWithoutDossierContent: Record<string, string> = {
  'GET /api/health': 'status and version only, before login',
  'GET /api/health/live': 'that the process answers, before login',
  'GET /api/health/ready': 'which dependencies answer, before login',
  'GET /api/auth/me': 'the signed-in user themself',
  'GET /api/departments': 'department names for badges',
  'GET /api/users': 'user administration, admins only',
  'GET /api/templates': 'installed templates, the same for everyone',
  'GET /api/templates/:id': 'one installed template',
};

/** The collaboration socket: every section document of the dossier's template is one output. */
export const collabOutput = { route: 'WS /collab', name: 'section document', insider: 'jana.becker' } as const;
