/**
 * Which client a request comes from, for rate limiting. The legacy limiter keyed on the raw
 * `x-forwarded-for` header, so a client could pick its own bucket (or inject `:` segments) by sending
 * the header itself. Here the client is the address `trustedProxies` hops from the right of the
 * header (each trusted proxy appends the address it received the request from), it must parse as an
 * IP, IPv4-mapped IPv6 becomes IPv4, IPv6 is canonicalised and bucketed by its /64 by default (one
 * subscriber usually owns a whole /64), and the limiter hashes the result before it enters a key.
 */
import { isIP } from 'node:net';

export interface RequestAddress {
  /** The `x-forwarded-for` header as received (comma-separated, spaces allowed). */
  forwardedFor?: string | null;
  /** The `x-real-ip` header. */
  realIp?: string | null;
  /** The socket's peer address. */
  remoteAddress?: string | null;
}

/**
 * The client IP in canonical form, or null when it cannot be determined or is not an IP.
 * `trustedProxies` = 0 ignores the headers and uses the socket address; n ≥ 1 takes the n-th entry
 * from the right of `x-forwarded-for` (the leftmost when the list is shorter), then `x-real-ip`, then
 * the socket address.
 */
export function resolveClientIp(input: RequestAddress, trustedProxies: number): string | null {
  const n = Math.max(0, Math.floor(trustedProxies));
  let candidate: string | null | undefined = input.remoteAddress;
  if (n > 0) {
    const hops = (input.forwardedFor ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
    if (hops.length > 0) candidate = hops[Math.max(0, hops.length - n)];
    else if (input.realIp?.trim()) candidate = input.realIp.trim();
  }
  return candidate ? normaliseIp(candidate) : null;
}

/**
 * Canonical text of an IP address, or null if `raw` is not one. Accepts `[v6]`, `[v6]:port`,
 * `v4:port` and zone ids (`fe80::1%eth0`, zone dropped). IPv4-mapped IPv6 becomes dotted IPv4;
 * IPv6 is lower-case with the longest zero run compressed.
 */
export function normaliseIp(raw: string): string | null {
  let s = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(s);
  if (bracketed) s = bracketed[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d{1,5}$/.test(s)) s = s.slice(0, s.lastIndexOf(':'));
  s = s.replace(/%.*$/, '');
  const version = isIP(s);
  if (version === 4)
    return s
      .split('.')
      .map((p) => String(Number(p)))
      .join('.');
  if (version !== 6) return null;
  const hextets = parseIpv6(s);
  if (!hextets) return null;
  const isMapped = hextets.slice(0, 5).every((h) => h === 0) && hextets[5] === 0xffff;
  if (isMapped) {
    const [a, b] = [hextets[6]!, hextets[7]!];
    return [a >> 8, a & 0xff, b >> 8, b & 0xff].join('.');
  }
  return formatIpv6(hextets);
}

/**
 * The rate-limit subject of a client: `ip4:{address}`, `ip6:{network}/{bits}` or `unknown` when the
 * address is missing. Callers hash it into the key; it is never used as a key segment directly.
 */
export function ipSubject(ip: string | null, ipv6PrefixBits = 64): string {
  if (ip === null) return 'unknown';
  if (isIP(ip) === 4) return `ip4:${ip}`;
  const hextets = parseIpv6(ip);
  if (!hextets) return 'unknown';
  const bits = Math.min(128, Math.max(0, Math.floor(ipv6PrefixBits)));
  const masked = hextets.map((h, i) => {
    const keep = Math.min(16, Math.max(0, bits - i * 16));
    return keep === 0 ? 0 : h & ((0xffff << (16 - keep)) & 0xffff);
  });
  return `ip6:${formatIpv6(masked)}/${bits}`;
}

/** Eight 16-bit groups of a valid IPv6 text (embedded dotted IPv4 tail allowed), or null. */
export function parseIpv6(text: string): number[] | null {
  if (isIP(text) !== 6) return null;
  let s = text.toLowerCase();
  const v4 = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(s);
  if (v4) {
    const p = v4[1]!.split('.').map(Number);
    s = `${s.slice(0, -v4[1]!.length)}${((p[0]! << 8) | p[1]!).toString(16)}:${((p[2]! << 8) | p[3]!).toString(16)}`;
  }
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = tail === undefined ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...Array<string>(fill).fill('0'), ...right].map((g) => Number.parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => g >= 0 && g <= 0xffff) ? groups : null;
}

/** RFC 5952 text: lower-case, no leading zeros, the longest run (≥ 2) of zero groups as `::`. */
export function formatIpv6(groups: number[]): string {
  let best = { start: -1, len: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.len) best = { start: i, len: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.len < 2) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.len).join(':')}`;
}
