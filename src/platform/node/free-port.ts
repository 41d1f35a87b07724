/**
 * Free TCP ports on this machine, for servers started by tools, tests and the walkthroughs'
 * real cluster: ask the kernel for one (listen on port 0, close), and, for a broker, make
 * sure its neighbours are free too; and, once a server was started, whether its port
 * accepts connections yet.
 *
 * ```
 *   broker listenPort p   needs   p - 2 (VIP server)   p (main server)   p + 1 (HA)
 * ```
 *
 * There is a window between closing the probe and the real bind in which another process
 * may take the port; callers that lose it simply ask again.
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ.
 *
 * @article why-read "Running it"
 * @category Platform
 * @module
 */
import { connect, createServer } from 'node:net';

/** Whether `port` can be bound on every interface right now. */
export function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '0.0.0.0', port }, () => server.close(() => resolve(true)));
  });
}

/** Whether a server on 127.0.0.1:`port` accepts a connection right now (the probe connection is closed at once). */
export function acceptsConnection(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A port the system says is free (listen on 0, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: '0.0.0.0', port: 0 }, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A broker listen port whose VIP port (port - 2) and HA port (port + 1) are free too. */
export async function freeBrokerPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await freePort();
    if (port > 1026 && port < 65534 && (await canListen(port - 2)) && (await canListen(port + 1))) return port;
  }
  throw new Error('no free broker port found');
}
