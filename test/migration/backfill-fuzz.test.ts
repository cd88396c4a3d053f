/**
 * 10,000 malformed records, each broken in one known way (truncated JSON, bytes that are not UTF-8,
 * a wrong field type, a NUL or lone surrogate Postgres cannot store, an int32 overflow, the wrong
 * Redis type, a JSON scalar, an id that differs from its key): every one is quarantined with a
 * reason naming its defect and its exact bytes, nothing is migrated, and the run does not crash.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ValueCodec } from '../../src/legacy/codecs/value.js';
import * as codecs from '../../src/legacy/codecs/index.js';
import { runBackfill } from '../../src/migration/backfill/engine.js';
import type { QuarantineEntry } from '../../src/migration/backfill/types.js';
import * as arb from '../legacy/arbitraries.js';
import { deleteByPrefix, usePostgres, useRedis } from '../support/harness.js';
import { unbalancedEntities } from './backfill-support.js';

const pg = usePostgres();
const redis = useRedis();
const N = 10_000;

interface Family {
  key: string;
  arbitrary: fc.Arbitrary<unknown>;
  codec: ValueCodec<unknown>;
  id?: string;
  text: string;
  int?: string;
}

const FAMILIES: Family[] = [
  { key: 'user:', arbitrary: arb.user, codec: codecs.userValue, id: 'id', text: 'firstName', int: 'points' },
  {
    key: 'order:',
    arbitrary: arb.order,
    codec: codecs.orderValue,
    id: 'id',
    text: 'email',
    int: 'totalCents',
  },
  { key: 'product:', arbitrary: arb.product, codec: codecs.productValue, id: 'slug', text: 'name' },
  { key: 'purchase:', arbitrary: arb.purchase, codec: codecs.purchaseValue, id: 'id', text: 'vendorName' },
  {
    key: 'promotion:',
    arbitrary: arb.promotion,
    codec: codecs.promotionValue,
    id: 'id',
    text: 'name',
    int: 'currentRedemptions',
  },
  {
    key: 'refund:',
    arbitrary: arb.refund,
    codec: codecs.refundValue,
    id: 'id',
    text: 'email',
    int: 'amountCents',
  },
  {
    key: 'points:transaction:',
    arbitrary: arb.pointsTransaction,
    codec: codecs.pointsTransactionValue,
    id: 'id',
    text: 'description',
    int: 'amount',
  },
  {
    key: 'alcohol-type:',
    arbitrary: arb.alcoholType,
    codec: codecs.alcoholTypeValue,
    id: 'id',
    text: 'name',
  },
  { key: 'global:scents:', arbitrary: arb.scent, codec: codecs.scentValue, id: 'id', text: 'name' },
  { key: 'global:base_oils:', arbitrary: arb.baseOil, codec: codecs.baseOilValue, id: 'id', text: 'name' },
  { key: 'containers:', arbitrary: arb.container, codec: codecs.containerValue, id: 'id', text: 'name' },
  {
    key: 'calculator:wicks:',
    arbitrary: arb.calculatorWick,
    codec: codecs.calculatorWickValue,
    id: 'id',
    text: 'name',
  },
  { key: 'admin:user:', arbitrary: arb.adminUser, codec: codecs.adminUserValue, id: 'id', text: 'email' },
  {
    key: 'invoice:token:',
    arbitrary: arb.invoiceToken,
    codec: codecs.invoiceTokenValue,
    id: 'token',
    text: 'email',
  },
];

type Defect =
  | 'truncated'
  | 'not-utf8'
  | 'wrong-type'
  | 'nul'
  | 'surrogate'
  | 'overflow'
  | 'redis-type'
  | 'scalar'
  | 'id-mismatch';
const DEFECTS: Defect[] = [
  'truncated',
  'not-utf8',
  'wrong-type',
  'nul',
  'surrogate',
  'overflow',
  'redis-type',
  'scalar',
  'id-mismatch',
];

const EXPECTED_REASON: Record<Defect, RegExp> = {
  truncated: /is not valid JSON/,
  'not-utf8': /not valid UTF-8/,
  'wrong-type': /expected a string, got number/,
  nul: /U\+0000/,
  surrogate: /lone UTF-16 surrogate/,
  overflow: /does not fit a Postgres integer/,
  'redis-type': /is a Redis (set|list|hash)/,
  scalar: /expected an object/,
  'id-mismatch': /differs from the key's id/,
};

interface Planted {
  key: string;
  defect: Defect;
  /** Bytes written (string values only). */
  bytes?: Buffer;
}

