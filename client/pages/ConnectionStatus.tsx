/** Connection and save state, announced politely to screen readers when they change. */
import { invalidInputCount, type SessionSnapshot } from '../collab/session';
import { useI18n } from '../i18n/i18n';

export function ConnectionStatus({ snapshot, onReconnect }: { snapshot: SessionSnapshot; onReconnect: () => void }) {
  const { t, formatTime } = useI18n();
  const { connection, save, savedAt } = snapshot;
  // inputs refused at their cell are in no document: whatever the server stored, they are not saved
  const invalid = invalidInputCount(snapshot);
  const label =
    connection === 'connected'
      ? t('connection.connected')
      : connection === 'disconnected'
        ? t('connection.disconnected')
        : connection === 'offline'
          ? t('connection.offline')
          : t('app.loading');
  const hint = connection === 'offline' ? t('connection.offlineHint') : connection === 'disconnected' ? t('connection.disconnectedHint') : undefined;
  const saveLabel =
    invalid > 0
      ? t('save.invalid', { count: invalid })
      : save === 'saved'
        ? savedAt
          ? t('save.savedAt', { time: formatTime(savedAt) })
          : t('save.saved')
        : save === 'saving'
          ? t('save.saving')
          : save === 'local'
            ? t('save.local')
            : t('save.pending');
  return (
    <div className="status" data-connection={connection} data-save={invalid > 0 ? 'invalid' : save}>
      <span className={`status__connection status__connection--${connection}`} role="status" title={hint}>
        <span className="status__dot" aria-hidden="true" />
        {label}
      </span>
      <span className={`status__save status__save--${invalid > 0 ? 'invalid' : save}`} role="status">
        {saveLabel}
      </span>
      {connection === 'offline' && (
        <button type="button" className="button button--link" onClick={onReconnect}>
          {t('connection.reconnect')}
        </button>
      )}
    </div>
  );
}
