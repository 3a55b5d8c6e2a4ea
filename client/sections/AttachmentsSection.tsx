/** Anlagen: a numbered list; add, remove, reorder, mark öffentlich/nichtöffentlich. */
import { newId } from '../../dossier/ids';
import { addAttachment, attachmentsRoots, deleteRow, moveRow, readAttachment, rowsInOrder, setAttachmentCell } from '../../dossier/layout';
import { fieldKey } from '../../dossier/field-claims';
import { useYObserve } from '../collab/hooks';
import { SharedInput, useFieldPresence } from '../collab/shared-field';
import type { SectionConnection } from '../collab/session';
import { Icon } from '../components/Icon';
import { useI18n } from '../i18n/i18n';

export function AttachmentsSection({ connection, readOnly }: { connection: SectionConnection; readOnly: boolean }) {
  const { t } = useI18n();
  const { items } = attachmentsRoots(connection.doc);
  useYObserve(items);
  const presence = useFieldPresence(connection.provider);
  const maps = rowsInOrder(items);
  return (
    <div className="rows">
      {maps.length === 0 ? (
        <p className="muted">{t('attachments.empty')}</p>
      ) : (
        <ol className="attachment-list">
          {maps.map((map, index) => {
            const item = readAttachment(map);
            const number = index + 1;
            return (
              <li key={item.id} className="attachment">
                <span className="attachment__number" aria-hidden="true">
                  {t('attachments.number')} {number}
                </span>
                {readOnly ? (
                  <>
                    <span className="attachment__title">{item.title}</span>
                    <span className="badge">{item.public ? t('consultation.publicLabel') : t('consultation.publicNo')}</span>
                  </>
                ) : (
                  <>
                    <SharedInput
                      className="attachment__title"
                      provider={connection.provider}
                      presence={presence}
                      scope={map}
                      fieldKey={fieldKey('title', item.id)}
                      aria-label={t('attachments.titleLabel', { number })}
                      value={item.title}
                      write={(value) => setAttachmentCell(map, 'title', value)}
                    />
                    <label className="checkbox">
                      <input
                        type="checkbox"
                        checked={item.public}
                        onChange={(e) => setAttachmentCell(map, 'public', e.target.checked)}
                        aria-label={t('attachments.publicLabel', { number })}
                      />
                      <span aria-hidden="true">{t('attachments.public')}</span>
                    </label>
                    <span className="row-actions">
                      <button
                        type="button"
                        className="icon-button"
                        aria-label={t('attachments.moveUp', { number })}
                        title={t('attachments.moveUp', { number })}
                        disabled={index === 0}
                        onClick={() => moveRow(items, index, index - 1)}
                      >
                        <Icon name="up" size={16} />
                      </button>
                      <button
                        type="button"
                        className="icon-button"
                        aria-label={t('attachments.moveDown', { number })}
                        title={t('attachments.moveDown', { number })}
                        disabled={index === maps.length - 1}
                        onClick={() => moveRow(items, index, index + 1)}
                      >
                        <Icon name="down" size={16} />
                      </button>
                      <button
                        type="button"
                        className="icon-button icon-button--danger"
                        aria-label={t('attachments.remove', { number })}
                        title={t('attachments.remove', { number })}
                        onClick={() => deleteRow(items, map)}
                      >
                        <Icon name="close" size={16} />
                      </button>
                    </span>
                  </>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {!readOnly && (
        <button
          type="button"
          className="button button--secondary button--small"
          onClick={() => addAttachment(connection.doc, { id: newId(), title: '', public: true })}
        >
          <Icon name="plus" /> {t('attachments.add')}
        </button>
      )}
    </div>
  );
}
