/**
 * The export worker pool. pdfmake's layout is synchronous (a 30-page Vorlage
 * holds a thread for about half a second), so renders run in worker threads
 * and the event loop that serves the editors stays free. At most `workers`
 * renders run at once and at most `queueLimit` wait; beyond that `render`
 * refuses at once with ExportQueueFullError (the API answers 503), instead of
 * letting a burst of exports pile up memory and latency.
 */
import { Worker } from 'node:worker_threads';
import type { VorlageInput } from './pdf';
import type { RenderedPdf } from './render';
import type { WorkerReply } from './worker';

export class ExportQueueFullError extends Error {
  constructor() {
    super('Gerade laufen zu viele PDF-Exporte. Bitte in einigen Sekunden erneut versuchen.');
    this.name = 'ExportQueueFullError';
  }
}

export class ExportFailedError extends Error {
  constructor(message: string) {
    super(`Der PDF-Export ist fehlgeschlagen: ${message}`);
    this.name = 'ExportFailedError';
  }
}

export interface ExportPoolOptions {
  /** Renders running at once (one worker thread each, started on demand). */
  workers: number;
  /** Renders waiting for a free worker. */
  queueLimit: number;
  /** A render taking longer is stopped with its worker. */
  timeoutMs?: number;
}

interface Job {
  input: VorlageInput;
  resolve(result: RenderedPdf): void;
  reject(error: Error): void;
  timer?: NodeJS.Timeout;
}

const workerEntry = new URL('./worker-entry.mjs', import.meta.url);

export class ExportPool {
  private readonly idle: Worker[] = [];
  private readonly running = new Map<Worker, Job>();
  private readonly queue: Job[] = [];
  private workerCount = 0;
  private closed = false;

  constructor(private readonly options: ExportPoolOptions) {
    if (options.workers < 1) throw new RangeError('an export pool needs at least one worker');
  }

  /** Renders a Vorlage in a worker; rejects with ExportQueueFullError when the pool is saturated. */
  render(input: VorlageInput): Promise<RenderedPdf> {
    if (this.closed) return Promise.reject(new ExportFailedError('der Server wird beendet'));
    const busy = this.running.size + this.queue.length >= this.options.workers;
    if (busy && this.queue.length >= this.options.queueLimit) return Promise.reject(new ExportQueueFullError());
    return new Promise<RenderedPdf>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.dispatch();
    });
  }

  /** Renders running and waiting, for health output and tests. */
  load(): { running: number; queued: number; workers: number } {
    return { running: this.running.size, queued: this.queue.length, workers: this.workerCount };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new ExportFailedError('der Server wird beendet'));
    const workers = [...this.idle, ...this.running.keys()];
    this.idle.length = 0;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const worker = this.idle.pop() ?? (this.workerCount < this.options.workers ? this.spawn() : undefined);
      if (!worker) return;
      const job = this.queue.shift()!;
      this.running.set(worker, job);
      if (this.options.timeoutMs) {
        job.timer = setTimeout(() => {
          this.finish(worker, new ExportFailedError(`Zeitlimit von ${this.options.timeoutMs} ms überschritten`));
          void worker.terminate();
        }, this.options.timeoutMs);
      }
      worker.postMessage(job.input);
    }
  }

  private spawn(): Worker {
    const worker = new Worker(workerEntry);
    this.workerCount += 1;
    worker.on('message', (reply: WorkerReply) => {
      const settled = this.finish(worker, reply.ok ? { pdf: reply.pdf, sha256: reply.sha256 } : new ExportFailedError(reply.message));
      // A reply after a timeout comes from a worker being terminated: it is not idle.
      if (settled && !this.closed) {
        this.idle.push(worker);
        this.dispatch();
      }
    });
    worker.on('error', (error) => this.finish(worker, new ExportFailedError(error.message)));
    worker.on('exit', () => {
      this.workerCount -= 1;
      const index = this.idle.indexOf(worker);
      if (index >= 0) this.idle.splice(index, 1);
      this.finish(worker, new ExportFailedError('der Export-Prozess wurde beendet'));
      if (!this.closed) this.dispatch();
    });
    return worker;
  }

  /** Settles the job a worker is running, once. */
  private finish(worker: Worker, outcome: RenderedPdf | Error): boolean {
    const job = this.running.get(worker);
    if (!job) return false;
    this.running.delete(worker);
    clearTimeout(job.timer);
    if (outcome instanceof Error) job.reject(outcome);
    else job.resolve(outcome);
    return true;
  }
}
