/** One export worker thread: renders one Vorlage at a time for the pool in pool.ts. */
import { parentPort } from 'node:worker_threads';
import type { VorlageInput } from './pdf';
import { renderVorlage } from './render';

export type WorkerReply = { ok: true; pdf: Uint8Array; sha256: string } | { ok: false; message: string };

if (!parentPort) throw new Error('server/export/worker.ts runs as a worker thread only');
const port = parentPort;

port.on('message', async (input: VorlageInput) => {
  let reply: WorkerReply;
  try {
    const { pdf, sha256 } = await renderVorlage(input);
    // Transfer, not copy: the buffer must be the PDF's own, not a slice of a shared pool.
    const own = pdf.byteOffset === 0 && pdf.byteLength === pdf.buffer.byteLength ? pdf : pdf.slice();
    reply = { ok: true, pdf: own, sha256 };
    port.postMessage(reply, [own.buffer as ArrayBuffer]);
  } catch (error) {
    reply = { ok: false, message: error instanceof Error ? error.message : String(error) };
    port.postMessage(reply);
  }
});
