/**
 * Every user-facing CLI message, in one catalogue. Messages name the thing, state the problem and
 * give the next step. Nothing here may print a connection string that was not redacted first.
 */
/** `{command}: {detail}; run with --help …`: a bad argument, as every command reports it. */
const badArgs = (command: string) => (detail: string) =>
  `${command}: ${detail}; run with --help for the options`;

const missingTables = (target: string, tables: string[]) =>
  `database ${target} has no table ${tables.join(', ')}; run npm run db:migrate first`;

const reportWritten = (file: string) => `report written to ${file}`;

/** A plain text table: first column left-aligned, the others right-aligned. */
function table(head: readonly string[], body: readonly (readonly string[])[]): string {
  const width = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(width[i] ?? 0) : c.padStart(width[i] ?? 0))).join('  ');
  return [line(head), ...body.map(line)].join('\n');
}

export const messages = {
  fatal: (detail: string) => `error: ${detail}`,
  missingTables,
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
    badArgs: badArgs('jobs:cleanup'),
    badBatchSize: (raw: string) => `--batch-size must be a positive integer, got "${raw}"`,
    missingTables,
    header: (target: string, dryRun: boolean, batchSize: number) =>
      dryRun
        ? `dry run on ${target}: counting expired rows, nothing is deleted`
        : `cleaning ${target} in batches of ${batchSize}`,
    table: (rows: { table: string; removed: number; batches: number }[], dryRun: boolean) =>
      table(
        ['table', dryRun ? 'expired' : 'removed', 'batches'],
        rows.map((r) => [r.table, String(r.removed), String(r.batches)]),
      ),
    done: (total: number, dryRun: boolean) =>
      dryRun
        ? `${total} expired row(s) would be removed; run without --dry-run to delete them`
        : total === 0
          ? 'nothing was expired; nothing to do'
          : `removed ${total} expired row(s)`,
  },
  verify: {
    usage: [
      'usage: npm run migrate:verify -- [--report <file>] [--sample <n>] [--only <entities>] [--batch-size <n>]',
      '                                 [--recheck-delay <ms>]',
      '',
      'Compares every migrated record between Redis (REDIS_URL, KEY_PREFIX) and Postgres (DATABASE_URL, or',
      'the embedded PGlite database when unset) on its canonical form, and stores the result in Postgres',
      '(migration_verify_*) for migrate:repair, the router and the dashboard. Changes no record.',
      '',
      '  --only <list>        comma-separated entities (orders, users, …) or domains (tokens, catalogue, …)',
      '  --sample <n>         mismatches shown with their field diffs per entity (default 5)',
      '  --report <file>      also write the whole report as JSON',
      '  --batch-size <n>     ids per batch (default 500)',
      '  --recheck-delay <ms> wait before re-checking a mismatch, in case it was being written (default 250)',
      '',
      'exit codes: 0 Redis and Postgres agree, 1 at least one mismatch, 2 error',
    ].join('\n'),
    badArgs: badArgs('migrate:verify'),
    badNumber: (flag: string, raw: string) => `${flag} must be a non-negative integer, got "${raw}"`,
    start: (redis: string, prefix: string, pg: string, entities: number) =>
      `verifying ${entities} entit${entities === 1 ? 'y' : 'ies'}: Redis ${redis} (prefix "${prefix}") against Postgres ${pg}`,
    progress: (entity: string, phase: string, done: number) => `  ${entity}: ${phase} pass, ${done} ids`,
    header: [
      'entity',
      'redis',
      'postgres',
      'equal',
      'different',
      'missing in pg',
      'missing in redis',
      'undecodable',
      'unlinked refs',
      'quarantined',
      'skipped',
      'status',
    ],
    clean: 'clean',
    notClean: 'MISMATCH',
    samplesTitle: (entity: string, shown: number, total: number) =>
      `${entity}: ${total} mismatch(es)${shown < total ? `, first ${shown}` : ''}:`,
    sample: (id: string, kind: string, detail: string | undefined) =>
      `  ${id}: ${kind.replaceAll('_', ' ')}${detail ? ` (${detail})` : ''}`,
    fieldDiff: (path: string, redis: string, postgres: string) =>
      `    ${path}: redis ${redis}, postgres ${postgres}`,
    childRows: (entity: string, redis: number, postgres: number) =>
      `${entity}: child rows redis ${redis}, postgres ${postgres}${redis === postgres ? '' : ' (differ)'}`,
    skipped: (entity: string, reason: string, n: number) => `${entity}: ${n} skipped: ${reason}`,
    dangling: (relation: string, n: number, sample: string[]) =>
      `dangling (kept, as legacy does): ${relation}: ${n} row(s), e.g. ${sample.join(', ')}`,
    unlinked: (relation: string, n: number) =>
      `NOT LINKED: ${relation}: ${n} row(s) whose reference column is empty although the row exists`,
    orphans: (relation: string, n: number) => `ORPHAN child rows: ${relation}: ${n}`,
    stock: (n: number, sample: { slug: string; variantId?: string; redis: unknown; postgres: unknown }[]) =>
      n === 0
        ? 'stock: no drift'
        : [
            `stock drift: ${n} value(s) differ`,
            ...sample.map(
              (s) =>
                `  ${s.slug}${s.variantId ? ` [${s.variantId}]` : ' (base)'}: redis ${String(s.redis)}, postgres ${String(s.postgres)}`,
            ),
          ].join('\n'),
    balances: (n: number, sample: { userId: string; redis: number; postgres: number }[]) =>
      n === 0
        ? 'points: balances agree'
        : [
            `points: ${n} balance(s) differ`,
            ...sample.map((s) => `  ${s.userId}: redis ${s.redis}, postgres ${s.postgres}`),
          ].join('\n'),
    ledger: (l: {
      redis: number;
      postgres: number;
      recordedByBackfill: number | undefined;
      notRecorded: unknown[];
      noLongerPresent: unknown[];
      sidesDisagree: unknown[];
    }) =>
      `points ledger: ${l.redis} balance(s) ≠ Σ ledger in Redis, ${l.postgres} in Postgres; ` +
      (l.recordedByBackfill === undefined
        ? 'no backfill record to compare with'
        : `backfill recorded ${l.recordedByBackfill}, ${l.notRecorded.length} new or changed since, ${l.noLongerPresent.length} no longer present`) +
      (l.sidesDisagree.length > 0 ? `; ${l.sidesDisagree.length} user(s) differ between the stores` : ''),
    missingTables,
    reportWritten,
    stored: (runId: number) => `result stored as verify run #${runId}`,
    done: (clean: boolean, records: number, mismatches: number, entities: string[]) =>
      clean
        ? `Redis and Postgres agree: ${records} record(s) compared; nothing to repair`
        : `${mismatches} mismatch(es) in ${entities.join(', ')}; run npm run migrate:repair to re-copy them from the source of truth, then verify again`,
    /** Also used by migrate:repair. */
    table,
  },
  repair: {
    usage: [
      'usage: npm run migrate:repair -- [--from redis|postgres] [--only <entities>] [--dry-run] [--report <file>]',
      '',
      'Re-copies exactly the records the latest migrate:verify found different or missing, from the source',
      'of truth (default redis) to the other store, then compares them again. A record missing on the source',
      'is deleted from the target. Running it again only retries what is not fixed yet.',
      '',
      '  --from <side>    redis (default) or postgres: the store whose records are kept',
      '  --only <list>    comma-separated entities or domains',
      '  --dry-run        say what would be copied or deleted; write nothing',
      '  --report <file>  also write the report as JSON',
      '',
      'exit codes: 0 every mismatch fixed (or none), 1 some not fixed or not verified yet (under --dry-run:',
      'something to repair), 2 error',
    ].join('\n'),
    badArgs: badArgs('migrate:repair'),
    badFrom: (raw: string) => `--from must be redis or postgres, got "${raw}"`,
    start: (from: string, to: string, dryRun: boolean) =>
      dryRun
        ? `dry run: what would be copied from ${from} to ${to}; nothing is written`
        : `repairing ${to} from ${from} (the source of truth)`,
    header: [
      'entity',
      'verify run',
      'mismatches',
      'written',
      'deleted',
      'fixed',
      'still different',
      'not copyable',
      'failed',
    ],
    dryHeader: ['entity', 'verify run', 'mismatches', 'would write', 'would delete', 'not copyable'],
    problem: (entity: string, id: string, outcome: string, detail: string | undefined) =>
      `  ${entity} ${id}: ${outcome.replaceAll('_', ' ')}${detail ? ` (${detail})` : ''}`,
    notVerified: (entities: string[]) =>
      `not verified yet: ${entities.join(', ')}; run npm run migrate:verify first`,
    relinked: (n: number) => `linked ${n} reference column(s) whose target row exists`,
    done: (dryRun: boolean, fixed: number, candidates: number, unresolved: number) =>
      dryRun
        ? candidates === 0
          ? 'nothing to repair'
          : `${candidates} record(s) would be re-copied; run without --dry-run to repair them`
        : candidates === 0
          ? 'nothing to repair: the latest verify found no open mismatch'
          : unresolved === 0
            ? `fixed ${fixed} of ${candidates} record(s); run npm run migrate:verify to confirm`
            : `fixed ${fixed} of ${candidates}; ${unresolved} not fixed (see above); fix their cause and run again`,
  },
  backfill: {
    usage: [
      'usage: npm run migrate:redis-to-postgres -- [--dry-run] [--only <entities>] [--batch-size <n>]',
      '         [--concurrency <n>] [--strict] [--report <file>] [--reject-file <file>] [--resume | --restart]',
      '',
      'Copies the legacy Redis data (REDIS_URL, KEY_PREFIX) into Postgres (DATABASE_URL, or the embedded',
      'PGlite database when unset). Keys are found by SCAN and through the legacy indexes, read raw through',
      'the codecs, and merged idempotently: a second run changes nothing, rows written by live traffic after',
      'the backfill read them are never overwritten. Bad records are quarantined, never dropped.',
      '',
      '  --dry-run            decode, map and validate everything; write nothing; report what would change',
      '  --only <list>        comma-separated entities (Postgres table names: users,orders,products,…)',
      '  --batch-size <n>     keys per batch (default 500)',
      '  --concurrency <n>    batches read from Redis ahead of the writer (default 4)',
      '  --strict             exit 1 when anything was quarantined',
      '  --report <file>      also write the report as JSON',
      '  --reject-file <file> write every quarantined record as JSON lines {key, entity, field, reason, raw}',
      '  --resume             continue an unfinished run (the default when one exists)',
      '  --restart            discard an unfinished run and start over',
      '',
      'exit codes: 0 done, 1 something was quarantined under --strict, 2 error',
    ].join('\n'),
    badArgs: badArgs('migrate:redis-to-postgres'),
    badNumber: (flag: string, raw: string) => `${flag} must be a positive integer, got "${raw}"`,
    bothModes: '--resume and --restart cannot be combined',
    unknownEntities: (names: string[], known: readonly string[]) =>
      `unknown entit${names.length === 1 ? 'y' : 'ies'} ${names.join(', ')}; choose from ${known.join(', ')}`,
    prefixMismatch: (runId: string, runPrefix: string, prefix: string) =>
      `an unfinished run (${runId}) read KEY_PREFIX "${runPrefix}", not "${prefix}"; set KEY_PREFIX back to finish it, or pass --restart to discard it`,
    start: (redis: string, prefix: string, pg: string, dryRun: boolean) =>
      `${dryRun ? 'dry run: reading' : 'migrating'} Redis ${redis} (prefix "${prefix}") into Postgres ${pg}${dryRun ? ' (nothing is written)' : ''}`,
    mode: (mode: string, runId: string) =>
      mode === 'resumed'
        ? `resumed unfinished run ${runId}`
        : mode === 'fresh'
          ? `run ${runId}`
          : `dry run ${runId}`,
    progressLine: (
      step: string,
      done: number,
      total: number | undefined,
      rate: number,
      etaSeconds: number | undefined,
    ) =>
      `${step}: ${done}${total === undefined ? '' : `/${total}`} (${Math.round(rate)}/s${etaSeconds === undefined ? '' : `, ETA ${formatSeconds(etaSeconds)}`})`,
    header: ['entity', 'scanned', 'migrated', 'unchanged', 'quarantined', 'expired', 'kept in redis', 'keys'],
    /** Right-aligned numbers under `header`; the last row is the total. */
    table,
    discovery: (d: {
      keysScanned: number;
      indexKeys: number;
      indexMembers: number;
      foundOnlyViaIndex: number;
      danglingIndexIds: { count: number };
      unindexedRecords: { count: number };
      duplicateListEntries: { count: number };
      indexKeysHoldingRecords: string[];
    }) =>
      [
        `discovery: ${d.keysScanned} keys found by SCAN (${d.indexKeys} index keys with ${d.indexMembers} entries), ${d.foundOnlyViaIndex} found only through an index`,
        `  ${d.unindexedRecords.count} record(s) missing from their index, ${d.danglingIndexIds.count} index entr(y/ies) naming no record, ${d.duplicateListEntries.count} duplicate list entr(y/ies)`,
        ...(d.indexKeysHoldingRecords.length > 0
          ? [
              `  index key(s) overwritten by a record with id "index", migrated as records: ${d.indexKeysHoldingRecords.join(', ')}`,
            ]
          : []),
      ].join('\n'),
    points: (compared: number, discrepancies: number) =>
      discrepancies === 0
        ? `points: all ${compared} stored balances equal their ledger sum`
        : `points: ${discrepancies} of ${compared} stored balances differ from their ledger sum; the stored balance was kept (see points_discrepancies)`,
    quarantined: (n: number, rejectFile: string | undefined) =>
      `${n} record(s) quarantined (table backfill_quarantine${rejectFile ? `, ${rejectFile}` : ''}); fix or accept them, then re-run`,
    done: (migrated: number, unchanged: number, dryRun: boolean, ms: number) =>
      dryRun
        ? `dry run: ${migrated} record(s) would be written, ${unchanged} unchanged; run without --dry-run to migrate (${(ms / 1000).toFixed(1)} s)`
        : migrated === 0
          ? `nothing to do: every record is already in Postgres (${unchanged} unchanged, ${(ms / 1000).toFixed(1)} s)`
          : `migrated ${migrated} record(s), ${unchanged} unchanged, in ${(ms / 1000).toFixed(1)} s`,
    peakMemory: (bytes: number) => `peak memory: ${Math.round(bytes / 1024 / 1024)} MB resident`,
    strictFailed: (n: number) => `--strict: ${n} record(s) quarantined; exiting with status 1`,
    missingTables,
    reportWritten,
  },
};

/** `75` → `1m15s`. */
function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s < 60
    ? `${s}s`
    : s < 3600
      ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
      : `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
