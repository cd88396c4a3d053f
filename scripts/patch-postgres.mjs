// Patches postgres.js (porsager/postgres) 3.4.x in node_modules after install, until upstream ships
// the fix. Two defects crash the whole process with an uncatchable TypeError when Postgres drops
// connections under load:
// 1. `nextWrite()` runs from a setImmediate after `closed()` has set `socket = null`
//    (porsager/postgres#1154, #1208). Guard: reject what is in flight with CONNECTION_CLOSED
//    (a catchable error), the same settle-don't-drop approach as upstream PR #1209.
// 2. `queryError()` reads `query.origin` of a query that has none (reserve/connect failures,
//    porsager/postgres#896). Guard: fall back to an empty string.
// Idempotent: a patched file is recognised by its marker and left alone. Runs as `postinstall`.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MARKER = '/* dcw-patch: null-socket guard */';
const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', 'postgres');
const files = ['src/connection.js', 'cjs/src/connection.js'];

const nextWriteFrom = 'function nextWrite(fn) {\n    const x = socket.write(chunk, fn)';
const nextWriteTo =
  'function nextWrite(fn) {\n    ' +
  MARKER +
  "\n    if (!socket) {\n      nextWriteTimer !== null && clearImmediate(nextWriteTimer)\n      chunk = nextWriteTimer = null\n      error(Errors.connection('CONNECTION_CLOSED', options, socket))\n      return false\n    }\n    const x = socket.write(chunk, fn)";
const originFrom = "query.origin.replace(/.*\\n/, '\\n')";
const originTo = "(query.origin || '').replace(/.*\\n/, '\\n')";

let patched = 0;
for (const rel of files) {
  const file = join(root, rel);
  if (!existsSync(file)) continue;
  const text = readFileSync(file, 'utf8');
  if (text.includes(MARKER)) continue;
  if (!text.includes(nextWriteFrom) || !text.includes(originFrom)) {
    console.warn(`patch-postgres: ${rel} does not look like postgres.js 3.4.x; left unpatched`);
    continue;
  }
  writeFileSync(file, text.replace(nextWriteFrom, nextWriteTo).replace(originFrom, originTo));
  patched++;
}
if (patched > 0)
  console.log(`patch-postgres: guarded ${patched} file(s) of postgres.js against null sockets`);
