/**
 * Whether a section counts as filled in: what the table of contents marks as
 * missing and what a release must check. A section left as the template
 * seeded it (e.g. an empty indicator table) is not filled in.
 */
import { emptyRichText, type SectionContentByKind } from './content';
import { richTextPlain } from './schema';
import type { TemplateSection } from './template';

type ContentOf<S extends TemplateSection> = SectionContentByKind[S['kind']];

const plain = (doc: unknown): string => {
  try {
    return richTextPlain(doc);
  } catch {
    return '';
  }
};

export function isSectionFilled<S extends TemplateSection>(section: S, content: ContentOf<S>): boolean {
  switch (section.kind) {
    case 'text': {
      const text = plain(content);
      return text !== '' && text !== plain(section.initial ?? emptyRichText());
    }
    case 'header': {
      const { fields } = content as SectionContentByKind['header'];
      return section.fields.every((field) => {
        const value = fields[field.id];
        return field.type === 'list' || field.type === 'departments' || (typeof value === 'string' && value.trim() !== '');
      });
    }
    case 'consultation': {
      const { rows } = content as SectionContentByKind['consultation'];
      return rows.length > 0 && rows.every((row) => row.body.trim() !== '');
    }
    case 'budget': {
      const budget = content as SectionContentByKind['budget'];
      return budget.lines.length > 0 && budget.coverage.kind !== null;
    }
    case 'choice': {
      const choice = content as SectionContentByKind['choice'];
      if (choice.value === null) return false;
      return section.texts
        .filter((text) => !text.when || text.when.includes(choice.value!))
        .every((text) => plain(choice.texts[text.id]) !== '');
    }
    case 'attachments':
      return (content as SectionContentByKind['attachments']).items.length > 0;
    case 'signatures':
      return (content as SectionContentByKind['signatures']).items.length > 0;
  }
}
