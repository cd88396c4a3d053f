/**
 * The session engine shared by user and admin sessions (`sessions.ts` configures it): the session
 * value on its legacy key plus the per-user token index, both written by one Lua script.
 */
import type { RedisClient } from '../backends/redis/client.js';
import { defineScript, runScript } from './script.js';

/** How long a session lives. Legacy behaviour is fixed expiry (the TTL is set once at creation). */
export interface SessionExpiry {
  ttlSeconds: number;
  /** When true every successful `get` pushes the expiry `ttlSeconds` into the future again. */
  sliding: boolean;
}

export interface CreatedSession<S> {
  token: string;
  session: S;
  /** Epoch ms, by this process's clock. */
  expiresAt: number;
}

export interface RevokeAllResult {
  /** Sessions deleted (indexed and legacy). */
  revoked: number;
  /** Keys examined by the legacy SCAN fallback. */
  legacyScanned: number;
  /** False when the SCAN stopped at its bound before seeing every session key. */
  legacyScanComplete: boolean;
  /** Legacy admin sessions with the value `1` seen by the SCAN (owner unknown, left alone). */
  unattributable: number;
}

/** A session store over one key family. Tokens of the wrong format are rejected without a lookup. */
export interface SessionStore<S, Input> {
  /** Creates a session and records its token in the user's index, atomically. */
  create(input: Input): Promise<CreatedSession<S>>;
  /** The session, or null when absent, expired, malformed or the token has the wrong format. */
  get(token: string): Promise<S | null>;
  /** Deletes the session; true when it existed. */
  destroy(token: string): Promise<boolean>;
  /** Login rotation: destroys `previousToken` (if any) and creates a new session in one script. */
  rotate(previousToken: string | undefined, input: Input): Promise<CreatedSession<S>>;
  /** Deletes every session of a user (see the module comment for legacy sessions). */
  revokeAllForUser(userId: string, opts?: { legacyScanLimit?: number }): Promise<RevokeAllResult>;
}

/** Lua helper: extend KEYS[n]'s TTL to at least `ttl` ms, never shorten it. */
const EXTEND_LUA = `local function extend(key, ttl)
  local cur = redis.call('PTTL', key)
  if cur == -1 or (cur >= 0 and cur < ttl) then redis.call('PEXPIRE', key, ttl) end
end
`;

// KEYS: session, index. ARGV: value, ttl ms, token.
const CREATE = defineScript(
  'session-create',
  `${EXTEND_LUA}
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('SADD', KEYS[2], ARGV[3])
extend(KEYS[2], tonumber(ARGV[2]))
return 1`,
);

// KEYS: old session, old index, new session, new index. ARGV: old token, value, ttl ms, new token.
const ROTATE = defineScript(
  'session-rotate',
  `${EXTEND_LUA}
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[1])
redis.call('SET', KEYS[3], ARGV[2], 'PX', ARGV[3])
redis.call('SADD', KEYS[4], ARGV[4])
extend(KEYS[4], tonumber(ARGV[3]))
return 1`,
);

// KEYS: index. ARGV: ttl ms. Only extends an index that exists.
const EXTEND_INDEX = defineScript(
  'session-extend-index',
  `${EXTEND_LUA}
if redis.call('EXISTS', KEYS[1]) == 1 then extend(KEYS[1], tonumber(ARGV[1])) end
return 1`,
);

/** What differs between user and admin sessions. */
export interface SessionKind<S, Input> {
  sessionKey(token: string): string;
  indexKey(userId: string): string;
  scanPattern: string;
  isToken(token: string): boolean;
  newToken(): string;
  build(input: Input, createdAt: string): S;
  encode(session: S): string;
  decode(raw: string): S | null;
  /** The owning user, or null for sessions that name none (legacy admin marker). */
  ownerOf(session: S): string | null;
}

const DEFAULT_LEGACY_SCAN_LIMIT = 10_000;

export class RedisSessionStore<S, Input> implements SessionStore<S, Input> {
  constructor(
    private readonly client: RedisClient,
    private readonly kind: SessionKind<S, Input>,
    private readonly expiry: SessionExpiry,
  ) {}

  private get ttlMs(): number {
    // Fractional seconds are allowed so tests can use sub-second lifetimes.
    return Math.max(1, Math.round(this.expiry.ttlSeconds * 1000));
  }

  private fresh(input: Input): CreatedSession<S> {
    return {
      token: this.kind.newToken(),
      session: this.kind.build(input, new Date().toISOString()),
      expiresAt: Date.now() + this.ttlMs,
    };
  }

