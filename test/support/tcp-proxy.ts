/**
 * A loopback TCP proxy for fault tests: put it between a client and a real Postgres or Redis port,
 * then make the server unreachable and `restore()` it. Bytes are forwarded untouched.
 * - `cut()`: the server is down. Live connections are reset and the port stops listening, so new
 *   connections are refused (ECONNREFUSED).
 * - `partition()`: the network drops everything. Connections stay open but no byte gets through, and
 *   new connections are accepted and held; on `restore()` the traffic flows again.
 */
import net from 'node:net';

export interface TcpProxy {
  /** `127.0.0.1` */
  host: string;
  /** The proxy's own port: point the client here. It stays the same across cut/restore. */
  port: number;
  /** True between `cut()` and `restore()`. */
  readonly isCut: boolean;
  /** Connections accepted and forwarded since the proxy started. */
  readonly accepted: number;
  /** Resets every live connection (both sides) and stops listening until `restore()`. */
  cut(): void;
  /** Stops forwarding on every connection, old and new, without closing any, until `restore()`. */
  partition(): void;
  /** Listens and forwards again (resolves once the port accepts connections). */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a proxy on an ephemeral loopback port forwarding to `target` (default host 127.0.0.1). */
export async function startTcpProxy(target: { port: number; host?: string }): Promise<TcpProxy> {
  const targetHost = target.host ?? '127.0.0.1';
  const live = new Set<net.Socket>();
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket | null }>();
  let cut = false;
  let partitioned = false;
  let accepted = 0;

  const forward = (pair: { client: net.Socket; upstream: net.Socket | null }) => {
    const { client } = pair;
    const upstream = net.connect({ host: targetHost, port: target.port });
    pair.upstream = upstream;
    live.add(upstream);
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  };

  const server = net.createServer((client) => {
    if (cut) {
      client.resetAndDestroy();
      return;
    }
    accepted++;
    const pair = { client, upstream: null as net.Socket | null };
    pairs.add(pair);
    live.add(client);
    const drop = () => {
      client.destroy();
      pair.upstream?.destroy();
      live.delete(client);
      if (pair.upstream) live.delete(pair.upstream);
      pairs.delete(pair);
    };
    client.on('error', drop);
    client.on('close', drop);
    if (partitioned) client.pause();
    else forward(pair);
  });

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });

  await listen(0);
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('tcp proxy did not get a port');
  const port = address.port;

  return {
    host: '127.0.0.1',
    port,
    get isCut() {
      return cut;
    },
    get accepted() {
      return accepted;
    },
    cut() {
      if (cut) return;
      cut = true;
      server.close();
      for (const socket of live) socket.resetAndDestroy();
      live.clear();
    },
    partition() {
      partitioned = true;
      for (const { client, upstream } of pairs) {
        client.unpipe();
        upstream?.unpipe();
        client.pause();
        upstream?.pause();
      }
    },
    async restore() {
      if (partitioned) {
        partitioned = false;
        for (const pair of pairs) {
          if (!pair.upstream) forward(pair);
          else {
            pair.client.pipe(pair.upstream);
            pair.upstream.pipe(pair.client);
          }
          pair.client.resume();
          pair.upstream?.resume();
        }
      }
      if (!cut) return;
      cut = false;
      await listen(port);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of live) socket.destroy();
        live.clear();
        if (!server.listening) resolve();
        else server.close(() => resolve());
      }),
  };
}
