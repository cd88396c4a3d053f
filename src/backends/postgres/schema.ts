// Placeholder; the complete schema lands with the foundation issue.
import { pgTable, text } from 'drizzle-orm/pg-core';

export const placeholder = pgTable('placeholder', { id: text('id').primaryKey() });
