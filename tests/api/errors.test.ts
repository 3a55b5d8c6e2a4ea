/**
 * Error bodies: a forced 500, an export failure and conflicts each answer
 * JSON `{"error": "<German message>"}` and never a stack trace or a file
 * path. Every fault is real: a closed database handle, a broken letterhead
 * image that the PDF renderer chokes on, a taken username, a dossier whose
 * template is no longer installed.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { api, createTestDossier, login, tempDataDir, users } from '../support/server';
import { serversPerTest, templatesDirWithoutInstalled } from '../support/server-per-test';

const { start, stop } = serversPerTest();

/** A JSON error body with a German message and nothing of the server's insides. */
function expectCleanError(response: { status: number; headers: Headers; body: unknown }, status: number, message: RegExp) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = response.body as { error?: unknown };
  expect(typeof body.error, JSON.stringify(body)).toBe('string');
  expect(body.error).toMatch(message);
  const text = JSON.stringify(body);
  expect(text).not.toMatch(/\bat \S+ \(|\n\s+at |\bat (async )?[\w.<>]+ /); // stack frames
  expect(text).not.toMatch(/(^|[\s"'(])\/([\w.-]+\/)+[\w.-]+|[A-Za-z]:\\\\|node_modules|file:\/\/|\.(ts|js|mjs|cjs):\d+/); // file paths
}

/** A PNG that passes the start-up check (signature, opaque colour type) but whose image data is garbage. */
function brokenPng(): Buffer {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'latin1');
  ihdr.writeUInt32BE(64, 8);
  ihdr.writeUInt32BE(64, 12);
  ihdr[16] = 8; // bit depth
  ihdr[17] = 2; // truecolour, no alpha
  const idat = Buffer.concat([Buffer.from([0, 0, 0, 16]), Buffer.from('IDAT', 'latin1'), Buffer.from('kein-zlib-strom!', 'latin1'), Buffer.alloc(4)]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ihdr, idat]);
}

describe('error bodies', () => {
  it('a 500 from a real storage fault (the database handle closed) is a German message without a stack trace', async () => {
    const server = await start();
    const lead = await login(server.url, users.lead);
    await server.storage.close();
    for (const path of ['/api/dossiers', '/api/auth/me', '/api/audit']) {
      expectCleanError(await api(server.url, path, { session: lead }), 500, /^Interner Fehler\. Bitte später erneut versuchen\.$/);
    }
  });

  it('an export failure (a letterhead image the renderer cannot decode) is a German message without a stack trace', async () => {
    const logo = join(tempDataDir().dir, 'wappen.png');
    writeFileSync(logo, brokenPng());
    const server = await start({ letterheadLogo: logo });
    const lead = await login(server.url, users.lead);
    const dossierId = await createTestDossier(server.url, { session: lead });
    expectCleanError(
      await api(server.url, `/api/dossiers/${dossierId}/export.pdf`, { session: lead }),
      500,
      /^Der PDF-Export ist fehlgeschlagen\. Bitte später erneut versuchen; bleibt der Fehler, die Administration benachrichtigen\.$/,
    );
  });

  it('a conflict (a taken username) is a 409 with a German message', async () => {
    const server = await start();
    const admin = await login(server.url, users.admin);
    const response = await api(server.url, '/api/users', {
      method: 'POST',
      session: admin,
      json: {
        username: users.lead.toUpperCase(),
        displayName: 'Zweite Jana',
        departmentId: 'smart-city',
        roles: ['author'],
        password: 'ein-langes-sicheres-Passwort-2026',
      },
    });
    expectCleanError(response, 409, /^Benutzername ".*" ist vergeben\.$/);
  });

  it('a conflict (the dossier’s template is no longer installed) is a 409 on the view, the export, the comparison and the history', async () => {
    const dataDir = tempDataDir().dir;
    const first = await start({ dataDir });
    const dossierId = await createTestDossier(first.url);
    await stop(first);
    // the same data, started with a template directory that lacks the dossier's template
    const second = await start({ dataDir, templatesDir: templatesDirWithoutInstalled() });
    const lead = await login(second.url, users.lead);
    const paths = ['', '/export.pdf', '/compare?from=current&to=current', '/history/1'].map((path) => `/api/dossiers/${dossierId}${path}`);
    for (const path of paths) {
      expectCleanError(
        await api(second.url, path, { session: lead }),
        409,
        /^Das Vorlagenmuster "verstetigung-smart-city" dieser Vorlage ist nicht mehr installiert\.$/,
      );
    }
  });
});
