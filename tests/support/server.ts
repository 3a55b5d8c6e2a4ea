/**
 * Test support: a real Ratsdossier server on a loopback port with a real
 * SQLite file in a fresh temporary directory, and real Hocuspocus providers
 * over `ws`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { startRatsdossier, type Ratsdossier } from '../../server/app';
import { SESSION_COOKIE } from '../../server/accounts/sessions';
import type { Config } from '../../server/config';
import { DEMO_PASSWORD } from '../../server/demo/people';

export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

export function tempDataDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'ratsdossier-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    dataDir: overrides.dataDir ?? tempDataDir().dir,
    templatesDir: join(projectRoot, 'templates'),
    clientDir: join(projectRoot, 'dist/client'),
    storeDebounceMs: 100,
    storeMaxDebounceMs: 500,
    maxMessageBytes: 4 * 1024 * 1024,
    seedDemo: 'people',
    sessionTtlMs: 3_600_000,
    sessionIdleMs: 3_600_000,
    sessionCheckMs: 1000,
    socketsPerUser: 30,
    socketsPerAddress: 1000,
    trustProxy: false,
    userChangePollMs: 200,
    cityName: 'Stadt Musterstadt',
    letterheadLogo: null,
    exportWorkers: 2,
    exportQueueLimit: 20,
    exportsPerUser: 2,
    historyIntervalMs: 600_000,
    logLevel: 'warn',
    databaseUrl: null,
    redisUrl: null,
    attachmentMaxBytes: 20 * 1024 * 1024,
    unreferencedFileKeepMs: 30 * 86_400_000,
    redisPrefix: 'ratsdossier',
    ...overrides,
  };
}

export interface TestServer extends Ratsdossier {
  wsUrl: string;
  dataDir: string;
}

export async function startTestServer(overrides: Partial<Config> = {}): Promise<TestServer> {
  const config = testConfig(overrides);
  const app = await startRatsdossier(config);
  return { ...app, wsUrl: wsUrlOf(app.url), dataDir: config.dataDir };
}

export const wsUrlOf = (httpUrl: string) => `${httpUrl.replace(/^http/, 'ws')}/collab`;

/** A server in its own process (`tsx server/main.ts`), for restart and SIGKILL tests. */
export interface ServerProcess {
  url: string;
  wsUrl: string;
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code or signal once the process has ended. */
  exited: Promise<number | NodeJS.Signals | null>;
}

