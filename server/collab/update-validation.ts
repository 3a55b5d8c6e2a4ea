/**
 * Checks that every incoming sync message decodes before it is applied, and
 * that the text it brings is text a Vorlage may hold (dossier/text.ts).
 * y-protocols only logs an update it cannot read and keeps the connection;
 * a client that sends corrupt updates is broken or hostile, so its document
 * connection is closed instead. Nothing of a corrupt update is applied
 * either way: Yjs reads all structs before it integrates any.
 */
import type { Extension, beforeSyncPayload } from '@hocuspocus/server';
import * as Y from 'yjs';
import { CloseCode } from '../../dossier/close-codes';
import { hasForbiddenCharacters } from '../../dossier/text';
import { Refusal } from './refusal';

const SYNC_STEP_1 = 0;

export class UpdateValidation implements Extension {
  extensionName = 'UpdateValidation';

  async beforeSync({ type, payload, documentName }: beforeSyncPayload): Promise<void> {
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
