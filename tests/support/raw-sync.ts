/**
 * A WebSocket client that speaks the Hocuspocus/Yjs sync protocol itself,
 * byte by byte, as a modified browser or a script could: it sends exactly what
 * a test tells it to, with no provider deciding what is allowed.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { waitFor } from './server';

export const MessageType = { Sync: 0, Awareness: 1, Auth: 2, Close: 7, SyncStatus: 8 } as const;
const SyncStep1 = 0;
const SyncStep2 = 1;
const SyncUpdate = 2;

export interface Received {
  document: string;
  type: number;
  /** Auth: 'authenticated:<scope>' or 'denied:<reason>'; SyncStatus: 'saved' or 'refused'; Close: the reason. */
  summary: string;
  /** Sync step 2 and update payloads. */
  update?: Uint8Array;
}

export function encodeMessage(document: string, build: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, document);
  build(encoder);
  return encoding.toUint8Array(encoder);
}

export function decodeMessage(data: Uint8Array): Received {
  const decoder = decoding.createDecoder(data);
  const document = decoding.readVarString(decoder);
  const type = decoding.readVarUint(decoder);
  if (type === MessageType.Auth) {
    const kind = decoding.readVarUint(decoder);
    return { document, type, summary: `${kind === 2 ? 'authenticated' : kind === 1 ? 'denied' : 'token'}:${decoding.readVarString(decoder)}` };
  }
  if (type === MessageType.SyncStatus) return { document, type, summary: decoding.readVarUint(decoder) === 1 ? 'saved' : 'refused' };
  if (type === MessageType.Close) return { document, type, summary: decoding.hasContent(decoder) ? decoding.readVarString(decoder) : '' };
  if (type === MessageType.Sync) {
    const step = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    return { document, type, summary: ['step1', 'step2', 'update'][step] ?? String(step), ...(step !== SyncStep1 ? { update: payload } : {}) };
  }
  return { document, type, summary: '' };
}

export class RawSyncClient {
  readonly received: Received[] = [];
  /** The close code of the socket, once closed. */
  readonly closed: Promise<number>;
  /** The reason the server gave with it. */
  closeReason?: string;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => this.received.push(decodeMessage(new Uint8Array(data))));
    this.closed = new Promise((resolve) =>
      socket.once('close', (code, reason) => {
        this.closeReason = reason.toString();
        resolve(code);
      }),
    );
  }

  static async connect(wsUrl: string, cookie?: string): Promise<RawSyncClient> {
    const socket = new WebSocket(wsUrl, cookie ? { headers: { cookie } } : {});
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new RawSyncClient(socket);
  }

  send(data: Uint8Array): void {
    this.socket.send(data);
  }

  /** Sends the Auth message for a document and waits for the server's answer to it (also when sent again). */
  async authenticate(document: string): Promise<string> {
    const answers = () => this.received.filter((m) => m.document === document && m.type === MessageType.Auth);
    const before = answers().length;
    this.send(
      encodeMessage(document, (e) => {
        encoding.writeVarUint(e, MessageType.Auth);
        encoding.writeVarUint(e, 0);
        encoding.writeVarString(e, '');
      }),
    );
    await waitFor(() => answers().length > before, { message: `no auth answer for ${document}` });
    return answers()[before]!.summary;
  }

  /** Asks for the whole document (sync step 1 with an empty state vector) and returns it as a Y.Doc. */
  async fetchDocument(document: string): Promise<Y.Doc> {
    this.send(
      encodeMessage(document, (e) => {
        encoding.writeVarUint(e, MessageType.Sync);
        encoding.writeVarUint(e, SyncStep1);
        encoding.writeVarUint8Array(e, Y.encodeStateVector(new Y.Doc()));
      }),
    );
    await waitFor(() => this.received.some((m) => m.document === document && m.summary === 'step2'), { message: `no state for ${document}` });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, this.received.find((m) => m.document === document && m.summary === 'step2')!.update!);
    return doc;
  }

  /** Sends a Yjs update, as sync step 2 or as an update message. */
  sendUpdate(document: string, update: Uint8Array, as: 'update' | 'step2' = 'update'): void {
    this.send(
      encodeMessage(document, (e) => {
        encoding.writeVarUint(e, MessageType.Sync);
        encoding.writeVarUint(e, as === 'update' ? SyncUpdate : SyncStep2);
        encoding.writeVarUint8Array(e, update);
      }),
    );
  }

  /** Sends an edit made on a copy of the document and returns the update that was sent. */
  sendEdit(document: string, doc: Y.Doc, edit: (doc: Y.Doc) => void, as: 'update' | 'step2' = 'update'): Uint8Array {
    const before = Y.encodeStateVector(doc);
    edit(doc);
    const update = Y.encodeStateAsUpdate(doc, before);
    this.sendUpdate(document, update, as);
    return update;
  }

  count(document: string, summary: string): number {
    return this.received.filter((m) => m.document === document && m.summary === summary).length;
  }

  close(): void {
    this.socket.terminate();
  }
}
