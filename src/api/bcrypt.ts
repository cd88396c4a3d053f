/**
 * bcrypt (Provos & Mazières, the OpenBSD `$2a$`/`$2b$`/`$2y$` format), because the store's users
 * log in with the hashes bcryptjs wrote and the project has no native bcrypt dependency. Output is
 * byte-identical to bcryptjs and libxcrypt (tests check vectors made by libxcrypt).
 *
 * Blowfish's initial P-array and S-boxes are the hexadecimal digits of π; they are computed once
 * (BigInt Machin formula, a few milliseconds) instead of being pasted as 1042 constants.
 * The cost loop yields to the event loop every 64 rounds, so a login does not stall other requests.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

const ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HASH_FORMAT = /^\$2([aby])\$(\d{2})\$([./A-Za-z0-9]{22})([./A-Za-z0-9]{31})$/;
/** "OrpheanBeholderScryDoubt" as six big-endian words. */
const MAGIC = [0x4f727068, 0x65616e42, 0x65686f6c, 0x64657253, 0x63727944, 0x6f756274];

let piWords: Uint32Array | undefined;

/** arctan(1/x) scaled by 2^bits, by its Taylor series in integers. */
function arctanInv(x: bigint, bits: bigint): bigint {
  const x2 = x * x;
  let term = (1n << bits) / x;
  let sum = term;
  for (let n = 3n, sign = -1n; term !== 0n; n += 2n, sign = -sign) {
    term /= x2;
    sum += (sign * term) / n;
  }
  return sum;
}

/** The first `count` 32-bit words of π's fractional part. */
function piFraction(count: number): Uint32Array {
  const bits = BigInt(count * 32 + 64); // 64 guard bits absorb the truncation error
  const pi = 16n * arctanInv(5n, bits) - 4n * arctanInv(239n, bits);
  const frac = (pi - (3n << bits)) >> 64n;
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) out[i] = Number((frac >> BigInt((count - 1 - i) * 32)) & 0xffffffffn);
  return out;
}

function initialState(): { P: Uint32Array; S: Uint32Array } {
  piWords ??= piFraction(18 + 1024);
  return { P: piWords.slice(0, 18), S: piWords.slice(18) };
}

function encipher(P: Uint32Array, S: Uint32Array, block: Uint32Array, off: number): void {
  let l = block[off]!;
  let r = block[off + 1]!;
  for (let i = 0; i < 16; i++) {
    l = (l ^ P[i]!) >>> 0;
    const f =
      ((((S[l >>> 24]! + S[256 | ((l >>> 16) & 0xff)]!) >>> 0) ^ S[512 | ((l >>> 8) & 0xff)]!) >>> 0) +
      S[768 | (l & 0xff)]!;
    r = (r ^ f) >>> 0;
    const t = l;
    l = r;
    r = t;
  }
  block[off] = (r ^ P[17]!) >>> 0;
  block[off + 1] = (l ^ P[16]!) >>> 0;
}

/** Reads the next big-endian word of `data`, cycling; `pos` is advanced in place. */
function streamWord(data: Uint8Array, pos: { i: number }): number {
  let w = 0;
  for (let k = 0; k < 4; k++) {
    w = ((w << 8) | data[pos.i]!) >>> 0;
    pos.i = (pos.i + 1) % data.length;
  }
  return w;
}

function expandKey(P: Uint32Array, S: Uint32Array, key: Uint8Array, salt: Uint8Array | null): void {
  const kp = { i: 0 };
  for (let i = 0; i < 18; i++) P[i] = (P[i]! ^ streamWord(key, kp)) >>> 0;
  const sp = { i: 0 };
  const lr = new Uint32Array(2);
  const fill = (target: Uint32Array, length: number) => {
    for (let i = 0; i < length; i += 2) {
      if (salt) {
        lr[0] = (lr[0]! ^ streamWord(salt, sp)) >>> 0;
        lr[1] = (lr[1]! ^ streamWord(salt, sp)) >>> 0;
      }
      encipher(P, S, lr, 0);
      target[i] = lr[0]!;
      target[i + 1] = lr[1]!;
    }
  };
  fill(P, 18);
  fill(S, 1024);
}

