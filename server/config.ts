/**
 * Server configuration: one schema over the environment (see README: Configuration).
 * A bad value stops the start with a message naming the variable.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';

/** Unset and empty both mean "use the default". */
const unset = (raw: string | undefined): raw is undefined | '' => raw === undefined || raw === '';

const integer = (fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (unset(raw)) return fallback;
      const value = Number(raw);
      if (Number.isInteger(value) && value >= min && value <= max) return value;
      ctx.addIssue({ code: 'custom', message: `muss eine ganze Zahl zwischen ${min} und ${max} sein, nicht "${raw}"` });
      return z.NEVER;
    });

const text = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((raw) => (unset(raw) ? fallback : raw));

const optionalText = z
  .string()
  .optional()
  .transform((raw) => (unset(raw) ? null : raw));

/** A URL with one of the given schemes, or null when unset. */
const url = (schemes: string[]) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (unset(raw)) return null;
      const scheme = URL.canParse(raw) ? new URL(raw).protocol.slice(0, -1) : undefined;
      if (scheme && schemes.includes(scheme)) return raw;
      ctx.addIssue({ code: 'custom', message: `muss eine URL mit ${schemes.map((s) => `${s}://`).join(' oder ')} sein` });
      return z.NEVER;
    });

const oneOf = <T extends string, F extends T | undefined>(values: readonly T[], fallback: F) =>
  z
    .string()
    .optional()
    .transform((raw, ctx): T | F => {
      if (unset(raw)) return fallback;
      if ((values as readonly string[]).includes(raw)) return raw as T;
      ctx.addIssue({ code: 'custom', message: `muss ${values.join(', ')} sein, nicht "${raw}"` });
      return z.NEVER;
    });

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const environment = z
  .object({
    PORT: integer(3000, 0, 65535),
    HOST: text('127.0.0.1'),
    DATA_DIR: text('./data'),
    TEMPLATES_DIR: text('./templates'),
    STORE_DEBOUNCE_MS: integer(1000, 0, 60_000),
    STORE_MAX_DEBOUNCE_MS: integer(5000, 0, 600_000),
    MAX_MESSAGE_BYTES: integer(4 * 1024 * 1024, 64 * 1024, 100 * 1024 * 1024),
    SEED_DEMO: oneOf(['true', 'people', 'false'] as const, undefined),
    SESSION_TTL_HOURS: integer(12, 1, 24 * 30),
    SESSION_IDLE_MINUTES: integer(60, 5, 24 * 60),
    MAX_SOCKETS_PER_USER: integer(30, 1, 10_000),
    MAX_SOCKETS_PER_ADDRESS: integer(1000, 1, 1_000_000),
    TRUST_PROXY: optionalText,
    CITY_NAME: text('Stadt Musterstadt'),
    LETTERHEAD_LOGO: optionalText,
    // One core stays with the event loop that serves the editors.
    EXPORT_WORKERS: integer(Math.min(4, Math.max(1, availableParallelism() - 1)), 1, 64),
    EXPORT_QUEUE_LIMIT: integer(20, 0, 1000),
    EXPORTS_PER_USER: integer(2, 1, 1000),
    HISTORY_INTERVAL_MINUTES: integer(10, 1, 24 * 60),
    ATTACHMENT_MAX_MB: integer(20, 1, 500),
    ATTACHMENT_KEEP_DAYS: integer(30, 0, 3650),
    LOG_LEVEL: oneOf(LOG_LEVELS, 'info'),
    DATABASE_URL: url(['postgres', 'postgresql']),
    REDIS_URL: url(['redis', 'rediss']),
    REDIS_PREFIX: text('ratsdossier'),
  })
  .transform((env) => ({
    port: env.PORT,
    host: env.HOST,
    dataDir: resolve(env.DATA_DIR),
    templatesDir: resolve(env.TEMPLATES_DIR),
    /** Built web client; served when it exists. */
    clientDir: resolve('./dist/client'),
    /** Longest wait after a change before a section is stored (Hocuspocus debounce). */
    storeDebounceMs: env.STORE_DEBOUNCE_MS,
    /** Upper bound for the wait while changes keep coming. */
    storeMaxDebounceMs: env.STORE_MAX_DEBOUNCE_MS,
    /** Largest WebSocket message accepted. */
    maxMessageBytes: env.MAX_MESSAGE_BYTES,
    /**
     * What to seed into a fresh data directory: demo people and dossier, people only, or nothing. Unset, demo
     * data only on a loopback interface: its users share a published password.
     */
    seedDemo: seedDemo(env.SEED_DEMO, env.HOST),
    /** How long a login lasts at most, and how long it lasts unused. */
    sessionTtlMs: env.SESSION_TTL_HOURS * 3_600_000,
    sessionIdleMs: env.SESSION_IDLE_MINUTES * 60_000,
    /** How often open connections are checked for expired and idle sessions. */
    sessionCheckMs: 30_000,
    /** Open collaboration sockets allowed per user and per client address. */
    socketsPerUser: env.MAX_SOCKETS_PER_USER,
    socketsPerAddress: env.MAX_SOCKETS_PER_ADDRESS,
    /** Express "trust proxy": set when running behind a TLS-terminating proxy, so cookies get `Secure`. */
    trustProxy: trustProxy(env.TRUST_PROXY),
    /** How often open connections are checked against user changes made outside this process (CLI). */
    userChangePollMs: 2000,
    /** Letterhead of exported Vorlagen: the city's name and an optional PNG/JPEG logo file. */
    cityName: env.CITY_NAME,
    letterheadLogo: env.LETTERHEAD_LOGO === null ? null : resolve(env.LETTERHEAD_LOGO),
    /** PDF renders running at once (worker threads) and renders allowed to wait for one. */
    exportWorkers: env.EXPORT_WORKERS,
    exportQueueLimit: env.EXPORT_QUEUE_LIMIT,
    /** PDF renders one user may have running or waiting. */
    exportsPerUser: env.EXPORTS_PER_USER,
    /** Drafting history: a snapshot at most this often while people keep working (and when the last editor leaves). */
    historyIntervalMs: env.HISTORY_INTERVAL_MINUTES * 60_000,
    /** Largest file of an Anlage. */
    attachmentMaxBytes: env.ATTACHMENT_MAX_MB * 1024 * 1024,
    /** How long a file no Anlage holds any more is kept for an undo or a restore (server/attachments/unreferenced-files.ts). */
    unreferencedFileKeepMs: env.ATTACHMENT_KEEP_DAYS * 86_400_000,
    /** Least severe level of the JSON log (pino). */
    logLevel: env.LOG_LEVEL,
    /** PostgreSQL instead of the SQLite file in DATA_DIR, when set (see README: Production). */
    databaseUrl: env.DATABASE_URL,
    /** Redis for several server processes, when set (see README: Production). */
    redisUrl: env.REDIS_URL,
    /** Start of every Redis key and channel, so several installations can share one Redis. */
    redisPrefix: env.REDIS_PREFIX,
  }));

export type Config = z.output<typeof environment>;

/** A configuration that cannot start the server; the message names every bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const result = environment.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
  throw new ConfigError(`Ungültige Konfiguration: ${problems.join('; ')}`);
}

function trustProxy(raw: string | null): boolean | number | string {
  if (raw === null || raw === 'false') return false;
  if (raw === 'true') return true;
  return /^\d+$/.test(raw) ? Number(raw) : raw;
}

/** Whether the server listens on a loopback interface only, so nobody else can reach it. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

function seedDemo(raw: 'true' | 'people' | 'false' | undefined, host: string): 'all' | 'people' | 'none' {
  if (raw === undefined) return isLoopback(host) ? 'all' : 'none';
  return raw === 'true' ? 'all' : raw === 'people' ? 'people' : 'none';
}
