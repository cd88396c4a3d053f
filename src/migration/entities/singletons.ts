/**
 * Entities with a single record and no index: the cost-calculator settings (`calculator:settings`,
 * absent unless saved once, §4.11) and the legacy single-admin 2FA keys (`admin:2fa:secret` +
 * `admin:2fa:backup_codes`, one record whose fields are absent with their keys, §4.12). Postgres holds
 * each as the row with id 1. Their entity id is the fixed name below.
 */
import { eq } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import {
  fromLegacyTwoFactorRow,
  type LegacyTwoFactor,
  toLegacyTwoFactorRow,
} from '../../backends/postgres/mappers/admin.js';
import {
  fromCalculatorSettingsRow,
  toCalculatorSettingsRow,
} from '../../backends/postgres/mappers/catalogue.js';
import { type AdminLegacyTwoFactorRow, adminLegacyTwoFactor } from '../../backends/postgres/schema/admin.js';
import { type CalculatorSettingsRow, calculatorSettings } from '../../backends/postgres/schema/workshop.js';
import type { CalculatorSettings } from '../../domain/catalogue.js';
import { admin2faBackupCodesValue, admin2faSecretValue } from '../../legacy/codecs/admin.js';
import { type AnyRow, deleteById, upsertAggregate } from './pg-io.js';
import { encodeFamily, loadFamily, redisUnit } from './redis-io.js';
import { mgetAll } from './redis-ids.js';
import type { EntitySync, RedisEntry, SyncContext, WriteOutcome } from './types.js';

export const CALCULATOR_SETTINGS_ID = 'calculator:settings';
export const LEGACY_TWO_FACTOR_ID = 'admin:2fa';

async function* one(id: string, present: Promise<boolean>): AsyncGenerator<string[]> {
  if (await present) yield [id];
}

async function loadRow(ctx: SyncContext, table: PgTable, idColumn: PgColumn): Promise<AnyRow | undefined> {
  const rows = (await ctx.pg.db.select().from(table).where(eq(idColumn, 1))) as AnyRow[];
  return rows[0];
}

export const calculatorSettingsEntity: EntitySync<CalculatorSettings> = {
  name: 'calculator_settings',
  domain: 'catalogue',
  redisPattern: 'calculator:settings',
  listRedisIds: (ctx) =>
    one(
      CALCULATOR_SETTINGS_ID,
      ctx.redis.exists(ctx.keys.calculatorSettings()).then((n) => n > 0),
    ),
  listPostgresIds: (ctx) =>
    one(CALCULATOR_SETTINGS_ID, loadRow(ctx, calculatorSettings, calculatorSettings.id).then(Boolean)),
  async loadRedis(ctx, ids) {
    if (!ids.includes(CALCULATOR_SETTINGS_ID)) return new Map();
    return loadFamily(ctx, 'calculatorSettings', [CALCULATOR_SETTINGS_ID], () =>
      ctx.keys.calculatorSettings(),
    );
  },
  async loadPostgres(ctx, ids) {
    const row = ids.includes(CALCULATOR_SETTINGS_ID)
      ? await loadRow(ctx, calculatorSettings, calculatorSettings.id)
      : undefined;
    return new Map(
      row ? [[CALCULATOR_SETTINGS_ID, fromCalculatorSettingsRow(row as CalculatorSettingsRow)]] : [],
    );
  },
  compareFormRedis: (r) => r,
  compareFormPostgres: (r) => r,
  async writePostgres(_ctx, db, _id, record) {
    if (record === null) {
      return (await deleteById(db, calculatorSettings, calculatorSettings.id, 1)) ? 'deleted' : 'absent';
    }
    const row = toCalculatorSettingsRow(record);
    await upsertAggregate(db, { table: calculatorSettings, target: calculatorSettings.id, row });
    return 'written';
  },
  async writeRedis(ctx, _id, record) {
    const key = ctx.keys.calculatorSettings();
    return redisUnit(ctx, `copy ${key}`, async (uow) => {
      const existed = (await uow.get(key)) !== null;
      if (record === null) {
        uow.del(key);
        return existed ? 'deleted' : 'absent';
      }
      uow.set(key, encodeFamily('calculatorSettings', record));
      return 'written';
    });
  },
};

