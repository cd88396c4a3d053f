/**
 * The back office: in-process reads through the routed data layer, for the domains the store API
 * has no page for (workshop catalogue, purchases, promotions, refunds, tokens, admin, the points
 * ledger). They give the shadow-read comparator something to compare, so the guard rail's evidence
 * ("enough reads compared, none different") exists for every domain, not only the ones customers
 * touch. Reads go to the domains the walker says still lack evidence, round-robin.
 */
import type { DataLayer } from '../domain/data-layer.js';
import type { RecordIds } from './fixtures.js';
import { RequestPacer } from './pacer.js';

type Read = (pick: <T>(items: readonly T[]) => T | undefined) => Promise<unknown> | undefined;

/**
 * One read of each kind per domain; a read whose id pool is empty is skipped. Only records that
 * existed before the demo (the traffic never writes them, except product stock), and no listings of
 * what the traffic keeps writing (refunds, admins): such a read is compared while the newest entry is
 * between the two stores, which says nothing about the migration.
 */
export function backofficeReads(data: DataLayer, ids: RecordIds): Record<string, Read[]> {
  const c = data.catalogue;
  const withId =
    <T>(pool: readonly T[], read: (id: T) => Promise<unknown>): Read =>
    (pick) => {
      const id = pick(pool);
      return id === undefined ? undefined : read(id);
    };
  return {
    users: [
      withId(ids.userIds, (id) => data.users.getById(id)),
      withId(ids.emails, (e) => data.users.getByEmail(e)),
    ],
    points: [
      withId(ids.userIds, (id) => data.points.history(id)),
      withId(ids.userIds, (id) => data.points.balance(id)),
    ],
    tokens: [
      withId(ids.tokens.reset, (t) => data.tokens.passwordReset.get(t)),
      withId(ids.tokens.verify, (t) => data.tokens.emailVerification.get(t)),
      withId(ids.tokens.invoice, (t) => data.tokens.invoice.get(t)),
    ],
    admin: [withId(ids.adminIds, (id) => data.admin.get(id)), () => data.admin.getLegacyTwoFactor()],
    orders: [
      withId(ids.orderIds, (id) => data.orders.get(id)),
      withId(ids.userIds, (id) => data.orders.byUser(id)),
    ],
    promotions: [
      withId(ids.promotionIds, (id) => data.promotions.get(id)),
      withId(ids.promotionCodes, (code) => data.promotions.getByCode(code)),
      () => data.promotions.list(),
    ],
    refunds: [
      withId(ids.refundIds, (id) => data.refunds.get(id)),
      withId(ids.orderIds, (id) => data.refunds.byOrder(id)),
    ],
    products: [withId(ids.productSlugs, (slug) => data.products.get(slug))],
    alcoholTypes: [
      () => data.alcoholTypes.list(),
      withId(ids.alcoholTypeIds, (id) => data.alcoholTypes.get(id)),
    ],
    catalogue: [
      () => c.scents.list(),
      withId(ids.scentIds, (id) => c.scents.get(id)),
      withId(ids.baseOilIds, (id) => c.baseOils.get(id)),
      withId(ids.containerIds, (id) => c.containers.get(id)),
      withId(ids.wickIds, (id) => c.calculatorWicks.get(id)),
      () => c.calculatorSettings.get(),
    ],
    purchases: [
      withId(ids.purchaseIds, (id) => data.purchases.get(id)),
      () => data.purchases.list(),
      withId(ids.vendors, (v) => data.purchases.byVendor(v)),
      withId(ids.months, (m) => data.purchases.byMonth(m)),
    ],
  };
}

export interface Backoffice {
  /** The domains to read now (the others are left alone). */
  focus(domains: readonly string[]): void;
  reads(): number;
  /** Reads that failed (they are not API requests; the first few messages are kept). */
  readonly errors: string[];
  stop(): Promise<void>;
}

export function startBackoffice(
  data: DataLayer,
  ids: RecordIds,
  rps: number,
  random: () => number,
): Backoffice {
  const reads = backofficeReads(data, ids);
  const pacer = new RequestPacer(rps);
  const pick = <T>(items: readonly T[]) =>
    items.length === 0 ? undefined : items[Math.floor(random() * items.length)];
  let focused: string[] = [];
  let turn = 0;
  let count = 0;
  const errors: string[] = [];

  async function loop(): Promise<void> {
    while (await pacer.acquire()) {
      const domains = focused.filter((d) => reads[d]?.length);
      if (domains.length === 0) {
        if (!(await pacer.pause(200))) return;
        continue;
      }
      const kinds = reads[domains[turn % domains.length]!]!;
      const read = kinds[Math.floor(turn / domains.length) % kinds.length]!;
      turn++;
      try {
        const pending = read(pick);
        if (pending) {
          await pending;
          count++;
        }
      } catch (err) {
        if (errors.length < 20) errors.push(err instanceof Error ? err.message : String(err));
      }
    }
  }

  const running = loop();
  return {
    focus(domains) {
      focused = [...domains];
    },
    reads: () => count,
    errors,
    async stop() {
      pacer.stop();
      await running;
    },
  };
}
