/**
 * A private `redis-server` for the demo: a child process on a free loopback port, nothing persisted
 * (`--save "" --appendonly no`), killed when the demo ends, also when it ends by an exception or a
 * signal (an `exit` hook kills it if `stop` was never reached).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { delimiter, join } from 'node:path';

/** A running private Redis. */
export interface RedisChild {
  url: string;
  port: number;
  pid: number;
  /** Stops the server (SIGTERM, then SIGKILL after 3 s); resolves once it has exited. */
  stop(): Promise<void>;
}

/** The `redis-server` binary on PATH, or null when there is none. */
export function findRedisServer(path: string = process.env.PATH ?? ''): string | null {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'redis-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return null;
}

/** A port the OS considers free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves when something answers TCP on the port, rejects after `timeoutMs`. */
async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
      socket.connect(port, '127.0.0.1');
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server did not start listening on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts a private redis-server; retries on another port if the chosen one was taken meanwhile. */
export async function startRedisChild(binary: string, attempts = 3): Promise<RedisChild> {
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = await freePort();
    const child = spawn(
      binary,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--protected-mode',
        'yes',
      ],
      // Its own process group: Ctrl-C in the terminal must reach the demo only, which then stops
      // the traffic and finishes its step while this server keeps answering.
      { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
    );
    // Whatever happens to the demo, the server must not outlive it.
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-2000);
    });
    const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
    spawnError.catch(() => undefined); // a late 'error' (after start) must not become an unhandled rejection
    try {
      await Promise.race([waitForPort(port, child, 10_000), spawnError]);
      let stopping: Promise<void> | undefined;
      return {
        url: `redis://127.0.0.1:${port}`,
        port,
        pid: child.pid ?? -1,
        stop() {
          stopping ??= (async () => {
            const done = exited(child);
            child.kill('SIGTERM');
            const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
            await done;
            clearTimeout(timer);
            process.removeListener('exit', killOnExit);
          })();
          return stopping;
        },
      };
    } catch (err) {
      lastError = new Error(
        `${err instanceof Error ? err.message : String(err)}${stderr ? `: ${stderr.trim()}` : ''}`,
      );
      child.kill('SIGKILL');
      await exited(child);
      process.removeListener('exit', killOnExit);
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

/** True while a process with this id exists (signal 0 checks without sending anything). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
