/**
 * Browser test support: the built client (built once per source state),
 * Debian's Chromium driven by playwright-core, users with their own browser
 * contexts, and a TCP proxy that can cut one browser's connection for real
 * (Playwright's setOffline leaves open WebSockets alone, playwright#4910).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { Config } from '../../server/config';
import { login, projectRoot, startTestServer, waitFor, type Session, type TestServer } from '../support/server';

const CHROMIUM = '/usr/bin/chromium';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * Builds the web client with Vite unless a build of exactly these sources
 * exists (keyed by a hash of client/, dossier/, the Vite config and the lock
 * file), so parallel test files and reruns share one build and a stale one is
 * never used.
 */
export function builtClient(): string {
  const inputs = [
    ...filesUnder(join(projectRoot, 'client')),
    ...filesUnder(join(projectRoot, 'dossier')),
    join(projectRoot, 'vite.config.ts'),
    join(projectRoot, 'package-lock.json'),
  ].sort();
  const hash = createHash('sha256');
  for (const file of inputs) hash.update(relative(projectRoot, file)).update(readFileSync(file));
  // Not below a dot-directory: the server's static file handler refuses such paths.
  const dir = join(tmpdir(), `ratsdossier-client-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(join(dir, 'index.html'))) return dir;
  const temp = `${dir}.tmp-${process.pid}`;
  const result = spawnSync(
    process.execPath,
    [join(projectRoot, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', temp, '--emptyOutDir', '--logLevel', 'warn'],
    {
      cwd: projectRoot,
      encoding: 'utf8',
      // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  if (result.status !== 0) throw new Error(`vite build failed:\n${result.stdout}\n${result.stderr}`);
  try {
    renameSync(temp, dir);
  } catch {
    // another test file finished the same build first
    rmSync(temp, { recursive: true, force: true });
  }
  return dir;
}

/** The built client's entry chunk and every chunk the first page loads with it: its static imports (not the dynamic ones) and what index.html preloads. */
export function firstPageChunks(clientDir: string): { entry: string; chunks: string[] } {
  const html = readFileSync(join(clientDir, 'index.html'), 'utf8');
  const entry = /<script type="module" crossorigin src="\/assets\/([^"]+\.js)"/.exec(html)?.[1];
  if (!entry) throw new Error(`no entry script in ${clientDir}/index.html`);
  const chunks = new Set<string>();
  const pending = [entry, ...[...html.matchAll(/href="\/assets\/([^"]+\.js)"/g)].map((m) => m[1]!)];
  while (pending.length) {
    const name = pending.pop()!;
    if (chunks.has(name)) continue;
    chunks.add(name);
    const source = readFileSync(join(clientDir, 'assets', name), 'utf8');
    for (const [, imported] of source.matchAll(/(?:import|export)\s*(?:[^"'();]*?from\s*)?["']\.\/([^"']+\.js)["']/g)) pending.push(imported!);
  }
  return { entry, chunks: [...chunks] };
}

export function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does this)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface BrowserSuite {
  clientDir: string;
  /** The running server; a test that restarts it assigns the new one here, so it is closed afterwards. */
  server: TestServer;
  browser: Browser;
}

/** For one test file: the built client served by a real server, and Chromium; both closed after the file. */
export function browserSuite(overrides: Partial<Config> = {}): BrowserSuite {
  const suite = {} as BrowserSuite;
  beforeAll(async () => {
    suite.clientDir = builtClient();
    suite.server = await startTestServer({ clientDir: suite.clientDir, ...overrides });
    suite.browser = await launchBrowser();
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.server?.close();
  });
  return suite;
}

export interface User {
  name: string;
  context: BrowserContext;
  page: Page;
  /** Uncaught errors in the page: a test ends by checking there were none. */
  errors: string[];
}

/** A browser context for a demo user (or an existing session) already signed in (the login page is tested on its own): the session cookie is set. */
export async function openAs(browser: Browser, baseUrl: string, user: string | Session): Promise<User> {
  const session = typeof user === 'string' ? await login(baseUrl, user) : user;
  const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1400, height: 1000 } });
  const [name, value] = session.cookie.split('=') as [string, string];
  // cookies do not tell ports apart: this one reaches the server directly and through a test proxy
  await context.addCookies([{ name, value, domain: new URL(baseUrl).hostname, path: '/', httpOnly: true, sameSite: 'Lax' }]);
  const errors: string[] = [];
  return { name: session.user.displayName, context, page: await newTab(context, errors), errors };
}

/** Another tab in a user's browser context; its uncaught errors go to `errors` (the user's). */
export async function newTab(context: BrowserContext, errors: string[]): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(error.message));
  return page;
}

/** The editing area of a section's rich-text editor. */
export const editorOf = (page: Page, sectionId: string) => page.locator(`#abschnitt-${sectionId} .ProseMirror`).first();

/** Opens a dossier and waits until every section has synced with the server. */
export async function openDossier(page: Page, baseUrl: string, dossierId: string): Promise<void> {
  await page.goto(`${baseUrl}/dossiers/${dossierId}`);
  await page.locator('.status[data-connection="connected"]').waitFor();
  await page.waitForFunction(
    () => document.querySelectorAll('.section__body[aria-busy="true"]').length === 0 && document.querySelectorAll('.section').length > 0,
  );
}

/** In the page: the text of a section's editor without the other authors' caret labels. */
function editorText(sectionId: string): string {
  const editor = document.querySelector(`#abschnitt-${sectionId} .ProseMirror`);
  if (!editor) return '';
  const copy = editor.cloneNode(true) as Element;
  for (const caret of copy.querySelectorAll('.collaboration-carets__caret')) caret.remove();
  return copy.textContent ?? '';
}

export function textOf(user: User, sectionId: string): Promise<string> {
  return user.page.evaluate(editorText, sectionId);
}

/** Waits until a section's editor contains every part (polled from here: the page's CSP allows no eval). */
export async function waitForText(user: User, sectionId: string, ...parts: string[]): Promise<void> {
  let text = '';
  await waitFor(
    async () => {
      text = await textOf(user, sectionId);
      return parts.every((part) => text.includes(part));
    },
    { timeout: 30_000, interval: 50, message: () => `section ${sectionId} has "${text}", not all of ${JSON.stringify(parts)}` },
  );
}

/** Puts the caret at the end or the very start of a section's text. */
export async function placeCaret(page: Page, sectionId: string, where: 'start' | 'end'): Promise<void> {
  await editorOf(page, sectionId).click();
  // right after the click the editor may still set the selection where the click landed: press until the caret is there
  const there = () =>
    page.evaluate(
      ([id, end]) => {
        const editor = document.querySelector(`#abschnitt-${id} .ProseMirror`);
        const selection = getSelection();
        if (!editor || !selection?.focusNode || !editor.contains(selection.focusNode)) return false;
        const rest = document.createRange();
        if (end) {
          rest.setStart(selection.focusNode, selection.focusOffset);
          rest.setEnd(editor, editor.childNodes.length);
        } else {
          rest.setStart(editor, 0);
          rest.setEnd(selection.focusNode, selection.focusOffset);
        }
        return rest.toString() === '';
      },
      [sectionId, where === 'end'] as const,
    );
  await waitFor(
    async () => {
      await page.keyboard.press(where === 'end' ? 'Control+End' : 'Control+Home');
      return there();
    },
    { message: `the caret did not reach the ${where} of ${sectionId}` },
  );
}

/** Types at the end of a section's text. */
export async function typeAtEnd(page: Page, sectionId: string, text: string): Promise<void> {
  await placeCaret(page, sectionId, 'end');
  await page.keyboard.type(text);
}

/** Runs axe-core in the page; returns the serious and critical violations, and those of the rules in `also` whatever their impact. */
export async function axeViolations(
  page: Page,
  { also = [] }: { also?: string[] } = {},
): Promise<{ id: string; impact: string; help: string; nodes: string[] }[]> {
  const source = readFileSync(join(projectRoot, 'node_modules/axe-core/axe.min.js'), 'utf8');
  // evaluated by the debugger protocol: an inline script tag would be refused by the page's CSP
  await page.evaluate(source);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (context: Document, options: object) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical' || also.includes(v.id));
}

/**
 * A TCP proxy in front of the server. `pause()` cuts every connection and
 * refuses new ones, as a lost network would; `resume()` lets them through again.
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private paused = false;
  port = 0;

  constructor(private readonly targetPort: number) {}

  async start(): Promise<void> {
    this.server = createServer((client) => {
      if (this.paused) {
        client.destroy();
        return;
      }
      const upstream = connect(this.targetPort, '127.0.0.1');
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  pause(): void {
    this.paused = true;
    for (const socket of this.sockets) socket.destroy();
  }

  resume(): void {
    this.paused = false;
  }

  async close(): Promise<void> {
    this.pause();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
