/**
 * What a client may send on the collaboration WebSocket, checked frame by
 * frame before Hocuspocus reads it: a document address, a message type a
 * provider sends, and a payload of that type's shape. Hocuspocus logs a
 * stack trace for each frame it cannot read (and names the document in its
 * log lines), so a frame that fails here never reaches it: the socket is
 * closed after one log line. Whether a Yjs update decodes is checked per
 * document (update-validation.ts), which closes only that document.
 */
import * as decoding from 'lib0/decoding';

const MESSAGE = { sync: 0, awareness: 1, auth: 2, queryAwareness: 3, syncReply: 4, stateless: 5, close: 7 } as const;
const SYNC_SUBTYPES = new Set([0, 1, 2]);
const MAX_ADDRESS_LENGTH = 300;
/** Control characters would let a document name forge log lines; `\0` separates Hocuspocus' session id. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point: they are escaped
const ADDRESS_CONTROL = /[\u0001-\u001f\u007f-\u009f\u2028\u2029]/;

export type FrameCheck =
  | { ok: true; documentName: string /** A document change (sync step 2 or update), which counts as use of the session. */; edit: boolean }
  | { ok: false; problem: string };

export function checkFrame(data: Uint8Array): FrameCheck {
  try {
    const decoder = decoding.createDecoder(data);
    const address = decoding.readVarString(decoder);
    const separator = address.indexOf('\0');
    if (address.length === 0 || address.length > MAX_ADDRESS_LENGTH) return { ok: false, problem: `document address of length ${address.length}` };
    if (ADDRESS_CONTROL.test(address) || address.indexOf('\0', separator + 1) !== -1)
      return { ok: false, problem: `document address with control characters ${printable(address)}` };
    const documentName = separator === -1 ? address : address.slice(0, separator);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MESSAGE.sync:
      case MESSAGE.syncReply: {
        const subtype = decoding.readVarUint(decoder);
        if (!SYNC_SUBTYPES.has(subtype)) return { ok: false, problem: `sync message of subtype ${subtype}` };
        const payload = decoding.readVarUint8Array(decoder);
        return { ok: true, documentName, edit: subtype !== 0 && payload.length > 2 };
      }
      case MESSAGE.awareness:
        readAwarenessUpdate(decoding.readVarUint8Array(decoder));
        return { ok: true, documentName, edit: false };
      case MESSAGE.auth:
        decoding.readVarUint(decoder);
        decoding.readVarString(decoder);
        if (decoding.hasContent(decoder)) decoding.readVarString(decoder);
        return { ok: true, documentName, edit: false };
      case MESSAGE.stateless:
        decoding.readVarString(decoder);
        return { ok: true, documentName, edit: false };
      case MESSAGE.queryAwareness:
      case MESSAGE.close:
        return { ok: true, documentName, edit: false };
      default:
        return { ok: false, problem: `message type ${type}, which clients do not send` };
    }
  } catch (error) {
    return { ok: false, problem: `unreadable frame (${(error as Error).message})` };
  }
}

/** y-protocols' awareness update: a count, then client id, clock and a JSON state per entry. */
function readAwarenessUpdate(update: Uint8Array): void {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  for (let i = 0; i < count; i += 1) {
    decoding.readVarUint(decoder);
    decoding.readVarUint(decoder);
    JSON.parse(decoding.readVarString(decoder));
  }
}

/** A string as one log line: quoted, with every control and line-separator character escaped. */
export function printable(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\u009f\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
