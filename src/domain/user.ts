import type { Extra, IsoTimestamp } from './common.js';

/** A customer account, `user:{userId}` (legacy-redis-format.md §4.1). All nine fields are always present. */
export interface User {
  /** UUID v4; equals the key suffix. */
  id: string;
  /** Normalised: lower-case and trimmed. */
  email: string;
  /** bcrypt hash (`$2b$…`, older `$2a$…`), 60 characters. */
  passwordHash: string;
  firstName: string;
  lastName: string;
  /** Denormalised balance; can be negative and can disagree with the ledger (§8.5). */
  points: number;
  emailVerified: boolean;
  createdAt: IsoTimestamp;
  updatedAt: IsoTimestamp;
  extra?: Extra;
}

/** Value of `user:email:{email}`: the user id, a plain (unquoted) string. */
export type UserEmailPointer = string;

/** What `UserRepository.create` needs; the repository adds id, points 0, emailVerified false and timestamps. */
export interface NewUser {
  /** Normalised (lower-case, trimmed) and validated with the register route's rules (§3). */
  email: string;
  /** A bcrypt hash; the repository never sees a password. */
  passwordHash: string;
  firstName: string;
  lastName: string;
}

/** Fields `updateProfile` may change; omitted fields keep their value. */
export interface UserProfilePatch {
  firstName?: string;
  lastName?: string;
}

/** One page of `UserRepository.list`. */
export interface UserPage {
  users: User[];
  /** Pass as `cursor` to get the next page; `null` when this page is the last. */
  nextCursor: string | null;
}

/**
 * Customer accounts. Every method validates its input before touching the store and throws
 * `ValidationError` (naming the field) for bad input; not-found is `null`/`false`; an update of a
 * user that does not exist throws `NotFoundError`. Writes set `updatedAt` to the clock's now.
 */
export interface UserRepository {
  /**
   * Creates an account with a new UUID, 0 points, `emailVerified: false`, `createdAt = updatedAt = now`.
   * Throws `ValidationError` for a malformed e-mail, a non-bcrypt hash or an empty/oversized name, and
   * `ConflictError` when an existing user has the (normalised) e-mail. The record, the e-mail pointer
   * and the index entry are written together or not at all.
   */
  create(input: NewUser): Promise<User>;
  /** The user, or `null`. */
  getById(id: string): Promise<User | null>;
  /** Looks the e-mail up after normalising it (lower-case, trim); `null` when no user has it. */
  getByEmail(email: string): Promise<User | null>;
  /** Changes first and/or last name. `NotFoundError` when the user does not exist. */
  updateProfile(id: string, patch: UserProfilePatch): Promise<User>;
  /** Replaces the bcrypt hash (password change or reset). `NotFoundError` when the user does not exist. */
  updatePasswordHash(id: string, passwordHash: string): Promise<User>;
  /** Sets `emailVerified: true` (idempotent; `updatedAt` moves each time, as in the store). `NotFoundError` when absent. */
  verifyEmail(id: string): Promise<User>;
  /**
   * Deletes the account, its e-mail lookup and its index entry (legacy §7.8). Orders, the points ledger,
   * sessions and refunds are kept and keep the now-dangling `userId`. Returns `false` when there was no
   * such user.
   */
  delete(id: string): Promise<boolean>;
  /**
   * Every user, ordered by `id` ascending (code-unit order, the same on both backends), `limit` per page
   * (1–1000, default 100). `cursor` is the `nextCursor` of the previous page: the next page starts after
   * that id, so pages stay stable while users are added or deleted.
   */
  list(opts?: { limit?: number; cursor?: string }): Promise<UserPage>;
}
