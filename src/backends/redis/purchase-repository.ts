/**
 * Purchases on the legacy keys (legacy-redis-format.md §2a #15–#18, §4.5, §5): the JSON record
 * `purchase:{id}` and three sets, `purchases:index`, `purchases:vendor:{vendorName.toLowerCase()}` and
 * `purchases:date:{YYYY-MM}`. The store wrote the record and each set with separate requests; here
 * each create, update and delete is one commit.
 */
import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import { checkString, MAX_ID_LENGTH, MAX_NAME_LENGTH } from '../../domain/field-checks.js';
import {
  comparePurchases,
  type NewPurchase,
  type Purchase,
  type PurchasePatch,
  type PurchaseRepository,
  purchaseMonth,
  vendorIndexName,
} from '../../domain/purchase.js';
import { checkYearMonth, newPurchaseRecord, patchedPurchase } from '../../domain/purchase-validation.js';
import { purchaseValue } from '../../legacy/codecs/purchase.js';
import { type RedisUnitOfWork, runUnitOfWork } from './atomic.js';
import type { RedisDeps } from './index.js';
import { decodeRaw, readInUnit, readValue, readValues } from './record-io.js';

const checkPurchaseId = (id: unknown) => checkString('id', id, MAX_ID_LENGTH);

/** Queues the record write and returns the purchase as a later read decodes it. */
function writeRecord(deps: RedisDeps, uow: RedisUnitOfWork, p: Purchase): Purchase {
  const key = deps.keys.purchase(p.id);
  const text = purchaseValue.encode(p);
  uow.set(key, text);
  return decodeRaw(purchaseValue, key, text) as Purchase;
}

export function createRedisPurchaseRepository(deps: RedisDeps): PurchaseRepository {
  const { client, keys } = deps;

  /** Members of one index set, read with MGET, keeping only records that `belongs` accepts. */
  const readIndexed = async (indexKey: string, belongs: (p: Purchase) => boolean): Promise<Purchase[]> => {
    const ids = await client.sMembers(indexKey);
    const records = await readValues(client, purchaseValue, ids.map(keys.purchase));
    return records.filter((p): p is Purchase => p !== null && belongs(p)).sort(comparePurchases);
  };

  return {
    async create(input: NewPurchase): Promise<Purchase> {
      const id = input.id === undefined ? randomUUID() : checkPurchaseId(input.id);
      const record = newPurchaseRecord(input, id, deps.now().toISOString());
      return runUnitOfWork(client, `create purchase ${id}`, async (uow) => {
        if ((await uow.get(keys.purchase(id))) !== null) {
          throw new ConflictError('purchase', id, 'the id is already taken');
        }
        // The store's createPurchase: SET the record, then SADD ×3 (§5).
        const stored = writeRecord(deps, uow, record);
        uow.push({ op: 'sadd', key: keys.purchasesIndex(), member: id });
        uow.push({ op: 'sadd', key: keys.purchasesVendor(vendorIndexName(record.vendorName)), member: id });
        uow.push({ op: 'sadd', key: keys.purchasesDate(purchaseMonth(record.purchaseDate)), member: id });
        return stored;
      });
    },

    async get(id: string): Promise<Purchase | null> {
      return readValue(client, purchaseValue, keys.purchase(checkPurchaseId(id)));
    },

    async update(id: string, patch: PurchasePatch): Promise<Purchase> {
      const purchaseId = checkPurchaseId(id);
      return runUnitOfWork(client, `update purchase ${purchaseId}`, async (uow) => {
        const current = await readInUnit(uow, purchaseValue, keys.purchase(purchaseId));
        if (!current) throw new NotFoundError('purchase', purchaseId);
        const next = patchedPurchase(current, patch, deps.now().toISOString());
        const stored = writeRecord(deps, uow, next);
        // updatePurchase moves the vendor and month entries when they change (§2a #17/#18).
        const [oldVendor, newVendor] = [
          vendorIndexName(current.vendorName),
          vendorIndexName(next.vendorName),
        ];
        if (oldVendor !== newVendor) {
          uow.push({ op: 'srem', key: keys.purchasesVendor(oldVendor), member: purchaseId });
          uow.push({ op: 'sadd', key: keys.purchasesVendor(newVendor), member: purchaseId });
        }
        const [oldMonth, newMonth] = [purchaseMonth(current.purchaseDate), purchaseMonth(next.purchaseDate)];
        if (oldMonth !== newMonth) {
          uow.push({ op: 'srem', key: keys.purchasesDate(oldMonth), member: purchaseId });
          uow.push({ op: 'sadd', key: keys.purchasesDate(newMonth), member: purchaseId });
        }
        return stored;
      });
    },

    async delete(id: string): Promise<boolean> {
      const purchaseId = checkPurchaseId(id);
      return runUnitOfWork(client, `delete purchase ${purchaseId}`, async (uow) => {
        const current = await readInUnit(uow, purchaseValue, keys.purchase(purchaseId));
        uow.push({ op: 'srem', key: keys.purchasesIndex(), member: purchaseId });
        if (!current) return false;
        // The store's deletePurchase: DEL, then SREM ×3 with the keys of the current vendor and date.
        uow.del(keys.purchase(purchaseId));
        uow.push({
          op: 'srem',
          key: keys.purchasesVendor(vendorIndexName(current.vendorName)),
          member: purchaseId,
        });
        uow.push({
          op: 'srem',
          key: keys.purchasesDate(purchaseMonth(current.purchaseDate)),
          member: purchaseId,
        });
        return true;
      });
    },

    async list(): Promise<Purchase[]> {
      return readIndexed(keys.purchasesIndex(), () => true);
    },

    async byVendor(vendorName: string): Promise<Purchase[]> {
      const vendor = vendorIndexName(checkString('vendorName', vendorName, MAX_NAME_LENGTH).trim());
      // The index can hold ids whose vendor was changed by a store crash: the record decides.
      return readIndexed(keys.purchasesVendor(vendor), (p) => vendorIndexName(p.vendorName) === vendor);
    },

    async byMonth(yearMonth: string): Promise<Purchase[]> {
      const month = checkYearMonth(yearMonth);
      return readIndexed(keys.purchasesDate(month), (p) => purchaseMonth(p.purchaseDate) === month);
    },
  };
}
