/** The domains table: stage track, step buttons, verify, journal, shadow mismatch and counts per domain. */
import { html } from 'hono/html';
import {
  type DomainState,
  isVerifyClean,
  type JournalSummary,
  neighbourStage,
  STAGES,
  type ShadowStats,
  type StoreCounts,
  stageIndex,
  type VerifySummary,
} from '../../migration-control.js';
import type { DashboardSnapshot } from '../snapshot.js';
import { formatAge, formatCount, formatPercent } from './format.js';
import type { Html } from './layout.js';

function track(d: DomainState): Html {
  const current = stageIndex(d.stage);
  return html`<div class="track" role="img" aria-label="stage ${current + 1} of ${STAGES.length}: ${d.stage}">
    ${STAGES.map(
      (s, i) =>
        html`<span class="step ${i < current ? 'done' : i === current ? 'current' : ''}" title="${s}"></span>`,
    )}
  </div>
  <div class="stage-name" data-stage>${d.stage}${
    d.pending
      ? html` <span class="pending">→ ${d.pending.stage} at ${d.pending.effectiveAt.slice(11, 19)}</span>`
      : ''
  }</div>`;
}

function stepButton(d: DomainState, direction: 1 | -1): Html {
  const to = neighbourStage(d.stage, direction);
  const label = direction === 1 ? 'Forward ›' : '‹ Back';
  if (!to) return html`<button class="step-btn" type="button" disabled>${label}</button>`;
  return html`<button class="step-btn" type="button" data-domain="${d.domain}" data-from="${d.stage}" data-to="${to}"
    data-group="${d.group.join(',')}" title="${direction === 1 ? 'Move forward to' : 'Move back to'} ${to}">${label}</button>`;
}

function verifyCell(entities: string[], verify: VerifySummary[] | null): Html {
  if (!verify) return html`<span class="badge none">unknown</span>`;
  const mine = verify.filter((v) => entities.includes(v.entity));
  if (mine.length === 0) return html`<span class="badge none">not run</span>`;
  const dirty = mine.filter((v) => !isVerifyClean(v));
  if (dirty.length === 0) return html`<span class="badge ok">clean</span>`;
  const problems = dirty.reduce((n, v) => n + v.missingInPostgres + v.missingInRedis + v.mismatched, 0);
  return html`<span class="badge bad">${formatCount(problems)} differ</span>`;
}

function journalCell(j: JournalSummary | undefined): Html {
  if (!j) return html`<span class="muted">—</span>`;
  if (j.depth === 0) return html`<span class="badge ok">empty</span>`;
  return html`<span class="badge ${j.depth > 0 ? 'bad' : 'ok'}">${formatCount(j.depth)}</span>
    <span class="muted small">oldest ${formatAge(j.oldestAgeSeconds)}</span>`;
}

function shadowCell(s: ShadowStats | undefined): Html {
  if (!s || s.compared === 0) return html`<span class="muted">—</span>`;
  const ratio = s.mismatched / s.compared;
  const kind = s.mismatched === 0 ? 'ok' : ratio > 0.001 ? 'bad' : 'warn';
  return html`<span class="badge ${kind}">${formatPercent(ratio)}</span>
    <span class="muted small">${formatCount(s.mismatched)}/${formatCount(s.compared)}</span>`;
}

function countsCell(entities: string[], counts: StoreCounts[] | null): Html {
  const mine = counts?.filter((c) => entities.includes(c.entity)) ?? [];
  const first = mine[0];
  if (!first) return html`<span class="muted">—</span>`;
  const same = first.redis === first.postgres;
  return html`<span class="${same ? '' : 'muted'}" title="${first.entity}">${formatCount(first.redis)} / ${formatCount(
    first.postgres,
  )}</span>${same ? '' : html` <span class="badge warn">Δ ${formatCount(Math.abs((first.redis ?? 0) - (first.postgres ?? 0)))}</span>`}`;
}

/** Members of a group next to each other, groups in the order their first member appears. */
export function groupedOrder(domains: DomainState[]): DomainState[] {
  const byName = new Map(domains.map((d) => [d.domain, d]));
  const out: DomainState[] = [];
  const placed = new Set<string>();
  for (const d of domains) {
    if (placed.has(d.domain)) continue;
    const members = d.group.length > 0 ? d.group : [d.domain];
    for (const m of members) {
      const member = byName.get(m);
      if (member && !placed.has(m)) {
        out.push(member);
        placed.add(m);
      }
    }
    if (!placed.has(d.domain)) {
      out.push(d);
      placed.add(d.domain);
    }
  }
  return out;
}

export function domainsTable(s: DashboardSnapshot): Html {
  if (!s.domains.ok) return html`<div class="error-panel">Stages cannot be read: ${s.domains.error}</div>`;
  const verify = s.verify.ok ? s.verify.value : null;
  const counts = s.counts.ok ? s.counts.value : null;
  const journals = new Map(s.journals.ok ? s.journals.value.map((j) => [j.domain, j]) : []);
  const shadow = new Map(s.shadowStats.ok ? s.shadowStats.value.map((x) => [x.domain, x]) : []);
  return html`<div class="scroll"><table id="domains">
  <thead><tr>
    <th>Domain</th><th>Stage</th><th>Step</th><th>Verify</th><th>Repair journal</th>
    <th>Shadow mismatch</th><th class="num">Records Redis / Postgres</th>
  </tr></thead>
  <tbody>
  ${groupedOrder(s.domains.value).map((d) => {
    const entities = d.entities && d.entities.length > 0 ? d.entities : [d.domain];
    const others = d.group.filter((g) => g !== d.domain);
    return html`<tr data-domain="${d.domain}">
      <td class="domain">${d.domain}${
        others.length
          ? html`<span class="group" title="moves together with ${others.join(', ')}">moves with ${others.length} other${others.length === 1 ? '' : 's'}</span>`
          : ''
      }</td>
      <td>${track(d)}</td>
      <td class="actions">${stepButton(d, -1)} ${stepButton(d, 1)}</td>
      <td>${verifyCell(entities, verify)}</td>
      <td>${journalCell(journals.get(d.domain))}</td>
      <td>${shadowCell(shadow.get(d.domain))}</td>
      <td class="num">${countsCell(entities, counts)}</td>
    </tr>`;
  })}
  </tbody>
</table></div>`;
}