export async function startServerProcess(env: {
  dataDir: string;
  port: number;
  storeDebounceMs?: number;
  extraEnv?: NodeJS.ProcessEnv;
  /** How long the start may take (a cold `tsx` on a busy machine is slow). */
  startTimeoutMs?: number;
}): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'server/main.ts')], {
    cwd: projectRoot,
    env: {
      ...process.env,
      PORT: String(env.port),
      HOST: '127.0.0.1',
      DATA_DIR: env.dataDir,
      STORE_DEBOUNCE_MS: String(env.storeDebounceMs ?? 100),
      SEED_DEMO: 'people',
      ...env.extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | NodeJS.Signals | null>((resolvePromise) => child.once('exit', (code, signal) => resolvePromise(signal ?? code)));
  const url = `http://127.0.0.1:${env.port}`;
  await waitFor(async () => (await fetch(`${url}/api/health`).catch(() => undefined))?.ok === true, {
    timeout: env.startTimeoutMs ?? 90_000, // a loaded machine needs that long to compile and start it
    message: () => `server process did not start:\n${output}`,
  }).catch((error: Error) => {
    child.kill('SIGKILL'); // a server that never answered must not outlive the test
    throw error;
  });
  return { url, wsUrl: wsUrlOf(url), child, output: () => output, exited };
}

/** A free loopback port (bound and released at once). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePromise(port));
    });
  });
}

export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  options: { timeout?: number; interval?: number; message?: string | (() => string) } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeout ?? 10_000);
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) {
      const message = typeof options.message === 'function' ? options.message() : options.message;
      throw new Error(`timed out waiting: ${message ?? condition.toString()}`);
    }
    await new Promise((r) => setTimeout(r, options.interval ?? 20));
  }
}

/** A signed-in demo user: the session cookie and the CSRF token. */
export interface Session {
  cookie: string;
  csrfToken: string;
  user: { id: string; username: string; displayName: string; roles: string[]; department: { id: string } };
}

export async function login(baseUrl: string, username: string, password = DEMO_PASSWORD): Promise<Session> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (response.status !== 200) throw new Error(`login of ${username} failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers
    .getSetCookie()
    .find((c) => c.startsWith(`${SESSION_COOKIE}=`) || c.startsWith(`__Host-${SESSION_COOKIE}=`))!
    .split(';')[0]!;
  const body = (await response.json()) as { user: Session['user']; csrfToken: string };
  return { cookie, csrfToken: body.csrfToken, user: body.user };
}

/**
 * For a file whose tests share one server: `session(username)` logs the user in the first time
 * and gives the same session after that. `baseUrl` is asked at the first login of each user.
 */
export function sessionsOn(baseUrl: () => string): (username: string) => Promise<Session> {
  const sessions = new Map<string, Promise<Session>>();
  return (username) => {
    if (!sessions.has(username)) sessions.set(username, login(baseUrl(), username));
    return sessions.get(username)!;
  };
}

/** Demo users by what they do (see server/demo/people.ts). */
export const users = {
  lead: 'jana.becker',
  leadColleague: 'tobias.wagner',
  finance: 'sabine.huber',
  financeOnly: 'murat.yilmaz',
  legal: 'clara.neumann',
  climate: 'felix.roth',
  clerk: 'petra.schmid',
  reader: 'stadtrat.meier',
  admin: 'admin',
  /** Sees every öffentlich draft and writes no section (a signatory of the Rechtsamt): what a reader was before readers saw released Vorlagen only. */
  viewer: 'eva.lange',
  /** Zeichnungsbefugnis per department */
  signatoryLead: 'markus.klein',
  signatoryFinance: 'kai.fischer',
  signatoryLegal: 'eva.lange',
  signatoryClimate: 'jonas.weber',
  signatoryHr: 'ines.hoffmann',
} as const;

export async function api(baseUrl: string, path: string, init: RequestInit & { json?: unknown; session?: Session } = {}) {
  const { json, session, ...rest } = init;
  const response = await fetch(`${baseUrl}${path}`, {
    ...rest,
    headers: {
      ...(json !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(session ? { cookie: session.cookie, 'x-csrf-token': session.csrfToken } : {}),
      ...rest.headers,
    },
    body: json !== undefined ? JSON.stringify(json) : rest.body,
  });
  const text = await response.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body };
}

/** Creates a dossier as the smart-city lead (or the given session); returns its id. */
export async function createTestDossier(
  baseUrl: string,
  options: { session?: Session; title?: string; involvedDepartmentIds?: string[] } = {},
): Promise<string> {
  const session = options.session ?? (await login(baseUrl, users.lead));
  const { status, body } = await api(baseUrl, '/api/dossiers', {
    method: 'POST',
    session,
    json: {
      templateId: 'verstetigung-smart-city',
      title: options.title ?? 'Verstetigung der Sensorplattform',
      involvedDepartmentIds: options.involvedDepartmentIds,
    },
  });
  if (status !== 201) throw new Error(`creating a dossier failed: ${status} ${JSON.stringify(body)}`);
  return body.id as string;
}

/** One browser tab's worth of collaboration: one WebSocket shared by several section providers. */
export class TestClient {
  readonly socket: HocuspocusProviderWebsocket;
  readonly providers = new Map<string, HocuspocusProvider>();
  readonly stored = new Map<string, Uint8Array>();
  readonly refusals: { documentName: string; reason: string }[] = [];

  readonly accessChanges: { documentName: string; readOnly: boolean }[] = [];
  readonly readOnly = new Map<string, boolean>();
  /** Per document, how many updates the server answered as refused (SyncStatus false). */
  readonly refusedUpdates = new Map<string, number>();

  /** Connects with the session's cookie, as a browser of that user would. */
  constructor(wsUrl: string, session: Session) {
    const cookie = session.cookie;
    class CookieWebSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers: { cookie } });
      }
    }
    this.socket = new HocuspocusProviderWebsocket({ url: wsUrl, WebSocketPolyfill: CookieWebSocket });
    this.socket.on('message', (event: MessageEvent) => {
      const decoder = decoding.createDecoder(new Uint8Array(event.data as ArrayBuffer));
      const documentName = decoding.readVarString(decoder);
      // 8: SyncStatus, then 1 applied / 0 refused
      if (decoding.readVarUint(decoder) === 8 && decoding.readVarUint(decoder) === 0)
        this.refusedUpdates.set(documentName, (this.refusedUpdates.get(documentName) ?? 0) + 1);
    });
  }

  open(documentName: string, document = new Y.Doc()): HocuspocusProvider {
    const provider = new HocuspocusProvider({
      websocketProvider: this.socket,
      name: documentName,
      document,
      onStateless: ({ payload }) => {
        const message = JSON.parse(payload) as { type: string; stateVector: string; readOnly: boolean };
        if (message.type === 'stored') this.stored.set(documentName, new Uint8Array(Buffer.from(message.stateVector, 'base64')));
        if (message.type === 'access') {
          this.accessChanges.push({ documentName, readOnly: message.readOnly });
          this.readOnly.set(documentName, message.readOnly);
        }
      },
      onAuthenticated: ({ scope }) => this.readOnly.set(documentName, scope === 'readonly'),
      onAuthenticationFailed: ({ reason }) => this.refusals.push({ documentName, reason }),
    });
    provider.attach();
    this.providers.set(documentName, provider);
    return provider;
  }

  doc(documentName: string): Y.Doc {
    const provider = this.providers.get(documentName);
    if (!provider) throw new Error(`${documentName} is not open`);
    return provider.document;
  }

  async synced(documentName: string, timeout = 10_000): Promise<void> {
    const provider = this.providers.get(documentName)!;
    await waitFor(() => provider.isSynced && !provider.hasUnsyncedChanges, { timeout, message: `${documentName} did not sync` });
  }

  /**
   * Waits until the server reports this client's edits to the document as stored, or those of
   * `editedIn` (another client's copy of it) when given.
   */
  async storedAll(documentName: string, timeout = 10_000, editedIn?: Y.Doc): Promise<void> {
    const doc = editedIn ?? this.doc(documentName);
    await waitFor(
      () => {
        const stored = this.stored.get(documentName);
        if (!stored) return false;
        const storedClock = Y.decodeStateVector(stored).get(doc.clientID) ?? 0;
        return storedClock >= (Y.decodeStateVector(Y.encodeStateVector(doc)).get(doc.clientID) ?? 0);
      },
      { timeout, message: `${documentName} was not reported stored` },
    );
  }

  destroy(): void {
    for (const provider of this.providers.values()) provider.destroy();
    this.socket.destroy();
  }
}

/** Appends text to the last paragraph of a rich-text section, as typing would. */
export function typeInto(doc: Y.Doc, text: string, fragmentName = 'content'): void {
  const fragment = doc.getXmlFragment(fragmentName);
  doc.transact(() => {
    let paragraph = fragment.get(fragment.length - 1);
    if (!(paragraph instanceof Y.XmlElement) || paragraph.nodeName !== 'paragraph') {
      paragraph = new Y.XmlElement('paragraph');
      fragment.push([paragraph]);
    }
    const element = paragraph as Y.XmlElement;
    let textNode = element.get(element.length - 1);
    if (!(textNode instanceof Y.XmlText)) {
      textNode = new Y.XmlText();
      element.push([textNode]);
    }
    const yText = textNode as Y.XmlText;
    yText.insert(yText.length, text);
  });
}

/** A fresh account made by the admin (so a test that changes it touches no one else's); signed in. */
export async function createTestUser(baseUrl: string, fields: { departmentId: string; roles: string[] }): Promise<Session> {
  const admin = await login(baseUrl, users.admin);
  const username = `test.${randomBytes(6).toString('hex')}`;
  const password = `Test-${randomBytes(12).toString('base64url')}`;
  const { status, body } = await api(baseUrl, '/api/users', {
    method: 'POST',
    session: admin,
    json: { username, displayName: `Testkonto ${username}`, password, ...fields },
  });
  if (status !== 201) throw new Error(`creating user ${username} failed: ${status} ${JSON.stringify(body)}`);
  return login(baseUrl, username, password);
}
