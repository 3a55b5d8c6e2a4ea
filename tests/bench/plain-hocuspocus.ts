/**
 * Baseline for the benchmarks: a plain Hocuspocus 4 server without any of
 * Ratsdossier's extensions, on the same HTTP + crossws setup.
 * Usage: node --import tsx tests/bench/plain-hocuspocus.ts <port>
 */
import { createServer } from 'node:http';
import { Hocuspocus } from '@hocuspocus/server';
import { serveCollaboration } from '../../server/collab/websocket';

const port = Number(process.argv[2] ?? 0);
const hocuspocus = new Hocuspocus({ quiet: true });
const server = createServer((_req, res) => res.end('plain hocuspocus'));
serveCollaboration(server, hocuspocus, { path: '/collab', maxPayloadBytes: 4 * 1024 * 1024 });
server.listen(port, '127.0.0.1', () => console.log('listening'));
