/** The detail panels under the domains table. Each renders its own error when its part failed. */
import { html } from 'hono/html';
import { isVerifyClean } from '../../migration-control.js';
import type { DashboardSnapshot, Part } from '../snapshot.js';
import { ago, formatCount, shortValue } from './format.js';
import type { Html } from './layout.js';

function guard<T>(p: Part<T>, what: string, render: (value: T) => Html): Html {
  return p.ok ? render(p.value) : html`<div class="error-panel">${what} cannot be read: ${p.error}</div>`;
}

export function countsPanel(s: DashboardSnapshot): Html {
  return guard(s.counts, 'Record counts', (counts) =>
    counts.length === 0
      ? html`<div class="empty">No counts yet.</div>`
      : html`<table id="counts"><thead><tr><th>Entity</th><th class="num">Redis</th><th class="num">Postgres</th><th class="num">Δ</th></tr></thead>
<tbody>${counts.map((c) => {
          const delta = c.redis !== null && c.postgres !== null ? c.redis - c.postgres : null;
          return html`<tr><td>${c.entity}</td><td class="num">${formatCount(c.redis)}</td><td class="num">${formatCount(c.postgres)}</td>
<td class="num">${delta === null ? '—' : delta === 0 ? html`<span class="badge ok">0</span>` : html`<span class="badge warn">${delta > 0 ? '+' : ''}${formatCount(delta)}</span>`}</td></tr>`;
        })}</tbody></table>`,
  );
}

export function verifyPanel(s: DashboardSnapshot): Html {
  return guard(s.verify, 'Verify results', (results) =>
    results.length === 0
      ? html`<div class="empty">No verify run yet: <span class="mono">npm run migrate:verify</span></div>`
      : html`<table id="verify"><thead><tr><th>Entity</th><th>Result</th><th class="num">Checked</th><th class="num">Missing in PG</th>
<th class="num">Missing in Redis</th><th class="num">Mismatched</th><th>When</th></tr></thead>
<tbody>${results.map(
          (v) => html`<tr data-entity="${v.entity}"><td>${v.entity}</td>
<td>${isVerifyClean(v) ? html`<span class="badge ok">clean</span>` : html`<span class="badge bad">dirty</span>`}${
            v.examples.length > 0
              ? html`<div class="mono muted ellipsis" title="${v.examples.join(', ')}">${v.examples.join(', ')}</div>`
              : ''
          }</td>
<td class="num">${formatCount(v.checked)}</td><td class="num">${formatCount(v.missingInPostgres)}</td>
<td class="num">${formatCount(v.missingInRedis)}</td><td class="num">${formatCount(v.mismatched)}</td>
<td class="small muted">${ago(v.finishedAt, s.takenAt)}</td></tr>`,
        )}</tbody></table>`,
  );
}

export function backfillPanel(s: DashboardSnapshot): Html {
  return guard(s.backfill, 'Backfill progress', (runs) =>
    runs.length === 0
      ? html`<div class="empty">No backfill yet: <span class="mono">npm run migrate:redis-to-postgres</span></div>`
      : html`<table id="backfill"><thead><tr><th>Entity</th><th>Status</th><th>Progress</th><th class="num">Records</th><th class="num">Rate</th></tr></thead>
<tbody>${runs.map((b) => {
          const ratio = b.status === 'done' ? 1 : b.total ? Math.min(1, b.processed / b.total) : 0;
          const kind =
            b.status === 'done'
              ? 'ok'
              : b.status === 'failed'
                ? 'bad'
                : b.status === 'running'
                  ? 'warn'
                  : 'none';
          return html`<tr><td>${b.entity}</td><td><span class="badge ${kind}">${b.status}</span></td>
<td><div class="bar ${b.status}" title="${Math.round(ratio * 100)} %"><span style="width:${(ratio * 100).toFixed(1)}%"></span></div></td>
<td class="num">${formatCount(b.processed)} / ${formatCount(b.total)}</td>
<td class="num small">${b.ratePerSecond === null ? '—' : `${formatCount(Math.round(b.ratePerSecond))}/s`}</td></tr>`;
        })}</tbody></table>`,
  );
}

export function journalPanel(s: DashboardSnapshot): Html {
  return guard(s.journals, 'The repair journal', (journals) => {
    const entries = journals.flatMap((j) => j.entries);
    if (entries.length === 0) return html`<div class="empty">Empty: every shadow write landed.</div>`;
    return html`<div class="scroll"><table id="journal"><thead><tr><th>Domain</th><th>Record</th><th>Target</th><th class="num">Tries</th><th>Since</th><th>Last error</th></tr></thead>
<tbody>${entries.map(
      (e) => html`<tr><td>${e.domain}</td><td class="mono">${e.recordKey}</td><td>${e.target}</td>
<td class="num">${e.attempts}</td><td class="small muted">${ago(e.createdAt, s.takenAt)}</td>
<td class="small ellipsis" title="${e.error}">${e.error}</td></tr>`,
    )}</tbody></table></div>`;
  });
}

export function shadowPanel(s: DashboardSnapshot): Html {
  return guard(s.shadowSamples, 'Shadow-read samples', (samples) =>
    samples.length === 0
      ? html`<div class="empty">No mismatches sampled.</div>`
      : html`<div class="scroll"><table id="samples"><thead><tr><th>When</th><th>Domain</th><th>Call</th><th>Record</th><th>Differences (Redis → Postgres)</th></tr></thead>
<tbody>${samples.map(
          (
            x,
          ) => html`<tr><td class="small muted">${ago(x.at, s.takenAt)}</td><td>${x.domain}</td><td class="mono">${x.method}</td>
<td class="mono">${x.recordKey}</td>
<td><ul class="diff">${x.diffs
            .slice(0, 6)
            .map(
              (d) =>
                html`<li class="mono"><span class="path">${d.path}</span>: <span class="r">${shortValue(d.redis)}</span> → <span class="p">${shortValue(d.postgres)}</span></li>`,
            )}${x.diffs.length > 6 ? html`<li class="muted small">… ${x.diffs.length - 6} more</li>` : ''}</ul></td></tr>`,
        )}</tbody></table></div>`,
  );
}
