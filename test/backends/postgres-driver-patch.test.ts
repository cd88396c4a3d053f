/**
 * postgres.js 3.4.9 throws an uncatchable TypeError (`socket.write` on null, from a setImmediate)
 * when a reserved connection is written to after its server connection was reset
 * (porsager/postgres#1154, #1208). `scripts/patch-postgres.mjs` (run on `postinstall`) guards it so
 * the query rejects with CONNECTION_CLOSED instead of taking the process down. This runs the
 * reproduction in a child process, so an unpatched driver fails the test instead of the test run.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { usePostgres } from '../support/harness.js';

const pg = usePostgres();

const CHILD = `
import net from 'node:net';
import postgres from 'postgres';
const [host, port, database] = [process.argv[1], Number(process.argv[2]), process.argv[3]];
const sockets = new Set();
const proxy = net.createServer((client) => {
  const upstream = net.connect(port, host);
  sockets.add(client); sockets.add(upstream);
  client.pipe(upstream); upstream.pipe(client);
  client.on('error', () => {}); upstream.on('error', () => {});
  upstream.on('close', () => client.destroy()); client.on('close', () => upstream.destroy());
});
await new Promise((r) => proxy.listen(0, '127.0.0.1', r));
const sql = postgres({ host: '127.0.0.1', port: proxy.address().port, database, user: process.env.PGUSER ?? 'root', max: 1, onnotice: () => {} });
const reserved = await sql.reserve();
await reserved\`select 1\`;
for (const s of sockets) s.resetAndDestroy();
proxy.close();
await new Promise((r) => setTimeout(r, 100));
const outcomes = [];
for (let i = 0; i < 3; i++) {
  try { await reserved\`select 1\`; outcomes.push('ok'); } catch (e) { outcomes.push(e.code ?? e.message); }
}
console.log(JSON.stringify(outcomes));
process.exit(0);
`;

describe('postgres.js null-socket guard', () => {
  it('is applied to the installed driver (null-socket guard, origin guard, TCP no-delay)', () => {
    const require = createRequire(import.meta.url);
    const main = require.resolve('postgres');
    const esm = main.replace(/cjs[\\/]src[\\/]index\.js$/, 'src/connection.js');
    const text = readFileSync(esm, 'utf8');
    expect(text).toContain('dcw-patch: null-socket guard');
    expect(text).toContain('dcw-patch: no-delay');
    expect(text).not.toContain('query.origin.replace(');
  });

  it('rejects writes on a reset reserved connection instead of crashing the process', () => {
    const url = new URL(pg.url);
    const child = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        CHILD,
        url.hostname || '127.0.0.1',
        url.port || '5432',
        url.pathname.slice(1),
      ],
      {
        cwd: process.cwd(),
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, PGUSER: decodeURIComponent(url.username) || 'root' },
      },
    );
    expect(child.stderr).not.toContain('TypeError');
    expect(child.status).toBe(0);
    const outcomes = JSON.parse(child.stdout.trim().split('\n').pop() ?? '[]') as string[];
    expect(outcomes).toHaveLength(3);
    expect(outcomes[0]).not.toBe('ok');
  });
});
