/**
 * Every user-facing CLI message, in one catalogue. Messages name the thing, state the problem and
 * give the next step. Nothing here may print a connection string that was not redacted first.
 */
export const messages = {
  fatal: (detail: string) => `error: ${detail}`,
  migrate: {
    done: (target: string, applied: string[], total: number) =>
      applied.length === 0
        ? `database ${target} is up to date (${total} migrations already applied); nothing to do`
        : `database ${target}: applied ${applied.length} migration(s): ${applied.join(', ')} (${total} in total)`,
    tables: (names: string[]) => `tables (${names.length}): ${names.join(', ')}`,
  },
};
