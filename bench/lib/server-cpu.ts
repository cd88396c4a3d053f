/**
 * CPU time used by the local database servers, read from /proc (Linux): the sum over every process
 * whose command name starts with `name` (`postgres` counts the postmaster and all its backends).
 * Only meaningful when the servers run on this machine; `undefined` where /proc is not readable.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime/stime (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

function serverCpuMs(name: string): number | undefined {
  let ticks = 0;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  for (const pid of entries) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    if (!comm.startsWith(name)) continue;
    // Fields after "(comm) ": state is the 1st, then utime, stime, cutime, cstime are the 12th to
    // 15th. cutime/cstime hold the reaped children: a backend that ended meanwhile (a client that
    // disconnected) has moved its time into the postmaster's, so the sum stays whole.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** CPU milliseconds each server used while `fn` ran (undefined entries when unreadable). */
export async function measureServers<T>(
  fn: () => Promise<T> | T,
): Promise<{ result: T; postgresMs: number | undefined; redisMs: number | undefined }> {
  const pg0 = serverCpuMs('postgres');
  const r0 = serverCpuMs('redis-server');
  const result = await fn();
  const pg1 = serverCpuMs('postgres');
  const r1 = serverCpuMs('redis-server');
  return {
    result,
    postgresMs: pg0 === undefined || pg1 === undefined ? undefined : pg1 - pg0,
    redisMs: r0 === undefined || r1 === undefined ? undefined : r1 - r0,
  };
}
