// Patches postgres.js (porsager/postgres) 3.4.x in node_modules after install, until upstream ships
// fixes. Runs as `postinstall`; idempotent (each patch is recognised by its marker and applied once).
// 1. Null-socket crash: `nextWrite()` runs from a setImmediate after `closed()` has set
//    `socket = null` and throws an uncatchable TypeError that takes the process down
//    (porsager/postgres#1154, #1208). Guard: reject what is in flight with CONNECTION_CLOSED
//    (a catchable error), the settle-don't-drop approach of upstream PR #1209.
// 2. `queryError()` reads `query.origin` of a query that has none (reserve/connect failures,
//    porsager/postgres#896). Guard: fall back to an empty string.
// 3. Nagle: postgres.js leaves it on, so a short final message (the end of a COPY, a Sync after a
//    small batch) can wait ~40 ms for the peer's delayed ACK. node-postgres turns it off; so do we.
//    Measured: a small merge after a COPY 42 ms → 1.1 ms; backfill --scale 100 ~12 s → ~8.5 s.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', 'postgres');
const files = ['src/connection.js', 'cjs/src/connection.js'];

const PATCHES = [
  {
    marker: '/* dcw-patch: null-socket guard */',
    from: 'function nextWrite(fn) {\n    const x = socket.write(chunk, fn)',
    to:
      'function nextWrite(fn) {\n    /* dcw-patch: null-socket guard */' +
      "\n    if (!socket) {\n      nextWriteTimer !== null && clearImmediate(nextWriteTimer)\n      chunk = nextWriteTimer = null\n      error(Errors.connection('CONNECTION_CLOSED', options, socket))\n      return false\n    }\n    const x = socket.write(chunk, fn)",
  },
  {
    marker: "(query.origin || '')",
    from: "query.origin.replace(/.*\\n/, '\\n')",
    to: "(query.origin || '').replace(/.*\\n/, '\\n')",
  },
  {
    marker: '/* dcw-patch: no-delay */',
    from: '      keep_alive && socket.setKeepAlive && socket.setKeepAlive(true, 1000 * keep_alive)\n',
    to:
      '      keep_alive && socket.setKeepAlive && socket.setKeepAlive(true, 1000 * keep_alive)\n' +
      '      /* dcw-patch: no-delay */ socket.setNoDelay && socket.setNoDelay(true)\n',
  },
];

let applied = 0;
for (const rel of files) {
  const file = join(root, rel);
  if (!existsSync(file)) continue;
  let text = readFileSync(file, 'utf8');
  for (const p of PATCHES) {
    if (text.includes(p.marker)) continue;
    if (!text.includes(p.from)) {
      console.warn(`patch-postgres: ${rel} does not look like postgres.js 3.4.x; "${p.marker}" not applied`);
      continue;
    }
    text = text.replace(p.from, p.to);
    applied++;
  }
  writeFileSync(file, text);
}
if (applied > 0) console.log(`patch-postgres: applied ${applied} patch(es) to postgres.js`);
