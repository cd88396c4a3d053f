import { describe, expect, it } from 'vitest';
import { casLoop, casWrite } from '../../src/backends/redis/atomic.js';
import { openRedis } from '../../src/backends/redis/client.js';
import { useRedis } from '../support/harness.js';

const r = useRedis();

describe('casWrite', () => {
  it('applies every write when all guards hold, and none when one changed', async () => {
    const k = (s: string) => `${r.prefix}${s}`;
    await r.client.set(k('doc'), '{"a":1}');
    const ok = await casWrite(
      r.client,
      [
        { key: k('doc'), expected: '{"a":1}' },
        { key: k('new'), expected: null },
      ],
      [
        { op: 'set', key: k('doc'), value: '{"a":2,"path":"/x","list":[]}' },
        { op: 'set', key: k('new'), value: 'v', ttlSeconds: 100 },
        { op: 'sadd', key: k('idx'), member: 'doc' },
        { op: 'lpush', key: k('list'), member: 'first' },
      ],
    );
    expect(ok).toEqual({ ok: true });
    // bytes are exactly what the caller encoded: no cjson re-encoding of [] or /
    expect(await r.client.get(k('doc'))).toBe('{"a":2,"path":"/x","list":[]}');
    expect(await r.client.ttl(k('new'))).toBeGreaterThan(90);
    expect(await r.client.sMembers(k('idx'))).toEqual(['doc']);

    const stale = await casWrite(
      r.client,
      [{ key: k('doc'), expected: '{"a":1}' }],
      [
        { op: 'set', key: k('doc'), value: 'lost' },
        { op: 'del', key: k('new') },
      ],
    );
    expect(stale).toEqual({ ok: false, conflictKey: k('doc') });
    expect(await r.client.get(k('doc'))).toBe('{"a":2,"path":"/x","list":[]}');
    expect(await r.client.exists(k('new'))).toBe(1);
  });

  it('a must-not-exist guard fails when the key exists', async () => {
    const key = `${r.prefix}exists`;
    await r.client.set(key, 'x');
    const res = await casWrite(r.client, [{ key, expected: null }], [{ op: 'set', key, value: 'y' }]);
    expect(res.ok).toBe(false);
    expect(await r.client.get(key)).toBe('x');
  });
});

describe('casLoop', () => {
  it('never loses an increment under 100 concurrent read-modify-writes on separate connections', async () => {
    const key = `${r.prefix}counter-doc`;
    await r.client.set(key, JSON.stringify({ n: 0 }));
    const clients = await Promise.all([0, 1, 2, 3].map(() => openRedis({ url: r.url })));
    try {
      await Promise.all(
        Array.from({ length: 100 }, (_, i) => {
          const c = clients[i % clients.length]!;
          return casLoop(c, 'increment', async () => {
            const raw = await c.get(key);
            const doc = JSON.parse(raw ?? '{"n":0}') as { n: number };
            return {
              guards: [{ key, expected: raw }],
              writes: [{ op: 'set', key, value: JSON.stringify({ n: doc.n + 1 }) }],
              result: doc.n + 1,
            };
          });
        }),
      );
    } finally {
      await Promise.all(clients.map((c) => c.quit()));
    }
    expect(JSON.parse((await r.client.get(key)) ?? '{}')).toEqual({ n: 100 });
  });
});

describe('runUnitOfWork', () => {
  it('composes several steps on one key and commits them together, or not at all', async () => {
    const { runUnitOfWork } = await import('../../src/backends/redis/atomic.js');
    const doc = `${r.prefix}uow-doc`;
    const idx = `${r.prefix}uow-idx`;
    await r.client.set(doc, JSON.stringify({ stock: 5 }));
    const take = async (uow: import('../../src/backends/redis/atomic.js').RedisUnitOfWork, n: number) => {
      const cur = JSON.parse((await uow.get(doc)) ?? '{}') as { stock: number };
      if (cur.stock < n) throw new Error(`only ${cur.stock} left`);
      uow.set(doc, JSON.stringify({ stock: cur.stock - n }));
    };
    await runUnitOfWork(r.client, 'two takes', async (uow) => {
      await take(uow, 2);
      await take(uow, 2); // sees the pending 3, leaves 1
      uow.push({ op: 'sadd', key: idx, member: 'a' });
    });
    expect(JSON.parse((await r.client.get(doc)) ?? '{}')).toEqual({ stock: 1 });
    await expect(
      runUnitOfWork(r.client, 'too many', async (uow) => {
        uow.push({ op: 'sadd', key: idx, member: 'b' });
        await take(uow, 2);
      }),
    ).rejects.toThrow('only 1 left');
    expect(await r.client.sMembers(idx)).toEqual(['a']);
  });
});