function encode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    let c1 = bytes[i++]!;
    out += ALPHABET[c1 >> 2];
    c1 = (c1 & 3) << 4;
    if (i >= bytes.length) {
      out += ALPHABET[c1];
      break;
    }
    let c2 = bytes[i++]!;
    out += ALPHABET[c1 | (c2 >> 4)];
    c1 = (c2 & 0x0f) << 2;
    if (i >= bytes.length) {
      out += ALPHABET[c1];
      break;
    }
    c2 = bytes[i++]!;
    out += `${ALPHABET[c1 | (c2 >> 6)]}${ALPHABET[c2 & 0x3f]}`;
  }
  return out;
}

/** Decodes the 22-character salt into 16 bytes. */
function decodeSalt(text: string): Uint8Array {
  const sextets = [...text].map((c) => ALPHABET.indexOf(c));
  const out = new Uint8Array(16);
  let o = 0;
  for (let i = 0; o < 16; i += 4) {
    const [a, b, c, d] = [sextets[i]!, sextets[i + 1]!, sextets[i + 2] ?? 0, sextets[i + 3] ?? 0];
    out[o++] = ((a << 2) | (b >> 4)) & 0xff;
    if (o < 16) out[o++] = ((b << 4) | (c >> 2)) & 0xff;
    if (o < 16) out[o++] = ((c << 6) | d) & 0xff;
  }
  return out;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

async function computeHash(password: string, minor: string, cost: number, saltText: string): Promise<string> {
  const pw = Buffer.from(password, 'utf8');
  // The key is the password with its terminating NUL, cut at 72 bytes (the NUL is lost first).
  const key = new Uint8Array(Math.min(pw.length + 1, 72));
  key.set(pw.subarray(0, Math.min(pw.length, 72)));
  const salt = decodeSalt(saltText);
  const { P, S } = initialState();
  expandKey(P, S, key, salt);
  const rounds = 2 ** cost;
  for (let i = 0; i < rounds; i++) {
    if ((i & 63) === 63) await tick();
    expandKey(P, S, key, null);
    expandKey(P, S, salt, null);
  }
  const ctext = Uint32Array.from(MAGIC);
  for (let i = 0; i < 64; i++) for (let b = 0; b < 6; b += 2) encipher(P, S, ctext, b);
  const bytes = new Uint8Array(24);
  ctext.forEach((w, i) => {
    bytes[i * 4] = w >>> 24;
    bytes[i * 4 + 1] = (w >>> 16) & 0xff;
    bytes[i * 4 + 2] = (w >>> 8) & 0xff;
    bytes[i * 4 + 3] = w & 0xff;
  });
  // The 22nd salt character carries 4 unused bits; the canonical form re-encodes the decoded bytes.
  return `$2${minor}$${String(cost).padStart(2, '0')}$${encode(salt).slice(0, 22)}${encode(bytes.subarray(0, 23))}`;
}

/** A new `$2b$` hash of `password` with a random salt. Cost 4–31 (the store used 10, then 12). */
export async function bcryptHash(password: string, cost = 12): Promise<string> {
  if (!Number.isInteger(cost) || cost < 4 || cost > 31)
    throw new RangeError(`bcrypt cost ${cost} is not 4–31`);
  return computeHash(password, 'b', cost, encode(randomBytes(16)).slice(0, 22));
}

/** True when `password` matches the hash; false for a wrong password or a hash that is not bcrypt. */
export async function bcryptVerify(password: string, hash: string): Promise<boolean> {
  const m = HASH_FORMAT.exec(hash);
  if (!m) return false;
  const cost = Number(m[2]);
  if (cost < 4 || cost > 31) return false;
  const computed = Buffer.from(await computeHash(password, m[1]!, cost, m[3]!));
  const given = Buffer.from(hash);
  return computed.length === given.length && timingSafeEqual(computed, given);
}

/** Exposed for the salt-normalisation check in tests: hash with a given salt text. */
export function bcryptHashWithSalt(password: string, salt: string): Promise<string> {
  const m = /^\$2([aby])\$(\d{2})\$([./A-Za-z0-9]{22})/.exec(salt);
  if (!m) throw new RangeError('salt must look like $2b$NN$ followed by 22 characters');
  return computeHash(password, m[1]!, Number(m[2]), m[3]!);
}
