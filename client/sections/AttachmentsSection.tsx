/**
 * Anlagen: a numbered list; add, remove, reorder, mark öffentlich/nichtöffentlich, and give each Anlage its
 * file. The file goes to the server (POST …/attachments), which writes its id into the live Anlage, so every
 * co-editor sees it at once; the names and sizes come from the server, only for files the user may download.
 */
import { useEffect, useState } from 'react';
import type * as Y from 'yjs';
import { attachmentFileAccept, formatFileSize, type AttachmentFileView } from '../../dossier/attachment-files';
import type { Attachment } from '../../dossier/content';
import { newId } from '../../dossier/ids';
import { addAttachment, attachmentsRoots, deleteRow, moveRow, readAttachment, rowsInOrder, setAttachmentCell } from '../../dossier/layout';
import { api } from '../api';
import { fieldKey } from '../../dossier/field-claims';
import { useYObserve } from '../collab/hooks';
import { SharedInput, useFieldPresence } from '../collab/shared-field';
import type { SectionConnection } from '../collab/session';
import { Icon } from '../components/Icon';
import { useI18n } from '../i18n/i18n';

export function AttachmentsSection({ dossierId, connection, readOnly }: { dossierId: string; connection: SectionConnection; readOnly: boolean }) {
  const { t } = useI18n();
  const { items } = attachmentsRoots(connection.doc);
  useYObserve(items);
  const presence = useFieldPresence(connection.provider);
  const maps = rowsInOrder(items);
  const anlagen = maps.map(readAttachment);
  const files = useAttachmentFiles(dossierId, anlagen);
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const [errors, setErrors] = useState<ReadonlyMap<string, string>>(new Map());

  const track = async (anlageId: string, action: () => Promise<unknown>) => {
    setBusy((current) => new Set(current).add(anlageId));
    setErrors((current) => withoutKey(current, anlageId));
    try {
      await action();
    } catch (error) {
      setErrors((current) => new Map(current).set(anlageId, (error as Error).message));
    } finally {
      setBusy((current) => {
        const next = new Set(current);
        next.delete(anlageId);
        return next;
      });
    }
  };

  const remove = (map: Y.Map<unknown>, item: Attachment) =>
    track(item.id, async () => {
      // the file goes first: an Anlage removed while its file stays would leave the file unreachable
      if (item.fileId) await api.deleteAttachmentFile(dossierId, item.fileId);
      deleteRow(items, map);
    });

  return (
    <div className="rows">
      {maps.length === 0 ? (
        <p className="muted">{t('attachments.empty')}</p>
      ) : (
        <ol className="attachment-list">
          {maps.map((map, index) => {
            const item = anlagen[index]!;
            const number = index + 1;
            const file = item.fileId ? files.get(item.fileId) : undefined;
            const error = errors.get(item.id);
            const uploading = busy.has(item.id);
            return (
              <li key={item.id} className="attachment">
                <div className="attachment__row">
                  <span className="attachment__number" aria-hidden="true">
                    {t('attachments.number')} {number}
                  </span>
                  {readOnly ? (
                    <>
                      <span className="attachment__title">{item.title}</span>
                      <span className="badge">{item.public ? t('attachments.public') : t('attachments.notPublic')}</span>
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
                          disabled={uploading}
                          onClick={() => void remove(map, item)}
                        >
                          <Icon name="close" size={16} />
                        </button>
                      </span>
                    </>
                  )}
                </div>
                <div className="attachment__file">
                  {file ? (
                    <a
                      className="attachment__download"
                      href={api.attachmentFileUrl(dossierId, file.fileId)}
                      download={file.fileName}
                      aria-label={t('attachments.download', { name: file.fileName })}
                    >
                      <Icon name="download" size={16} />
                      <span className="attachment__file-name">{file.fileName}</span>
                    </a>
                  ) : (
                    <span className="muted">{item.fileId ? t('attachments.hiddenFile') : readOnly ? t('attachments.noFile') : t('attachments.kinds')}</span>
                  )}
                  {file && (
                    <span className="muted attachment__facts">{t('attachments.fileFacts', { size: formatFileSize(file.size), by: file.uploadedBy })}</span>
                  )}
                  {!readOnly && (
                    <span className="attachment__file-actions">
                      <label className={`button button--secondary button--small file-button${uploading ? ' file-button--busy' : ''}`}>
                        <input
                          type="file"
                          className="visually-hidden"
                          accept={attachmentFileAccept}
                          disabled={uploading}
                          aria-label={t(item.fileId ? 'attachments.replaceLabel' : 'attachments.uploadLabel', { number })}
                          onChange={(e) => {
                            const chosen = e.target.files?.[0];
                            e.target.value = '';
                            if (chosen) void track(item.id, () => api.uploadAttachmentFile(dossierId, item.id, chosen));
                          }}
                        />
                        {uploading ? t('attachments.uploading') : item.fileId ? t('attachments.replace') : t('attachments.upload')}
                      </label>
                      {item.fileId && (
                        <button
                          type="button"
                          className="button button--secondary button--small"
                          aria-label={t('attachments.removeFile', { number })}
                          disabled={uploading}
                          onClick={() => void track(item.id, () => api.deleteAttachmentFile(dossierId, item.fileId!))}
                        >
                          {t('attachments.removeFileShort')}
                        </button>
                      )}
                    </span>
                  )}
                </div>
                {error && (
                  <p className="notice notice--error attachment__error" role="alert">
                    {error}
                  </p>
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

/**
 * The files the user may download, by id: fetched again whenever an Anlage's file or öffentlich flag changes
 * (a co-editor's upload arrives as a new file id in the live document).
 */
function useAttachmentFiles(dossierId: string, anlagen: readonly Attachment[]): ReadonlyMap<string, AttachmentFileView> {
  const [files, setFiles] = useState<ReadonlyMap<string, AttachmentFileView>>(new Map());
  const key = anlagen
    .filter((anlage) => anlage.fileId)
    .map((anlage) => `${anlage.fileId}:${anlage.public}`)
    .sort()
    .join(',');
  useEffect(() => {
    if (key === '') {
      setFiles(new Map());
      return;
    }
    let current = true;
    api
      .attachmentFiles(dossierId)
      .then((list) => {
        if (current) setFiles(new Map(list.map((file) => [file.fileId, file])));
      })
      // the list is extra information: without it, each file shows as not downloadable until the next change
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [dossierId, key]);
  return files;
}

function withoutKey<V>(map: ReadonlyMap<string, V>, key: string): ReadonlyMap<string, V> {
  const next = new Map(map);
  next.delete(key);
  return next;
}
