/**
 * The two admin entities that are not one record per key: `admin:logs` (a list of JSON entries,
 * migrated oldest first, idempotent through `dedupe_key`) and the legacy single-admin 2FA keys
 * (two keys, one `admin_legacy_two_factor` row).
 */
import * as m from '../../backends/postgres/mappers/index.js';
import * as s from '../../backends/postgres/schema.js';
import { canonicalHash } from '../../domain/canonical.js';
import type { AdminLogEntry } from '../../domain/admin.js';
import { admin2faBackupCodesValue } from '../../legacy/codecs/admin.js';
import { adminLogValue } from '../../legacy/codecs/admin.js';
import { countKeys, keyPage } from '../discovery.js';
import { ADMIN_LOGS_ENTITY, TWO_FACTOR_ENTITY } from './entities.js';
import { type StepContext, addCounts } from './records.js';
import { decodeUtf8, keyTypes, listMembers } from './redis-read.js';
import type { QuarantineRow } from './state.js';
import { quoteIdent } from './session.js';
import { rowColumns, tableSpec, jsonRow } from './tables.js';
import { prepareStaging, writeRecords, type StagedRecord, type WriteSpec } from './write.js';

/** Migrates every `admin:logs` entry (normally one key, at most 1000 entries after LTRIM). */
export async function migrateAdminLogs(ctx: StepContext): Promise<void> {
  const { session, state, redis } = ctx;
  const cp = await state.checkpoint(ADMIN_LOGS_ENTITY);
  if (cp.done) return;
  const keys = await keyPage(session, ADMIN_LOGS_ENTITY, cp.lastKey ?? '', 1000);
  const spec = tableSpec(s.adminLogs);
  let counts = cp.counts;
  for (const { key } of keys) {
    const quarantine: QuarantineRow[] = [];
    const members: Buffer[] = [];
    try {
      for await (const chunk of listMembers(redis, key, 1000)) members.push(...chunk.items);
    } catch (err) {
      if (!/WRONGTYPE/.test(String(err))) throw err;
      const [type] = await keyTypes(redis, [key]);
      quarantine.push({
        key,
        entity: ADMIN_LOGS_ENTITY,
        field: '',
        reason: `is a Redis ${type}, expected a list`,
        raw: null,
      });
    }
    // LPUSH puts the newest first: insert oldest first so the id sequence follows time.
    const rows: Record<string, unknown>[] = [];
    const seen = new Map<string, number>();
    for (let i = members.length - 1; i >= 0; i--) {
      const raw = members[i] as Buffer;
      const at = `${key}[${i}]`;
      const text = decodeUtf8(raw);
      const decoded = text === undefined ? undefined : adminLogValue.decode(at, text);
      if (!decoded?.ok) {
        const reason = decoded ? decoded.error.problem : 'value is not valid UTF-8';
        quarantine.push({
          key: at,
          entity: ADMIN_LOGS_ENTITY,
          field: decoded?.error.field ?? '',
          reason,
          raw,
        });
        continue;
      }
      const entry: AdminLogEntry = decoded.value;
      const hash = canonicalHash(entry);
      const occurrence = seen.get(hash) ?? 0;
      seen.set(hash, occurrence + 1);
      const row = m.toAdminLogRow(entry, occurrence) as Record<string, unknown>;
      const problems = m.rowProblems(s.adminLogs, row);
      if (problems.length > 0) {
        quarantine.push({
          key: at,
          entity: ADMIN_LOGS_ENTITY,
          field: '',
          reason: `cannot be stored in Postgres: ${problems.join('; ')}`,
          raw,
        });
        continue;
      }
      rows.push(row);
    }
    await session.transaction(async () => {
      let inserted = 0;
      if (rows.length > 0) {
        const cols = rowColumns(spec, rows);
        const list = cols.map((c) => quoteIdent(c.name)).join(', ');
        const json = JSON.stringify(rows.map((r) => jsonRow(cols, r)));
        await session.query('SAVEPOINT bf_logs');
        const done = await session.query<{ id: unknown }>(
          `INSERT INTO admin_logs (${list})
           SELECT r.* FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(j, n)
             CROSS JOIN LATERAL (SELECT ${list} FROM jsonb_populate_record(NULL::admin_logs, e.j)) r
           ORDER BY e.n
           ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
          [json],
        );
        await session.query(ctx.dryRun ? 'ROLLBACK TO SAVEPOINT bf_logs' : 'RELEASE SAVEPOINT bf_logs');
        inserted = done.length;
      }
      await state.quarantine(quarantine);
      counts = addCounts(counts, {
        scanned: Math.max(members.length, quarantine.length),
        migrated: inserted,
        unchanged: rows.length - inserted,
        quarantined: quarantine.length,
      });
      await state.save(ADMIN_LOGS_ENTITY, { scanCursor: null, lastKey: key, done: false, counts });
    });
    ctx.onProgress?.({ step: ADMIN_LOGS_ENTITY, done: counts.scanned ?? 0, total: counts.scanned ?? 0 });
  }
  await state.save(ADMIN_LOGS_ENTITY, { scanCursor: null, lastKey: null, done: true, counts });
}

const TWO_FACTOR_WRITE: WriteSpec = { parent: tableSpec(s.adminLegacyTwoFactor), children: [] };

/** Migrates `admin:2fa:secret` + `admin:2fa:backup_codes` into the single legacy 2FA row. */
export async function migrateTwoFactor(ctx: StepContext): Promise<void> {
  const { session, state, redis } = ctx;
  const cp = await state.checkpoint(TWO_FACTOR_ENTITY);
  if (cp.done) return;
  const keys = (await keyPage(session, TWO_FACTOR_ENTITY, '', 10)).map((k) => ({
    key: k.key,
    family: k.family,
  }));
  if (keys.length === 0 || (await countKeys(session, TWO_FACTOR_ENTITY)) === 0) {
    await state.save(TWO_FACTOR_ENTITY, { scanCursor: null, lastKey: null, done: true, counts: cp.counts });
    return;
  }
  await session.exclusive(() => prepareStaging(session, TWO_FACTOR_WRITE));
  const readAt = ctx.now();
  const values = await redis.mGet(keys.map((k) => k.key));
  const record: m.LegacyTwoFactor = {};
  const quarantine: QuarantineRow[] = [];
  let expired = 0;
  const raws: Buffer[] = [];
  const goodKeys: string[] = [];
  const missing = keys.filter((_, i) => !values[i]).map((k) => k.key);
  const types = new Map(missing.map((k) => [k, 'none']));
  for (const [i, t] of (await keyTypes(redis, missing)).entries()) types.set(missing[i] as string, t);
  for (const [i, k] of keys.entries()) {
    const raw = values[i];
    if (!raw) {
      const type = types.get(k.key) ?? 'none';
      if (type === 'none') expired++;
      else
        quarantine.push({
          key: k.key,
          entity: TWO_FACTOR_ENTITY,
          field: '',
          reason: `is a Redis ${type}, expected a string`,
          raw: null,
        });
      continue;
    }
    raws.push(raw);
    goodKeys.push(k.key);
    const text = decodeUtf8(raw);
    const bad = (reason: string) =>
      quarantine.push({ key: k.key, entity: TWO_FACTOR_ENTITY, field: '', reason, raw });
    if (text === undefined) {
      bad('value is not valid UTF-8');
      continue;
    }
    if (k.family === 'admin2faSecret') record.secret = text;
    else {
      const codes = admin2faBackupCodesValue.decode(k.key, text);
      if (codes.ok) record.backupCodes = codes.value;
      else bad(codes.error.problem);
    }
  }
  const stillGood = goodKeys.filter((k) => !quarantine.some((q) => q.key === k));
  const good = stillGood.length;
  const row = m.toLegacyTwoFactorRow(record) as Record<string, unknown>;
  const problems = m.rowProblems(s.adminLegacyTwoFactor, row);
  const staged: StagedRecord[] =
    good > 0 && problems.length === 0
      ? [{ key: 'admin:2fa', raw: Buffer.concat(raws), parent: row, children: {} }]
      : [];
  if (good > 0 && problems.length > 0) {
    for (const key of stillGood)
      quarantine.push({
        key,
        entity: TWO_FACTOR_ENTITY,
        field: '',
        reason: `cannot be stored in Postgres: ${problems.join('; ')}`,
        raw: null,
      });
  }
  await session.transaction(async () => {
    const w = await writeRecords(session, TWO_FACTOR_WRITE, staged, readAt, ctx.dryRun);
    for (const r of w.rejected) {
      for (const key of stillGood)
        quarantine.push({ key, entity: TWO_FACTOR_ENTITY, field: '', reason: r.reason, raw: null });
    }
    await state.quarantine(quarantine);
    const written = w.migrated > 0;
    const counts = addCounts(cp.counts, {
      scanned: keys.length,
      migrated: written ? good : 0,
      unchanged: problems.length === 0 && w.rejected.length === 0 && !written ? good : 0,
      liveNewer: w.liveNewer > 0 ? good : 0,
      quarantined: quarantine.length,
      expired,
    });
    await state.save(TWO_FACTOR_ENTITY, { scanCursor: null, lastKey: null, done: true, counts });
  });
}
