/**
 * Realistic-looking identifiers and personal data in the formats of legacy-redis-format.md §3.
 * E-mail domains, IPs and phone numbers come from reserved ranges (example.com, 192.0.2.0/24,
 * 555-01xx), so no generated value belongs to a real person.
 */
import type { Rng } from './prng.js';

const FIRST = [
  'Maria',
  'James',
  'Sofia',
  'Daniel',
  'Olivia',
  'Mateo',
  'Emma',
  'Lucas',
  'Ava',
  'Noah',
  'Camila',
  'Ethan',
  'Isabella',
  'Liam',
  'Mia',
  'Diego',
  'Harper',
  'Elena',
  'Wyatt',
  'Grace',
];
const LAST = [
  'Lopez',
  'Smith',
  'Garcia',
  'Johnson',
  'Martinez',
  'Brown',
  'Nguyen',
  'Davis',
  'Hernandez',
  'Wilson',
  'Clark',
  'Ramirez',
  'Lewis',
  'Walker',
  'Young',
  'Allen',
  'King',
  'Wright',
  'Torres',
  'Hill',
];
const DOMAINS = ['example.com', 'example.net', 'example.org', 'mail.example.com', 'inbox.example.net'];
const BCRYPT = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const UPPER36 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A generated customer. */
export interface Person {
  firstName: string;
  lastName: string;
  /** Normalised (lower-case, trimmed), unique through `n`. */
  email: string;
}

/** A person whose e-mail is unique for a distinct `tag` (e.g. `u17`, `g3`). */
export function person(rng: Rng, tag: string): Person {
  const firstName = rng.pick(FIRST);
  const lastName = rng.pick(LAST);
  const sep = rng.pick(['.', '', '_']);
  const email = `${firstName}${sep}${lastName}.${tag}@${rng.pick(DOMAINS)}`.toLowerCase();
  return { firstName, lastName, email };
}

/** The e-mail as a customer typed it into Stripe: sometimes capitalised, never trimmed by us. */
export function rawCase(rng: Rng, email: string): string {
  if (!rng.chance(0.3)) return email;
  const [local = '', domain = ''] = email.split('@');
  const cap = local.replace(/(^|[._])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase());
  return `${cap}@${rng.chance(0.3) ? domain.toUpperCase() : domain}`;
}

/** A bcryptjs hash (`$2b$`, 60 characters) with the given cost. Not a hash of anything. */
export function bcryptHash(rng: Rng, cost: number): string {
  return `$2b$${String(cost).padStart(2, '0')}$${rng.chars(BCRYPT, 53)}`;
}

/** 32 random bytes as hex: every token kind of §3. */
export function token64(rng: Rng): string {
  return rng.hex(64);
}

/** A Stripe Checkout Session id: `cs_live_`/`cs_test_` + 58 characters (66 in all). */
export function checkoutSessionId(rng: Rng, live: boolean): string {
  return `${live ? 'cs_live_' : 'cs_test_'}${rng.pick(['a1', 'b1'])}${rng.base62(56)}`;
}

/** Manual sale id since 9322304: `MS` + 32 upper-case hex. */
export function msOrderId(rng: Rng): string {
  return `MS${rng.hex(32).toUpperCase()}`;
}

/** Manual sale id from 2025-12-03 to 2025-12-05: `manual-` + 32 lower-case hex. */
export function manualOrderId(rng: Rng): string {
  return `manual-${rng.hex(32)}`;
}

/** A Square payment id (29 base-62 characters). */
export function squarePaymentId(rng: Rng): string {
  return rng.base62(29);
}

/** `SQ` + the first 16 characters of the payment id, upper-cased. */
export function squareOrderId(paymentId: string): string {
  return `SQ${paymentId.slice(0, 16).toUpperCase()}`;
}

/** `test_order_{Date.now()}_{Math.random().toString(36).substring(7)}`. */
export function testOrderId(rng: Rng, createdMs: number): string {
  return `test_order_${createdMs}_${rng.base36(rng.int(4, 6))}`;
}

/** `promo_{Date.now()}_{Math.random().toString(36).substring(7)}`. */
export function promotionId(rng: Rng, createdMs: number): string {
  return `promo_${createdMs}_${rng.base36(rng.int(4, 6))}`;
}

export function stripePriceId(rng: Rng): string {
  return `price_1${rng.base62(23)}`;
}

export function stripeEventId(rng: Rng): string {
  return `evt_1${rng.base62(23)}`;
}

export function stripeRefundId(rng: Rng): string {
  return `re_3${rng.base62(23)}`;
}

/** A Square catalogue object id (24 upper-case base-36 characters). */
export function squareCatalogId(rng: Rng): string {
  return rng.chars(UPPER36, 24);
}

export function base32Secret(rng: Rng, n = 16): string {
  return rng.chars(BASE32, n);
}

/** Admin backup codes: 8 upper-case base-36 characters each. */
export function backupCodes(rng: Rng, n: number): string[] {
  return Array.from({ length: n }, () => rng.chars(UPPER36, 8));
}

export function blobUrl(rng: Rng, folder: string, name: string): string {
  return `https://dcw${rng.base36(8)}.public.blob.vercel-storage.com/${folder}/${name}-${rng.base62(21)}.jpg`;
}

/** A US phone number in E.164 from the fictional 555-01xx block. */
export function phone(rng: Rng): string {
  return `+1${rng.pick(['520', '602', '480', '928'])}55501${String(rng.int(0, 99)).padStart(2, '0')}`;
}

/** A documentation-range IPv4 address (RFC 5737). */
export function docIp(rng: Rng): string {
  return `${rng.pick(['192.0.2', '198.51.100', '203.0.113'])}.${rng.int(1, 254)}`;
}
