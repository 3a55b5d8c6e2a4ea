/**
 * Starts Ratsdossier: storage, templates, collaboration and HTTP on one port.
 * Used by `main.ts` and by the tests, which start it on a loopback port.
 */
import { sweepUnreferencedFiles } from './attachments/unreferenced-files';
import { mkdirSync } from 'node:fs';
import type { Extension } from '@hocuspocus/server';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCollaboration } from './collab/hocuspocus';
import type { PersistenceTiming } from './collab/persistence';
import { Presence } from './collab/presence';
import { collaborationSockets } from './collab/websocket';
import { trustedProxies } from './proxies';
import type { Config } from './config';
import { seedDemo, seedDemoPeople } from './demo/seed';
import { loadLetterhead } from './export/letterhead';
import { ExportPool } from './export/pool';
import { sectionResolver } from './dossiers/sections';
import { DraftingHistory } from './history/drafting-history';
import { databaseCheck, type ReadinessCheck } from './api/health';
import { createHttpApp } from './http';
import { openStorage } from './storage/open';
import { openCluster } from './cluster/cluster';
import type { ClusterEvent } from './cluster/events';
import { loadTemplates } from './templates/loader';
import { Search } from './search/search';
import { Workflow } from './workflow/workflow';
import { LoginThrottle } from './accounts/login-throttle';
import { sessionCookie } from './accounts/session-cookie';
import { Sessions, sessionIdOf } from './accounts/sessions';
import type { Storage } from './storage/storage';
import packageJson from '../package.json' with { type: 'json' };
import { logFor, setLogLevel } from './log';

export const COLLAB_PATH = '/collab';

export interface Ratsdossier {
  url: string;
  port: number;
  collaboration: ReturnType<typeof createCollaboration>;
  /** Statuses, co-signatures and releases. */
  workflow: Workflow;
  storage: Storage;
  /** The Express app (REST API and web client), e.g. for tests that list its routes. */
  http: ReturnType<typeof createHttpApp>;
  /** The collaboration sockets: open per user, session checks. */
  websockets: ReturnType<typeof collaborationSockets>;
  /** The PDF export workers; tests and benchmarks look at their load. */
  exportPool: ExportPool;
  /** Stores every unstored change, closes connections and the database. */
  close(): Promise<void>;
}

export interface StartOptions {
  /** Replaces the configured storage (the storage contract and fault-injection tests pass one). */
  storage?: Storage;
  /** Further Hocuspocus extensions (Hocuspocus orders all extensions by their priority). */
  extensions?: Extension[];
  /** Further dependencies `/api/health/ready` checks besides the database (e.g. Redis). */
  readinessChecks?: ReadinessCheck[];
  /** How often who-edits-where is published to the other processes, and how soon after a change (tests lengthen the heartbeat). */
  presenceTiming?: ConstructorParameters<typeof Presence>[1];
  /** How failed stores are retried and when changes received from another process are checked (tests shorten them). */
  persistenceTiming?: PersistenceTiming;
}

