/**
 * Atomic multi-key writes over the legacy layout, without changing its bytes.
 *
 * The store did read-modify-write of whole JSON documents with no locking (legacy §7.3, §7.4). We
 * keep the same documents but make each change a compare-and-set: read the records, compute the new
 * JSON in TypeScript with the legacy encoders (so field order, number formatting and escaping stay
 * exactly the store's), then one Lua script checks that every guarded key still holds the value that
 * was read and applies all writes (records and index sets/lists) at once. If a guard fails, nothing is
 * written and the caller re-reads and retries. Decoding and re-encoding JSON inside Lua (cjson) is
 * avoided on purpose: it would turn `[]` into `{}` and escape `/`.
 */
import { DomainError } from '../../domain/errors.js';
import type { RedisClient } from './client.js';

/** A key that must hold exactly `expected` (`null` = must not exist) for the writes to apply. */
export interface Guard {
  key: string;
  expected: string | null;
}

export type WriteOp =
  | { op: 'set'; key: string; value: string; ttlSeconds?: number }
  | { op: 'del'; key: string }
  | { op: 'sadd'; key: string; member: string }
  | { op: 'srem'; key: string; member: string }
  | { op: 'lpush'; key: string; member: string }
  | { op: 'lrem'; key: string; member: string }
  | { op: 'ltrim'; key: string; start: number; stop: number };

const ABSENT = '\u0000absent';

// KEYS: guard keys first, then the keys of the writes. ARGV[1] = number of guards, then one expected
// value per guard, then the ops, each as: name, key index, args...
const SCRIPT = `
local ng = tonumber(ARGV[1])
for i = 1, ng do
  local cur = redis.call('GET', KEYS[i])
  local exp = ARGV[1 + i]
  if exp == '${ABSENT}' then
    if cur then return i end
  elseif cur ~= exp then
    return i
  end
end
local a = ng + 2
while a <= #ARGV do
  local op = ARGV[a]
  local k = KEYS[tonumber(ARGV[a + 1])]
  if op == 'set' then
    redis.call('SET', k, ARGV[a + 2]); a = a + 3
  elseif op == 'setex' then
    redis.call('SET', k, ARGV[a + 2], 'EX', ARGV[a + 3]); a = a + 4
  elseif op == 'del' then
    redis.call('DEL', k); a = a + 2
  elseif op == 'sadd' then
    redis.call('SADD', k, ARGV[a + 2]); a = a + 3
  elseif op == 'srem' then
    redis.call('SREM', k, ARGV[a + 2]); a = a + 3
  elseif op == 'lpush' then
    redis.call('LPUSH', k, ARGV[a + 2]); a = a + 3
  elseif op == 'lrem' then
    redis.call('LREM', k, 0, ARGV[a + 2]); a = a + 3
  elseif op == 'ltrim' then
    redis.call('LTRIM', k, ARGV[a + 2], ARGV[a + 3]); a = a + 4
  else
    return redis.error_reply('unknown op ' .. tostring(op))
  end
end
return 0
`;

export interface CasResult {
  ok: boolean;
  /** The guard key whose value had changed, when `ok` is false. */
  conflictKey?: string;
}

/** Applies `writes` atomically if every guard still holds its expected value. */
export async function casWrite(client: RedisClient, guards: Guard[], writes: WriteOp[]): Promise<CasResult> {
  const keys: string[] = guards.map((g) => g.key);
  const argv: string[] = [String(guards.length), ...guards.map((g) => g.expected ?? ABSENT)];
  const indexOf = new Map<string, number>();
  const keyIndex = (key: string): string => {
    let i = indexOf.get(key);
    if (i === undefined) {
      keys.push(key);
      i = keys.length;
      indexOf.set(key, i);
    }
    return String(i);
  };
  for (const w of writes) {
    switch (w.op) {
      case 'set':
        if (w.ttlSeconds !== undefined) argv.push('setex', keyIndex(w.key), w.value, String(w.ttlSeconds));
        else argv.push('set', keyIndex(w.key), w.value);
        break;
      case 'ltrim':
        argv.push('ltrim', keyIndex(w.key), String(w.start), String(w.stop));
        break;
      case 'del':
        argv.push('del', keyIndex(w.key));
        break;
      default:
        argv.push(w.op, keyIndex(w.key), w.member);
    }
  }
  const failed = Number(await client.eval(SCRIPT, { keys, arguments: argv }));
  return failed === 0 ? { ok: true } : { ok: false, conflictKey: guards[failed - 1]?.key };
}

/** What one attempt of `casLoop` decided: finished, a CAS to try, or re-run on fresh reads. */
export type CasStep<T> = { done: T } | { guards: Guard[]; writes: WriteOp[]; result: T } | { retry: true };

export class CasContentionError extends Error {
  constructor(what: string, attempts: number) {
    super(`${what}: gave up after ${attempts} conflicting concurrent updates`);
    this.name = 'CasContentionError';
  }
}

