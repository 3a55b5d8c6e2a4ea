/**
 * Capacity per process: users spread over many dossiers, each user on one socket with every
 * section of their dossier attached (as the web client does), a tenth of them typing. Users are
 * added in steps until the sync p99 passes 100 ms (or the step limit is reached); each step
 * prints sockets, document connections, open documents, server memory added per socket, where the time
 * goes (server CPU, event-loop delay seen as the p99 of an HTTP round trip during the step,
 * fan-out of updates per second) and the same workload against a plain Hocuspocus server.
 * The load generator shares the machine's cores with the server, as it does in the figures the
 * production issue quotes; both servers meet the same generator.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { documentName } from '../../dossier/layout';
import { loadTemplates } from '../../server/templates/loader';
import { projectRoot, typeInto, waitFor } from '../support/server';
import { createDossiers, plainHocuspocusServer, ratsdossierServer, type BenchServer } from './targets';

const DOSSIERS = Number(process.env.CAPACITY_DOSSIERS ?? 200);
/** Sections of the demo template: every user attaches all of them, as the web client does. */
const SECTIONS = (await loadTemplates(join(projectRoot, 'templates'))).get('verstetigung-smart-city')!.sections.map((section) => section.id);
const TYPED_SECTION = 'ausgangslage';
/** Unmeasured typing at the start of each step. */
const WARMUP_MS = 3000;
const STEPS = (process.env.CAPACITY_STEPS ?? '400,800,1200,1600,2000,2400,2800').split(',').map(Number);
const LIMIT_MS = 100;
const TYPING_RATE = 2;
const TYPIST_SHARE = 0.1;
const MIN_SAMPLES = 1_000;

interface Target extends BenchServer {
  /** The document name of a section of the k-th dossier. */
  document(k: number, section: string): string;
}

async function ratsdossier(): Promise<Target> {
  // one account for every simulated user: its socket limits are lifted (people would each have their own)
  const server = await ratsdossierServer({
    storeDebounceMs: 2000,
    env: { MAX_SOCKETS_PER_USER: '10000', MAX_SOCKETS_PER_ADDRESS: '100000', EXPORT_WORKERS: '1' },
  });
  const ids = await createDossiers(server, DOSSIERS, 'Kapazitätstest');
  return { ...server, document: (k, section) => documentName(ids[k]!, section) };
}

async function plainHocuspocus(): Promise<Target> {
  return { ...(await plainHocuspocusServer()), document: (k, s) => `d${k}/${s}` };
}

/** A deterministic choice of typists, spread over the dossiers. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

interface User {
  socket: HocuspocusProviderWebsocket;
  providers: HocuspocusProvider[];
  typed: Y.Doc;
  dossier: number;
  typist: boolean;
}

interface Edit {
  sentAt: number;
  clock: number;
  expected: number;
  arrived: number;
  lastArrival: number;
}

/** What the server process has used so far: CPU seconds and resident memory. */
function processUsage(pid: number): { cpuSeconds: number; rssBytes: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
  const rssPages = Number(fields[21]);
  return { cpuSeconds: ticks / 100, rssBytes: rssPages * 4096 };
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]! : NaN);

