/**
 * Serves Hocuspocus on the HTTP server's `/collab` path through crossws, as
 * Hocuspocus' own Express playground does. In this setup Hocuspocus'
 * onUpgrade/onRequest hooks do not run, so the path is checked here.
 *
 * Each socket is admitted here, before Hocuspocus sees it: same origin, within
 * the limits of open sockets per user and per address, and bound to the
 * session it was opened with — when that session ends (logout, expiry, idle,
 * password change, disabled user) the socket is closed. Every frame is checked
 * for its shape first (frames.ts); a malformed one is logged once and closes
 * the socket.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Hocuspocus, WebSocketLike } from '@hocuspocus/server';
import crossws from 'crossws/adapters/node';
import proxyAddr from 'proxy-addr';
import { CloseCode } from '../../dossier/close-codes';
import { cookieValue, sessionIdOf, type Sessions } from '../accounts/sessions';
import type { SessionRecord } from '../storage/storage';
import { logFor } from '../log';
import { checkFrame, printable } from './frames';

const log = logFor('collab');

type HocuspocusClient = ReturnType<Hocuspocus['handleConnection']>;

/** What the upgrade learned about a socket; crossws hands it to the peer as its context. */
interface Admission {
  address: string;
  session?: SessionRecord;
  /** `sessionIdOf` the session, once asked for. */
  sessionId?: string;
  client?: HocuspocusClient;
  close?: (code: number, reason: string) => void;
  /** Set once the socket is being closed: later frames are dropped. */
  closed?: true;
}

export interface CollaborationSocketsOptions {
  path: string;
  maxPayloadBytes: number;
  sessions: Sessions;
  sessionCookie: string;
  /** Express' compiled "trust proxy" function: which proxies' X-Forwarded-* headers count. */
  trustProxy: (address: string, hop: number) => boolean;
  limits: { socketsPerUser: number; socketsPerAddress: number };
  /** How often open sockets are checked for expired and idle sessions. */
  sessionCheckMs: number;
}

export function collaborationSockets(hocuspocus: Hocuspocus, options: CollaborationSocketsOptions) {
  const open = new Set<Admission>();
  const perUser = new Map<string, number>();
  const perAddress = new Map<string, number>();
  const count = (map: Map<string, number>, key: string, delta: number) => {
    const next = (map.get(key) ?? 0) + delta;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: memory only, a count of 0 kept reads as 0
    if (next > 0) map.set(key, next);
    else map.delete(key);
  };
  const release = (admission: Admission) => {
    // Stryker disable next-line ConditionalExpression: each admission is released once (refused, failed or closed); this only guards it
    if (!open.delete(admission)) return;
    count(perAddress, admission.address, -1);
    if (admission.session) count(perUser, admission.session.userId, -1);
  };

  const shut = (admission: Admission, code: number, reason: string) => {
    // Stryker disable next-line ConditionalExpression: closing twice changes nothing; this only saves the work
    if (admission.closed) return;
    admission.closed = true;
    // Hocuspocus forgets the socket's documents at once, so nothing more is sent to it. Both are unset
    // while the socket is still being upgraded (a session that ends then).
    // Stryker disable next-line OptionalChaining,ObjectLiteral: the code and reason go to the socket below; Hocuspocus only closes
    admission.client?.handleClose({ code, reason });
    // Stryker disable next-line OptionalChaining: as above
    admission.close?.(code, reason);
  };

  const ws = crossws({
    serverOptions: { maxPayload: options.maxPayloadBytes },
    hooks: {
      open(peer) {
        const admission = peer.context as unknown as Admission;
        admission.close = (code, reason) => peer.close(code, reason);
        admission.client = hocuspocus.handleConnection(peer.websocket as unknown as WebSocketLike, peer.request as Request);
      },
      message(peer, message) {
        const admission = peer.context as unknown as Admission;
        if (admission.closed) return;
        const data = message.uint8Array();
        const frame = checkFrame(data);
        if (!frame.ok) {
          log.warn({ socket: peer.id, userId: admission.session?.userId, address: admission.address }, `closing socket: ${frame.problem}`);
          shut(admission, CloseCode.invalidMessage, 'invalid-message');
          return;
        }
        if (frame.edit && admission.session) {
          options.sessions.touch(admission.session).catch((error: Error) => log.error({ err: error }, 'recording session use failed'));
        }
        // Stryker disable next-line OptionalChaining: the open hook set it before any message
        admission.client?.handleMessage(data);
      },
      close(peer, event) {
        const admission = peer.context as unknown as Admission;
        // closed: `shut` told Hocuspocus already. Nothing reads the admission after its release.
        if (!admission.closed) admission.client?.handleClose({ code: event.code ?? CloseCode.normal, reason: event.reason ?? '' });
        release(admission);
      },
      error(peer, error) {
        log.error({ socket: peer.id, error: printable(error.message) }, 'websocket error');
      },
    },
  });

  /** For the HTTP server's `upgrade` event. */
  async function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const refuse = (status: string) => void socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== options.path) return refuse('404 Not Found');
    // A page of another site must not open a connection that carries our user's session cookie.
    if (!sameOrigin(request.headers, options.trustProxy(request.socket.remoteAddress ?? '', 0))) return refuse('403 Forbidden');

    // Counted before anything is awaited, so a burst of upgrades meets the same limit as a sequence.
    const admission: Admission = { address: proxyAddr(request, options.trustProxy) };
    if ((perAddress.get(admission.address) ?? 0) >= options.limits.socketsPerAddress) return refuse('429 Too Many Requests');
    open.add(admission);
    count(perAddress, admission.address, 1);
    try {
      const signedIn = await options.sessions.resolve(cookieValue(request.headers.cookie, options.sessionCookie));
      if (signedIn) {
        if ((perUser.get(signedIn.user.id) ?? 0) >= options.limits.socketsPerUser) {
          release(admission);
          return refuse('429 Too Many Requests');
        }
        admission.session = signedIn.session;
        count(perUser, signedIn.user.id, 1);
      }
      if (socket.destroyed) {
        release(admission);
        return;
      }
      await ws.handleUpgrade(request, socket, head, carrying(admission));
    } catch (error) {
      release(admission);
      log.error({ error: printable((error as Error).message) }, 'upgrade failed');
      socket.destroy();
    }
  }

  /**
   * Closes the sockets whose session is no longer valid; `which` narrows the check to one session (by
   * its token hash, or by `sessionIdOf` it when another process names it) or some users.
   */
  async function checkSessions(which?: SessionsToCheck): Promise<void> {
    for (const admission of [...open]) {
      const session = admission.session;
      if (!session || admission.closed) continue;
      // Stryker disable next-line ConditionalExpression: asking storage about every session closes no other sockets, it only costs lookups
      if (!concerns(which, session, () => (admission.sessionId ??= sessionIdOf(session.tokenHash)))) continue;
      if (!(await options.sessions.resolveHash(session.tokenHash))) shut(admission, CloseCode.unauthorized, 'session-ended');
    }
  }
  const stopListening = options.sessions.onEnded(({ tokenHash }) => {
    checkSessions({ tokenHash }).catch((error: Error) => log.error({ err: error }, 'checking sessions failed'));
  });
  const sweep = setInterval(() => {
    checkSessions().catch((error: Error) => log.error({ err: error }, 'checking sessions failed'));
  }, options.sessionCheckMs);
  // Stryker disable next-line CallExpression: only lets a process that is done exit
  sweep.unref();

  return {
    handleUpgrade,
    checkSessions,
    /** Open sockets, per user id (for tests and operations). */
    socketsOf: (userId: string) => perUser.get(userId) ?? 0,
    /** At shutdown: nothing a socket sends from here on is read, and each is told "going away" (clients reconnect, to another process). */
    closeAll: () => {
      // Stryker disable next-line CallExpression: the resources of a stopped server
      clearInterval(sweep);
      // Stryker disable next-line CallExpression: as above
      stopListening();
      for (const admission of open) shut(admission, CloseCode.goingAway, 'server shutting down');
    },
  };
}

