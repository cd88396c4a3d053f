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
  cleanup: {
    usage: [
      'usage: npm run jobs:cleanup -- [--batch-size <n>] [--dry-run]',
      '',
      'Deletes expired rows of password_reset_tokens, email_verification_tokens, invoice_access_tokens',
      'and webhook_events (done and expired) from DATABASE_URL, or from the embedded PGlite database',
      'when DATABASE_URL is unset. Safe to run while another run is in progress.',
      '',
      '  --batch-size <n>  rows per DELETE statement (default 1000)',
      '  --dry-run         count the expired rows, delete nothing',
      '',
      'exit codes: 0 done (also when nothing was expired), 2 error',
    ].join('\n'),
    badArgs: (detail: string) => `jobs:cleanup: ${detail}; run with --help for the options`,
    badBatchSize: (raw: string) => `--batch-size must be a positive integer, got "${raw}"`,
    missingTables: (target: string, tables: string[]) =>
      `database ${target} has no table ${tables.join(', ')}; run npm run db:migrate first`,
    header: (target: string, dryRun: boolean, batchSize: number) =>
      dryRun
        ? `dry run on ${target}: counting expired rows, nothing is deleted`
        : `cleaning ${target} in batches of ${batchSize}`,
    table: (rows: { table: string; removed: number; batches: number }[], dryRun: boolean) => {
      const head = ['table', dryRun ? 'expired' : 'removed', 'batches'];
      const body = rows.map((r) => [r.table, String(r.removed), String(r.batches)]);
      const width = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
      const line = (cells: string[]) =>
        cells.map((c, i) => (i === 0 ? c.padEnd(width[i]!) : c.padStart(width[i]!))).join('  ');
      return [line(head), ...body.map(line)].join('\n');
    },
    done: (total: number, dryRun: boolean) =>
      dryRun
        ? `${total} expired row(s) would be removed; run without --dry-run to delete them`
        : total === 0
          ? 'nothing was expired; nothing to do'
          : `removed ${total} expired row(s)`,
  },
};
