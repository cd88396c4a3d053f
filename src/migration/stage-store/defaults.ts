/**
 * Stages used while nothing is stored for a domain, from the environment, compatible with the seed
 * plan's flags (§4 phase 1, §9):
 *
 *   MIGRATION_STAGE_<DOMAIN>=<stage>   one domain (DOMAIN in SCREAMING_SNAKE: ALCOHOL_TYPES)
 *   USE_POSTGRES_<DOMAIN>=true|false   one domain: true → `postgres`, false → `dual-write`
 *   MIGRATION_STAGE=<stage>            every domain
 *   USE_POSTGRES=true|false            every domain: true → `postgres`, false → `dual-write`
 *
 * The first that is set wins, in that order; nothing set → `redis`. `USE_POSTGRES=true` is the seed
 * plan's "full Postgres mode", but keeps writing Redis as a shadow so that `USE_POSTGRES=false` (its
 * "immediate rollback") loses nothing; `false` keeps dual-write on, as the seed plan's rollback says.
 */
import { isStage, type Stage, stageIndex } from '../router/stages.js';

export interface EnvDefaults {
  stages: Map<string, Stage>;
  /** Problems worth a log line: unknown values, group members that disagreed. */
  warnings: string[];
}

export function envName(domain: string): string {
  return domain.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

function fromFlag(value: string | undefined): Stage | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return /^(1|true|yes|on)$/i.test(value.trim()) ? 'postgres' : 'dual-write';
}

/**
 * Default stage of every domain. Members of one group must share a stage, so when their defaults
 * disagree the whole group takes the least advanced one (the safer side) and a warning says so.
 */
export function stageDefaultsFromEnv(
  env: NodeJS.ProcessEnv,
  groups: readonly (readonly string[])[],
): EnvDefaults {
  const warnings: string[] = [];
  const explicit = (name: string): Stage | undefined => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return undefined;
    if (isStage(raw)) return raw;
    warnings.push(
      `${name}="${raw}" is not a stage (redis, dual-write, shadow-read, postgres-read, postgres, postgres-only); ignored`,
    );
    return undefined;
  };
  const global = explicit('MIGRATION_STAGE') ?? fromFlag(env.USE_POSTGRES);
  const stages = new Map<string, Stage>();
  for (const group of groups) {
    const wanted = group.map((domain) => {
      const n = envName(domain);
      return explicit(`MIGRATION_STAGE_${n}`) ?? fromFlag(env[`USE_POSTGRES_${n}`]) ?? global ?? 'redis';
    });
    const least = wanted.reduce((a, b) => (stageIndex(b) < stageIndex(a) ? b : a));
    if (wanted.some((s) => s !== least)) {
      warnings.push(
        `the env asks for different stages within the group ${group.join(', ')} (${group
          .map((d, i) => `${d}=${wanted[i]}`)
          .join(', ')}); they move together, so all use ${least}`,
      );
    }
    for (const domain of group) stages.set(domain, least);
  }
  return { stages, warnings };
}