  async create(input: Input): Promise<CreatedSession<S>> {
    const c = this.fresh(input);
    const owner = this.kind.ownerOf(c.session) ?? '';
    await runScript(
      this.client,
      CREATE,
      [this.kind.sessionKey(c.token), this.kind.indexKey(owner)],
      [this.kind.encode(c.session), this.ttlMs, c.token],
    );
    return c;
  }

  async get(token: string): Promise<S | null> {
    if (!this.kind.isToken(token)) return null;
    const key = this.kind.sessionKey(token);
    const raw = this.expiry.sliding
      ? await this.client.getEx(key, { type: 'PX', value: this.ttlMs })
      : await this.client.get(key);
    if (raw === null) return null;
    const session = this.kind.decode(raw);
    const owner = session && this.kind.ownerOf(session);
    if (this.expiry.sliding && owner) {
      await runScript(this.client, EXTEND_INDEX, [this.kind.indexKey(owner)], [this.ttlMs]);
    }
    return session;
  }

  async destroy(token: string): Promise<boolean> {
    if (!this.kind.isToken(token)) return false;
    const key = this.kind.sessionKey(token);
    const raw = await this.client.get(key);
    if (raw === null) return false;
    const session = this.kind.decode(raw);
    const owner = session && this.kind.ownerOf(session);
    const tx = this.client.multi().del(key);
    if (owner) tx.sRem(this.kind.indexKey(owner), token);
    const [deleted] = await tx.exec();
    return Number(deleted) === 1;
  }

  async rotate(previousToken: string | undefined, input: Input): Promise<CreatedSession<S>> {
    if (previousToken === undefined || !this.kind.isToken(previousToken)) return this.create(input);
    const oldKey = this.kind.sessionKey(previousToken);
    const raw = await this.client.get(oldKey);
    const old = raw === null ? null : this.kind.decode(raw);
    const c = this.fresh(input);
    const newIndex = this.kind.indexKey(this.kind.ownerOf(c.session) ?? '');
    const oldOwner = old && this.kind.ownerOf(old);
    await runScript(
      this.client,
      ROTATE,
      [oldKey, oldOwner ? this.kind.indexKey(oldOwner) : newIndex, this.kind.sessionKey(c.token), newIndex],
      [previousToken, this.kind.encode(c.session), this.ttlMs, c.token],
    );
    return c;
  }

  async revokeAllForUser(userId: string, opts: { legacyScanLimit?: number } = {}): Promise<RevokeAllResult> {
    const index = this.kind.indexKey(userId);
    let revoked = 0;
    // Logins racing with the revoke add tokens; a few rounds drain them, bounded so a login storm
    // cannot keep this loop alive.
    for (let round = 0; round < 20; round++) {
      const tokens = await this.client.sMembers(index);
      if (tokens.length === 0) break;
      const [deleted] = await this.client
        .multi()
        .del(tokens.map((t) => this.kind.sessionKey(t)))
        .sRem(index, tokens)
        .exec();
      revoked += Number(deleted);
    }
    const legacy = await this.revokeLegacy(userId, opts.legacyScanLimit ?? DEFAULT_LEGACY_SCAN_LIMIT);
    return { ...legacy, revoked: revoked + legacy.revoked };
  }

  /** SCAN fallback for sessions the legacy app created (they are in no index). */
  private async revokeLegacy(userId: string, limit: number): Promise<RevokeAllResult> {
    const result: RevokeAllResult = {
      revoked: 0,
      legacyScanned: 0,
      legacyScanComplete: true,
      unattributable: 0,
    };
    if (limit <= 0) return { ...result, legacyScanComplete: false };
    for await (const keys of this.client.scanIterator({ MATCH: this.kind.scanPattern, COUNT: 500 })) {
      if (keys.length > 0) {
        const values = await this.client.mGet(keys);
        const mine: string[] = [];
        values.forEach((raw, i) => {
          const session = raw === null ? null : this.kind.decode(raw);
          if (!session) return;
          const owner = this.kind.ownerOf(session);
          if (owner === null) result.unattributable++;
          else if (owner === userId) mine.push(keys[i]!);
        });
        if (mine.length > 0) result.revoked += await this.client.del(mine);
        result.legacyScanned += keys.length;
      }
      if (result.legacyScanned >= limit) {
        result.legacyScanComplete = false;
        break;
      }
    }
    return result;
  }
}
