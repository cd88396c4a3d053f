/**
 * Counts what one operation sends to its store, to explain a latency ratio: round trips (each costs
 * the network latency once) and the statements or commands themselves.
 * - Redis: node-redis publishes every command and every MULTI/pipeline on diagnostics_channel; a
 *   command outside a batch is one round trip, a batch is one.
 * - postgres.js: the `debug` hook sees every statement; round trips are the client's socket writes to
 *   the server (postgres.js flushes once per exchange, and a statement it must describe before it can
 *   bind its parameters costs two).
 */
import dc from 'node:diagnostics_channel';
import net from 'node:net';
import type { Sql } from 'postgres';

/** What one operation sent. */
export interface Trips {
  roundTrips: number;
  /** Commands (Redis, `MULTI[n]` for a transaction of n commands) or SQL statements, in order. */
  statements: string[];
}

interface CommandContext {
  command?: string;
  batchMode?: string;
  batchSize?: number;
}

/** Runs `op` and counts the Redis commands and round trips it made (every client of this process). */
export async function countRedisTrips(op: () => Promise<unknown>): Promise<Trips> {
  const trips: Trips = { roundTrips: 0, statements: [] };
  const onCommand = (message: unknown) => {
    const ctx = message as CommandContext;
    if (ctx.batchMode) return; // counted with its batch
    trips.roundTrips++;
    trips.statements.push(ctx.command ?? '?');
  };
  const onBatch = (message: unknown) => {
    const ctx = message as CommandContext;
    trips.roundTrips++;
    trips.statements.push(`${ctx.batchMode}[${ctx.batchSize}]`);
  };
  // A TracingChannel named n publishes its start events on the plain channel `tracing:n:start`.
  dc.subscribe('tracing:node-redis:command:start', onCommand);
  dc.subscribe('tracing:node-redis:batch:start', onBatch);
  try {
    await op();
  } finally {
    dc.unsubscribe('tracing:node-redis:command:start', onCommand);
    dc.unsubscribe('tracing:node-redis:batch:start', onBatch);
  }
  return trips;
}

/**
 * Runs `op` and counts the statements `sql` sent and the socket writes to `port` (round trips).
 * Patches `net.Socket#write` for the duration of `op` only.
 */
export async function countPostgresTrips(sql: Sql, port: number, op: () => Promise<unknown>): Promise<Trips> {
  const trips: Trips = { roundTrips: 0, statements: [] };
  const options = sql.options as { debug: unknown };
  const debugBefore = options.debug;
  const write = net.Socket.prototype.write;
  options.debug = (_connection: number, text: string) => {
    trips.statements.push(text.replace(/\s+/g, ' ').trim());
  };
  net.Socket.prototype.write = function (this: net.Socket, ...args: Parameters<net.Socket['write']>) {
    if (this.remotePort === port) trips.roundTrips++;
    return write.apply(this, args);
  } as net.Socket['write'];
  try {
    await op();
  } finally {
    net.Socket.prototype.write = write;
    options.debug = debugBefore;
  }
  return trips;
}
