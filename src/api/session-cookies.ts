/** Session cookies of the store API: HttpOnly, SameSite=Lax, lifetime = the session's TTL. */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { ApiError } from './errors.js';

export interface CookieSettings {
  secure: boolean;
  now: () => Date;
}

export function readSessionCookie(c: Context, name: string): string | undefined {
  return getCookie(c, name) || undefined;
}

export function writeSessionCookie(
  c: Context,
  name: string,
  token: string,
  expiresAt: number,
  settings: CookieSettings,
): void {
  setCookie(c, name, token, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure: settings.secure,
    maxAge: Math.max(1, Math.floor((expiresAt - settings.now().getTime()) / 1000)),
  });
}

export function clearSessionCookie(c: Context, name: string, secure: boolean): void {
  deleteCookie(c, name, { path: '/', secure });
}

export const notLoggedIn = () => new ApiError(401, 'UNAUTHENTICATED', 'log in first');
