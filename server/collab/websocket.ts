/**
 * Serves Hocuspocus on the HTTP server's `/collab` path through crossws, as
 * Hocuspocus' own Express playground does. In this setup Hocuspocus'
 * onUpgrade/onRequest hooks do not run, so the path is checked here.
 */
import type { Server as HttpServer, IncomingHttpHeaders } from 'node:http';
import type { Hocuspocus, WebSocketLike } from '@hocuspocus/server';
import crossws from 'crossws/adapters/node';

type HocuspocusClient = ReturnType<Hocuspocus['handleConnection']>;

export function serveCollaboration(server: HttpServer, hocuspocus: Hocuspocus, options: { path: string; maxPayloadBytes: number }) {
  const clients = new WeakMap<object, HocuspocusClient>();
  const ws = crossws({
    serverOptions: { maxPayload: options.maxPayloadBytes },
    hooks: {
      open(peer) {
        clients.set(peer, hocuspocus.handleConnection(peer.websocket as unknown as WebSocketLike, peer.request as Request));
      },
      message(peer, message) {
        clients.get(peer)?.handleMessage(message.uint8Array());
      },
      close(peer, event) {
        clients.get(peer)?.handleClose({ code: event.code ?? 1000, reason: event.reason ?? '' });
        clients.delete(peer);
      },
      error(peer, error) {
        console.error(`[collab] websocket error on ${peer.id}:`, error.message);
      },
    },
  });

  server.on('upgrade', (request, socket, head) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== options.path) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    if (!sameOrigin(request.headers)) {
      // A page of another site must not open a connection that carries our user's session cookie.
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    ws.handleUpgrade(request, socket, head).catch((error: Error) => {
      console.error('[collab] upgrade failed:', error.message);
      socket.destroy();
    });
  });

  return {
    closeAll: () => ws.closeAll(1001, 'server shutting down', true),
  };
}

/**
 * Browsers send the page's Origin with a WebSocket handshake; it must name the
 * host the request went to (directly or through a proxy). Clients that are no
 * browser send none and are judged by their session alone.
 */
function sameOrigin(headers: IncomingHttpHeaders): boolean {
  const origin = headers.origin;
  if (origin === undefined) return true;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return false;
  }
  const forwarded = headers['x-forwarded-host'];
  const hosts = [headers.host, ...(typeof forwarded === 'string' ? forwarded.split(',').map((h) => h.trim()) : [])];
  return hosts.includes(originHost);
}
