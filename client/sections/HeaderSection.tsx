/** The Kopf: form fields bound live to the section's `fields` map. */
import { useState } from 'react';
import { dateInputValue, headerRoots, setHeaderField } from '../../dossier/layout';
import type { HeaderField } from '../../dossier/template';
import { useYObserve } from '../collab/hooks';
import type { SectionConnection } from '../collab/session';
import { Icon } from '../components/Icon';
import { useI18n } from '../i18n/i18n';

export function HeaderSection({ connection, fields, readOnly }: { connection: SectionConnection; fields: HeaderField[]; readOnly: boolean }) {
  const { fields: map } = headerRoots(connection.doc);
  useYObserve(map);
  return (
    <div className="form-grid">
      {fields.map((field) => {
        const id = `header-${field.id}`;
        const value = map.get(field.id);
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
        return (
          <div className="field" key={field.id}>
            <label htmlFor={id}>{field.label}</label>
            {field.type === 'select' ? (
              <select id={id} value={text} disabled={readOnly} onChange={(e) => setHeaderField(connection.doc, field, e.target.value)}>
                <SelectNone />
                {field.options.map((option) => (
                  <option key={option.value} value={option.value}>
                    {option.label}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id={id}
                type={field.type === 'date' ? 'date' : 'text'}
                value={text}
                readOnly={readOnly}
                placeholder={field.type === 'text' ? field.placeholder : undefined}
                onChange={(e) => setHeaderField(connection.doc, field, field.type === 'date' ? dateInputValue(e.target.value) : e.target.value)}
              />
            )}
          </div>
        );
      })}
    </div>
  );
}

function SelectNone() {
  const { t } = useI18n();
  return <option value="">{t('header.none')}</option>;
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
                <button type="button" className="chip__remove" aria-label={t('header.removeItem', { item })} onClick={() => onChange(items.filter((i) => i !== item))}>
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