function plant(
  i: number,
  rng: () => number,
): { planted: Planted; write: (m: ReturnType<typeof redis.client.multi>) => void } {
  const f = FAMILIES[i % FAMILIES.length] as Family;
  let defect = DEFECTS[Math.floor(i / FAMILIES.length) % DEFECTS.length] as Defect;
  if (defect === 'overflow' && !f.int) defect = 'truncated';
  const id = `fuzz-${i}`;
  const key = `${redis.prefix}${f.key}${id}`;
  const [sample] = fc.sample(f.arbitrary, { numRuns: 1, seed: i });
  const doc = JSON.parse(f.codec.encode(sample)) as Record<string, unknown>;
  if (f.id) doc[f.id] = id;
  // A token past its expiresAt is counted as expired before anything else is checked.
  if ('expiresAt' in doc) doc.expiresAt = '2999-01-01T00:00:00.000Z';
  const text = (d: unknown) => JSON.stringify(d);
  let bytes: Buffer;
  switch (defect) {
    case 'truncated': {
      const t = text(doc);
      bytes = Buffer.from(t.slice(0, 1 + Math.floor(rng() * (t.length - 1))));
      break;
    }
    case 'not-utf8': {
      const b = Buffer.from(text(doc));
      const at = Math.floor(rng() * b.length);
      bytes = Buffer.concat([b.subarray(0, at), Buffer.from([0xff]), b.subarray(at)]);
      break;
    }
    case 'wrong-type':
      bytes = Buffer.from(text({ ...doc, [f.id ?? 'name']: 12345 }));
      break;
    case 'nul':
      bytes = Buffer.from(text({ ...doc, [f.text]: `bad\u0000value` }));
      break;
    case 'surrogate':
      bytes = Buffer.from(text({ ...doc, [f.text]: `bad\uD800value` }));
      break;
    case 'overflow':
      bytes = Buffer.from(text({ ...doc, [f.int as string]: 2 ** 40 }));
      break;
    case 'scalar':
      bytes = Buffer.from(['42', '"text"', 'null', 'true', '[1,2]'][i % 5] as string);
      break;
    case 'id-mismatch':
      bytes = Buffer.from(text({ ...doc, [f.id ?? 'name']: `other-${i}` }));
      break;
    case 'redis-type': {
      const kind = i % 3;
      return {
        planted: { key, defect },
        write: (m) => {
          if (kind === 0) m.sAdd(key, ['a', 'b']);
          else if (kind === 1) m.rPush(key, ['a']);
          else m.hSet(key, 'field', 'value');
        },
      };
    }
  }
  return { planted: { key, defect, bytes }, write: (m) => m.set(key, bytes) };
}

describe('backfill of 10,000 malformed records', () => {
  it('quarantines every one with the reason of its defect and its raw bytes, and migrates none', async () => {
    let x = 42;
    const rng = () => {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      return x / 2 ** 31;
    };
    const planted = new Map<string, Planted>();
    for (let start = 0; start < N; start += 1000) {
      const multi = redis.client.multi();
      for (let i = start; i < Math.min(N, start + 1000); i++) {
        const p = plant(i, rng);
        planted.set(p.planted.key, p.planted);
        p.write(multi);
      }
      await multi.execAsPipeline();
    }

    const rejects = new Map<string, QuarantineEntry & { raw: Uint8Array | null }>();
    const report = await runBackfill({
      redis: redis.client,
      pg: pg.handle,
      prefix: redis.prefix,
      quarantineListLimit: N,
      onReject: (q) => rejects.set(q.key, q),
    });

    expect(unbalancedEntities(report)).toEqual([]);
    expect(report.totals.migrated).toBe(0);
    expect(report.totals.quarantined).toBe(N);
    expect(report.quarantine).toHaveLength(N);
    expect(rejects.size).toBe(N);
    const wrong: string[] = [];
    for (const [key, p] of planted) {
      const q = rejects.get(key);
      if (!q || !EXPECTED_REASON[p.defect].test(q.reason))
        wrong.push(`${p.defect} ${key}: ${q?.reason ?? 'not quarantined'}`);
      else if (p.bytes && !Buffer.from(q.raw ?? []).equals(p.bytes)) wrong.push(`${key}: raw bytes differ`);
    }
    expect(wrong.slice(0, 20)).toEqual([]);
    const [rows] = await pg.handle.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM orders) + (SELECT count(*) FROM products)
            + (SELECT count(*) FROM purchases) + (SELECT count(*) FROM invoice_access_tokens) AS n`,
    );
    expect(Number(rows?.n)).toBe(0);
  }, 180_000);
});

describe('a batch the database rejects in part', () => {
  it('isolates the rows that break a UNIQUE rule, quarantines them with the reason, writes the rest', async () => {
    await deleteByPrefix(redis.client, redis.prefix);
    const users = fc.sample(arb.user, { numRuns: 40, seed: 99 }).map((u, i) => ({
      ...(u as object),
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      email: i === 17 || i === 31 ? 'twice@example.com' : `user${i}@example.com`,
    }));
    for (const u of users)
      await redis.client.set(`${redis.prefix}user:${u.id}`, codecs.userValue.encode(u as never));
    const report = await runBackfill({
      redis: redis.client,
      pg: pg.handle,
      prefix: redis.prefix,
      only: ['users'],
      batchSize: 40,
      restart: true,
    });
    const users17 = `${redis.prefix}user:${users[17]?.id}`;
    const users31 = `${redis.prefix}user:${users[31]?.id}`;
    expect(report.entities.users).toMatchObject({ scanned: 40, migrated: 39, quarantined: 1 });
    const q = report.quarantine.find((x) => x.key === users31);
    expect(q?.reason).toMatch(/users_email_unique/);
    const rows = await pg.handle.query<{ id: string }>('SELECT id FROM users ORDER BY id');
    expect(rows).toHaveLength(39);
    expect(rows.map((r) => r.id)).toContain(users17.split(':').pop());
  });
});
