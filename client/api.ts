/**
 * Every request the web client makes goes through here, so authentication
 * (issue 4) is added in one place: same-origin cookies, a CSRF header on
 * state-changing requests, and a redirect to the login page on 401.
 */
import type { AttachmentFileView, AttachmentUploadAnswer } from '../dossier/attachment-files';
import { BACKGROUND_REFRESH_HEADER } from '../dossier/http';
import type { AuditLogEntry, Department, DossierSummary, DossierView, SearchAnswer, SessionAnswer, TemplateList } from '../dossier/rest';
import type { DossierStatus } from '../dossier/status';
import type { Template } from '../dossier/template';

export type { DossierStatus };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The error's whole JSON body, for fields beside `error` (a 409's `changedSections`). */
    readonly body?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Supplies the session's CSRF token (see account.tsx). */
let csrfToken: () => string | undefined = () => undefined;
export function setCsrfTokenSource(source: () => string | undefined): void {
  csrfToken = source;
}

/** Where a 401 sends the user. */
export const LOGIN_PATH = '/login';

let signingOut = false;

let leaving = false;

/**
 * Leaves for the login page once: every open section's socket and every
 * pending request may find the session ended at the same moment, and a
 * second page load would abort the first.
 */
function toLogin(): void {
  if (leaving || location.pathname === LOGIN_PATH) return;
  leaving = true;
  location.assign(`${LOGIN_PATH}?next=${encodeURIComponent(location.pathname + location.search)}`);
}

/** Whether the page is already on its way to the login page. */
export function leavingForLogin(): boolean {
  return leaving;
}

/**
 * Asks whether the session still holds — after the collaboration server
 * refused it, or to say the user is still at work (reading counts: a session
 * expires only when idle) — and goes to the login page if it has ended.
 */
export async function confirmSession(): Promise<void> {
  // signing out ends the session on purpose: the page goes to the login page by itself
  if (signingOut) return;
  const response = await fetch('/api/auth/me', { credentials: 'same-origin', headers: { accept: 'application/json' } }).catch(() => undefined);
  if (response?.status === 401) toLogin();
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Sends a request with the session cookie and, for state changes, the CSRF token; a 401 leads to the login page. */
export async function send(
  method: Method,
  path: string,
  body?: unknown,
  accept = 'application/json',
  background = false,
  extraHeaders: Record<string, string> = {},
): Promise<Response> {
  const headers: Record<string, string> = { accept, ...extraHeaders };
  if (background) headers[BACKGROUND_REFRESH_HEADER] = '1';
  // a file goes as it is (its own media type), everything else as JSON
  const file = body instanceof Blob;
  if (body !== undefined && !file) headers['content-type'] = 'application/json';
  const token = method === 'GET' ? undefined : csrfToken();
  if (token) headers['x-csrf-token'] = token;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : file ? body : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'Der Server ist nicht erreichbar. Bitte prüfen Sie die Netzwerkverbindung.');
  }
  if (response.status === 401 && !path.startsWith('/api/auth/')) toLogin();
  if (!response.ok) {
    const json = (await response.json().catch(() => undefined)) as { error?: unknown } | undefined;
    throw new ApiError(response.status, typeof json?.error === 'string' ? json.error : `Fehler ${response.status}`, json);
  }
  return response;
}

export async function request<T>(method: Method, path: string, body?: unknown, background = false): Promise<T> {
  const response = await send(method, path, body, 'application/json', background);
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export interface ExportedPdf {
  blob: Blob;
  fileName: string;
  /** Hex SHA-256 of the file, as the server computed it. */
  sha256: string;
}

/** Downloads the dossier's PDF (`query`: `?version=N` for a released version's stored file); `onProgress` gets the received share (0–1) once the server starts sending. */
async function exportPdf(id: string, onProgress: (share: number) => void, query = ''): Promise<ExportedPdf> {
  const response = await send('GET', `/api/dossiers/${encodeURIComponent(id)}/export.pdf${query}`, undefined, 'application/pdf');
  const total = Number(response.headers.get('content-length')) || 0;
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let received = 0;
  const reader = response.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    received += value.length;
    if (total) onProgress(Math.min(1, received / total));
  }
  const fileName = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `${id}.pdf`;
  return { blob: new Blob(parts, { type: 'application/pdf' }), fileName, sha256: response.headers.get('x-pdf-sha256') ?? '' };
}

/** The budget lines as CSV for Excel (server/export/budget-csv.ts). */
async function exportBudgetCsv(id: string): Promise<{ blob: Blob; fileName: string }> {
  const response = await send('GET', `/api/dossiers/${encodeURIComponent(id)}/budget.csv`, undefined, 'text/csv');
  const fileName = /filename="?([^";]+)"?/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `Finanzen-${id}.csv`;
  return { blob: await response.blob(), fileName };
}

export const api = {
  me: () => request<SessionAnswer>('GET', '/api/auth/me'),
  login: (username: string, password: string) => {
    signingOut = false;
    return request<SessionAnswer>('POST', '/api/auth/login', { username, password });
  },
  logout: () => {
    signingOut = true;
    return request<void>('POST', '/api/auth/logout');
  },
  departments: () => request<Department[]>('GET', '/api/departments'),
  audit: () => request<AuditLogEntry[]>('GET', '/api/audit?limit=500'),
  templates: () => request<TemplateList>('GET', '/api/templates'),
  template: (id: string) => request<Template>('GET', `/api/templates/${encodeURIComponent(id)}`),
  /** `background`: a refresh on a timer, which does not keep the session alive. */
  dossiers: (background = false) => request<DossierSummary[]>('GET', '/api/dossiers', undefined, background),
  dossier: (id: string) => request<DossierView>('GET', `/api/dossiers/${encodeURIComponent(id)}`),
  /** Full-text search across the Vorlagen the user may see (dossier/search.ts). */
  search: (query: string) => request<SearchAnswer>('GET', `/api/search?q=${encodeURIComponent(query)}`),
  createDossier: (input: { templateId: string; title: string }) => request<DossierSummary>('POST', '/api/dossiers', input),
  exportPdf,
  /** The files of the Anlagen the user may download. */
  attachmentFiles: (id: string) => request<AttachmentFileView[]>('GET', `/api/dossiers/${encodeURIComponent(id)}/attachments`),
  /** Uploads `file` into the Anlage `anlageId` (the server writes its id into the live Anlage). */
  uploadAttachmentFile: async (id: string, anlageId: string, file: File): Promise<AttachmentUploadAnswer> => {
    const path = `/api/dossiers/${encodeURIComponent(id)}/attachments?anlage=${encodeURIComponent(anlageId)}`;
    const response = await send('POST', path, file, 'application/json', false, { 'x-file-name': encodeURIComponent(file.name) });
    return (await response.json()) as AttachmentUploadAnswer;
  },
  deleteAttachmentFile: (id: string, fileId: string) =>
    request<{ fileId: string; deleted: boolean }>('DELETE', `/api/dossiers/${encodeURIComponent(id)}/attachments/${encodeURIComponent(fileId)}`),
  attachmentFileUrl: (id: string, fileId: string) => `/api/dossiers/${encodeURIComponent(id)}/attachments/${encodeURIComponent(fileId)}`,
  exportBudgetCsv,
};

/** The collaboration WebSocket on the same origin. */
export function collabUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/collab`;
}
