import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type PgHandle } from '../src/backends/postgres/client.js';
import { startNeonWsProxy, type WsProxy } from './support/neon-ws-proxy.js';
import { usePostgres } from './support/harness.js';

const pg = usePostgres();
let proxy: WsProxy;
let neon: PgHandle;

beforeAll(async () => {
  proxy = await startNeonWsProxy();
  neon = await openPostgres({ url: pg.url, driver: 'neon-ws', wsProxy: proxy.address, max: 4 });
});
afterAll(async () => {
  await neon?.close();
  await proxy?.close();
});

describe('neon-ws driver (WebSocket Pool) through a local wsproxy', () => {
  it('runs queries and real transactions that roll back on error', async () => {
    expect(neon.kind).toBe('neon-ws');
    await neon.query('create table ws_probe (n int primary key)');
    await neon.db.transaction(async (tx) => {
      await tx.execute(sql`insert into ws_probe values (1)`);
    });
    await expect(
      neon.db.transaction(async (tx) => {
        await tx.execute(sql`insert into ws_probe values (2)`);
        await tx.execute(sql`insert into ws_probe values (1)`); // duplicate key: whole tx rolls back
      }),
    ).rejects.toThrow();
    const rows = await pg.handle.query<{ n: number }>('select n from ws_probe order by n');
    expect(rows.map((r) => r.n)).toEqual([1]);
  });
});
