/**
 * A minimal WebSocket → TCP relay speaking the protocol of Neon's wsproxy (`/v1?address=host:port`),
 * so the `neon-ws` driver (@neondatabase/serverless Pool) can be tested against the local Postgres.
 * Loopback only; one TCP connection per WebSocket, bytes relayed unchanged.
 */
import net from 'node:net';
import { WebSocketServer } from 'ws';

export interface WsProxy {
  /** `host:port` to put in NEON_WS_PROXY. */
  address: string;
  close(): Promise<void>;
}

export async function startNeonWsProxy(): Promise<WsProxy> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  wss.on('connection', (ws, req) => {
    const target = new URL(req.url ?? '/', 'http://x').searchParams.get('address') ?? '';
    const [host, port] = target.split(':');
    if (!host || !port || !['127.0.0.1', 'localhost', '::1'].includes(host)) {
      ws.close(1008, 'only loopback targets');
      return;
    }
    const socket = net.connect(Number(port), host);
    socket.on('data', (chunk) => ws.send(chunk));
    socket.on('close', () => ws.close());
    socket.on('error', () => ws.close());
    ws.on('message', (data) => socket.write(data as Buffer));
    ws.on('close', () => socket.destroy());
  });
  const addr = wss.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}
