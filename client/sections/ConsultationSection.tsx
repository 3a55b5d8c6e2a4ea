/** Beratungsfolge: one row per body, edited in place, each cell a key of its row's Y.Map. */
import type * as Y from 'yjs';
import { consultationRoles } from '../../dossier/content';
import { newId } from '../../dossier/ids';
import {
  addConsultationRow,
  consultationRoots,
  dateInputValue,
  deleteRow,
  moveRow,
  readConsultationRow,
  rowsInOrder,
  setConsultationCell,
} from '../../dossier/layout';
import { fieldKey } from '../../dossier/field-claims';
import { useYObserve } from '../collab/hooks';
import { SharedInput, useFieldPresence } from '../collab/shared-field';
import type { SectionConnection } from '../collab/session';
import { Icon } from '../components/Icon';
import { ConsultationTable } from './ConsultationTable';
import { useI18n } from '../i18n/i18n';

export function ConsultationSection({ connection, bodies, readOnly }: { connection: SectionConnection; bodies: string[]; readOnly: boolean }) {
  const { t } = useI18n();
  const { rows } = consultationRoots(connection.doc);
  useYObserve(rows);
  const maps = rowsInOrder(rows);
  const cell = (column: string, row: number) => t('consultation.cell', { column, row });
  const presence = useFieldPresence(connection.provider);
  const shared = (map: Y.Map<unknown>, row: string, column: 'body' | 'result') => ({
    provider: connection.provider,
    presence,
    scope: map,
    fieldKey: fieldKey(column, row),
    write: (value: string) => setConsultationCell(map, column, value),
  });

  const add = () => {
    const used = new Set(maps.map((m) => readConsultationRow(m).body));
    addConsultationRow(connection.doc, { id: newId(), body: bodies.find((b) => !used.has(b)) ?? '', date: '', role: 'vorberatung', public: true, result: '' });
  };

  return (
    <div className="rows">
      {readOnly || maps.length === 0 ? (
        <ConsultationTable rows={maps.map(readConsultationRow)} />
      ) : (
        <div className="consultation">
          {/* Column captions for sighted users; every input carries its own label. */}
          <div className="consultation__row consultation__row--head" aria-hidden="true">
            <span>{t('consultation.body')}</span>
            <span>{t('consultation.date')}</span>
            <span>{t('consultation.role')}</span>
            <span>{t('consultation.public')}</span>
          </div>
          <ol className="consultation__rows">
            {maps.map((map, index) => {
              const row = readConsultationRow(map);
              const n = index + 1;
              return (
                <li key={row.id} className="consultation__row">
                  <SharedInput
                    className="consultation__body"
                    {...shared(map, row.id, 'body')}
                    multiline
                    suggestions={bodies}
                    aria-label={cell(t('consultation.body'), n)}
                    value={row.body}
                  />
                  <input
                    aria-label={cell(t('consultation.date'), n)}
                    type="date"
                    value={row.date}
                    onChange={(e) => setConsultationCell(map, 'date', dateInputValue(e.target.value))}
                  />
                  <select
                    aria-label={cell(t('consultation.role'), n)}
                    value={row.role}
                    onChange={(e) => setConsultationCell(map, 'role', consultationRoles.find((role) => role === e.target.value) ?? row.role)}
                  >
                    {consultationRoles.map((role) => (
                      <option key={role} value={role}>
                        {t(`consultation.role.${role}`)}
                      </option>
                    ))}
                  </select>
                  <label className="checkbox consultation__public">
                    <input
                      type="checkbox"
                      checked={row.public}
                      onChange={(e) => setConsultationCell(map, 'public', e.target.checked)}
                      aria-label={cell(t('consultation.publicLabel'), n)}
                    />
                    <span aria-hidden="true">{row.public ? t('consultation.publicYes') : t('consultation.publicNo')}</span>
                  </label>
                  <span className="row-actions">
                    <button
                      type="button"
                      className="icon-button"
                      aria-label={t('consultation.moveUp', { row: n })}
                      title={t('consultation.moveUp', { row: n })}
                      disabled={index === 0}
                      onClick={() => moveRow(rows, index, index - 1)}
                    >
                      <Icon name="up" size={16} />
                    </button>
                    <button
                      type="button"
                      className="icon-button"
                      aria-label={t('consultation.moveDown', { row: n })}
                      title={t('consultation.moveDown', { row: n })}
                      disabled={index === maps.length - 1}
                      onClick={() => moveRow(rows, index, index + 1)}
                    >
                      <Icon name="down" size={16} />
                    </button>
                    <button
                      type="button"
                      className="icon-button icon-button--danger"
                      aria-label={t('consultation.remove', { row: n })}
                      title={t('consultation.remove', { row: n })}
                      onClick={() => deleteRow(rows, map)}
                    >
                      <Icon name="close" size={16} />
                    </button>
                  </span>
                  <SharedInput
                    className="consultation__result"
                    multiline
                    {...shared(map, row.id, 'result')}
                    aria-label={cell(t('consultation.result'), n)}
                    placeholder={t('consultation.resultPlaceholder')}
                    value={row.result}
                  />
                </li>
              );
            })}
          </ol>
        </div>
      )}
      {!readOnly && (
        <button type="button" className="button button--secondary button--small" onClick={add}>
          <Icon name="plus" /> {t('consultation.add')}
        </button>
      )}
    </div>
  );
}
