/**
 * Lookups some writes need BEFORE the primary is written, because the write removes what they name:
 * a new password-reset token invalidates the user's previous one, and the shadow must lose it too.
 * Read from the source store, the one that is about to be written.
 */
import { tokenDigest } from '../../backends/postgres/mappers/tokens.js';
import type { SyncContext } from '../entities/types.js';
import type { TouchedKey } from './declare.js';
import type { StoreName } from './stages.js';

export interface Lookups {
  /** The user's current password-reset token(s) on `store`. */
  resetTokensOf(store: StoreName, userId: string): Promise<TouchedKey[]>;
}

export function createLookups(ctx: SyncContext): Lookups {
  return {
    async resetTokensOf(store, userId) {
      if (store === 'redis') {
        // The store's pointer to the user's latest token (legacy §2b #42).
        const token = await ctx.redis.get(ctx.keys.passwordResetUser(userId));
        return token
          ? [{ entity: 'password_reset_tokens', id: tokenDigest(String(token)), token: String(token) }]
          : [];
      }
      const rows = await ctx.pg.query<{ token_hash: string }>(
        'SELECT token_hash FROM password_reset_tokens WHERE user_id = $1',
        [userId],
      );
      return rows.map((r) => ({ entity: 'password_reset_tokens', id: r.token_hash }));
    },
  };
}
