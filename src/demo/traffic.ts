/**
 * Steady synthetic traffic against the store API: `users` customers, each running one journey after
 * another (every journey a new customer from a new address), plus one admin refunding orders, all
 * sharing one request budget. `stop()` lets requests in flight finish and resolves when every
 * virtual user has stopped.
 */
import { RequestFailedError, TrafficStoppedError, VirtualClient } from './http-client.js';
import { adminLogin, customerJourney, type DemoAdmin, refundOne } from './journeys.js';
import { WriteLedger } from './ledger.js';
import { RequestPacer } from './pacer.js';
import { TrafficStats } from './stats.js';

export interface TrafficOptions {
  baseUrl: string;
  users: number;
  rps: number;
  /** Makes e-mails unique per run (`shopper.<tag>-<n>@example.com`). */
  runTag: string;
  admin: DemoAdmin;
  /** Seeds the customers' choices. */
  seed: string;
}

export interface Traffic {
  readonly stats: TrafficStats;
  readonly ledger: WriteLedger;
  /** Customer journeys started so far. */
  journeys(): number;
  /** Unexpected exceptions in the virtual users themselves (a bug in the demo, not a request). */
  readonly crashes: string[];
  stop(): Promise<void>;
}

/** Routes that write: a 5xx or a dropped connection there leaves the outcome unknown. */
const WRITE_ROUTES = new Set(['POST /api/checkout', 'POST /api/auth/register', 'POST /api/admin/refunds']);

/** A distinct benchmark-range address (198.18.0.0/15, RFC 2544) per journey, so rate limits are per customer. */
export function journeyAddress(n: number): string {
  const k = n % 131_070;
  return `198.${18 + (k >> 16)}.${(k >> 8) & 255}.${k & 255 || 1}`;
}

/** Small deterministic PRNG (mulberry32) seeded from a string. */
export function seededRandom(seed: string): () => number {
  let h = 1779033703 ^ seed.length;
  for (let i = 0; i < seed.length; i++) {
    h = Math.imul(h ^ seed.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function startTraffic(o: TrafficOptions): Traffic {
  const pacer = new RequestPacer(o.rps);
  const stats = new TrafficStats();
  const ledger = new WriteLedger();
  const crashes: string[] = [];
  let journeyCount = 0;

  /** Runs one unit of work; false when the traffic stopped. Failures are counted, then the user goes on. */
  async function attempt(work: () => Promise<unknown>): Promise<boolean> {
    try {
      await work();
      return true;
    } catch (err) {
      if (err instanceof TrafficStoppedError) return false;
      if (err instanceof RequestFailedError) {
        if (WRITE_ROUTES.has(err.route) && /^(HTTP 5|network)/.test(err.reason)) ledger.uncertainWrites++;
      } else {
        crashes.push(err instanceof Error ? (err.stack ?? err.message) : String(err));
      }
      // Back off a little, as a person would before trying again.
      return pacer.pause(500);
    }
  }

  async function customer(slot: number): Promise<void> {
    // The listing is fetched every few journeys (a browser or CDN cache); the product page read before
    // buying is always fresh. A listing compares every product at once, so while stock changes all
    // the time it is the read most often caught mid-write by the shadow-read comparator.
    let listing: { body: unknown; uses: number } | undefined;
    const browse = async (client: VirtualClient) => {
      if (!listing || listing.uses >= 4) {
        const res = await client.call({
          method: 'GET',
          path: '/api/products',
          route: 'GET /api/products',
          expect: [200],
        });
        listing = { body: res.body, uses: 0 };
      }
      listing.uses++;
      return listing.body;
    };
    for (;;) {
      const n = journeyCount++;
      const client = new VirtualClient(o.baseUrl, journeyAddress(n), pacer, stats);
      const random = seededRandom(`${o.seed}:${slot}:${n}`);
      const tag = `${o.runTag}-${n}`;
      // Enough stock left that the other customers cannot buy the last unit between look and buy.
      const minStock = o.users + 2;
      if (!(await attempt(() => customerJourney({ client, browse, ledger, tag, minStock, random })))) return;
    }
  }

  async function admin(): Promise<void> {
    const client = new VirtualClient(o.baseUrl, '192.0.2.10', pacer, stats);
    const deps = { client, ledger, admin: o.admin, now: () => new Date() };
    let loggedIn = false;
    let refunds = 0;
    while (!pacer.isStopped) {
      // Log in again now and then, as the shop owner does (it writes the admin domain too).
      if (!loggedIn || refunds >= 15) {
        loggedIn = false;
        const going = await attempt(async () => {
          await adminLogin(deps);
          loggedIn = true;
          refunds = 0;
        });
        if (!going) return;
        if (!loggedIn) continue;
      }
      let did = false;
      if (!(await attempt(async () => (did = await refundOne(deps))))) return;
      if (did) refunds++;
      else if (!(await pacer.pause(250))) return;
    }
  }

  const running = [...Array.from({ length: o.users }, (_, i) => customer(i)), admin()];
  let stopping: Promise<void> | undefined;
  return {
    stats,
    ledger,
    crashes,
    journeys: () => journeyCount,
    stop() {
      pacer.stop();
      stopping ??= Promise.allSettled(running).then(() => undefined);
      return stopping;
    },
  };
}
