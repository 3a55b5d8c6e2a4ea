/**
 * Sync latency across processes: an editor typing on process A, a reader of
 * the same section on process B (the edit goes A → Redis → B), against the
 * same pair with both on A — measured at the same time, on the same two
 * processes (PostgreSQL and Redis as in production), each pair on a section
 * of its own. The time is from the local edit until it has arrived at the
 * reader; editors and readers share this process, so one clock measures both
 * ends. For reference, the same pairs afterwards on one process without Redis.
 * `npm run bench -- cross-process`; needs PostgreSQL (TEST_DATABASE_URL) and
 * Redis (REDIS_URL), skipped with the reason without them.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { documentName } from '../../dossier/layout';
import { typeInto, waitFor } from '../support/server';
import { clusterUnavailable, createDossiers, ratsdossierCluster, ratsdossierServer, type RatsdossierServer } from './targets';
import { freshSchema } from '../storage/factories';

/** Editor/reader pairs per figure, each pair on its own section. */
const PAIRS = 10;
/** Characters per second each editor types. */
const TYPING_RATE = 5;
/** Edits measured per figure at least: fewer make a p99 the second-slowest edit. */
const MIN_SAMPLES = 1_000;
/** Long enough for MIN_SAMPLES edits per figure, with a tenth to spare. */
const DURATION_MS = Math.ceil((MIN_SAMPLES * 1.1) / (PAIRS * TYPING_RATE)) * 1000;
/** As configured in production (the default). */
const STORE_DEBOUNCE_MS = 1000;
const ENV = { MAX_SOCKETS_PER_USER: '10000' };

interface Pair {
  figure: string;
  editor: string;
  reader: string;
  document: string;
}

interface Edit {
  sentAt: number;
  /** The editor's clock after the edit: it has arrived once the reader's state for the editor reaches it. */
  clock: number;
  arrivedAt?: number;
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]! : NaN);

async function measure(pairs: Pair[], cookie: string, durationMs: number) {
  class UserWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie } });
    }
  }
  const connect = (wsUrl: string, name: string) => {
    const socket = new HocuspocusProviderWebsocket({ url: wsUrl, WebSocketPolyfill: UserWebSocket });
    const provider = new HocuspocusProvider({ websocketProvider: socket, name, document: new Y.Doc() });
    provider.attach();
    return { socket, provider };
  };
  const running = pairs.map((pair) => {
    const editor = connect(pair.editor, pair.document);
    const reader = connect(pair.reader, pair.document);
    const edits: Edit[] = [];
    let next = 0;
    const editorId = editor.provider.document.clientID;
    reader.provider.document.on('afterTransaction', (transaction: Y.Transaction) => {
      if (transaction.local) return;
      const now = performance.now();
      const reached = transaction.afterState.get(editorId) ?? 0;
      while (next < edits.length && edits[next]!.clock <= reached) edits[next++]!.arrivedAt = now;
    });
    return { pair, editor, reader, edits };
  });
  const all = running.flatMap((r) => [r.editor.provider, r.reader.provider]);
  await waitFor(() => all.every((provider) => provider.isSynced), { timeout: 60_000, message: 'editors and readers did not sync' });

  const interval = 1000 / TYPING_RATE;
  const started = performance.now();
  const timers = running.map(({ editor, edits }, index) => {
    const doc = editor.provider.document;
    const tick = () => {
      if (performance.now() - started > durationMs) return;
      typeInto(doc, String.fromCharCode(97 + (index % 26)));
      edits.push({ sentAt: performance.now(), clock: Y.getState(doc.store, doc.clientID) });
      timers[index] = setTimeout(tick, interval);
    };
    // editors start at random phases, as people do
    return setTimeout(tick, Math.random() * interval);
  });
  await new Promise((resolve) => setTimeout(resolve, durationMs));
  await waitFor(() => running.every(({ edits }) => edits.every((edit) => edit.arrivedAt !== undefined)), { timeout: 10_000 }).catch(() => undefined);
  for (const timer of timers) clearTimeout(timer);
  for (const { editor, reader } of running) {
    for (const side of [editor, reader]) {
      side.provider.destroy();
      side.socket.destroy();
    }
  }

  const figures = new Map<string, { edits: number; lost: number; p50: number; p99: number; max: number }>();
  for (const figure of new Set(pairs.map((pair) => pair.figure))) {
    const edits = running.filter((r) => r.pair.figure === figure).flatMap((r) => r.edits);
    const latencies = edits
      .filter((edit) => edit.arrivedAt !== undefined)
      .map((edit) => edit.arrivedAt! - edit.sentAt)
      .sort((x, y) => x - y);
    figures.set(figure, {
      edits: edits.length,
      lost: edits.length - latencies.length,
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      max: latencies.at(-1) ?? NaN,
    });
  }
  return figures;
}

