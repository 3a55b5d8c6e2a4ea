/** A structured choice (Klimarelevanz): one option, and the texts that option asks for. */
import { choiceRoots, setChoiceValue } from '../../dossier/layout';
import type { TemplateSection } from '../../dossier/template';
import { useYObserve } from '../collab/hooks';
import type { SectionConnection } from '../collab/session';
import { useI18n } from '../i18n/i18n';
import type { Identity } from '../identity';
import { RichTextEditor } from './RichTextEditor';

type ChoiceTemplate = Extract<TemplateSection, { kind: 'choice' }>;

export function ChoiceSection({
  connection,
  section,
  identity,
  readOnly,
  subheading,
}: {
  connection: SectionConnection;
  section: ChoiceTemplate;
  identity: Identity;
  readOnly: boolean;
  /** One level below the section's heading, which is h2 or h3 by the template's grouping. */
  subheading: 'h3' | 'h4';
}) {
  const Subheading = subheading;
  const { t } = useI18n();
  const roots = choiceRoots(connection.doc);
  useYObserve(roots.fields);
  const raw = roots.fields.get('value');
  const value = section.options.some((o) => o.value === raw) ? (raw as string) : null;
  const name = `choice-${section.id}`;
  return (
    <div className="choice">
      <fieldset className="choice__options">
        <legend>{section.guidance[0] ?? t('choice.legend')}</legend>
        {section.options.map((option) => (
          <label key={option.value} className="radio">
            <input
              type="radio"
              name={name}
              value={option.value}
              checked={value === option.value}
              disabled={readOnly}
              onChange={() => setChoiceValue(connection.doc, section, option.value)}
            />
            <span>{option.label}</span>
          </label>
        ))}
      </fieldset>
      {section.texts
        .filter((text) => !text.when || (value !== null && text.when.includes(value)))
        .map((text) => (
          <div key={text.id} className="choice__text">
            <Subheading className="subheading">{text.label}</Subheading>
            <RichTextEditor
              connection={connection}
              field={`text:${text.id}`}
              label={`${section.title}: ${text.label}`}
              identity={identity}
              editable={!readOnly}
            />
          </div>
        ))}
    </div>
  );
}
