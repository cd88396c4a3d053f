/**
 * The journal while Redis is the source of truth: per domain, a sorted set of records (score = first
 * failure, so the oldest is ZRANGE 0 0), a hash of generations and a hash of retry bookkeeping. A new
 * failure is one MULTI; removal and attempt counts are Lua scripts conditional on the generation.
 */
import type { RedisClient } from '../../backends/redis/client.js';
import { defineScript, runScript } from '../../ephemeral/script.js';
import { journalMember, type MigrationKeys, parseJournalMember, type RedisJournalInfo } from './keys.js';
import { type Journal, type JournalEntry, type JournalLag, uniqueRefs } from './types.js';

// KEYS: journal, gen, info. ARGV: member, expected gen.
const CLEAR = defineScript(
  'mig-journal-clear',
  `if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
return 1`,
);

// KEYS: gen, info. ARGV: member, expected gen, new info JSON.
const RETRY_LATER = defineScript(
  'mig-journal-retry-later',
  `if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
return 1`,
);

const SCAN_LIMIT = 5000;

export function createRedisJournal(client: RedisClient, keys: MigrationKeys): Journal {
  const domains = async (only?: string) =>
    only ? [only] : (await client.sMembers(keys.journalDomains())).map(String);

  async function entriesOf(domain: string, limit: number): Promise<JournalEntry[]> {
    const scored = await client.zRangeWithScores(keys.journal(domain), 0, limit - 1);
    if (scored.length === 0) return [];
    const members = scored.map((s) => String(s.value));
    const [gens, infos] = await Promise.all([
      client.hmGet(keys.journalGen(domain), members),
      client.hmGet(keys.journalInfo(domain), members),
    ]);
    const out: JournalEntry[] = [];
    scored.forEach((s, i) => {
      const ref = parseJournalMember(members[i]!);
      if (!ref) return;
      const info = parseInfo(infos[i]);
      out.push({
        domain,
        entity: ref.entity,
        id: ref.id,
        source: 'redis',
        firstAt: new Date(s.score),
        lastAt: new Date(info.lastAt || s.score),
        attempts: info.attempts,
        nextAttemptAt: new Date(info.nextAttemptAt),
        lastError: info.lastError,
        parked: info.parked,
        gen: Number(gens[i] ?? 0),
      });
    });
    return out;
  }

  return {
    source: 'redis',

    async record(all, error, settleMs) {
      const refs = uniqueRefs(all);
      if (refs.length === 0) return;
      const now = Date.now();
      const multi = client.multi();
      for (const ref of refs) {
        const member = journalMember(ref.entity, ref.id);
        const info: RedisJournalInfo = {
          lastAt: now,
          attempts: 0,
          nextAttemptAt: now + settleMs,
          lastError: error,
          parked: false,
        };
        multi.sAdd(keys.journalDomains(), ref.domain);
        multi.zAdd(keys.journal(ref.domain), { score: now, value: member }, { NX: true });
        multi.hIncrBy(keys.journalGen(ref.domain), member, 1);
        multi.hSet(keys.journalInfo(ref.domain), member, JSON.stringify(info));
      }
      await multi.exec();
    },

    async due(limit) {
      const now = Date.now();
      const out: JournalEntry[] = [];
      for (const domain of await domains()) {
        // The oldest few times `limit` per domain: enough to skip entries waiting for their backoff
        // without reading a large journal whole on every pass.
        for (const e of await entriesOf(domain, limit * 4)) {
          if (!e.parked && e.nextAttemptAt.getTime() <= now) out.push(e);
        }
      }
      return out.sort((a, b) => a.firstAt.getTime() - b.firstAt.getTime()).slice(0, limit);
    },

    async list(opts = {}) {
      const limit = opts.limit ?? SCAN_LIMIT;
      const out: JournalEntry[] = [];
      for (const domain of await domains(opts.domain)) out.push(...(await entriesOf(domain, limit)));
      return out.sort((a, b) => a.firstAt.getTime() - b.firstAt.getTime()).slice(0, limit);
    },

    async clear(entry) {
      const member = journalMember(entry.entity, entry.id);
      const d = entry.domain;
      const reply = await runScript(
        client,
        CLEAR,
        [keys.journal(d), keys.journalGen(d), keys.journalInfo(d)],
        [member, entry.gen],
      );
      return Number(reply) === 1;
    },

    async retryLater(entry, error, nextAttemptAt, park) {
      const member = journalMember(entry.entity, entry.id);
      const info: RedisJournalInfo = {
        lastAt: entry.lastAt.getTime(),
        attempts: entry.attempts + 1,
        nextAttemptAt: nextAttemptAt.getTime(),
        lastError: error,
        parked: park,
      };
      await runScript(
        client,
        RETRY_LATER,
        [keys.journalGen(entry.domain), keys.journalInfo(entry.domain)],
        [member, entry.gen, JSON.stringify(info)],
      );
    },

    async retryNow(domain) {
      let n = 0;
      const now = Date.now();
      for (const d of await domains(domain)) {
        for (const e of await entriesOf(d, SCAN_LIMIT)) {
          const info: RedisJournalInfo = {
            lastAt: e.lastAt.getTime(),
            attempts: 0,
            nextAttemptAt: now,
            lastError: e.lastError,
            parked: false,
          };
          await runScript(
            client,
            RETRY_LATER,
            [keys.journalGen(d), keys.journalInfo(d)],
            [journalMember(e.entity, e.id), e.gen, JSON.stringify(info)],
          );
          n++;
        }
      }
      return n;
    },

    async lag() {
      const out: JournalLag[] = [];
      for (const domain of await domains()) {
        const depth = await client.zCard(keys.journal(domain));
        if (depth === 0) continue;
        const [oldest] = await client.zRangeWithScores(keys.journal(domain), 0, 0);
        const infos = await client.hVals(keys.journalInfo(domain));
        const parked = infos.filter((v) => parseInfo(String(v)).parked).length;
        out.push({
          domain,
          source: 'redis',
          depth,
          parked,
          oldestAt: oldest ? new Date(oldest.score) : null,
        });
      }
      return out;
    },
  };
}

function parseInfo(raw: unknown): RedisJournalInfo {
  try {
    const v = JSON.parse(String(raw)) as Partial<RedisJournalInfo>;
    return {
      lastAt: Number(v.lastAt ?? 0),
      attempts: Number(v.attempts ?? 0),
      nextAttemptAt: Number(v.nextAttemptAt ?? 0),
      lastError: typeof v.lastError === 'string' ? v.lastError : null,
      parked: v.parked === true,
    };
  } catch {
    // A member without info (written half by hand): retry it at once.
    return { lastAt: 0, attempts: 0, nextAttemptAt: 0, lastError: null, parked: false };
  }
}
