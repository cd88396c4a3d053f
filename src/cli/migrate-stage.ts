/**
 * `npm run migrate:stage -- <domain|all> <stage> [--force] [--reason "…"] [--by <who>] [--json]`:
 * moves a domain (with its group) or every domain to a migration stage, through the typed `setStage`
 * (src/migration/router/set-stage.ts). Exit codes: 0 applied or already there, 1 refused, 2 error.
 */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { openCliSession } from '../migration/router/cli-session.js';
import { routerMessages } from '../migration/router/messages.js';
import { UnknownTargetError } from '../migration/router/set-stage.js';
import { isStage } from '../migration/router/stages.js';
import { runCli } from './common.js';

const m = routerMessages.stage;

class UsageError extends Error {}

function whoami(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (err) {
    console.error(m.badArgs(err instanceof Error ? err.message : String(err)));
    return 2;
  }
  if (parsed.help) {
    console.log(m.usage);
    return 0;
  }
  const session = await openCliSession(loadConfig(), process.env);
  try {
    const result = await session.layer.migration.setStage({
      target: parsed.target,
      stage: parsed.stage,
      force: parsed.force,
      reason: parsed.reason,
      by: parsed.by ?? whoami(),
    });
    if (parsed.json) console.log(JSON.stringify(result, null, 2));
    else if (result.moves.length === 0) console.log(m.nothingToDo(parsed.target, parsed.stage));
    else console.log(result.ok ? m.applied(result) : m.refused(result));
    if (!parsed.json) for (const w of result.warnings) console.log(m.warning(w));
    return result.ok ? 0 : 1;
  } catch (err) {
    if (err instanceof UnknownTargetError) {
      console.error(m.badArgs(err.message));
      return 2;
    }
    throw err;
  } finally {
    await session.close();
  }
}

function parse() {
  const { values, positionals } = parseArgs({
    options: {
      force: { type: 'boolean', default: false },
      reason: { type: 'string' },
      by: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help)
    return { help: true as const, target: '', stage: 'redis' as const, force: false, json: false };
  const [target, stage, ...extra] = positionals;
  if (!target || !stage) throw new UsageError('give a domain (or all) and a stage');
  if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0]}`);
  if (!isStage(stage)) {
    throw new UsageError(
      `unknown stage "${stage}" (redis, dual-write, shadow-read, postgres-read, postgres, postgres-only)`,
    );
  }
  return {
    help: false as const,
    target,
    stage,
    force: values.force,
    reason: values.reason,
    by: values.by,
    json: values.json,
  };
}

runCli(main);