/** Which sockets' sessions a check asks storage about: all, one session (by its token hash, or by `sessionIdOf` it when another process names it), or some users'. */
export type SessionsToCheck = { tokenHash: string } | { sessionId: string } | { userIds: ReadonlySet<string> };

/**
 * Whether a check of `which` concerns a socket's session. Only an optimisation of what is asked
 * (a logout must not look up every open socket's session), never of what is closed: storage
 * decides that. `sessionId` computes the session's id lazily (a hash), for checks by id only.
 */
export function concerns(which: SessionsToCheck | undefined, session: Pick<SessionRecord, 'tokenHash' | 'userId'>, sessionId: () => string): boolean {
  if (!which) return true;
  if ('tokenHash' in which) return session.tokenHash === which.tokenHash;
  if ('sessionId' in which) return sessionId() === which.sessionId;
  return which.userIds.has(session.userId);
}

/**
 * What crossws hands its upgrade hook: only its `context` is read here (it becomes the peer's
 * context). The peer's own request, which Hocuspocus reads the cookie from, crossws builds from
 * the Node request itself.
 */
const carrying = (admission: Admission): Request => Object.assign(new Request('http://localhost/'), { context: admission });

/**
 * Browsers send the page's Origin with a WebSocket handshake; it must name the
 * host the request went to. A proxy's X-Forwarded-Host counts only when the
 * request came through a trusted proxy (TRUST_PROXY); otherwise anyone could
 * send one. Clients that are no browser send no Origin and are judged by their
 * session alone.
 */
export function sameOrigin(headers: IncomingHttpHeaders, fromTrustedProxy: boolean): boolean {
  const origin = headers.origin;
  if (origin === undefined) return true;
  if (!URL.canParse(origin)) return false;
  const originHost = new URL(origin).host;
  const forwarded = fromTrustedProxy ? headers['x-forwarded-host'] : undefined;
  // Stryker disable next-line ArrayDeclaration: any made-up entry for a missing header matches no origin's host either
  const hosts = [headers.host, ...(typeof forwarded === 'string' ? forwarded.split(',').map((h) => h.trim()) : [])];
  return hosts.includes(originHost);
}
