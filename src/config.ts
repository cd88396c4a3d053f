/**
 * Process configuration, read once from the environment. Every other module receives these values;
 * none of them reads `process.env` itself, so tests can build a config by hand.
 */
export interface AppConfig {
  /** Postgres connection string; `undefined` selects the embedded PGlite database under `dataDir`. */
  databaseUrl: string | undefined;
  /** Redis connection string (`redis://` or `rediss://`). */
  redisUrl: string;
  /** Base prefix put in front of every legacy key (empty in production: the store uses none). */
  keyPrefix: string;
  /** Directory of the embedded PGlite database. */
  dataDir: string;
}

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const DEFAULT_DATA_DIR = '.data/pglite';

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  return {
    databaseUrl,
    redisUrl: env.REDIS_URL?.trim() || DEFAULT_REDIS_URL,
    keyPrefix: env.KEY_PREFIX ?? '',
    dataDir: env.PGLITE_DIR?.trim() || DEFAULT_DATA_DIR,
  };
}

/**
 * Hides the password (and any token-like user info) of a connection string so it can be logged.
 * `postgres://user:password@h/db` → `postgres://user:***@h/db`. Strings that are not URLs pass through with
 * anything between `//` and `@` masked, so a malformed URL cannot leak either.
 */
export function redactUrl(url: string | undefined): string {
  if (!url) return '(embedded)';
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    for (const key of [...u.searchParams.keys()]) {
      if (/pass|token|secret|key/i.test(key)) u.searchParams.set(key, '***');
    }
    return u.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

/** Replaces every connection string found in free text (error messages) with its redacted form. */
export function redactText(text: string): string {
  return text.replace(/\b(postgres(?:ql)?|rediss?):\/\/[^\s'"]+/gi, (m) => redactUrl(m));
}
