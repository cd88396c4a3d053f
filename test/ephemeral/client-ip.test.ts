import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipSubject, normaliseIp, resolveClientIp } from '../../src/ephemeral/client-ip.js';

describe('client IP for rate limiting', () => {
  it('takes the address N trusted proxies from the right of x-forwarded-for', () => {
    const forwardedFor = 'spoofed-by-client, 203.0.113.7, 10.0.0.2';
    expect(resolveClientIp({ forwardedFor }, 1)).toBe('10.0.0.2');
    expect(resolveClientIp({ forwardedFor }, 2)).toBe('203.0.113.7');
    // More trusted proxies than hops: the leftmost hop, which here is not an IP at all.
    expect(resolveClientIp({ forwardedFor }, 5)).toBeNull();
    expect(resolveClientIp({ forwardedFor: '198.51.100.1' }, 3)).toBe('198.51.100.1');
  });

  it('ignores the headers with 0 trusted proxies and falls back to x-real-ip, then the socket', () => {
    const input = { forwardedFor: '1.1.1.1', realIp: '2.2.2.2', remoteAddress: '::ffff:3.3.3.3' };
    expect(resolveClientIp(input, 0)).toBe('3.3.3.3');
    expect(resolveClientIp({ realIp: '2.2.2.2', remoteAddress: '3.3.3.3' }, 1)).toBe('2.2.2.2');
    expect(resolveClientIp({ forwardedFor: ' , ', remoteAddress: '3.3.3.3' }, 1)).toBe('3.3.3.3');
    expect(resolveClientIp({}, 1)).toBeNull();
  });

  it('normalises the textual forms of one address to one value', () => {
    const forms = [
      '2001:DB8::1',
      '2001:0db8:0000:0000:0000:0000:0000:0001',
      '[2001:db8::1]:443',
      '2001:db8::1%eth0',
    ];
    for (const form of forms) {
      expect(normaliseIp(form)).toBe('2001:db8::1');
    }
    expect(normaliseIp('::ffff:192.0.2.9')).toBe('192.0.2.9');
    expect(normaliseIp('192.0.2.9:8080')).toBe('192.0.2.9');
    expect(normaliseIp('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(normaliseIp('unknown')).toBeNull();
    expect(normaliseIp('1.2.3.4:rate_limit')).toBeNull();
    expect(normaliseIp('999.1.1.1')).toBeNull();
  });

  it('buckets IPv6 clients by /64 and keeps IPv4 exact', () => {
    expect(ipSubject('2001:db8:1:2:aaaa::1')).toBe('ip6:2001:db8:1:2::/64');
    expect(ipSubject('2001:db8:1:2:bbbb::9')).toBe(ipSubject('2001:db8:1:2:aaaa::1'));
    expect(ipSubject('2001:db8:1:3::1')).not.toBe(ipSubject('2001:db8:1:2::1'));
    expect(ipSubject('2001:db8:1:2:aaaa::1', 128)).toBe('ip6:2001:db8:1:2:aaaa::1/128');
    expect(ipSubject('192.0.2.1')).toBe('ip4:192.0.2.1');
    expect(ipSubject(null)).toBe('unknown');
  });

  it('never lets header text through unvalidated (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 0, max: 4 }), (header, proxies) => {
        const ip = resolveClientIp({ forwardedFor: header, realIp: header }, proxies);
        if (ip !== null) expect(normaliseIp(ip)).toBe(ip); // canonical and an IP
        expect(ipSubject(ip)).toMatch(/^(unknown|ip4:[0-9.]+|ip6:[0-9a-f:]+\/\d+)$/);
      }),
    );
    fc.assert(
      fc.property(fc.ipV6(), (ip) => {
        const n = normaliseIp(ip);
        expect(n).not.toBeNull();
        expect(normaliseIp(n!)).toBe(n);
        expect(normaliseIp(n!.toUpperCase())).toBe(n);
      }),
    );
  });
});
