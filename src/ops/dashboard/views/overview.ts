/** The dashboard's one page: summary cards, the domains table and the detail panels. */
import { html } from 'hono/html';
import { isVerifyClean } from '../../migration-control.js';
import type { DashboardSnapshot } from '../snapshot.js';
import { domainsTable } from './domains.js';
import { formatAge, formatCount, formatPercent } from './format.js';
import { type Html, page } from './layout.js';
import { backfillPanel, countsPanel, journalPanel, shadowPanel, verifyPanel } from './sections.js';

function cards(s: DashboardSnapshot): Html {
  const journals = s.journals.ok ? s.journals.value : null;
  const depth = journals?.reduce((n, j) => n + j.depth, 0) ?? null;
  const oldest =
    journals?.reduce<number | null>((m, j) => Math.max(m ?? 0, j.oldestAgeSeconds ?? 0), null) ?? null;
  const verify = s.verify.ok ? s.verify.value : null;
  const dirty = verify?.filter((v) => !isVerifyClean(v)).length ?? null;
  const stats = s.shadowStats.ok ? s.shadowStats.value : null;
  const compared = stats?.reduce((n, x) => n + x.compared, 0) ?? 0;
  const mismatched = stats?.reduce((n, x) => n + x.mismatched, 0) ?? 0;
  const backfill = s.backfill.ok ? s.backfill.value : null;
  const done = backfill?.filter((b) => b.status === 'done').length ?? 0;
  const card = (id: string, label: string, value: string, kind: string, note: string) =>
    html`<div class="card" id="${id}"><div class="label">${label}</div><div class="value ${kind}">${value}</div><div class="small muted">${note}</div></div>`;
  return html`<div class="cards">
    ${card(
      'card-verify',
      'Verify',
      !verify || verify.length === 0 ? 'not run' : dirty === 0 ? 'clean' : `${dirty} dirty`,
      !verify || verify.length === 0 ? '' : dirty === 0 ? 'ok' : 'bad',
      verify ? `${verify.length} entities checked` : 'cannot be read',
    )}
    ${card(
      'card-journal',
      'Repair journal',
      formatCount(depth),
      depth === null ? '' : depth === 0 ? 'ok' : 'bad',
      depth ? `oldest ${formatAge(oldest)}` : 'nothing waiting',
    )}
    ${card(
      'card-shadow',
      'Shadow-read mismatches',
      compared === 0 ? '—' : formatPercent(mismatched / compared),
      compared === 0 ? '' : mismatched === 0 ? 'ok' : mismatched / compared > 0.001 ? 'bad' : 'warn',
      `${formatCount(mismatched)} of ${formatCount(compared)} sampled reads`,
    )}
    ${card(
      'card-backfill',
      'Backfill',
      !backfill || backfill.length === 0 ? 'not started' : `${done}/${backfill.length}`,
      backfill && backfill.length > 0 && done === backfill.length
        ? 'ok'
        : backfill?.some((b) => b.status === 'failed')
          ? 'bad'
          : '',
      backfill ? 'entities copied' : 'cannot be read',
    )}
  </div>`;
}

export function overviewPage(s: DashboardSnapshot, base: string, nonce: string): Html {
  const panel = (id: string, title: string, hint: string, body: Html) =>
    html`<section class="panel" id="${id}"><h2>${title}<span class="hint">${hint}</span></h2>${body}</section>`;
  return page({
    title: 'Migration dashboard · Desert Candle Works',
    base,
    nonce,
    loggedIn: true,
    body: html`<main>
  <div id="flash" role="status" aria-live="polite"></div>
  ${cards(s)}
  ${panel('domains-panel', 'Domains', 'stage: redis → dual-write → shadow-read → postgres-read → postgres → postgres-only', domainsTable(s))}
  ${panel('verify-panel', 'Last verify', 'per entity: records missing on either side or differing', verifyPanel(s))}
  <div class="grid2">
    ${panel('backfill-panel', 'Backfill', 'checkpoints in Postgres', backfillPanel(s))}
    ${panel('counts-panel', 'Record counts', 'Redis vs Postgres, recounted at most once a minute', countsPanel(s))}
  </div>
  ${panel('journal-panel', 'Repair journal', 'failed shadow writes, oldest first', journalPanel(s))}
  ${panel('samples-panel', 'Shadow-read mismatches', 'newest samples with their diffs', shadowPanel(s))}
  <footer>Read at ${s.takenAt.toISOString().replace('T', ' ').slice(0, 19)} UTC · reload for fresh numbers</footer>
</main>`,
  });
}
