/** The export worker pool with real worker threads: limits, failures, time limits and shutting down. */
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createDossier } from '../../server/dossiers/create';
import type { VorlageInput } from '../../server/export/pdf';
import { ExportFailedError, ExportPool, ExportQueueFullError } from '../../server/export/pool';
import { loadExportSource } from '../../server/export/source';
import { openSqliteStorage } from '../../server/storage/sqlite';
import { loadTemplates } from '../../server/templates/loader';
import { projectRoot } from '../support/server';

async function input(): Promise<VorlageInput> {
  const templates = await loadTemplates(join(projectRoot, 'templates'));
  const storage = openSqliteStorage(':memory:');
  try {
    const dossier = await createDossier(storage, templates.get('verstetigung-smart-city')!, {
      title: 'Kurze Vorlage',
      contents: {},
      leadDepartmentId: 'smart-city',
    });
    const { snapshot, template } = await loadExportSource(storage, templates, dossier.id);
    return { snapshot, template, mode: 'draft', letterhead: { cityName: 'Stadt Musterstadt', logo: null } };
  } finally {
    await storage.close();
  }
}

/** An input the renderer refuses: a stored section that does not fit its schema. */
const broken = (good: VorlageInput): VorlageInput => ({
  ...good,
  snapshot: { ...good.snapshot, sections: { ...good.snapshot.sections, beratungsfolge: { rows: 'keine Liste' } } },
});

const isPdf = (pdf: Uint8Array) => Buffer.from(pdf.subarray(0, 5)).toString() === '%PDF-';

