/**
 * TOTP (RFC 6238) as otplib's authenticator checks it for the store's admins: HMAC-SHA1, 6 digits,
 * 30-second steps, base32 secret; one step of clock skew either way is accepted.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Decodes RFC 4648 base32 (case-insensitive, padding and spaces ignored); null when invalid. */
export function base32Decode(text: string): Buffer | null {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of clean) {
    const i = BASE32.indexOf(c);
    if (i < 0) return null;
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return out.length > 0 ? Buffer.from(out) : null;
}

/** The 6-digit code of `secret` for time step `counter`. */
export function totpAt(key: Buffer, counter: number): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(msg).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(code).padStart(6, '0');
}

export function verifyTotp(secret: string, code: string, now: Date = new Date(), window = 1): boolean {
  const key = base32Decode(secret);
  if (!key || !/^\d{6}$/.test(code)) return false;
  const step = Math.floor(now.getTime() / 30_000);
  let ok = false;
  for (let d = -window; d <= window; d++) {
    // Check every step (no early exit) so the timing does not tell which step matched.
    ok = timingSafeEqual(Buffer.from(totpAt(key, step + d)), Buffer.from(code)) || ok;
  }
  return ok;
}
