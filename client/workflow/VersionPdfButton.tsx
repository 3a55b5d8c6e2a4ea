/**
 * Downloads a released version's PDF — the bytes stored at its release, not a
 * new rendering — and shows its SHA-256, checked against what the server sent.
 */
import { useState } from 'react';
import { api } from '../api';
import { Icon } from '../components/Icon';
import { saveFile } from '../download';
import { useI18n } from '../i18n/i18n';
import type { VersionEntry } from './workflow-api';

type DownloadState = { phase: 'idle' } | { phase: 'loading' } | { phase: 'done'; matches: boolean } | { phase: 'failed'; message: string };

export function VersionPdfButton({
  dossierId,
  version,
  label,
  showHash = true,
}: {
  dossierId: string;
  version: VersionEntry;
  label: string;
  showHash?: boolean;
}) {
  const { t } = useI18n();
  const [state, setState] = useState<DownloadState>({ phase: 'idle' });

  const download = async () => {
    setState({ phase: 'loading' });
    try {
      const pdf = await api.exportPdf(dossierId, () => undefined, `?version=${version.version}`);
      saveFile(pdf.blob, pdf.fileName);
      setState({ phase: 'done', matches: pdf.sha256 === version.sha256 });
    } catch (error) {
      setState({ phase: 'failed', message: (error as Error).message });
    }
  };

  return (
    <span className="version-pdf">
      <button type="button" className="button button--secondary button--small" onClick={download} disabled={state.phase === 'loading'}>
        <Icon name="download" size={16} />
        {label}
      </button>
      {showHash && (
        <span className="version-pdf__hash">
          <abbr title="SHA-256">SHA-256</abbr>: <code>{version.sha256}</code>
        </span>
      )}
      <span className="version-pdf__state" role="status">
        {state.phase === 'loading' && t('workflow.pdfLoading')}
        {state.phase === 'done' && (state.matches ? t('workflow.pdfVerified') : t('workflow.pdfMismatch'))}
        {state.phase === 'failed' && <span className="field__error">{t('export.failed', { message: state.message })}</span>}
      </span>
    </span>
  );
}
