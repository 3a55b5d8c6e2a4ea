/** Server configuration, from the environment (see README: Configuration). */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  templatesDir: string;
  /** Built web client; served when it exists. */
  clientDir: string;
  /** Longest wait after a change before a section is stored (Hocuspocus debounce). */
  storeDebounceMs: number;
  /** Upper bound for the wait while changes keep coming. */
  storeMaxDebounceMs: number;
  /** Largest WebSocket message accepted. */
  maxMessageBytes: number;
  /**
   * What to seed into a fresh data directory: demo people and dossier, people only, or nothing. Unset, demo
   * data only on a loopback interface: its users share a published password.
   */
  seedDemo: 'all' | 'people' | 'none';
  /** How long a login lasts at most, and how long it lasts unused. */
  sessionTtlMs: number;
  sessionIdleMs: number;
  /** How often open connections are checked for expired and idle sessions. */
  sessionCheckMs: number;
  /** Open collaboration sockets allowed per user and per client address. */
  socketsPerUser: number;
  socketsPerAddress: number;
  /** Express "trust proxy": set when running behind a TLS-terminating proxy, so cookies get `Secure`. */
  trustProxy: boolean | number | string;
  /** How often open connections are checked against user changes made outside this process (CLI). */
  userChangePollMs: number;
  /** Letterhead of exported Vorlagen: the city's name and an optional PNG/JPEG logo file. */
  cityName: string;
  letterheadLogo: string | null;
  /** PDF renders running at once (worker threads) and renders allowed to wait for one. */
  exportWorkers: number;
  exportQueueLimit: number;
  /** PDF renders one user may have running or waiting. */
  exportsPerUser: number;
  /** Drafting history: a snapshot at most this often while people keep working (and when the last editor leaves). */
  historyIntervalMs: number;
  /** Redis shared by several server processes (documents, access changes, presence, login throttling); none: one process. */
  redisUrl: string | null;
  /** Start of every Redis key and channel, so several installations can share one Redis. */
  redisPrefix: string;
}

function integer(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} muss eine ganze Zahl zwischen ${min} und ${max} sein, nicht "${raw}"`);
  }
  return value;
}

export function configFromEnv(): Config {
  const host = process.env.HOST || '127.0.0.1';
  return {
    port: integer('PORT', 3000, 0, 65535),
    host,
    dataDir: resolve(process.env.DATA_DIR || './data'),
    templatesDir: resolve(process.env.TEMPLATES_DIR || './templates'),
    clientDir: resolve('./dist/client'),
    storeDebounceMs: integer('STORE_DEBOUNCE_MS', 1000, 0, 60_000),
    storeMaxDebounceMs: integer('STORE_MAX_DEBOUNCE_MS', 5000, 0, 600_000),
    maxMessageBytes: integer('MAX_MESSAGE_BYTES', 4 * 1024 * 1024, 64 * 1024, 100 * 1024 * 1024),
    seedDemo: seedDemo(process.env.SEED_DEMO, host),
    sessionTtlMs: integer('SESSION_TTL_HOURS', 12, 1, 24 * 30) * 3_600_000,
    sessionIdleMs: integer('SESSION_IDLE_MINUTES', 60, 5, 24 * 60) * 60_000,
    sessionCheckMs: 30_000,
    socketsPerUser: integer('MAX_SOCKETS_PER_USER', 30, 1, 10_000),
    socketsPerAddress: integer('MAX_SOCKETS_PER_ADDRESS', 1000, 1, 1_000_000),
    trustProxy: trustProxy(process.env.TRUST_PROXY),
    userChangePollMs: 2000,
    cityName: process.env.CITY_NAME || 'Stadt Musterstadt',
    letterheadLogo: process.env.LETTERHEAD_LOGO ? resolve(process.env.LETTERHEAD_LOGO) : null,
    // One core stays with the event loop that serves the editors.
    exportWorkers: integer('EXPORT_WORKERS', Math.min(4, Math.max(1, availableParallelism() - 1)), 1, 64),
    exportQueueLimit: integer('EXPORT_QUEUE_LIMIT', 20, 0, 1000),
    exportsPerUser: integer('EXPORTS_PER_USER', 2, 1, 1000),
    historyIntervalMs: integer('HISTORY_INTERVAL_MINUTES', 10, 1, 24 * 60) * 60_000,
    redisUrl: process.env.REDIS_URL || null,
    redisPrefix: process.env.REDIS_PREFIX || 'ratsdossier',
  };
}

function trustProxy(raw: string | undefined): boolean | number | string {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  return /^\d+$/.test(raw) ? Number(raw) : raw;
}

/** Whether the server listens on a loopback interface only, so nobody else can reach it. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

function seedDemo(raw: string | undefined, host: string): Config['seedDemo'] {
  if (raw === undefined || raw === '') return isLoopback(host) ? 'all' : 'none';
  if (raw === 'true') return 'all';
  if (raw === 'false') return 'none';
  if (raw === 'people') return 'people';
  throw new Error(`SEED_DEMO muss true, people oder false sein, nicht "${raw}"`);
}
