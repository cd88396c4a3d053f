/** `users` rows ⇄ {@link User} (legacy-redis-format.md §4.1). Every field is required, so no `null`s. */
import { canonicalHash } from '../../../domain/canonical.js';
import type { User } from '../../../domain/user.js';
import type { NewUserRow, UserRow } from '../schema/users.js';
import { extraColumn, RecordBuilder, toDate, toIso } from './common.js';

/** The `users` insert row; `sync_written_at` is left to the caller. */
export function toUserRow(record: User): NewUserRow {
  return {
    id: record.id,
    email: record.email,
    passwordHash: record.passwordHash,
    firstName: record.firstName,
    lastName: record.lastName,
    points: record.points,
    emailVerified: record.emailVerified,
    createdAt: toDate(record.createdAt),
    updatedAt: toDate(record.updatedAt),
    extra: extraColumn(record.extra),
    legacyNulls: [],
    syncHash: canonicalHash(record),
  };
}

/** The user exactly as the codec decodes its legacy JSON. */
export function fromUserRow(row: UserRow): User {
  return new RecordBuilder(row.legacyNulls)
    .req('id', row.id)
    .req('email', row.email)
    .req('passwordHash', row.passwordHash)
    .req('firstName', row.firstName)
    .req('lastName', row.lastName)
    .req('points', row.points)
    .req('emailVerified', row.emailVerified)
    .req('createdAt', toIso(row.createdAt))
    .req('updatedAt', toIso(row.updatedAt))
    .extra(row.extra)
    .build<User>();
}
