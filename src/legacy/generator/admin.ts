/**
 * Admin data (§4.12, §4.13): admin users and sessions, the capped `admin:logs` list, the legacy
 * single-admin 2FA keys and the TikTok Shop token (JSON text).
 */
import type { GenContext } from './context.js';
import { backupCodes, base32Secret, bcryptHash, docIp, person } from './ids.js';
import type { Rng } from './prng.js';
import { DAY, HOUR, iso, MINUTE, T } from './timeline.js';

const ADMIN_SESSION_LIFE = 7 * DAY;
const LOGS_KEPT = 1000;
const ACTIONS = [
  'login',
  'logout',
  'order.search',
  'order.send-invoice',
  'product.update',
  'product.stock',
  'product.create',
  'manual-sale.create',
  'test-order.create',
  'alcohol-type.update',
  'scent.update',
  'square.payment.completed',
  'stripe-sync.process',
  'admin-user.list',
  '2fa_setup_initiated',
];
const AGENTS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'Square-Webhooks/1.0',
];

/** Who admin user `i` is (index 0 is the super admin); pure, so sessions and logs can name it. */
export interface AdminIdentity {
  id: string;
  email: string;
  role: 'super_admin' | 'admin';
}

export function adminIdentity(ctx: GenContext, i: number): AdminIdentity {
  const rng = ctx.rng('admin-id', i);
  return { id: rng.uuid(), email: person(rng, `a${i}`).email, role: i === 0 ? 'super_admin' : 'admin' };
}

export function buildAdminUser(ctx: GenContext, rng: Rng, a: AdminIdentity): Record<string, unknown> {
  const createdMs = rng.between(T.multiAdmin, T.multiAdmin + 10 * DAY);
  const used = rng.weighted([
    [0, 5],
    [2, 3],
    [10, 1],
  ] as const);
  return {
    id: a.id,
    email: a.email,
    passwordHash: bcryptHash(rng, 12),
    twoFactorSecret: base32Secret(rng),
    twoFactorBackupCodes: backupCodes(rng, 10 - used),
    createdAt: iso(createdMs),
    lastLoginAt: rng.chance(0.9) ? iso(rng.between(createdMs, ctx.nowMs - MINUTE)) : undefined,
    active: rng.chance(0.9),
    role: a.role,
  };
}

function logEntry(rng: Rng, atMs: number, admins: AdminIdentity[]): Record<string, unknown> {
  const action = rng.pick(ACTIONS);
  const square = action === 'square.payment.completed';
  return {
    timestamp: iso(atMs),
    action,
    adminEmail: square
      ? 'square-pos'
      : atMs < T.multiAdmin
        ? rng.pick(['admin', undefined])
        : rng.pick(admins).email,
    ip: square ? 'unknown' : docIp(rng),
    userAgent: square ? AGENTS[2] : rng.pick(AGENTS.slice(0, 2)),
    details: rng.chance(0.5) ? { path: `/admin/${action.split('.')[0]}`, count: rng.int(1, 20) } : undefined,
    success: action === 'login' ? rng.chance(0.9) : true,
  };
}

export function adminSection(ctx: GenContext): void {
  const { keys, out, counts } = ctx;
  const admins = Array.from({ length: counts.adminUsers }, (_, i) => adminIdentity(ctx, i));
  for (const [i, a] of admins.entries()) {
    out.json('adminUser', keys.adminUser(a.id), buildAdminUser(ctx, ctx.rng('admin', i), a));
    ctx.index.add('adminUsersIndex', keys.adminUsersIndex(), a.id);
  }
  for (let i = 0; i < counts.adminSessions; i++) {
    const rng = ctx.rng('admin-session', i);
    const a = rng.pick(admins);
    const created = rng.between(ctx.nowMs - ADMIN_SESSION_LIFE + HOUR, ctx.nowMs - MINUTE);
    out.json(
      'adminSession',
      keys.adminSession(rng.uuid()),
      { userId: a.id, email: a.email, role: a.role, createdAt: iso(created) },
      ctx.ttlUntil(created + ADMIN_SESSION_LIFE),
    );
  }

  // LPUSH per action then LTRIM 0 999: pushed oldest first, the list keeps the newest 1000.
  const rng = ctx.rng('admin-logs');
  const start = Date.parse('2025-10-14T18:00:00.000Z');
  const step = (ctx.nowMs - MINUTE - start) / counts.adminLogEntries;
  let chunk: string[] = [];
  for (let k = 0; k < counts.adminLogEntries; k++) {
    chunk.push(JSON.stringify(logEntry(rng, Math.floor(start + (k + rng.next()) * step), admins)));
    if (chunk.length === 500) {
      out.lpush('adminLogs', keys.adminLogs(), chunk);
      chunk = [];
    }
  }
  out.lpush('adminLogs', keys.adminLogs(), chunk);
  out.ltrim('adminLogs', keys.adminLogs(), 0, LOGS_KEPT - 1);

  const sec = ctx.rng('admin-2fa');
  out.set('admin2faSecret', keys.admin2faSecret(), base32Secret(sec));
  out.set('admin2faBackupCodes', keys.admin2faBackupCodes(), JSON.stringify(backupCodes(sec, 10)));
  const tk = ctx.rng('tiktok');
  const issued = tk.between(T.square, ctx.nowMs - HOUR);
  // The app stores JSON.stringify(tokens) as a string: the same bytes as a JSON object.
  out.set(
    'tiktokToken',
    keys.tiktokToken(),
    JSON.stringify({
      accessToken: `TTP_${tk.base62(40)}`,
      refreshToken: `TTP_${tk.base62(40)}`,
      expiresAt: issued + 4 * HOUR,
      refreshExpiresAt: issued + 365 * DAY,
      scope: 'seller.authorization.info,seller.product.basic,seller.order.info',
    }),
  );
  ctx.index.flush();
}
