/**
 * Checks that every incoming sync message decodes before it is applied, that
 * the text it brings is text a Vorlage may hold (dossier/text.ts), and that
 * it writes no negative amount into a budget section (dossier/budget.ts).
 * y-protocols only logs an update it cannot read and keeps the connection;
 * a client that sends corrupt updates is broken or hostile, so its document
 * connection is closed instead. Nothing of a corrupt update is applied
 * either way: Yjs reads all structs before it integrates any.
 */
import type { Extension, beforeSyncPayload } from '@hocuspocus/server';
import * as Y from 'yjs';
import { negativeAmounts } from '../../dossier/budget';
import { budgetRoots, readBudgetLine } from '../../dossier/layout';
import { CloseCode } from '../../dossier/close-codes';
import { hasForbiddenCharacters } from '../../dossier/text';
import { Refusal } from './refusal';

const SYNC_STEP_1 = 0;

export class UpdateValidation implements Extension {
  // Stryker disable next-line StringLiteral: Hocuspocus shows extension names only on the start screen of its own Server, which this project does not use
  extensionName = 'UpdateValidation';

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
    if (update?.structs.some(bringsNegativeNumber) && addsNegativeAmount(document, payload)) {
      throw new Refusal('invalid-amount', `update for ${documentName} with a negative amount`, CloseCode.invalidMessage);
    }
  }
}

/**
 * The cheap test first: only an update carrying a negative number can write a negative amount,
 * and the amounts' keystrokes (positive numbers) never pay for a copy of the document.
 */
export function bringsNegativeNumber(struct: Y.Item | Y.GC | Y.Skip): boolean {
  // Stryker disable next-line ConditionalExpression,BooleanLiteral: garbage and skipped structs have no content, so the next line finds no value in them either
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
 * stored before this rule stay readable (and are shown as invalid). A section
 * that is no budget has no budget lines, so nothing in it counts as an amount.
 */
function addsNegativeAmount(document: Y.Doc, update: Uint8Array): boolean {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(document));
  const negative = () => new Set(negativeAmounts(budgetRoots(copy).lines.toArray().map(readBudgetLine)).map(({ lineId, year }) => `${lineId} ${year}`));
  const before = negative();
  Y.applyUpdate(copy, update);
  return [...negative()].some((cell) => !before.has(cell));
}

/** Every string an item brings: its text, formatting, values, element and attribute names, map key and root name. */
function itemTextIsValid(item: Y.Item): boolean {
  const { content } = item;
  // Stryker disable next-line ConditionalExpression: a parent that is no root name is an ID (client and clock, numbers) or null
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
  // objects and arrays (whose keys are their indices); numbers, booleans and null have no entries
  return Object.entries(value ?? {}).every(([key, entry]) => !hasForbiddenCharacters(key) && isValidValue(entry));
}
