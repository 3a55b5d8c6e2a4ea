/**
 * Checks that every incoming sync message decodes before it is applied, that
 * the text it brings is text a Vorlage may hold (dossier/text.ts), and that
 * it writes no negative amount into a budget section (dossier/budget.ts).
 * y-protocols only logs an update it cannot read and keeps the connection;
 * a client that sends corrupt updates is broken or hostile, so its document
 * connection is closed instead. Nothing of a corrupt update is applied
 * either way: Yjs reads all structs before it integrates any.
 */
import type { Document, Extension, beforeSyncPayload } from '@hocuspocus/server';
import * as Y from 'yjs';
import { negativeAmounts } from '../../dossier/budget';
import { budgetRoots, readBudgetLine } from '../../dossier/layout';
import { CloseCode } from '../../dossier/close-codes';
import { hasForbiddenCharacters } from '../../dossier/text';
import type { SectionResolver } from '../dossiers/sections';
import { Refusal } from './refusal';

const SYNC_STEP_1 = 0;

export class UpdateValidation implements Extension {
  extensionName = 'UpdateValidation';
  /** Whether a loaded document is a budget section, looked up once per document. */
  private readonly budgets = new WeakMap<Document, Promise<boolean>>();

  constructor(private readonly resolve: SectionResolver) {}

  async beforeSync({ type, payload, documentName, document }: beforeSyncPayload): Promise<void> {
    let update: ReturnType<typeof Y.decodeUpdate> | undefined;
    try {
      if (type === SYNC_STEP_1) Y.decodeStateVector(payload);
      else update = Y.decodeUpdate(payload);
    } catch (error) {
      throw new Refusal('invalid-update', `corrupt sync message (type ${type}) for ${documentName}: ${(error as Error).message}`, CloseCode.invalidMessage);
    }
    if (update?.structs.some((struct) => struct instanceof Y.Item && !itemTextIsValid(struct))) {
      throw new Refusal('invalid-text', `update for ${documentName} with control characters`, CloseCode.invalidMessage);
    }
    if (update?.structs.some(bringsNegativeNumber) && (await this.isBudget(document, documentName))) {
      if (addsNegativeAmount(document, payload)) {
        throw new Refusal('invalid-amount', `update for ${documentName} with a negative amount`, CloseCode.invalidMessage);
      }
    }
  }

  private isBudget(document: Document | undefined, documentName: string): Promise<boolean> {
    const lookup = () => this.resolve(documentName).then((resolved) => resolved?.section.kind === 'budget');
    if (!document) return lookup();
    let known = this.budgets.get(document);
    if (!known) {
      known = lookup();
      this.budgets.set(document, known);
    }
    return known;
  }
}

/** The cheap test first: only an update carrying a negative number can write a negative amount. */
function bringsNegativeNumber(struct: Y.Item | Y.GC | Y.Skip): boolean {
  if (!(struct instanceof Y.Item)) return false;
  const { content } = struct;
  const values: unknown[] = content instanceof Y.ContentAny || content instanceof Y.ContentJSON ? content.arr : [];
  return values.some((value) => typeof value === 'number' && value < 0);
}

/**
 * Whether the update writes a negative amount into a budget line, tried on a
 * copy of the document: an overwritten cell's item names neither its map nor
 * its key in the update, only what it replaces. The browser never writes one
 * (parseAmount refuses it); a script or an old client could. Negative amounts
 * stored before this rule stay readable (and are shown as invalid).
 */
function addsNegativeAmount(document: Y.Doc | undefined, update: Uint8Array): boolean {
  const copy = new Y.Doc();
  try {
    if (document) Y.applyUpdate(copy, Y.encodeStateAsUpdate(document));
    const negative = () => new Set(negativeAmounts(budgetRoots(copy).lines.toArray().map(readBudgetLine)).map(({ lineId, year }) => `${lineId} ${year}`));
    const before = negative();
    Y.applyUpdate(copy, update);
    return [...negative()].some((cell) => !before.has(cell));
  } finally {
    copy.destroy();
  }
}

/** Every string an item brings: its text, formatting, values, element and attribute names, map key and root name. */
function itemTextIsValid(item: Y.Item): boolean {
  const { content } = item;
  const strings: unknown[] = [item.parentSub, typeof item.parent === 'string' ? item.parent : null];
  if (content instanceof Y.ContentString) strings.push(content.str);
  else if (content instanceof Y.ContentFormat) strings.push(content.key, content.value);
  else if (content instanceof Y.ContentAny || content instanceof Y.ContentJSON) strings.push(content.arr);
  else if (content instanceof Y.ContentEmbed) strings.push(content.embed);
  else if (content instanceof Y.ContentType)
    strings.push((content.type as { nodeName?: unknown; hookName?: unknown }).nodeName, (content.type as { hookName?: unknown }).hookName);
  return strings.every(isValidValue);
}

function isValidValue(value: unknown): boolean {
  if (typeof value === 'string') return !hasForbiddenCharacters(value);
  if (Array.isArray(value)) return value.every(isValidValue);
  if (value && typeof value === 'object') return Object.entries(value).every(([key, entry]) => !hasForbiddenCharacters(key) && isValidValue(entry));
  return true;
}