export async function startRatsdossier(config: Config, options: StartOptions = {}): Promise<Ratsdossier> {
  setLogLevel(config.logLevel);
  const templates = await loadTemplates(config.templatesDir);
  mkdirSync(config.dataDir, { recursive: true });
  const storage = options.storage ?? (await openStorage(config));
  if (config.seedDemo === 'all') await seedDemo(storage, templates);
  else if (config.seedDemo === 'people') await seedDemoPeople(storage);

  const sessions = new Sessions(storage, { ttlMs: config.sessionTtlMs, idleMs: config.sessionIdleMs });
  await storage.accounts.deleteExpiredSessions(new Date().toISOString());

  const letterhead = loadLetterhead(config);
  const exportPool = new ExportPool({ workers: config.exportWorkers, queueLimit: config.exportQueueLimit, timeoutMs: 120_000 });

  const resolve = sectionResolver(storage, templates);
  const cookie = sessionCookie(config.trustProxy);
  const cluster = await openCluster(config);
  const presence = new Presence(cluster.events, options.presenceTiming);
  const history = new DraftingHistory(storage, resolve, { intervalMs: config.historyIntervalMs });
  const collaboration = createCollaboration({
    storage,
    sessions,
    resolve,
    sessionCookie: cookie.name,
    ...config,
    afterStore: ({ dossier, template, section }) =>
      Promise.all([sweepUnreferencedFiles(storage, dossier, section, config.unreferencedFileKeepMs), history.sectionStored(dossier, template)]),
    events: cluster.events,
    extensions: [history, presence, ...cluster.extensions, ...(options.extensions ?? [])],
    persistenceTiming: options.persistenceTiming,
  });
  history.attach(collaboration.hocuspocus);
  const workflow = new Workflow({ storage, templates, collaboration, events: cluster.events, exportPool, letterhead });
  const trustProxy = trustedProxies(config.trustProxy);
  const websockets = collaborationSockets(collaboration.hocuspocus, {
    path: COLLAB_PATH,
    maxPayloadBytes: config.maxMessageBytes,
    sessions,
    sessionCookie: cookie.name,
    trustProxy,
    limits: { socketsPerUser: config.socketsPerUser, socketsPerAddress: config.socketsPerAddress },
    sessionCheckMs: config.sessionCheckMs,
  });
  // One way in for every change to users: their sockets (sessions deleted?) and their document connections (rights changed?).
  const refreshUsers = async (userIds: string[]) => {
    const ids = new Set(userIds);
    await websockets.checkSessions({ userIds: ids });
    await collaboration.access.refresh(ids);
  };
  // What any process publishes reaches the open connections of this one.
  const stopHearing = cluster.events.subscribe(async (event: ClusterEvent, local: boolean) => {
    // a live header's change of access applied here already, synchronously and with the newest state
    if (event.type === 'dossier-access' && !local) await collaboration.access.dossierChanged(event.dossierId);
    else if (event.type === 'dossier-status') await collaboration.access.dossierChanged(event.dossierId);
    else if (event.type === 'users-changed') await refreshUsers(event.userIds);
    // a session ended here closed its sockets here already (the sockets listen to `sessions` themselves)
    else if (event.type === 'session-ended' && !local) await websockets.checkSessions({ sessionId: event.sessionId });
  });
  // A logout (or an expiry noticed) here ends the session's sockets on the other processes at once, not at their next sweep.
  const stopAnnouncingEnds = sessions.onEnded(({ tokenHash }) => {
    cluster.events
      .publish({ type: 'session-ended', sessionId: sessionIdOf(tokenHash) })
      .catch((error: Error) => logFor('accounts').error({ err: error }, 'announcing an ended session failed'));
  });
  const app = createHttpApp({
    storage,
    templates,
    search: new Search({ storage, templates }),
    clientDir: config.clientDir,
    version: packageJson.version,
    editors: () => presence.editors(),
    sessions,
    throttle: new LoginThrottle({ perAddress: 30, addressWindowSeconds: 15 * 60, limiter: cluster.loginLimiter }),
    sessionTtlMs: config.sessionTtlMs,
    trustProxy: config.trustProxy,
    onUserChanged: (userId) => cluster.events.publish({ type: 'users-changed', userIds: [userId] }),
    exports: { pool: exportPool, letterhead, exportsPerUser: config.exportsPerUser },
    workflow,
    history,
    readiness: [databaseCheck(storage), ...cluster.readiness, ...(options.readinessChecks ?? [])],
    attachments: { hocuspocus: collaboration.hocuspocus, maxBytes: config.attachmentMaxBytes },
  });
  // With Redis, the users CLI publishes its changes as the admin API does; alone, this process polls for them.
  const userChanges = config.redisUrl ? undefined : watchUserChanges(storage, config.userChangePollMs, refreshUsers);
  const server = createServer(app);
  server.on('upgrade', websockets.handleUpgrade);

  await listen(server, config.port, config.host);
  const port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  const close = async () => {
    userChanges?.stop();
    server.close();
    const { hocuspocus, persistence } = collaboration;
    // No new messages from here on; then everything received is stored.
    websockets.closeAll();
    server.closeAllConnections();
    await workflow.close();
    // Debounced stores run now instead of when their timers fire; then every document still dirty is stored.
    hocuspocus.flushPendingStores();
    await persistence.flushAll(hocuspocus.documents);
    // Unloaded while Redis still answers: the Redis extension unsubscribes from each document as it unloads.
    await Promise.allSettled([...hocuspocus.documents.values()].map((document) => hocuspocus.unloadDocument(document)));
    persistence.destroy();
    history.stop();
    await presence.close();
    stopHearing();
    stopAnnouncingEnds();
    await cluster.close();
    await exportPool.close();
    await storage.close();
  };

  return {
    url: `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`,
    port,
    collaboration,
    workflow,
    http: app,
    websockets,
    storage,
    exportPool,
    close: () => (closing ??= close()),
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
}

/**
 * Users changed by another process (the `npm run users` CLI) lose or gain
 * access on open connections within one poll interval; changes through the
 * admin API take effect at once (a cluster event). Only without Redis: the
 * timestamps come from the clocks of one machine, not of several.
 */
function watchUserChanges(storage: Storage, intervalMs: number, refresh: (userIds: string[]) => Promise<void>) {
  let since = new Date().toISOString();
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    storage.accounts
      .usersChangedSince(since)
      .then(async (users) => {
        if (users.length === 0) return;
        // biome-ignore lint/complexity/useMathMinMax: ISO timestamps compare as strings; Math.max would make them NaN
        since = users.map((u) => u.updatedAt).reduce((a, b) => (a > b ? a : b));
        await refresh(users.map((u) => u.id));
      })
      .catch((error: Error) => logFor('accounts').error({ err: error }, 'checking for user changes failed'))
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
