/**
 * Checkout inventory holds (15-minute TTL by default). Per SKU, a sorted set of `{holdId}:{qty}`
 * scored by expiry (Redis server time, ms) plus one hash per hold. `reserve` runs one Lua script that
 * purges expired holds, sums the active ones and admits the hold only if it fits in the stock number
 * read from the `StockPort` just before. `commit` turns a hold into a real conditional decrement and
 * then removes the hold.
 *
 * Why a per-SKU sequence: a reserver reads stock from Postgres, then runs the script. If a commit
 * decremented stock AND removed its hold in between, the reserver would count the sold units twice
 * as available (old stock, hold gone). Each commit bumps the SKU's sequence after its decrement; the
 * reserver passes the sequence it saw before reading stock and retries when it moved.
 *
 * Guarantee: never oversold — the decrement is conditional in Postgres (`stock >= n`). Holds are exact
 * for sales that go through holds; sales that bypass them (POS, admin edits) make `available`
 * optimistic until the next commit, and a hold then fails at commit with `insufficient-stock`.
 */
import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../backends/redis/client.js';
import { ephemeralKeys } from './keys.js';
import { ABORT_COMMIT, BEGIN_COMMIT, HELD, REMOVE, RESERVE } from './inventory-hold-scripts.js';
import { replyArray, replyNumber, replyString, runScript } from './script.js';

/** What the product repositories provide to the holds; implemented over Postgres. */
export interface StockPort {
  /** Sellable stock of the SKU (base stock when `variantId` is null), or null when the SKU is unknown. */
  getStock(slug: string, variantId: string | null): Promise<number | null>;
  /** Atomically subtracts `qty` if at least `qty` is in stock; says whether it did. */
  decrementIfAvailable(slug: string, variantId: string | null, qty: number): Promise<boolean>;
}

export interface Hold {
  holdId: string;
  cartId: string;
  slug: string;
  variantId: string | null;
  quantity: number;
  /** Epoch ms (Redis server clock). */
  expiresAt: number;
}

export interface HoldRequest {
  cartId: string;
  slug: string;
  variantId: string | null;
  /** Positive integer. */
  quantity: number;
}

export type ReserveResult =
  | { status: 'held'; hold: Hold; availableAfter: number }
  | { status: 'insufficient'; available: number }
  | { status: 'unknown-sku' };

export type CommitResult =
  | { status: 'committed'; hold: Hold }
  /** No such hold: it expired, was released or was already committed. Reserve again to buy. */
  | { status: 'not-held'; holdId: string }
  /** Another commit of this hold is running (or crashed before finishing; the hold then expires). */
  | { status: 'in-progress'; holdId: string }
  /** Stock fell below the held quantity through a sale that bypassed holds; the hold is released. */
  | { status: 'insufficient-stock'; hold: Hold };

export interface InventoryHolds {
  reserve(req: HoldRequest): Promise<ReserveResult>;
  /** Converts the hold into a stock decrement; see `CommitResult`. */
  commit(holdId: string): Promise<CommitResult>;
  /** Removes a hold; true when it was active. A hold whose commit has started is left to the commit. */
  release(holdId: string): Promise<boolean>;
  /** Commits every active hold of a cart (order completion). */
  commitCart(cartId: string): Promise<CommitResult[]>;
  /** Releases every hold of a cart (cart abandoned or emptied); returns how many were active. */
  releaseCart(cartId: string): Promise<number>;
  /** Units held by active holds of a SKU. */
  held(slug: string, variantId: string | null): Promise<number>;
  /** Stock minus active holds, or null for an unknown SKU. A snapshot, for display. */
  available(slug: string, variantId: string | null): Promise<number | null>;
}

export interface InventoryHoldsOptions {
  prefix?: string;
  /** Hold lifetime. Default 15 minutes. */
  ttlMs?: number;
}

export const DEFAULT_HOLD_TTL_MS = 15 * 60_000;
const SEQ_TTL_MS = 86_400_000;
const MAX_RESERVE_ROUNDS = 200;

/** Unambiguous, key-safe id of a (slug, variantId) pair (both may contain `-` and `:`). */
export function skuId(slug: string, variantId: string | null): string {
  return Buffer.from(JSON.stringify([slug, variantId])).toString('base64url');
}

