/**
 * A loopback TCP proxy for fault tests: put it between a client and a real Postgres or Redis port,
 * then `cut()` to make the server disappear (live connections are destroyed, new ones are refused
 * with a reset) and `restore()` to bring it back. Bytes are forwarded untouched.
 */
import net from 'node:net';

export interface TcpProxy {
  /** `127.0.0.1` */
  host: string;
  /** The proxy's own port: point the client here. */
  port: number;
  /** True between `cut()` and `restore()`. */
  readonly isCut: boolean;
  /** Connections accepted and forwarded since the proxy started. */
  readonly accepted: number;
  /** Destroys every live connection (both sides) and refuses new ones until `restore()`. */
  cut(): void;
  /** Accepts and forwards connections again. */
  restore(): void;
  close(): Promise<void>;
}

/** Starts a proxy on an ephemeral loopback port forwarding to `target` (default host 127.0.0.1). */
export async function startTcpProxy(target: { port: number; host?: string }): Promise<TcpProxy> {
  const targetHost = target.host ?? '127.0.0.1';
  const live = new Set<net.Socket>();
  let cut = false;
  let accepted = 0;

  const server = net.createServer((client) => {
    if (cut) {
      // A reset rather than an accept-then-hang: drivers see ECONNRESET at once, as with a dead server.
      client.resetAndDestroy();
      return;
    }
    accepted++;
    const upstream = net.connect({ host: targetHost, port: target.port });
    live.add(client);
    live.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      live.delete(client);
      live.delete(upstream);
    };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('tcp proxy did not get a port');

  return {
    host: '127.0.0.1',
    port: address.port,
    get isCut() {
      return cut;
    },
    get accepted() {
      return accepted;
    },
    cut() {
      cut = true;
      for (const socket of live) socket.resetAndDestroy();
      live.clear();
    },
    restore() {
      cut = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of live) socket.destroy();
        live.clear();
        server.close(() => resolve());
      }),
  };
}
