/**
 * The Kopf: form fields bound live to the section's `fields` map. The
 * Beteiligte Dienststellen are picked from the city's departments; since they
 * and öffentlich/nichtöffentlich decide who may read the Vorlage, a change
 * that locks a department out is written only after the lead confirms it.
 */
import { useState } from 'react';
import { departmentsLosingAccess, involvedIds, type DepartmentAccess } from '../../dossier/departments';
import { dateInputValue, headerRoots, setHeaderField } from '../../dossier/layout';
import type { HeaderField, Template } from '../../dossier/template';
import type { Department } from '../../dossier/rest';
import { fieldKey } from '../../dossier/field-claims';
import { useYObserve } from '../collab/hooks';
import { SharedInput, useFieldPresence } from '../collab/shared-field';
import type { SectionConnection } from '../collab/session';
import { Dialog } from '../components/Dialog';
import { Icon } from '../components/Icon';
import { useDepartments } from '../departments';
import { useI18n } from '../i18n/i18n';

/** A change waiting for the lead's confirmation, and who it locks out. */
interface PendingChange {
  losing: Department[];
  write: () => void;
}

export function HeaderSection({
  connection,
  sectionId,
  fields,
  template,
  leadDepartmentId,
  readOnly,
}: {
  connection: SectionConnection;
  sectionId: string;
  fields: HeaderField[];
  template: Template;
  leadDepartmentId: string;
  readOnly: boolean;
}) {
  const { fields: map } = headerRoots(connection.doc);
  useYObserve(map);
  const presence = useFieldPresence(connection.provider);
  const departments = useDepartments();
  const [pending, setPending] = useState<PendingChange | null>(null);

  const visibility = template.visibility?.section === sectionId ? template.visibility : undefined;
  const picked = fields.find((field) => field.type === 'departments');
  const listed = picked ? map.get(picked.id) : undefined;
  // names of older dossiers read as their departments
  const listedIds = Array.isArray(listed) ? listed.filter((v): v is string => typeof v === 'string') : [];
  const access: DepartmentAccess = {
    // a Kopf without the visibility field cannot tell: assume nichtöffentlich, so every removal is confirmed
    public: visibility ? map.get(visibility.field) === visibility.publicValue : false,
    leadDepartmentId,
    involvedDepartmentIds: involvedIds(listedIds, departments ?? [], leadDepartmentId),
  };
  /** Writes a change at once, or after confirmation when it takes read access away from a department. */
  const change = (after: Partial<DepartmentAccess>, write: () => void) => {
    const losing = departmentsLosingAccess(access, { ...access, ...after }, departments ?? []);
    if (losing.length === 0) write();
    else setPending({ losing, write });
  };

  return (
    <div className="form-grid">
      {fields.map((field) => {
        const id = `header-${field.id}`;
        const value = map.get(field.id);
        if (field.type === 'departments') {
          return (
            <DepartmentsField
              key={field.id}
              id={id}
              label={field.label}
              departments={departments?.filter((department) => department.id !== leadDepartmentId)}
              picked={access.involvedDepartmentIds}
              readOnly={readOnly}
              onChange={(ids) => change({ involvedDepartmentIds: ids }, () => setHeaderField(connection.doc, field, ids))}
            />
          );
        }
        if (field.type === 'list') {
          return (
            <ListField
              key={field.id}
              id={id}
              label={field.label}
              placeholder={field.placeholder}
              items={Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []}
              readOnly={readOnly}
              onChange={(items) => setHeaderField(connection.doc, field, items)}
            />
          );
        }
        const text = typeof value === 'string' ? value : '';
        const decidesVisibility = field.id === visibility?.field;
        return (
          <div className="field" key={field.id}>
            <label htmlFor={id}>{field.label}</label>
            {field.type === 'select' ? (
              <select
                id={id}
                value={text}
                // who would lose access is known only with the city's departments
                disabled={readOnly || (decidesVisibility && !departments)}
                onChange={(e) => {
                  const next = e.target.value;
                  if (decidesVisibility) change({ public: next === visibility.publicValue }, () => setHeaderField(connection.doc, field, next));
                  else setHeaderField(connection.doc, field, next);
                }}
              >
                <SelectNone />
                {field.options.map((option) => (
                  <option key={option.value} value={option.value}>
                    {option.label}
                  </option>
                ))}
              </select>
            ) : field.type === 'date' ? (
              <input
                id={id}
                type="date"
                value={text}
                readOnly={readOnly}
                onChange={(e) => setHeaderField(connection.doc, field, dateInputValue(e.target.value))}
              />
            ) : (
              <SharedInput
                id={id}
                provider={connection.provider}
                presence={presence}
                scope={map}
                fieldKey={fieldKey(field.id)}
                // a long name or file number wraps on a phone instead of scrolling in its field
                multiline
                value={text}
                readOnly={readOnly}
                placeholder={field.placeholder}
                write={(next) => setHeaderField(connection.doc, field, next)}
              />
            )}
          </div>
        );
      })}
      <LosingAccessDialog
        pending={pending}
        onCancel={() => setPending(null)}
        onConfirm={() => {
          pending?.write();
          setPending(null);
        }}
      />
    </div>
  );
}

