/**
 * "PDF exportieren": renders the stored dossier on the server, shows progress,
 * downloads it and shows its SHA-256. Beside it "Finanzen als CSV": the budget
 * lines for the finance office's spreadsheets.
 */
import { useState } from 'react';
import { api } from '../api';
import { Icon } from '../components/Icon';
import { saveFile } from '../download';
import { useI18n } from '../i18n/i18n';

type ExportState =
  | { phase: 'idle' }
  | { phase: 'rendering' }
  | { phase: 'downloading'; share: number }
  | { phase: 'done'; sha256: string; fileName: string }
  | { phase: 'failed'; message: string };

export function ExportButton({ dossierId, unsaved }: { dossierId: string; unsaved: boolean }) {
  const { t } = useI18n();
  const [state, setState] = useState<ExportState>({ phase: 'idle' });
  const busy = state.phase === 'rendering' || state.phase === 'downloading';

  const run = async () => {
    setState({ phase: 'rendering' });
    try {
      const pdf = await api.exportPdf(dossierId, (share) => setState({ phase: 'downloading', share }));
      saveFile(pdf.blob, pdf.fileName);
      setState({ phase: 'done', sha256: pdf.sha256, fileName: pdf.fileName });
    } catch (error) {
      setState({ phase: 'failed', message: (error as Error).message });
    }
  };

  return (
    <div className="export">
      <button
        type="button"
        className="button button--secondary button--small"
        onClick={run}
        disabled={busy}
        aria-describedby="export-state"
        title={unsaved ? t('export.unsavedHint') : undefined}
      >
        <Icon name="download" size={16} />
        {t('dossier.export')}
      </button>
      <div id="export-state" className="export__state" role="status">
        {state.phase === 'rendering' && t('export.rendering')}
        {state.phase === 'downloading' && (
          <>
            <progress max={1} value={state.share} aria-label={t('export.progress')} /> {Math.round(state.share * 100)} %
          </>
        )}
        {state.phase === 'done' && (
          <span className="export__hash">
            {t('export.done', { file: state.fileName })} <abbr title="SHA-256">SHA-256</abbr>: <code>{state.sha256}</code>
          </span>
        )}
        {state.phase === 'failed' && <span className="field__error">{t('export.failed', { message: state.message })}</span>}
        {(state.phase === 'done' || state.phase === 'failed') && (
          <button
            type="button"
            className="icon-button export__close"
            aria-label={t('export.close')}
            title={t('export.close')}
            onClick={() => setState({ phase: 'idle' })}
          >
            <Icon name="close" size={14} />
          </button>
        )}
      </div>
    </div>
  );
}

export function BudgetCsvButton({ dossierId }: { dossierId: string }) {
  const { t } = useI18n();
  const [state, setState] = useState<{ phase: 'idle' | 'loading' } | { phase: 'failed'; message: string }>({ phase: 'idle' });
  const run = async () => {
    setState({ phase: 'loading' });
    try {
      const csv = await api.exportBudgetCsv(dossierId);
      saveFile(csv.blob, csv.fileName);
      setState({ phase: 'idle' });
    } catch (error) {
      setState({ phase: 'failed', message: (error as Error).message });
    }
  };
  return (
    <div className="export export--csv">
      <button
        type="button"
        className="button button--secondary button--small"
        onClick={run}
        disabled={state.phase === 'loading'}
        title={t('dossier.exportCsvHint')}
        aria-describedby="export-csv-state"
      >
        <Icon name="download" size={16} />
        {t('dossier.exportCsv')}
      </button>
      <div id="export-csv-state" className="export__state" role="status">
        {state.phase === 'failed' && <span className="field__error">{t('export.failed', { message: state.message })}</span>}
      </div>
    </div>
  );
}
