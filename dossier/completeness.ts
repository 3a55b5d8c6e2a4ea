/**
 * Whether a section counts as filled in: what the table of contents marks as
 * missing and what a release must check. A section left as the template
 * seeded it (e.g. an empty indicator table) is not filled in.
 */
import { negativeAmounts } from './budget';
import { emptyRichText, type SectionContentByKind, type SignatureDecision } from './content';
import { richTextPlain } from './schema';
import type { Template, TemplateSection } from './template';

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
    case 'header':
      return missingHeaderFields(section, content as SectionContentByKind['header']).length === 0;
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
      return section.texts.filter((text) => !text.when || text.when.includes(choice.value!)).every((text) => plain(choice.texts[text.id]) !== '');
    }
    case 'attachments':
      return (content as SectionContentByKind['attachments']).items.length > 0;
    case 'signatures':
      return (content as SectionContentByKind['signatures']).items.length > 0;
  }
}

/** The labels of the Kopf's fields still empty, in template order (lists and departments may stay empty). */
export function missingHeaderFields(section: Extract<TemplateSection, { kind: 'header' }>, content: SectionContentByKind['header']): string[] {
  return section.fields
    .filter((field) => {
      const value = content.fields[field.id];
      return field.type !== 'list' && field.type !== 'departments' && !(typeof value === 'string' && value.trim() !== '');
    })
    .map((field) => field.label);
}

// ---- readiness for release ---------------------------------------------------------------------

export interface ReadinessItem {
  id: string;
  ok: boolean;
  /** An error blocks the release; a warning is shown only. */
  severity: 'error' | 'warning';
  message: string;
}

/** A requested co-signature as the workflow sees it now. */
export interface ReadinessSignature {
  departmentId: string;
  departmentName: string;
  state: 'pending' | 'valid' | 'invalid';
  decision: SignatureDecision | null;
  remark: string | null;
  changedSections: readonly string[];
}

/**
 * Whether a dossier may be released, as a checklist for the lead and the clerk
 * and as the release's own check: required sections filled, the budget
 * complete when it declares costs, the Beratungsfolge present, every requested
 * signature present, valid and no objection, a Vorlagen-Nr. (the release
 * assigns one when none is given). Unanswered guidance questions of optional
 * sections are warnings only.
 */
export function checkReadiness(
  template: Template,
  contents: ReadonlyMap<string, unknown>,
  signatures: readonly ReadinessSignature[],
  options: { referenceNumber: string | null },
): { ready: boolean; items: ReadinessItem[] } {
  const items: ReadinessItem[] = [];
  const title = (sectionId: string) => template.sections.find((section) => section.id === sectionId)?.title ?? sectionId;
  const error = (id: string, ok: boolean, message: string) => items.push({ id, ok, severity: 'error', message });

  for (const section of template.sections) {
    if (section.kind === 'signatures') continue;
    const content = contents.get(section.id);
    const filled = content !== undefined && content !== null && filledSafely(section, content);
    if (section.required) {
      error(`section:${section.id}`, filled, filled ? `${section.title} ist ausgefüllt.` : `Pflichtabschnitt „${section.title}“ ist noch leer.`);
    } else if (!filled && section.guidance.length > 0) {
      items.push({ id: `guidance:${section.id}`, ok: false, severity: 'warning', message: `Leitfragen zu „${section.title}“ sind noch unbeantwortet.` });
    }
    if (section.kind === 'consultation') {
      const rows = (content as SectionContentByKind['consultation'] | undefined)?.rows ?? [];
      const present = rows.some((row) => row.body.trim() !== '');
      error('consultation', present, present ? 'Die Beratungsfolge ist eingetragen.' : 'Die Beratungsfolge fehlt: mindestens ein Gremium eintragen.');
    }
    if (section.kind === 'budget') {
      const budget = content as SectionContentByKind['budget'] | undefined;
      const declared = (budget?.lines.length ?? 0) > 0;
      const negative = negativeAmounts(budget?.lines ?? []);
      if (negative.length > 0) {
        const lines = new Set(negative.map((amount) => amount.lineId)).size;
        error(
          'budget-negative',
          false,
          `${section.title}: ${lines === 1 ? 'eine Haushaltszeile hat' : `${lines} Haushaltszeilen haben`} einen negativen Betrag. Beträge sind nie negativ; Einnahmen gehören in eine Zeile „Erträge/Einnahmen“.`,
        );
      }
      if (declared) {
        const withoutAmount = budget!.lines.filter((line) => !Object.values(line.amounts).some((amount) => amount !== 0));
        const complete = budget!.coverage.kind !== null && withoutAmount.length === 0;
        error(
          'budget',
          complete,
          complete
            ? 'Die Finanzangaben sind vollständig.'
            : budget!.coverage.kind === null
              ? `${section.title}: Kosten sind angegeben, aber die Deckung fehlt.`
              : `${section.title}: ${withoutAmount.length === 1 ? 'eine Haushaltszeile hat' : `${withoutAmount.length} Haushaltszeilen haben`} keinen Betrag.`,
        );
      }
    }
  }

  for (const signature of signatures) {
    const id = `signature:${signature.departmentId}`;
    const name = signature.departmentName;
    if (signature.state === 'pending') error(id, false, `Die Mitzeichnung von ${name} fehlt.`);
    else if (signature.state === 'invalid') {
      error(id, false, `Die Mitzeichnung von ${name} ist ungültig, weil sich danach geändert hat: ${signature.changedSections.map(title).join(', ')}.`);
    } else if (signature.decision === 'object') {
      error(id, false, `${name} hat Einwand erhoben${signature.remark ? `: „${signature.remark}“` : '.'}`);
    } else error(id, true, `${name} hat mitgezeichnet.`);
  }

  items.push(
    options.referenceNumber
      ? { id: 'reference-number', ok: true, severity: 'error', message: `Vorlagen-Nr. ${options.referenceNumber}.` }
      : { id: 'reference-number', ok: false, severity: 'warning', message: 'Die Vorlagen-Nr. vergibt der Sitzungsdienst bei der Freigabe.' },
  );
  return { ready: items.every((item) => item.ok || item.severity === 'warning'), items };
}

/** Stored content that does not have its kind's shape counts as not filled. */
function filledSafely(section: TemplateSection, content: unknown): boolean {
  try {
    return isSectionFilled(section, content as never);
  } catch {
    return false;
  }
}
