/**
 * Checks that every incoming sync message decodes before it is applied.
 * y-protocols only logs an update it cannot read and keeps the connection;
 * a client that sends corrupt updates is broken or hostile, so its document
 * connection is closed instead. Nothing of a corrupt update is applied
 * either way: Yjs reads all structs before it integrates any.
 */
import type { Extension, beforeSyncPayload } from '@hocuspocus/server';
import * as Y from 'yjs';
import { CloseCode } from '../../dossier/close-codes';
import { Refusal } from './refusal';

const SYNC_STEP_1 = 0;

export class UpdateValidation implements Extension {
  extensionName = 'UpdateValidation';

  async beforeSync({ type, payload, documentName }: beforeSyncPayload): Promise<void> {
    try {
      if (type === SYNC_STEP_1) Y.decodeStateVector(payload);
      else Y.decodeUpdate(payload);
    } catch (error) {
      throw new Refusal('invalid-update', `corrupt sync message (type ${type}) for ${documentName}: ${(error as Error).message}`, CloseCode.invalidMessage);
    }
  }
}
