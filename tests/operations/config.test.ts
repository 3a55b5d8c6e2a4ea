/**
 * Configuration is read and checked in one place: every variable has its default,
 * and a bad value stops the start with a message naming the variable.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, configFromEnv } from '../../server/config';
import { projectRoot, tempDataDir } from '../support/server';

describe('configFromEnv', () => {
  it('gives the documented defaults for an empty environment, and treats empty values as unset', () => {
    const config = configFromEnv({ PORT: '', LOG_LEVEL: '' });
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      storeDebounceMs: 1000,
      storeMaxDebounceMs: 5000,
      maxMessageBytes: 4 * 1024 * 1024,
      seedDemo: 'all',
      sessionTtlMs: 12 * 3_600_000,
      sessionIdleMs: 60 * 60_000,
      socketsPerUser: 30,
      socketsPerAddress: 1000,
      trustProxy: false,
      cityName: 'Stadt Musterstadt',
      letterheadLogo: null,
      exportQueueLimit: 20,
      exportsPerUser: 2,
      historyIntervalMs: 10 * 60_000,
      logLevel: 'info',
      databaseUrl: null,
      redisUrl: null,
    });
    expect(config.dataDir).toBe(join(process.cwd(), 'data'));
  });

  it('reads every variable', () => {
    const config = configFromEnv({
      PORT: '8080',
      HOST: '0.0.0.0',
      TRUST_PROXY: '1',
      SEED_DEMO: 'people',
      LOG_LEVEL: 'debug',
      DATABASE_URL: 'postgres://ratsdossier@db.intern:5432/ratsdossier',
      REDIS_URL: 'redis://cache.intern:6379',
      SESSION_TTL_HOURS: '8',
      EXPORT_WORKERS: '3',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      trustProxy: 1,
      seedDemo: 'people',
      logLevel: 'debug',
      databaseUrl: 'postgres://ratsdossier@db.intern:5432/ratsdossier',
      redisUrl: 'redis://cache.intern:6379',
      sessionTtlMs: 8 * 3_600_000,
      exportWorkers: 3,
    });
  });

  it.each([
    ['PORT', 'http', 'PORT muss eine ganze Zahl zwischen 0 und 65535 sein, nicht "http"'],
    ['PORT', '70000', 'PORT muss eine ganze Zahl zwischen 0 und 65535 sein, nicht "70000"'],
    ['STORE_DEBOUNCE_MS', '1.5', 'STORE_DEBOUNCE_MS muss eine ganze Zahl'],
    ['SEED_DEMO', 'yes', 'SEED_DEMO muss true, people, false sein, nicht "yes"'],
    ['LOG_LEVEL', 'verbose', 'LOG_LEVEL muss fatal, error, warn, info, debug, trace, silent sein, nicht "verbose"'],
    ['DATABASE_URL', 'db.intern:5432', 'DATABASE_URL muss eine URL mit postgres:// oder postgresql:// sein'],
    ['REDIS_URL', 'http://cache.intern', 'REDIS_URL muss eine URL mit redis:// oder rediss:// sein'],
  ])('refuses %s=%s naming the variable', (name, value, message) => {
    expect(() => configFromEnv({ [name]: value })).toThrow(ConfigError);
    expect(() => configFromEnv({ [name]: value })).toThrow(message);
  });

  it('names every bad variable at once', () => {
    expect(() => configFromEnv({ PORT: 'x', MAX_SOCKETS_PER_USER: '0' })).toThrow(/PORT muss .*; MAX_SOCKETS_PER_USER muss/);
  });
});

describe('the server process', () => {
  it('does not start with a bad PORT: exit code 1 and the message naming PORT, no stack trace', async () => {
    const data = tempDataDir();
    const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'server/main.ts')], {
      cwd: projectRoot,
      env: { ...process.env, PORT: 'dreitausend', DATA_DIR: data.dir, SEED_DEMO: 'people' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolvePromise) => child.once('exit', resolvePromise));
    data.remove();
    expect(code).toBe(1);
    expect(output).toMatch(/PORT muss eine ganze Zahl zwischen 0 und 65535 sein, nicht \\?"dreitausend/);
    expect(output).not.toMatch(/\n\s+at /);
  });
});
