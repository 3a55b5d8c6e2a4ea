/**
 * Baseline for the benchmarks: a plain Hocuspocus 4 server without any of
 * Ratsdossier's extensions or socket admission, served through crossws on an
 * HTTP server as Hocuspocus' own Express playground does.
 * Usage: node --import tsx tests/bench/plain-hocuspocus.ts <port>
 */
import { createServer } from 'node:http';
import { Hocuspocus, type WebSocketLike } from '@hocuspocus/server';
import crossws from 'crossws/adapters/node';

const port = Number(process.argv[2] ?? 0);
const hocuspocus = new Hocuspocus({ quiet: true });
const clients = new WeakMap<object, ReturnType<Hocuspocus['handleConnection']>>();
const ws = crossws({
  serverOptions: { maxPayload: 4 * 1024 * 1024 },
  hooks: {
    open: (peer) => void clients.set(peer, hocuspocus.handleConnection(peer.websocket as unknown as WebSocketLike, peer.request as Request)),
    message: (peer, message) => clients.get(peer)?.handleMessage(message.uint8Array()),
    close: (peer, event) => clients.get(peer)?.handleClose({ code: event.code ?? 1000, reason: event.reason ?? '' }),
  },
});
const server = createServer((_req, res) => res.end('plain hocuspocus'));
server.on('upgrade', (request, socket, head) => void ws.handleUpgrade(request, socket, head));
server.listen(port, '127.0.0.1', () => console.log('listening'));
