/**
 * User-facing text of `migrate:stage` and `migrate:status` (kept beside the router; the style of
 * src/cli/messages.ts: name the thing, state the problem, give the next step). No connection string
 * is printed unredacted.
 */
import type { SetStageResult } from './set-stage.js';
import type { DomainStatus, StatusReport } from './status.js';

const iso = (d: Date | null | undefined) => (d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : '-');

function ago(d: Date | null, now: Date): string {
  if (!d) return '-';
  const s = Math.max(0, Math.round((now.getTime() - d.getTime()) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172_800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86_400)}d`;
}

export function table(head: string[], rows: string[][]): string {
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(width[i]!))
      .join('  ')
      .trimEnd();
  return [line(head), line(width.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function verifyCell(d: DomainStatus, now: Date): string {
  if (d.verify === null) return 'n/a';
  if (d.verify.missing.length > 0) return `missing (${d.verify.missing.join(',')})`;
  return `${d.verify.clean ? 'clean' : `DIRTY (${d.verify.dirty.join(',')})`} ${ago(d.verify.at, now)} ago`;
}

function rateCell(d: DomainStatus): string {
  if (d.shadow === null) return '?';
  const inFlight = d.shadow.inFlight > 0 ? `, ${d.shadow.inFlight} in-flight` : '';
  if (d.shadow.compared === 0) return inFlight ? `- (0/0${inFlight})` : '-';
  return `${((d.shadow.rate ?? 0) * 100).toFixed(2)}% (${d.shadow.mismatched}/${d.shadow.compared}${inFlight})`;
}

export const routerMessages = {
  stage: {
    usage: [
      'usage: npm run migrate:stage -- <domain|all> <stage> [--force] [--reason "<why>"] [--by <who>] [--json]',
      '',
      'Moves a domain (with every domain of its group: they are written together) or all domains to a',
      'stage: redis, dual-write, shadow-read, postgres-read, postgres, postgres-only. The stage is stored in',
      'Postgres (DATABASE_URL); every process of the app picks it up within about 2 s.',
      '',
      'A forward move past shadow-read needs, for every domain that moves: a clean last migrate:verify, an',
      'empty repair journal and a shadow-read mismatch rate at or below MIGRATION_MAX_MISMATCH_RATE (default',
      '0.001) over at least MIGRATION_MIN_SHADOW_COMPARISONS (default 100) comparisons. Stepping back is',
      'always allowed. Every attempt is audited (migration_stage_audit).',
      '',
      '  --force          apply even though the evidence is missing (the overridden findings are audited)',
      '  --reason <text>  why (audited)',
      '  --by <who>       who (audited; default the OS user)',
      '  --json           print the result as JSON',
      '',
      'exit codes: 0 applied (or already there), 1 refused (the reasons and the next command are printed),',
      '            2 error (bad arguments, a store unreachable)',
    ].join('\n'),
    badArgs: (detail: string) => `migrate:stage: ${detail}; run with --help for the usage`,
    nothingToDo: (target: string, stage: string) => `${target} is already in ${stage}; nothing to do`,
    applied: (r: SetStageResult) =>
      [
        `moved ${r.moves.map((m) => `${m.domain} ${m.from} → ${m.to}`).join(', ')}`,
        `processes switch at ${iso(r.effectiveAt)}`,
        ...(r.reasons.length > 0 ? ['forced past:', ...r.reasons.map((f) => `  - ${f.message}`)] : []),
      ].join('\n'),
    refused: (r: SetStageResult) =>
      [
        `refused: ${r.moves.map((m) => `${m.domain} ${m.from} → ${m.to}`).join(', ')}`,
        ...r.reasons.map((f) => `  - [${f.code}] ${f.message}`),
        'fix the above and run the command again, or add --force to move anyway (audited)',
      ].join('\n'),
    warning: (w: string) => `note: ${w}`,
  },
  status: {
    usage: [
      'usage: npm run migrate:status -- [--json] [--requeue [--from redis|postgres]] [--drain [--timeout <s>]]',
      '                                 [--mismatches <domain> [--limit <n>]] [--audit [--limit <n>]]',
      '',
      'Shows, per domain: group, stage (and a pending switch), since when, the last migrate:verify, the',
      'repair journal (records waiting, oldest) and the shadow-read mismatch rate in the current stage',
      '(mismatched/compared; comparisons that met a copy still on its way are shown as in-flight, apart).',
      '',
      '  --requeue        hand the differences of the last migrate:verify to the repair journal, to be copied',
      "                   from each domain's source of truth (safe while traffic runs); with --drain, copy now",
      '  --from <store>   copy the requeued records from this store instead (redis or postgres)',
      '  --drain          copy every journaled record now (parked ones too) until the journals are empty',
      '  --timeout <s>    give up draining after this long (default 60)',
      '  --mismatches <d> the newest shadow-read mismatches of a domain, with field diffs',
      '  --audit          the newest stage changes and refused attempts',
      '  --limit <n>      rows for --mismatches / --audit (default 20)',
      '  --json           print as JSON',
      '',
      'exit codes: 0 shown (or drained), 1 --drain left records in a journal, 2 error',
    ].join('\n'),
    badArgs: (detail: string) => `migrate:status: ${detail}; run with --help for the usage`,
    table: (report: StatusReport) =>
      table(
        ['domain', 'group', 'stage', 'since', 'last verify', 'journal', 'shadow mismatches'],
        report.domains.map((d) => [
          d.domain,
          d.group.length > 1 ? d.group[0]! : '-',
          d.pending ? `${d.stage} → ${d.pending.stage} at ${iso(d.pending.effectiveAt)}` : d.stage,
          d.source === 'env-default' ? 'env default' : iso(d.since),
          verifyCell(d, report.at),
          d.journal.depth === 0
            ? '0'
            : `${d.journal.depth}, oldest ${ago(d.journal.oldestAt, report.at)}${d.journal.parked ? `, ${d.journal.parked} parked` : ''}`,
          rateCell(d),
        ]),
      ),
    groups: (report: StatusReport) => {
      const seen = new Set<string>();
      const lines: string[] = [];
      for (const d of report.domains) {
        if (d.group.length < 2 || seen.has(d.group[0]!)) continue;
        seen.add(d.group[0]!);
        lines.push(`group ${d.group[0]}: ${d.group.join(', ')} (they move together)`);
      }
      return lines.join('\n');
    },
    unreadable: (what: string) => `warning: ${what} could not be read; its figures are missing above`,
    requeued: (journaled: Record<string, number>, relinked: number) => {
      const parts = Object.entries(journaled).map(([e, n]) => `${n} ${e}`);
      return parts.length === 0 && relinked === 0
        ? 'the last migrate:verify found nothing to copy'
        : `journaled ${parts.length > 0 ? parts.join(', ') : 'nothing'} for copying${relinked > 0 ? `; linked ${relinked} reference(s)` : ''}`;
    },
    drainStart: (n: number) => `draining ${n} journaled record(s)…`,
    drained: 'journals are empty',
    drainLeft: (left: { entity: string; id: string; source: string; lastError: string | null }[]) =>
      [
        `${left.length} record(s) still journaled:`,
        ...left
          .slice(0, 20)
          .map((e) => `  ${e.source} ${e.entity} ${e.id}: ${e.lastError ?? 'not tried yet'}`),
        'check that both stores are up; npm run migrate:verify and npm run migrate:repair fix what cannot be copied',
      ].join('\n'),
    noMismatches: (domain: string) => `no shadow-read mismatches recorded for ${domain}`,
    mismatch: (m: {
      at: Date;
      method: string;
      key: string;
      servedFrom: string;
      comparedWith: string;
      calibration: boolean;
    }) =>
      `${iso(m.at)} ${m.method} ${m.key} (served from ${m.servedFrom}, compared with ${m.comparedWith}${m.calibration ? ', calibration' : ''})`,
    diff: (path: string, served: unknown, compared: unknown) =>
      `    ${path}: ${JSON.stringify(served) ?? '(absent)'} vs ${JSON.stringify(compared) ?? '(absent)'}`,
    audit: (
      rows: {
        at: Date;
        domain: string;
        fromStage: string | null;
        toStage: string;
        changedBy: string;
        outcome: string;
        forced: boolean;
        reason: string | null;
      }[],
    ) =>
      table(
        ['at', 'domain', 'from', 'to', 'by', 'outcome', 'reason'],
        rows.map((r) => [
          iso(r.at),
          r.domain,
          r.fromStage ?? '(default)',
          r.toStage,
          r.changedBy,
          r.outcome + (r.forced ? ' (forced)' : ''),
          r.reason ?? '',
        ]),
      ),
    staleStages: (error: string | null) =>
      `warning: the stage store could not be read (${error ?? 'unknown error'})`,
  },
};
