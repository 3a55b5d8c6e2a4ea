/**
 * The workflow's REST calls (issue 11's contracts): co-signing, signatures,
 * completeness, release, revision, versions and comparison.
 */
import type { SectionComparison } from '../../dossier/compare';
import type { SignatureDecision } from '../../dossier/content';
import type { Completeness, ReleaseAnswer, SignatureStatus, VersionEntry } from '../../dossier/rest';
import { request } from '../api';

export type SignatureState = SignatureStatus;
export type CompletenessItem = Completeness['items'][number];
export type Release = ReleaseAnswer;
export type { Completeness, VersionEntry };

const base = (dossierId: string) => `/api/dossiers/${encodeURIComponent(dossierId)}`;

export const workflowApi = {
  startCosigning: (dossierId: string) => request<unknown>('POST', `${base(dossierId)}/cosigning`),
  backToDraft: (dossierId: string) => request<unknown>('DELETE', `${base(dossierId)}/cosigning`),
  signatures: (dossierId: string) => request<SignatureState[]>('GET', `${base(dossierId)}/signatures`),
  sign: (dossierId: string, body: { contentHashes: Record<string, string>; decision: SignatureDecision; remark?: string }) =>
    request<unknown>('POST', `${base(dossierId)}/signatures`, body),
  changes: (dossierId: string, departmentId: string) =>
    request<SectionComparison[]>('GET', `${base(dossierId)}/signatures/${encodeURIComponent(departmentId)}/changes`),
  completeness: (dossierId: string) => request<Completeness>('GET', `${base(dossierId)}/completeness`),
  release: (dossierId: string, referenceNumber: string | undefined) =>
    request<Release>('POST', `${base(dossierId)}/release`, referenceNumber ? { referenceNumber } : {}),
  startRevision: (dossierId: string) => request<unknown>('POST', `${base(dossierId)}/revision`),
  versions: (dossierId: string) => request<VersionEntry[]>('GET', `${base(dossierId)}/versions`),
  /** `to`: a version number or `current` (the draft as it is now). */
  compare: (dossierId: string, from: number, to: number | 'current') => request<SectionComparison[]>('GET', `${base(dossierId)}/compare?from=${from}&to=${to}`),
};
