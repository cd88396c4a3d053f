/** Customer accounts (`user:{id}`, legacy-redis-format.md §4.1). */
import { boolean, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { legacyColumns, syncColumns, timestampColumns } from './columns.js';

export const users = pgTable(
  'users',
  {
    /** UUID v4 in practice; `text` because ids are strings, never parsed (decisions.md §5). */
    id: text('id').primaryKey(),
    /** Normalised (lower-case, trimmed) by every legacy writer; the login lookup key. */
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    /** Denormalised balance. No CHECK >= 0: refund deductions drive real balances negative (§4.1, §8.5). */
    points: integer('points').notNull().default(0),
    emailVerified: boolean('email_verified').notNull().default(false),
    ...timestampColumns(),
    ...legacyColumns(),
    ...syncColumns(),
  },
  (t) => [
    uniqueIndex('users_email_unique').on(t.email),
    index('users_created_at_idx').on(t.createdAt.desc()),
  ],
);

export type UserRow = typeof users.$inferSelect;
export type NewUserRow = typeof users.$inferInsert;
