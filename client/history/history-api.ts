/** The drafting history's REST calls (server/api/history.ts), through the client's one request path. */
import type { HistoryEntry, HistorySnapshotView, RestoreAnswer } from '../../dossier/drafting-history';
import { request } from '../api';

const base = (dossierId: string) => `/api/dossiers/${encodeURIComponent(dossierId)}/history`;

export const historyApi = {
  list: (dossierId: string) => request<HistoryEntry[]>('GET', base(dossierId)),
  snapshot: (dossierId: string, id: number) => request<HistorySnapshotView>('GET', `${base(dossierId)}/${id}`),
  restore: (dossierId: string, id: number, sectionId: string) => request<RestoreAnswer>('POST', `${base(dossierId)}/${id}/restore`, { sectionId }),
};
