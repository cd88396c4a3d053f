/**
 * Lua scripts run with EVALSHA, falling back to EVAL when the server does not have the script cached
 * yet (after a restart or a SCRIPT FLUSH). The client is never configured with scripts (client.ts
 * stays generic), so every module defines its scripts here and runs them through `runScript`.
 */
import { createHash } from 'node:crypto';
import type { RedisClient } from '../backends/redis/client.js';
import { UnexpectedReplyError } from './errors.js';

export interface LuaScript {
  readonly name: string;
  readonly source: string;
  readonly sha1: string;
}

export function defineScript(name: string, source: string): LuaScript {
  return { name, source, sha1: createHash('sha1').update(source).digest('hex') };
}

export async function runScript(
  client: RedisClient,
  script: LuaScript,
  keys: string[],
  args: (string | number)[],
): Promise<unknown> {
  const options = { keys, arguments: args.map(String) };
  try {
    return await client.evalSha(script.sha1, options);
  } catch (err) {
    if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
    return await client.eval(script.source, options);
  }
}

/** Reads a Lua reply that must be an array; numbers come back as JS numbers, bulk strings as strings. */
export function replyArray(script: LuaScript, reply: unknown): unknown[] {
  if (!Array.isArray(reply)) throw new UnexpectedReplyError(script.name, reply);
  return reply;
}

export function replyNumber(script: LuaScript, reply: unknown): number {
  const n = typeof reply === 'string' ? Number(reply) : reply;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new UnexpectedReplyError(script.name, reply);
  return n;
}

export function replyString(script: LuaScript, reply: unknown): string {
  if (typeof reply !== 'string') throw new UnexpectedReplyError(script.name, reply);
  return reply;
}