const ONE = 'A → A (one process)';
const ACROSS = 'A → B (across processes)';
const ALONE = 'one process, no Redis';

/** PAIRS pairs on `editorOn`/`readerOn`, each on the first section of a dossier of its own. */
const pairsOf = (figure: string, ids: string[], editorOn: RatsdossierServer, readerOn: RatsdossierServer): Pair[] =>
  ids.map((id) => ({ figure, editor: editorOn.wsUrl, reader: readerOn.wsUrl, document: documentName(id, 'ausgangslage') }));

export default async function crossProcessLatency(): Promise<void> {
  const unavailable = await clusterUnavailable();
  if (unavailable) {
    console.warn(`Skipped: the cross-process benchmark needs PostgreSQL and Redis (${unavailable})`);
    return;
  }
  console.log(
    `Sync latency across processes, edit → arrival at the reader; ${PAIRS} editor/reader pairs per figure, ${TYPING_RATE} chars/s per editor for ${DURATION_MS / 1000} s; ` +
      `PostgreSQL, store debounce ${STORE_DEBOUNCE_MS} ms`,
  );
  const results = new Map<string, Awaited<ReturnType<typeof measure>> extends Map<string, infer R> ? R : never>();

  const cluster = await ratsdossierCluster(2, { storeDebounceMs: STORE_DEBOUNCE_MS, env: ENV });
  try {
    const [a, b] = cluster.servers as [RatsdossierServer, RatsdossierServer];
    const ids = await createDossiers(a, 2 * PAIRS + 2, 'Prozessübergreifend');
    // warm up both processes and this one (JIT, sockets, the Redis subscriptions)
    await measure(pairsOf('warm-up', ids.slice(2 * PAIRS), a, b), a.cookie!, 2_000);
    // both figures at once, so that both meet the same load on A and on this machine
    const figures = await measure([...pairsOf(ONE, ids.slice(0, PAIRS), a, a), ...pairsOf(ACROSS, ids.slice(PAIRS, 2 * PAIRS), a, b)], a.cookie!, DURATION_MS);
    for (const [figure, result] of figures) results.set(figure, result);
  } finally {
    await cluster.stop();
  }

  // for reference: one process on PostgreSQL without Redis (what a single-process installation on PostgreSQL runs)
  const schema = await freshSchema();
  try {
    const alone = await ratsdossierServer({ label: ALONE, storeDebounceMs: STORE_DEBOUNCE_MS, env: { ...ENV, DATABASE_URL: schema.url, REDIS_URL: '' } });
    try {
      const ids = await createDossiers(alone, PAIRS, 'Ein Prozess');
      const figures = await measure(pairsOf(ALONE, ids, alone, alone), alone.cookie!, DURATION_MS);
      results.set(ALONE, figures.get(ALONE)!);
    } finally {
      await alone.stop();
    }
  } finally {
    await schema.drop();
  }

  const rows: string[][] = [['figure', 'edits', 'p50 ms', 'p99 ms', 'max ms', 'not arrived']];
  for (const [figure, r] of results) {
    if (r.edits - r.lost < MIN_SAMPLES) console.warn(`  only ${r.edits - r.lost} edits arrived (${figure}): its p99 is not reliable`);
    rows.push([figure, String(r.edits), r.p50.toFixed(1), r.p99.toFixed(1), r.max.toFixed(1), String(r.lost)]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
  const one = results.get(ONE)!;
  const across = results.get(ACROSS)!;
  const alone = results.get(ALONE)!;
  console.log(
    `across processes / one process (same two processes, same time): p50 ×${(across.p50 / one.p50).toFixed(2)}  p99 ×${(across.p99 / one.p99).toFixed(2)}`,
  );
  console.log(`across processes / one process without Redis: p50 ×${(across.p50 / alone.p50).toFixed(2)}  p99 ×${(across.p99 / alone.p99).toFixed(2)}`);
}
