/** Small request helpers shared by the API routes: JSON bodies checked with zod, the client subject. */
import type { Context } from 'hono';
import type { z } from 'zod';
import { ipSubject, resolveClientIp } from '../ephemeral/client-ip.js';
import { ApiError } from './errors.js';

/** Parses the JSON body against `schema`; a 400 names the first offending field. */
export async function readBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw new ApiError(400, 'BAD_REQUEST', 'the request body must be JSON');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'body';
    throw new ApiError(400, 'VALIDATION', `${field}: ${issue?.message ?? 'is invalid'}`);
  }
  return parsed.data;
}

/** The socket address when served by @hono/node-server; undefined under `app.request()`. */
function remoteAddress(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress;
}

/** The caller's address in canonical form (see client-ip.ts), or null when unknown. */
export function clientIp(c: Context, trustedProxies: number): string | null {
  return resolveClientIp(
    {
      forwardedFor: c.req.header('x-forwarded-for') ?? null,
      realIp: c.req.header('x-real-ip') ?? null,
      remoteAddress: remoteAddress(c) ?? null,
    },
    trustedProxies,
  );
}

/** Rate-limit subject of the caller (hashed by the limiter before it enters a key). */
export function clientSubject(c: Context, trustedProxies: number): string {
  return ipSubject(clientIp(c, trustedProxies));
}

/** 429 with `Retry-After` in whole seconds. */
export function tooManyAttempts(retryAfterMs: number): ApiError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new ApiError(429, 'RATE_LIMITED', `too many attempts; try again in ${seconds} s`, {
    'Retry-After': String(seconds),
  });
}
