/**
 * Sync latency: N editors on one dossier section, each typing; the time from a
 * local edit until it has arrived at every other editor. Measured against
 * Ratsdossier (all extensions, SQLite persistence) and, in the same run, a plain
 * Hocuspocus server, each in its own process; the editors share this process.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { documentName } from '../../dossier/layout';
import { typeInto, waitFor } from '../support/server';
import { createDossiers, plainHocuspocusServer, ratsdossierServer } from './targets';

const EDITORS = [10, 50];
/** Characters per second each editor types. */
const TYPING_RATE = 2;
/** Edits measured per figure at least: fewer make a p99 the second-slowest edit. */
const MIN_SAMPLES = 1_000;
/** How long the editors type: long enough for MIN_SAMPLES edits (with a tenth to spare), 6 s at least. */
const durationFor = (editors: number) => Math.max(6_000, Math.ceil((MIN_SAMPLES * 1.1) / (editors * TYPING_RATE)) * 1000);

interface Target {
  label: string;
  wsUrl: string;
  document: string;
  /** Session cookie the editors send (Ratsdossier authenticates every connection). */
  cookie?: string;
  stop(): Promise<void>;
}

async function ratsdossier(): Promise<Target> {
  // all editors share one account here: the per-user socket limit is lifted (people would each have their own)
  const server = await ratsdossierServer({ storeDebounceMs: 1000, env: { MAX_SOCKETS_PER_USER: '10000' } });
  const [dossierId] = await createDossiers(server, 1, 'Verstetigung der Sensorplattform');
  return { ...server, document: documentName(dossierId!, 'ausgangslage') };
}

async function plainHocuspocus(): Promise<Target> {
  return { ...(await plainHocuspocusServer()), document: 'bench/ausgangslage' };
}

interface Edit {
  sentAt: number;
  clock: number;
  arrived: number;
  lastArrival: number;
}

async function measure(target: Target, editors: number, durationMs = durationFor(editors)) {
  const cookie = target.cookie;
  class EditorWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, cookie ? { headers: { cookie } } : {});
    }
  }
  const sockets = Array.from({ length: editors }, () => new HocuspocusProviderWebsocket({ url: target.wsUrl, WebSocketPolyfill: EditorWebSocket }));
  const providers = sockets.map((socket) => {
    const provider = new HocuspocusProvider({ websocketProvider: socket, name: target.document, document: new Y.Doc() });
    provider.attach();
    return provider;
  });
  await waitFor(() => providers.every((p) => p.isSynced), { timeout: 30_000, message: 'editors did not sync' });

  const edits = new Map<number, Edit[]>(); // by sender clientID
  for (const provider of providers) {
    edits.set(provider.document.clientID, []);
    provider.document.on('afterTransaction', (transaction: Y.Transaction) => {
      if (transaction.local) return;
      const now = performance.now();
      for (const [client, after] of transaction.afterState) {
        const before = transaction.beforeState.get(client) ?? 0;
        if (after <= before) continue;
        for (const edit of edits.get(client) ?? []) {
          if (edit.clock > before && edit.clock <= after) {
            edit.arrived += 1;
            edit.lastArrival = now;
          }
        }
      }
    });
  }

  const interval = 1000 / TYPING_RATE;
  const started = performance.now();
  const timers = providers.map((provider, index) => {
    const doc = provider.document;
    const type = () => {
      typeInto(doc, String.fromCharCode(97 + (index % 26)));
      edits.get(doc.clientID)!.push({ sentAt: performance.now(), clock: Y.getState(doc.store, doc.clientID), arrived: 0, lastArrival: 0 });
    };
    // editors start at random phases, as people do
    return setTimeout(function tick() {
      if (performance.now() - started > durationMs) return;
      type();
      timers[index] = setTimeout(tick, interval);
    }, Math.random() * interval);
  });
  await new Promise((r) => setTimeout(r, durationMs));
  const all = [...edits.values()].flat();
  await waitFor(() => all.every((e) => e.arrived >= editors - 1), { timeout: 10_000 }).catch(() => undefined);
  for (const timer of timers) clearTimeout(timer);

  const latencies = all
    .filter((e) => e.arrived >= editors - 1)
    .map((e) => e.lastArrival - e.sentAt)
    .sort((a, b) => a - b);
  for (const provider of providers) provider.destroy();
  for (const socket of sockets) socket.destroy();
  return {
    edits: all.length,
    lost: all.length - latencies.length,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    max: latencies.at(-1) ?? NaN,
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

export default async function syncLatency(): Promise<void> {
  console.log(
    `Sync latency, edit → arrival at every other editor; ${TYPING_RATE} chars/s per editor for ${EDITORS.map((n) => `${durationFor(n) / 1000} s (${n} editors)`).join(', ')}`,
  );
  const rows: string[][] = [['editors', 'server', 'edits', 'p50 ms', 'p99 ms', 'max ms', 'not arrived']];
  const ratios: string[] = [];
  // warm up this process (JIT, sockets) so the first measured server is not penalised
  const warmup = await plainHocuspocus();
  await measure(warmup, 10, 2_000).finally(warmup.stop);
  for (const [round, editors] of EDITORS.entries()) {
    const results: Record<string, Awaited<ReturnType<typeof measure>>> = {};
    // alternate which server goes first
    for (const start of round % 2 === 0 ? [plainHocuspocus, ratsdossier] : [ratsdossier, plainHocuspocus]) {
      const target = await start();
      try {
        results[target.label] = await measure(target, editors);
      } finally {
        await target.stop();
      }
      const r = results[target.label]!;
      if (r.edits - r.lost < MIN_SAMPLES)
        console.warn(`  only ${r.edits - r.lost} edits arrived everywhere (${target.label}, ${editors} editors): its p99 is not reliable`);
      rows.push([String(editors), target.label, String(r.edits), r.p50.toFixed(1), r.p99.toFixed(1), r.max.toFixed(1), String(r.lost)]);
    }
    const ours = results.Ratsdossier!;
    const plain = results['plain Hocuspocus']!;
    ratios.push(`${editors} editors: Ratsdossier / plain Hocuspocus  p50 ×${(ours.p50 / plain.p50).toFixed(2)}  p99 ×${(ours.p99 / plain.p99).toFixed(2)}`);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const row of rows) console.log(row.map((cell, i) => cell.padStart(widths[i]!)).join('  '));
  for (const line of ratios) console.log(line);
}