export function inventoryHolds(
  client: RedisClient,
  stock: StockPort,
  opts: InventoryHoldsOptions = {},
): InventoryHolds {
  const keys = ephemeralKeys(opts.prefix);
  const ttlMs = Math.max(1, Math.round(opts.ttlMs ?? DEFAULT_HOLD_TTL_MS));

  const skuKeys = (slug: string, variantId: string | null) => {
    const id = skuId(slug, variantId);
    return { zset: keys.holdSku(id), seq: keys.holdSkuSeq(id) };
  };

  const remove = async (hold: Hold, bumpSeq: boolean): Promise<boolean> => {
    const sku = skuKeys(hold.slug, hold.variantId);
    const n = await runScript(
      client,
      REMOVE,
      [sku.zset, sku.seq, keys.hold(hold.holdId), keys.holdCart(hold.cartId)],
      [`${hold.holdId}:${hold.quantity}`, hold.holdId, bumpSeq ? 1 : 0, SEQ_TTL_MS],
    );
    return replyNumber(REMOVE, n) === 1;
  };

  /** An active hold that no commit has started on, or null. */
  const readHeldHold = async (holdId: string): Promise<Hold | null> => {
    const h = await client.hGetAll(keys.hold(holdId));
    if (!h.cartId || !h.slug || h.variant === undefined || !h.qty || h.state !== 'held') return null;
    return decodeHold(holdId, h.cartId, h.slug, h.variant, h.qty, h.expiresAt ?? '0');
  };

  const api: InventoryHolds = {
    async reserve(req) {
      if (!Number.isInteger(req.quantity) || req.quantity < 1) {
        throw new RangeError(`hold quantity must be a positive integer, got ${req.quantity}`);
      }
      const sku = skuKeys(req.slug, req.variantId);
      for (let round = 0; round < MAX_RESERVE_ROUNDS; round++) {
        const seen = (await client.get(sku.seq)) ?? '0';
        const units = await stock.getStock(req.slug, req.variantId);
        if (units === null) return { status: 'unknown-sku' };
        const holdId = randomUUID();
        const reply = replyArray(
          RESERVE,
          await runScript(
            client,
            RESERVE,
            [sku.zset, sku.seq, keys.hold(holdId), keys.holdCart(req.cartId)],
            [units, req.quantity, holdId, ttlMs, seen, req.slug, JSON.stringify(req.variantId), req.cartId],
          ),
        ).map((r) => replyNumber(RESERVE, r));
        if (reply[0] === -1) continue; // a commit moved the stock under us: read it again
        if (reply[0] === 0) return { status: 'insufficient', available: Math.max(0, reply[1] ?? 0) };
        const hold: Hold = { ...req, holdId, expiresAt: reply[2] ?? 0 };
        return { status: 'held', hold, availableAfter: reply[1] ?? 0 };
      }
      throw new Error(`reserve of ${req.slug} gave up after ${MAX_RESERVE_ROUNDS} rounds of contention`);
    },

    async commit(holdId) {
      const reply = replyArray(BEGIN_COMMIT, await runScript(client, BEGIN_COMMIT, [keys.hold(holdId)], []));
      const state = replyString(BEGIN_COMMIT, reply[0]);
      if (state === 'missing') return { status: 'not-held', holdId };
      if (state === 'busy') return { status: 'in-progress', holdId };
      const [cartId, slug, variant, qty, expiresAt] = reply.slice(1).map((r) => replyString(BEGIN_COMMIT, r));
      const hold = decodeHold(holdId, cartId!, slug!, variant!, qty!, expiresAt!);
      let sold: boolean;
      try {
        sold = await stock.decrementIfAvailable(hold.slug, hold.variantId, hold.quantity);
      } catch (err) {
        await runScript(client, ABORT_COMMIT, [keys.hold(holdId)], []);
        throw err;
      }
      // Stock moved either way (our decrement, or someone else's that made ours fail).
      await remove(hold, true);
      return sold ? { status: 'committed', hold } : { status: 'insufficient-stock', hold };
    },

    async release(holdId) {
      const hold = await readHeldHold(holdId);
      return hold ? remove(hold, false) : false;
    },

    async commitCart(cartId) {
      const ids = await client.sMembers(keys.holdCart(cartId));
      const results: CommitResult[] = [];
      for (const id of ids) {
        const r = await api.commit(id);
        if (r.status === 'not-held') await client.sRem(keys.holdCart(cartId), id);
        results.push(r);
      }
      return results;
    },

    async releaseCart(cartId) {
      const ids = await client.sMembers(keys.holdCart(cartId));
      let released = 0;
      for (const id of ids) if (await api.release(id)) released++;
      await client.del(keys.holdCart(cartId));
      return released;
    },

    async held(slug, variantId) {
      return replyNumber(HELD, await runScript(client, HELD, [skuKeys(slug, variantId).zset], []));
    },

    async available(slug, variantId) {
      const units = await stock.getStock(slug, variantId);
      if (units === null) return null;
      return Math.max(0, units - (await api.held(slug, variantId)));
    },
  };
  return api;
}

function decodeHold(
  holdId: string,
  cartId: string,
  slug: string,
  variant: string,
  qty: string,
  expiresAt: string,
): Hold {
  const variantId = JSON.parse(variant) as string | null;
  return { holdId, cartId, slug, variantId, quantity: Number(qty), expiresAt: Number(expiresAt) };
}