function SelectNone() {
  const { t } = useI18n();
  return <option value="">{t('header.none')}</option>;
}

/** Beteiligte Dienststellen: one checkbox per department of the city (the lead's own is always in). */
function DepartmentsField({
  id,
  label,
  departments,
  picked,
  readOnly,
  onChange,
}: {
  id: string;
  label: string;
  departments: Department[] | undefined;
  picked: readonly string[];
  readOnly: boolean;
  onChange: (ids: string[]) => void;
}) {
  const { t } = useI18n();
  return (
    <fieldset className="field field--wide department-picker" aria-describedby={`${id}-hint`}>
      <legend>{label}</legend>
      <p id={`${id}-hint`} className="field__hint">
        {departments ? t('header.departmentsHint') : t('header.departmentsLoading')}
      </p>
      <div className="department-picker__options">
        {departments?.map((department) => (
          <label key={department.id} className="checkbox">
            <input
              type="checkbox"
              name="header-departments"
              value={department.id}
              checked={picked.includes(department.id)}
              disabled={readOnly}
              onChange={(e) => onChange(e.target.checked ? [...picked, department.id] : picked.filter((id) => id !== department.id))}
            />
            <span>{department.name}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function LosingAccessDialog({ pending, onCancel, onConfirm }: { pending: PendingChange | null; onCancel: () => void; onConfirm: () => void }) {
  const { t } = useI18n();
  return (
    <Dialog title={t('access.loseTitle')} open={pending !== null} onClose={onCancel}>
      <p>{t('access.loseIntro', { count: pending?.losing.length ?? 0 })}</p>
      <ul className="losing-access">
        {pending?.losing.map((department) => (
          <li key={department.id}>{department.name}</li>
        ))}
      </ul>
      <p>{t('access.loseDisconnect')}</p>
      <div className="dialog__actions">
        {/* biome-ignore lint/a11y/noAutofocus: a dialog that takes access away starts on its safe answer */}
        <button type="button" className="button button--secondary" autoFocus onClick={onCancel}>
          {t('access.loseCancel')}
        </button>
        <button type="button" className="button button--primary" onClick={onConfirm}>
          {t('access.loseConfirm')}
        </button>
      </div>
    </Dialog>
  );
}

function ListField({
  id,
  label,
  placeholder,
  items,
  readOnly,
  onChange,
}: {
  id: string;
  label: string;
  placeholder: string | undefined;
  items: string[];
  readOnly: boolean;
  onChange: (items: string[]) => void;
}) {
  const { t } = useI18n();
  const [draft, setDraft] = useState('');
  const add = () => {
    const value = draft.trim();
    if (!value || items.includes(value)) return;
    onChange([...items, value]);
    setDraft('');
  };
  return (
    <div className="field field--wide">
      <label htmlFor={id}>{label}</label>
      {items.length === 0 ? (
        <p className="muted field__hint">{t('header.listEmpty')}</p>
      ) : (
        <ul className="chips">
          {items.map((item) => (
            <li key={item} className="chip">
              {item}
              {!readOnly && (
                <button
                  type="button"
                  className="chip__remove"
                  aria-label={t('header.removeItem', { item })}
                  onClick={() => onChange(items.filter((i) => i !== item))}
                >
                  <Icon name="close" size={16} />
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {!readOnly && (
        <div className="inline-add">
          <input
            id={id}
            value={draft}
            placeholder={placeholder}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                add();
              }
            }}
          />
          <button type="button" className="button button--secondary" onClick={add}>
            {t('header.addItem')}
          </button>
        </div>
      )}
    </div>
  );
}