export const legacyTwoFactorEntity: EntitySync<LegacyTwoFactor> = {
  name: 'admin_legacy_two_factor',
  domain: 'admin',
  redisPattern: 'admin:2fa:secret + admin:2fa:backup_codes',
  listRedisIds: (ctx) =>
    one(
      LEGACY_TWO_FACTOR_ID,
      ctx.redis.exists([ctx.keys.admin2faSecret(), ctx.keys.admin2faBackupCodes()]).then((n) => n > 0),
    ),
  listPostgresIds: (ctx) =>
    one(LEGACY_TWO_FACTOR_ID, loadRow(ctx, adminLegacyTwoFactor, adminLegacyTwoFactor.id).then(Boolean)),
  async loadRedis(ctx, ids) {
    const out = new Map<string, RedisEntry<LegacyTwoFactor>>();
    if (!ids.includes(LEGACY_TWO_FACTOR_ID)) return out;
    const secretKey = ctx.keys.admin2faSecret();
    const codesKey = ctx.keys.admin2faBackupCodes();
    const [secret, codes] = await mgetAll(ctx, [secretKey, codesKey]);
    if (secret === null && codes === null) return out;
    const record: LegacyTwoFactor = {};
    if (secret !== null && secret !== undefined) {
      const r = admin2faSecretValue.decode(secretKey, secret);
      if (!r.ok) return out.set(LEGACY_TWO_FACTOR_ID, { ok: false, key: secretKey, error: r.error });
      record.secret = r.value;
    }
    if (codes !== null && codes !== undefined) {
      const r = admin2faBackupCodesValue.decode(codesKey, codes);
      if (!r.ok) return out.set(LEGACY_TWO_FACTOR_ID, { ok: false, key: codesKey, error: r.error });
      record.backupCodes = r.value;
    }
    return out.set(LEGACY_TWO_FACTOR_ID, { ok: true, key: secret !== null ? secretKey : codesKey, record });
  },
  async loadPostgres(ctx, ids) {
    const row = ids.includes(LEGACY_TWO_FACTOR_ID)
      ? await loadRow(ctx, adminLegacyTwoFactor, adminLegacyTwoFactor.id)
      : undefined;
    return new Map(
      row ? [[LEGACY_TWO_FACTOR_ID, fromLegacyTwoFactorRow(row as AdminLegacyTwoFactorRow)]] : [],
    );
  },
  compareFormRedis: (r) => r,
  compareFormPostgres: (r) => r,
  async writePostgres(_ctx, db, _id, record) {
    if (record === null || (record.secret === undefined && record.backupCodes === undefined)) {
      return (await deleteById(db, adminLegacyTwoFactor, adminLegacyTwoFactor.id, 1)) ? 'deleted' : 'absent';
    }
    const row = toLegacyTwoFactorRow(record);
    await upsertAggregate(db, { table: adminLegacyTwoFactor, target: adminLegacyTwoFactor.id, row });
    return 'written';
  },
  writeRedis(ctx, _id, record): Promise<WriteOutcome> {
    const secretKey = ctx.keys.admin2faSecret();
    const codesKey = ctx.keys.admin2faBackupCodes();
    return redisUnit(ctx, 'copy admin:2fa', async (uow) => {
      const existed = (await uow.getMany([secretKey, codesKey])).some((v) => v !== null);
      if (record?.secret === undefined) uow.del(secretKey);
      else uow.set(secretKey, admin2faSecretValue.encode(record.secret));
      if (record?.backupCodes === undefined) uow.del(codesKey);
      else uow.set(codesKey, admin2faBackupCodesValue.encode(record.backupCodes));
      if (record === null) return existed ? 'deleted' : 'absent';
      return 'written';
    });
  },
};
