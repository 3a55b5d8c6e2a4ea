/**
 * Safe defaults: demo accounts (published password) only on a loopback interface, and a real
 * installation's first administrator with a random password shown once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configFromEnv } from '../../server/config';
import { api, freePort, login, startServerProcess, tempDataDir, users, waitFor, type ServerProcess } from '../support/server';

function configWith(env: Record<string, string | undefined>) {
  const saved = { HOST: process.env.HOST, SEED_DEMO: process.env.SEED_DEMO };
  for (const [key, value] of Object.entries({ HOST: undefined, SEED_DEMO: undefined, ...env })) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  try {
    return configFromEnv();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

describe('configuration defaults', () => {
  it('listen on loopback with demo data; elsewhere seed nothing unless SEED_DEMO=true', () => {
    expect(configWith({})).toMatchObject({ host: '127.0.0.1', seedDemo: 'all' });
    expect(configWith({ HOST: '::1' }).seedDemo).toBe('all');
    expect(configWith({ HOST: '0.0.0.0' }).seedDemo).toBe('none');
    expect(configWith({ HOST: '10.1.2.3' }).seedDemo).toBe('none');
    expect(configWith({ HOST: '0.0.0.0', SEED_DEMO: 'true' }).seedDemo).toBe('all');
    expect(configWith({ HOST: '0.0.0.0', SEED_DEMO: 'people' }).seedDemo).toBe('people');
    expect(configWith({ SEED_DEMO: 'false' }).seedDemo).toBe('none');
  });
});

describe('a server listening on every interface without SEED_DEMO', () => {
  const data = tempDataDir();
  let server: ServerProcess | undefined;
  const start = async () =>
    (server = await startServerProcess({ dataDir: data.dir, port: await freePort(), extraEnv: { HOST: '0.0.0.0', SEED_DEMO: undefined } }));
  const stop = async () => {
    server?.child.kill('SIGTERM');
    await server?.exited;
    server = undefined;
  };
  afterEach(async () => {
    await stop();
    data.remove();
  });

  it('has no demo accounts and prints a one-time admin password once, never stored in plain', async () => {
    const first = await start();
    for (const username of Object.values(users).filter((u) => u !== users.admin)) {
      await expect(login(first.url, username)).rejects.toThrow(/401/);
    }
    await expect(login(first.url, users.admin)).rejects.toThrow(/401/);
    await waitForOutput(first, /Einmaliges Passwort: (\S+)/);
    const password = /Einmaliges Passwort: (\S+)/.exec(first.output())![1]!;
    expect(password).toHaveLength(20);
    expect(first.output()).toContain('npm run users -- set admin --password');
    const admin = await login(first.url, users.admin, password);
    expect(admin.user.roles).toEqual(['admin']);
    expect((await api(first.url, '/api/dossiers', { session: admin })).status).toBe(200);
    await stop();
    expect(readFileSync(join(data.dir, 'ratsdossier.sqlite')).includes(password)).toBe(false);

    // a restart creates no second admin and prints no password again; the first one still works until changed
    const second = await start();
    expect((await login(second.url, users.admin, password)).user.username).toBe(users.admin);
    expect(second.output()).not.toMatch(/Passwort/);
  }, 60_000);
});

async function waitForOutput(server: ServerProcess, pattern: RegExp) {
  await waitFor(() => pattern.test(server.output()), { message: () => `no match for ${pattern} in:\n${server.output()}` });
}