/**
 * Runs `attempt` until it commits. `attempt` reads what it needs, decides, and returns either a
 * final value (`{ done: value }`), a CAS to try (`{ guards, writes, result }`) or `{ retry: true }`
 * (its reads went stale). Throwing from
 * `attempt` (a domain error such as insufficient stock) ends the loop with nothing written.
 * Backoff is short and jittered: contention on one hot key is expected (200 parallel checkouts).
 */
export async function casLoop<T>(
  client: RedisClient,
  what: string,
  attempt: () => Promise<CasStep<T>>,
  opts: { deadlineMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (opts.deadlineMs ?? 20_000);
  for (let n = 1; ; n++) {
    const step = await attempt();
    if ('done' in step) return step.done;
    if (!('retry' in step) && (await casWrite(client, step.guards, step.writes)).ok) return step.result;
    if (Date.now() > deadline) throw new CasContentionError(what, n);
    const cap = Math.min(50, 2 ** Math.min(n, 6));
    await new Promise((res) => setTimeout(res, Math.random() * cap));
  }
}

/**
 * A unit of work over the legacy keys: reads are remembered as guards, writes are queued, and
 * `commit` applies them with one `casWrite`. Several domain steps (stock, points, promotion, order)
 * can share one unit so a checkout commits all-or-nothing; a later `get` of a key already written in
 * the unit returns the pending value, so two steps touching one product compose.
 */
export class RedisUnitOfWork {
  private readonly guards = new Map<string, string | null>();
  private readonly pending = new Map<string, string | null>();
  private readonly writes: WriteOp[] = [];

  constructor(readonly client: RedisClient) {}

  /** Current value of a string key as this unit sees it. */
  async get(key: string): Promise<string | null> {
    if (this.pending.has(key)) return this.pending.get(key) ?? null;
    if (this.guards.has(key)) return this.guards.get(key) ?? null;
    const value = await this.client.get(key);
    this.guards.set(key, value);
    return value;
  }

  /** Reads several string keys in one round trip (MGET), guarding each. */
  async getMany(keys: string[]): Promise<(string | null)[]> {
    const missing = keys.filter((k) => !this.pending.has(k) && !this.guards.has(k));
    if (missing.length > 0) {
      const values = await this.client.mGet(missing);
      for (const [i, k] of missing.entries()) this.guards.set(k, values[i] ?? null);
    }
    return keys.map((k) =>
      this.pending.has(k) ? (this.pending.get(k) ?? null) : (this.guards.get(k) ?? null),
    );
  }

  set(key: string, value: string, ttlSeconds?: number): void {
    this.pending.set(key, value);
    this.writes.push(
      ttlSeconds === undefined ? { op: 'set', key, value } : { op: 'set', key, value, ttlSeconds },
    );
  }

  del(key: string): void {
    this.pending.set(key, null);
    this.writes.push({ op: 'del', key });
  }

  /** Queues a set/list write (SADD, SREM, LPUSH, LREM count 0, LTRIM). */
  push(op: Exclude<WriteOp, { op: 'set' } | { op: 'del' }>): void {
    this.writes.push(op);
  }

  get hasWrites(): boolean {
    return this.writes.length > 0;
  }

  /** The guards and writes this unit would commit. */
  plan(): { guards: Guard[]; writes: WriteOp[] } {
    return {
      guards: [...this.guards].map(([key, expected]) => ({ key, expected })),
      writes: [...this.writes],
    };
  }

  commit(): Promise<CasResult> {
    const { guards, writes } = this.plan();
    return casWrite(this.client, guards, writes);
  }
}

/**
 * Runs `work` in a fresh unit of work until its commit succeeds (re-running it on conflicts).
 * Returns what `work` returned. A domain error thrown by `work` aborts with nothing written, but
 * only after the unit's reads are confirmed current: the reads are separate GETs, not a snapshot, so
 * a unit can see "no order with this id" before a concurrent checkout commits and "no stock left"
 * after it. Before such an error leaves, the guards are checked (a CAS with no writes); if any read
 * is stale the unit runs again on fresh values, so an error always rests on one consistent state.
 */
export function runUnitOfWork<T>(
  client: RedisClient,
  what: string,
  work: (uow: RedisUnitOfWork) => Promise<T>,
  opts: { deadlineMs?: number } = {},
): Promise<T> {
  return casLoop<T>(
    client,
    what,
    async (): Promise<CasStep<T>> => {
      const uow = new RedisUnitOfWork(client);
      let result: T;
      try {
        result = await work(uow);
      } catch (err) {
        if (err instanceof DomainError && !(await casWrite(client, uow.plan().guards, [])).ok)
          return { retry: true };
        throw err;
      }
      if (!uow.hasWrites) return { done: result };
      return { ...uow.plan(), result };
    },
    opts,
  );
}
