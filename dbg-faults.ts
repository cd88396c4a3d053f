import { openPostgres } from './src/backends/postgres/client.js';
import { migrateDatabase } from './src/backends/postgres/migrate.js';
import { openRedis } from './src/backends/redis/client.js';
import { legacyKeys } from './src/legacy/keys.js';
import { createDataLayer } from './src/migration/router/index.js';
import { stderrLog } from './src/migration/router/log.js';
import { seedWorld, startTraffic } from './test/router/traffic.js';
import { startTcpProxy } from './test/support/tcp-proxy.js';
import postgres from 'postgres';
const admin = postgres('postgres://postgres@127.0.0.1:5432/postgres', { max: 1 });
await admin.unsafe('DROP DATABASE IF EXISTS dcw_dbg_faults'); await admin.unsafe('CREATE DATABASE dcw_dbg_faults'); await admin.end();
const direct = await openPostgres({ url: 'postgres://postgres@127.0.0.1:5432/dcw_dbg_faults', driver: 'postgres-js' });
await migrateDatabase(direct);
console.log('migrated');
const pgProxy = await startTcpProxy({ port: 5432 });
const pgVia = await openPostgres({ url: `postgres://postgres@127.0.0.1:${pgProxy.port}/dcw_dbg_faults`, driver: 'postgres-js' });
const redisVia = await openRedis({ url: 'redis://127.0.0.1:6379', reconnect: true });
const prefix = `dbg:${Date.now()}:`;
const layer = await createDataLayer({ redis: { client: redisVia, keys: legacyKeys(prefix) }, pg: pgVia, env: { MIGRATION_STAGE: 'dual-write' }, log: stderrLog('error'),
  stages: { pollMs: 50, switchDelayMs: 150, quiesceMs: 150 }, shadowWrites: { timeoutMs: 1000, settleMs: 100 },
  reconciler: { intervalMs: 200, baseBackoffMs: 200, maxBackoffMs: 2000, maxAttempts: 1000, timeoutMs: 2000 } });
console.log('router up');
const world = await seedWorld(layer);
console.log('seeded');
const layer2 = await createDataLayer({ redis: { client: redisVia, keys: legacyKeys(prefix) }, pg: pgVia, env: { MIGRATION_STAGE: 'dual-write' }, log: stderrLog('error'), stages: { pollMs: 50, switchDelayMs: 150, quiesceMs: 150 } });
const t = startTraffic([layer, layer2], world, 2);
const iv = setInterval(() => console.log('ok', t.report.ok, 'fail', t.report.failures.length), 1000);
await new Promise((r) => setTimeout(r, 1500));
pgProxy.partition(); console.log('partition');
for (let i = 0; i < 0; i++) {
  let t0 = Date.now(); await layer.users.updateProfile(world.users[0]!.id, { firstName: 'X' + i }); console.log('updateProfile', Date.now() - t0);
  t0 = Date.now(); await layer.users.getById(world.users[0]!.id); console.log('getById', Date.now() - t0);
  t0 = Date.now(); await layer.points.earn(world.users[0]!.id, 1, 'x'); console.log('earn', Date.now() - t0);
}
await new Promise((r) => setTimeout(r, 30000));
await pgProxy.restore(); console.log('restored');
await new Promise((r) => setTimeout(r, 2000));
const rep = await t.stop(); console.log('stopped', rep.ok, rep.failures.slice(0, 5));
const t9 = Date.now();
let lg: any;
while ((lg = await layer.migration.lag().catch((e) => [{depth: -1, e: String(e)}])).some((l: any) => l.depth !== 0)) { await new Promise((r) => setTimeout(r, 2000)); console.log(Date.now() - t9, JSON.stringify(lg.map((l: any) => [l.domain, l.depth, l.parked, l.e])));  if (Date.now() - t9 > 60000) { console.log('NOT DRAINED', await layer.migration.lag()); break; } }
console.log('drained after', Date.now() - t9);
clearInterval(iv);
await layer.migration.close(); await redisVia.quit(); await pgVia.close(); await direct.close(); await pgProxy.close();