describe('export worker pool', () => {
  it('needs at least one worker', () => {
    expect(() => new ExportPool({ workers: 0, queueLimit: 1 })).toThrow(new RangeError('an export pool needs at least one worker'));
    expect(() => new ExportPool({ workers: 1, queueLimit: 0 })).not.toThrow();
  });

  it('starts workers on demand, runs as many renders at once as it has workers, and refuses beyond the queue', async () => {
    const pool = new ExportPool({ workers: 2, queueLimit: 0 });
    try {
      const vorlage = await input();
      expect(pool.load()).toEqual({ running: 0, queued: 0, workers: 0 });
      const renders = [pool.render(vorlage), pool.render(vorlage)];
      expect(pool.load()).toEqual({ running: 2, queued: 0, workers: 2 });
      const refused = pool.render(vorlage);
      await expect(refused).rejects.toBeInstanceOf(ExportQueueFullError);
      await expect(refused).rejects.toThrow('Gerade laufen zu viele PDF-Exporte. Bitte in einigen Sekunden erneut versuchen.');
      const [first, second] = await Promise.all(renders);
      expect(isPdf(first!.pdf)).toBe(true);
      expect(second!.sha256).toBe(first!.sha256);
      expect(first!.sha256).toMatch(/^[0-9a-f]{64}$/);
      // the workers are kept for the next renders
      expect(pool.load()).toEqual({ running: 0, queued: 0, workers: 2 });
      expect((await pool.render(vorlage)).sha256).toBe(first!.sha256);
      expect(pool.load().workers).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it('reports a failed render with the renderer’s message and keeps the worker for the next one', async () => {
    const pool = new ExportPool({ workers: 1, queueLimit: 5 });
    try {
      const vorlage = await input();
      const failed = pool.render(broken(vorlage)).then(
        () => undefined,
        (error: unknown) => error,
      );
      const next = pool.render(vorlage);
      expect(pool.load()).toEqual({ running: 1, queued: 1, workers: 1 });
      const error = await failed;
      expect(error).toBeInstanceOf(ExportFailedError);
      expect((error as Error).message).toMatch(/^Der PDF-Export ist fehlgeschlagen: PDF-Export: Abschnitt "beratungsfolge" passt nicht zum Schema/);
      expect(isPdf((await next).pdf)).toBe(true);
      expect(pool.load()).toEqual({ running: 0, queued: 0, workers: 1 });
    } finally {
      await pool.close();
    }
  });

  it('stops a render that takes longer than the time limit, with its worker, and goes on with a new one', async () => {
    const pool = new ExportPool({ workers: 1, queueLimit: 5, timeoutMs: 1 });
    try {
      const vorlage = await input();
      const [late, waiting] = await Promise.allSettled([pool.render(vorlage), pool.render(vorlage)]);
      expect((late as PromiseRejectedResult).reason.message).toBe('Der PDF-Export ist fehlgeschlagen: Zeitlimit von 1 ms überschritten');
      expect((waiting as PromiseRejectedResult).reason.message).toMatch(/Zeitlimit von 1 ms/);
      await expect.poll(() => pool.load()).toEqual({ running: 0, queued: 0, workers: 0 });
    } finally {
      await pool.close();
    }
    const generous = new ExportPool({ workers: 1, queueLimit: 5, timeoutMs: 60_000 });
    try {
      expect(isPdf((await generous.render(await input())).pdf)).toBe(true);
    } finally {
      await generous.close();
    }
  });

  it('refuses waiting and new renders once it is closed', async () => {
    const pool = new ExportPool({ workers: 1, queueLimit: 5 });
    const vorlage = await input();
    const outcomes = Promise.allSettled([pool.render(vorlage), pool.render(vorlage)]);
    await pool.close();
    const [running, waiting] = await outcomes;
    expect(running).toMatchObject({ status: 'rejected', reason: expect.any(ExportFailedError) });
    expect(waiting).toMatchObject({ status: 'rejected', reason: new ExportFailedError('der Server wird beendet') });
    expect((waiting as PromiseRejectedResult).reason.message).toBe('Der PDF-Export ist fehlgeschlagen: der Server wird beendet');
    await expect(pool.render(vorlage)).rejects.toThrow('der Server wird beendet');
    expect(pool.load()).toEqual({ running: 0, queued: 0, workers: 0 });
  });

  it('names its errors, so logs and the API tell a full queue from a failed export', () => {
    expect(new ExportQueueFullError().name).toBe('ExportQueueFullError');
    expect(new ExportFailedError('kaputt')).toMatchObject({ name: 'ExportFailedError', message: 'Der PDF-Export ist fehlgeschlagen: kaputt' });
  });

  it('lets renders wait up to the queue limit while all workers are busy, and refuses the next', async () => {
    const pool = new ExportPool({ workers: 1, queueLimit: 1 });
    try {
      const vorlage = await input();
      const running = pool.render(vorlage);
      const waiting = pool.render(vorlage);
      expect(pool.load()).toEqual({ running: 1, queued: 1, workers: 1 });
      await expect(pool.render(vorlage)).rejects.toBeInstanceOf(ExportQueueFullError);
      expect(pool.load()).toEqual({ running: 1, queued: 1, workers: 1 });
      const [first, second] = await Promise.all([running, waiting]);
      expect(second.sha256).toBe(first.sha256);
    } finally {
      await pool.close();
    }
  });

  it('tells a render cut off by closing the pool that its export process ended', async () => {
    const pool = new ExportPool({ workers: 1, queueLimit: 0 });
    const running = pool.render(await input());
    await pool.close();
    await expect(running).rejects.toThrow(new ExportFailedError('der Export-Prozess wurde beendet'));
  });

  it('forgets the time limit of a render that finished in time: its worker is kept and serves the next render', async () => {
    const vorlage = await input();
    // the pool's clock only: the renders themselves run for real in the worker thread
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const pool = new ExportPool({ workers: 1, queueLimit: 5, timeoutMs: 60_000 });
    try {
      const first = await pool.render(vorlage);
      vi.advanceTimersByTime(120_000);
      expect((await pool.render(vorlage)).sha256).toBe(first.sha256);
      expect(pool.load()).toEqual({ running: 0, queued: 0, workers: 1 });
    } finally {
      vi.useRealTimers();
      await pool.close();
    }
  });
});
