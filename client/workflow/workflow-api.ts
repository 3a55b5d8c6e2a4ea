/**
 * The workflow's REST calls (issue 11's contracts): co-signing, signatures,
 * completeness, release, revision, versions and comparison.
 */
import type { SectionComparison } from '../../dossier/compare';
import type { SignatureDecision } from '../../dossier/content';
import { request } from '../api';

/** One department's co-signature as the server judges it now. */
export interface SignatureState {
  departmentId: string;
  departmentName: string;
  state: 'pending' | 'valid' | 'invalid';
  decision: SignatureDecision | null;
  signedBy: string | null;
  signedAt: string | null;
  remark: string | null;
  /** The hash of each section the signature covers, as signed. */
  sections: Record<string, string>;
  /** Covered sections whose content changed since the signature. */
  changedSections: string[];
}

export interface CompletenessItem {
  id: string;
  ok: boolean;
  severity: 'error' | 'warning';
  message: string;
}

export interface Completeness {
  ready: boolean;
  items: CompletenessItem[];
}

export interface Release {
  version: number;
  referenceNumber: string;
  sha256: string;
}

export interface VersionEntry {
  version: number;
  releasedAt: string;
  releasedBy: string;
  referenceNumber: string;
  sha256: string;
}

const base = (dossierId: string) => `/api/dossiers/${encodeURIComponent(dossierId)}`;

export const workflowApi = {
  startCosigning: (dossierId: string) => request<unknown>('POST', `${base(dossierId)}/cosigning`),
  backToDraft: (dossierId: string) => request<unknown>('DELETE', `${base(dossierId)}/cosigning`),
  signatures: (dossierId: string) => request<SignatureState[]>('GET', `${base(dossierId)}/signatures`),
  sign: (dossierId: string, body: { contentHashes: Record<string, string>; decision: SignatureDecision; remark?: string }) =>
    request<unknown>('POST', `${base(dossierId)}/signatures`, body),
  completeness: (dossierId: string) => request<Completeness>('GET', `${base(dossierId)}/completeness`),
  release: (dossierId: string, referenceNumber: string | undefined) =>
    request<Release>('POST', `${base(dossierId)}/release`, referenceNumber ? { referenceNumber } : {}),
  startRevision: (dossierId: string) => request<unknown>('POST', `${base(dossierId)}/revision`),
  versions: (dossierId: string) => request<VersionEntry[]>('GET', `${base(dossierId)}/versions`),
  /** `to`: a version number or `current` (the draft as it is now). */
  compare: (dossierId: string, from: number, to: number | 'current') => request<SectionComparison[]>('GET', `${base(dossierId)}/compare?from=${from}&to=${to}`),
};
