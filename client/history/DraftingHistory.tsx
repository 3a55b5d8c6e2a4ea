/**
 * "Verlauf": the dossier's drafting history in a dialog opened from the
 * dossier bar. The list shows when each snapshot was taken and who wrote
 * since the one before; a snapshot opens read-only, and who may write a
 * section now can restore it from there — written into the live dossier as
 * an ordinary change, which everyone with the dossier open sees at once.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { HistoryEntry, HistorySection, HistorySnapshotView } from '../../dossier/drafting-history';
import type { Template } from '../../dossier/template';
import { Dialog } from '../components/Dialog';
import { useI18n } from '../i18n/i18n';
import { historyApi } from './history-api';
import { SnapshotSection } from './SnapshotSection';

export function DraftingHistory({ dossierId, template }: { dossierId: string; template: Template }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button button--secondary button--small" onClick={() => setOpen(true)} aria-haspopup="dialog">
        {t('history.open')}
      </button>
      <Dialog title={t('history.title')} open={open} onClose={() => setOpen(false)}>
        {open && <HistoryPanel dossierId={dossierId} template={template} onClose={() => setOpen(false)} />}
      </Dialog>
    </>
  );
}

function HistoryPanel({ dossierId, template, onClose }: { dossierId: string; template: Template; onClose: () => void }) {
  const { t } = useI18n();
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    setError(null);
    historyApi.list(dossierId).then(setEntries, (e: Error) => setError(e.message));
  }, [dossierId]);
  useEffect(load, [load]);

  return (
    <div className="history">
      {error && (
        <p className="notice notice--error" role="alert">
          {t('app.error', { message: error })}
        </p>
      )}
      {selected === null ? (
        <HistoryList entries={entries} onOpen={setSelected} />
      ) : (
        <SnapshotView
          dossierId={dossierId}
          template={template}
          snapshotId={selected}
          onBack={() => {
            setSelected(null);
            load();
          }}
        />
      )}
      <div className="dialog__actions">
        <button type="button" className="button button--secondary" onClick={onClose}>
          {t('history.close')}
        </button>
      </div>
    </div>
  );
}

function HistoryList({ entries, onOpen }: { entries: HistoryEntry[] | null; onOpen: (id: number) => void }) {
  const { t, formatDate, formatTime } = useI18n();
  if (!entries) return <p className="muted">{t('app.loading')}</p>;
  return (
    <>
      <p className="history__intro">{t('history.intro')}</p>
      {entries.length === 0 ? (
        <p className="empty">{t('history.empty')}</p>
      ) : (
        <ol className="history__list" aria-label={t('history.listLabel')}>
          {entries.map((entry) => (
            <li key={entry.id}>
              <button type="button" className="history__entry" onClick={() => onOpen(entry.id)}>
                <span className="history__time">{t('history.entryTitle', { date: formatDate(entry.takenAt), time: formatTime(entry.takenAt) })}</span>
                <span className="history__authors">
                  {entry.authors.length ? t('history.authors', { names: entry.authors.map((a) => a.name).join(', ') }) : t('history.noAuthors')}
                </span>
              </button>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

function SnapshotView({ dossierId, template, snapshotId, onBack }: { dossierId: string; template: Template; snapshotId: number; onBack: () => void }) {
  const { t, formatDate, formatTime } = useI18n();
  const [view, setView] = useState<HistorySnapshotView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [restored, setRestored] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    historyApi.snapshot(dossierId, snapshotId).then(setView, (e: Error) => setError(e.message));
  }, [dossierId, snapshotId]);
  useEffect(() => {
    if (view) heading.current?.focus();
  }, [view]);

  const restore = async (section: HistorySection) => {
    setError(null);
    try {
      await historyApi.restore(dossierId, snapshotId, section.sectionId);
      setConfirming(null);
      setRestored(t('history.restored', { section: section.title }));
    } catch (e) {
      setConfirming(null);
      setError((e as Error).message);
    }
  };

  return (
    <div className="history__snapshot">
      <button type="button" className="button button--link" onClick={onBack}>
        {t('history.back')}
      </button>
      <div role="status" className="history__status">
        {restored && <p className="notice notice--info">{restored}</p>}
      </div>
      {error && (
        <p className="notice notice--error" role="alert">
          {t('app.error', { message: error })}
        </p>
      )}
      {!view ? (
        !error && <p className="muted">{t('app.loading')}</p>
      ) : (
        <>
          <h3 className="history__heading" ref={heading} tabIndex={-1}>
            {t('history.snapshotTitle', { date: formatDate(view.takenAt), time: formatTime(view.takenAt) })}
          </h3>
          <p className="muted">{view.authors.length ? t('history.authors', { names: view.authors.map((a) => a.name).join(', ') }) : t('history.noAuthors')}</p>
          <p className="notice notice--info">{t('history.readOnly')}</p>
          {view.sections.map((section) => {
            const templateSection = template.sections.find((s) => s.id === section.sectionId);
            if (!templateSection) return null;
            return (
              <section key={section.sectionId} className="history-section" aria-labelledby={`history-${section.sectionId}`}>
                <div className="history-section__head">
                  <h4 id={`history-${section.sectionId}`} className="history-section__title">
                    {section.title}
                  </h4>
                  {section.canRestore && confirming !== section.sectionId && (
                    <button type="button" className="button button--secondary button--small" onClick={() => setConfirming(section.sectionId)}>
                      {t('history.restore')}
                    </button>
                  )}
                </div>
                {confirming === section.sectionId && (
                  <div className="history-confirm" role="group" aria-label={t('history.confirmTitle')}>
                    <p>{t('history.confirmText', { section: section.title, date: formatDate(view.takenAt), time: formatTime(view.takenAt) })}</p>
                    <div className="dialog__actions">
                      <button type="button" className="button button--secondary button--small" onClick={() => setConfirming(null)}>
                        {t('history.cancel')}
                      </button>
                      <ConfirmButton onConfirm={() => restore(section)} label={t('history.confirm')} />
                    </div>
                  </div>
                )}
                <SnapshotSection section={templateSection} content={section.content} budgetScheme={template.budgetScheme} />
              </section>
            );
          })}
        </>
      )}
    </div>
  );
}

/** The confirming button takes the focus when it appears, so the keyboard user is where the decision is. */
function ConfirmButton({ onConfirm, label }: { onConfirm: () => Promise<void>; label: string }) {
  const ref = useRef<HTMLButtonElement>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => ref.current?.focus(), []);
  return (
    <button
      ref={ref}
      type="button"
      className="button button--primary button--small"
      disabled={busy}
      onClick={() => {
        setBusy(true);
        void onConfirm().finally(() => setBusy(false));
      }}
    >
      {label}
    </button>
  );
}
