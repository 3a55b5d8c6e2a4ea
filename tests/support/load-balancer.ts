/**
 * Test support: what a load balancer in front of several server processes
 * does when one of them fails — a TCP listener that forwards every new
 * connection to the current back end, and is pointed at another one after the
 * first has died. Connections already open end with their back end's.
 */
import { connect, createServer, type Socket } from 'node:net';

export interface LoadBalancer {
  /** The address clients use, e.g. `ws://127.0.0.1:<port>/collab`. */
  readonly port: number;
  /** Sends new connections to this back-end port from now on. */
  pointTo(port: number): void;
  close(): Promise<void>;
}

export async function startLoadBalancer(backendPort: number): Promise<LoadBalancer> {
  let target = backendPort;
  const open = new Set<Socket>();
  const server = createServer((client) => {
    const backend = connect(target, '127.0.0.1');
    for (const socket of [client, backend]) {
      open.add(socket);
      socket.setNoDelay(true);
      socket.on('close', () => open.delete(socket));
      // either side failing or ending ends the pair, as a TCP proxy does
      socket.on('error', () => undefined);
    }
    client.pipe(backend);
    backend.pipe(client);
    const end = () => {
      client.destroy();
      backend.destroy();
    };
    client.on('close', end);
    backend.on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    pointTo(next) {
      target = next;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