async function ramp(target: Target) {
  const cookie = target.cookie;
  class UserWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, cookie ? { headers: { cookie } } : {});
    }
  }
  const chance = random(42);
  const people: User[] = [];
  const edits = new Map<number, Edit[]>(); // by the typist's clientID in the typed section
  const rows: Record<string, string | number>[] = [];
  /** The server's memory before any user: what a socket costs is what it adds. */
  const idle = processUsage(target.pid);

  const addUser = async () => {
    const index = people.length;
    const dossier = index % DOSSIERS;
    const socket = new HocuspocusProviderWebsocket({ url: target.wsUrl, WebSocketPolyfill: UserWebSocket });
    const providers = SECTIONS.map((section) => {
      const provider = new HocuspocusProvider({ websocketProvider: socket, name: target.document(dossier, section), document: new Y.Doc() });
      provider.attach();
      return provider;
    });
    const typed = providers[SECTIONS.indexOf(TYPED_SECTION)]!.document;
    typed.on('afterTransaction', (transaction: Y.Transaction) => {
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
    const user: User = { socket, providers, typed, dossier, typist: chance() < TYPIST_SHARE };
    people.push(user);
    await waitFor(() => providers.every((p) => p.isSynced), { timeout: 120_000, message: 'a user did not sync' });
  };

  for (const step of STEPS) {
    while (people.length < step) await Promise.all(Array.from({ length: Math.min(50, step - people.length) }, addUser));
    const perDossier = new Map<number, number>();
    for (const user of people) perDossier.set(user.dossier, (perDossier.get(user.dossier) ?? 0) + 1);
    const typists = people.filter((user) => user.typist);
    const durationMs = Math.max(5_000, Math.ceil((MIN_SAMPLES * 1.1) / (typists.length * TYPING_RATE)) * 1000);
    edits.clear();
    for (const typist of typists) edits.set(typist.typed.clientID, []);

    // event-loop delay of the server, seen from outside: the round trip of a tiny HTTP request
    const pings: number[] = [];
    let pinging = true;
    const ping = (async () => {
      while (pinging) {
        const started = performance.now();
        await fetch(`${target.url}/api/health`).then(
          (r) => r.arrayBuffer(),
          () => undefined,
        );
        pings.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    /** Everybody types for `ms`; recorded edits are measured. */
    const typeFor = async (ms: number, record: boolean) => {
      const began = performance.now();
      const interval = 1000 / TYPING_RATE;
      const timers = typists.map((typist, index) => {
        const type = () => {
          typeInto(typist.typed, String.fromCharCode(97 + (index % 26)));
          if (!record) return;
          const expected = (perDossier.get(typist.dossier) ?? 1) - 1;
          edits
            .get(typist.typed.clientID)!
            .push({ sentAt: performance.now(), clock: Y.getState(typist.typed.store, typist.typed.clientID), expected, arrived: 0, lastArrival: 0 });
        };
        const tick = () => {
          if (performance.now() - began > ms) return;
          type();
          timers[index] = setTimeout(tick, interval);
        };
        return setTimeout(tick, chance() * interval);
      });
      await new Promise((resolve) => setTimeout(resolve, ms));
      return timers;
    };
    // typing first, unmeasured, for both servers alike: the first edits into newly connected documents (JIT,
    // first allocations, a first store of each) belong to the start, not to the load the step measures
    for (const timer of await typeFor(WARMUP_MS, false)) clearTimeout(timer);
    pings.length = 0;
    const before = processUsage(target.pid);
    const started = performance.now();
    const timers = await typeFor(durationMs, true);
    const elapsedS = (performance.now() - started) / 1000;
    const after = processUsage(target.pid);
    pinging = false;
    await ping;
    const all = [...edits.values()].flat().filter((edit) => edit.expected > 0);
    await waitFor(() => all.every((edit) => edit.arrived >= edit.expected), { timeout: 10_000 }).catch(() => undefined);
    for (const timer of timers) clearTimeout(timer);
    const latencies = all
      .filter((edit) => edit.arrived >= edit.expected)
      .map((edit) => edit.lastArrival - edit.sentAt)
      .sort((a, b) => a - b);
    const p99 = percentile(latencies, 0.99);
    const deliveries = all.reduce((sum, edit) => sum + edit.arrived, 0);
    pings.sort((a, b) => a - b);
    rows.push({
      server: target.label,
      sockets: people.length,
      'doc conns': people.length * SECTIONS.length,
      'open docs': perDossier.size * SECTIONS.length,
      typists: typists.length,
      samples: latencies.length,
      lost: all.length - latencies.length,
      'p50 ms': percentile(latencies, 0.5).toFixed(1),
      'p99 ms': p99.toFixed(1),
      'server CPU %': (((after.cpuSeconds - before.cpuSeconds) / elapsedS) * 100).toFixed(0),
      'loop p99 ms': percentile(pings, 0.99).toFixed(1),
      'fan-out /s': (deliveries / elapsedS).toFixed(0),
      'RSS MB': (after.rssBytes / 2 ** 20).toFixed(0),
      'KB/socket': ((after.rssBytes - idle.rssBytes) / 1024 / people.length).toFixed(1),
    });
    console.log(
      Object.entries(rows.at(-1)!)
        .map(([key, value]) => `${key} ${value}`)
        .join(' · '),
    );
    if (!(p99 <= LIMIT_MS) || all.length - latencies.length > 0) break;
  }
  for (const user of people) {
    for (const provider of user.providers) provider.destroy();
    user.socket.destroy();
  }
  return rows;
}

/** The most sockets a ramp reached with its p99 at or below the limit and nothing lost. */
const capacity = (rows: Record<string, string | number>[]) =>
  Math.max(0, ...rows.filter((row) => Number(row['p99 ms']) <= LIMIT_MS && row.lost === 0).map((row) => Number(row.sockets)));

export default async function capacityBench(): Promise<void> {
  console.log(
    `Capacity per process: ${DOSSIERS} dossiers × ${SECTIONS.length} sections, one socket per user with every section attached, ${TYPIST_SHARE * 100} % typing ${TYPING_RATE} chars/s; steps ${STEPS.join(', ')} until p99 > ${LIMIT_MS} ms`,
  );
  const all: Record<string, string | number>[] = [];
  const reached: Record<string, number> = {};
  for (const start of [plainHocuspocus, ratsdossier]) {
    const target = await start();
    try {
      const rows = await ramp(target);
      all.push(...rows);
      reached[target.label] = capacity(rows);
    } finally {
      await target.stop();
    }
  }
  const columns = Object.keys(all[0] ?? {});
  const widths = columns.map((column) => Math.max(column.length, ...all.map((row) => String(row[column]).length)));
  console.log(columns.map((column, i) => column.padStart(widths[i]!)).join('  '));
  for (const row of all) console.log(columns.map((column, i) => String(row[column]).padStart(widths[i]!)).join('  '));
  const ours = reached.Ratsdossier ?? 0;
  const plain = reached['plain Hocuspocus'] ?? 0;
  console.log(
    `Sockets below p99 ${LIMIT_MS} ms: Ratsdossier ${ours}, plain Hocuspocus ${plain} — ×${plain ? (ours / plain).toFixed(2) : 'n/a'} (steps: ${STEPS.join(', ')}; the last step is an upper bound of what was tried)`,
  );
}
