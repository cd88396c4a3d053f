import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMetrics, exposedSeriesNames, METRIC } from '../../src/ops/metrics.js';
import { parseYamlSubset, YamlSubsetError } from './support/yaml-subset.js';

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

const SECTION_10_CONCERNS = [
  'pool-exhaustion',
  'query-timeout',
  'failed-dual-write',
  'stock-inconsistency',
  'missing-data',
];

function loadRules(): Rule[] {
  const doc = parseYamlSubset(
    readFileSync(new URL('../../ops/alerts.yml', import.meta.url), 'utf8'),
  ) as unknown as {
    groups: { name: string; rules: Rule[] }[];
  };
  return doc.groups.flatMap((g) => g.rules);
}

const metrics = createMetrics();
const series = exposedSeriesNames(metrics);

/** Label names a series accepts: the metric's own plus `le` for histogram buckets. */
function labelsOf(name: string): string[] {
  const base = name.replace(/_(bucket|sum|count)$/, '');
  const metric = metrics.registry.getSingleMetric(series.has(base) ? base : name) as unknown as
    | { labelNames: string[] }
    | undefined;
  return [...(metric?.labelNames ?? []), ...(name.endsWith('_bucket') ? ['le'] : [])];
}

/**
 * What is wrong with the rules' expressions: a name that is no project metric (or a rule that uses
 * none), a label matcher or a `by (…)` label the metrics do not have. Empty when all is well.
 */
function problemsOf(rules: Pick<Rule, 'alert' | 'expr'>[]): string[] {
  const out: string[] = [];
  for (const r of rules) {
    const used = r.expr.match(/\bdcw_[a-z0-9_]+/g) ?? [];
    if (used.length === 0) out.push(`${r.alert}: uses no project metric`);
    for (const name of used) if (!series.has(name)) out.push(`${r.alert}: no metric ${name}`);
    for (const m of r.expr.matchAll(/\b(dcw_[a-z0-9_]+)\{([^}]*)\}/g)) {
      const allowed = labelsOf(m[1]!);
      for (const matcher of m[2]!.split(',')) {
        const label = matcher.trim().split(/[=!~]/)[0]!.trim();
        if (!allowed.includes(label)) out.push(`${r.alert}: ${m[1]} has no label ${label}`);
      }
    }
    const available = new Set(['instance', 'job', ...used.flatMap(labelsOf)]);
    for (const by of r.expr.matchAll(/\b(?:by|without) \(([^)]*)\)/g)) {
      for (const label of by[1]!.split(',').map((x) => x.trim())) {
        if (!available.has(label)) out.push(`${r.alert}: grouping by unknown label ${label}`);
      }
    }
  }
  return out;
}

describe('the YAML subset parser', () => {
  it('reads nested mappings, sequences, block scalars and quoted strings', () => {
    const doc = parseYamlSubset(
      [
        'a:',
        '  - name: x # comment',
        '    expr: |',
        '      rate(m[5m])',
        '        > 0',
        '    note: "say \\"hi\\" # not a comment"',
        "    other: 'it''s'",
        '  - plain',
      ].join('\n'),
    );
    expect(doc).toEqual({
      a: [
        { name: 'x', expr: 'rate(m[5m])\n  > 0\n', note: 'say "hi" # not a comment', other: "it's" },
        'plain',
      ],
    });
  });

  it('rejects syntax outside the subset instead of misreading it', () => {
    expect(() => parseYamlSubset('a: [1, 2]')).toThrow(YamlSubsetError);
    expect(() => parseYamlSubset('a: 1\na: 2')).toThrow(/duplicate key a/);
    expect(() => parseYamlSubset('a:\n  b: 1\n    c: 2')).toThrow(/indentation/);
  });
});

describe('ops/alerts.yml', () => {
  const rules = loadRules();

  it('has uniquely named rules, each with an expression, a severity, a concern and a description', () => {
    expect(rules.length).toBeGreaterThan(0);
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
    for (const r of rules) {
      expect(r.alert, JSON.stringify(r)).toMatch(/^[A-Z][A-Za-z]+$/);
      expect(r.expr.trim(), r.alert).not.toBe('');
      expect(['warning', 'critical'], r.alert).toContain(r.labels?.severity);
      expect([...SECTION_10_CONCERNS, 'ops'], r.alert).toContain(r.labels?.concern);
      expect(r.annotations?.summary, r.alert).toBeTruthy();
      expect(r.annotations?.description, r.alert).toBeTruthy();
      if (r.for !== undefined) expect(r.for, r.alert).toMatch(/^\d+[smhd]$/);
    }
  });

  it('covers every monitoring item of seed plan §10', () => {
    const covered = new Set(rules.map((r) => r.labels.concern));
    for (const concern of SECTION_10_CONCERNS) expect(covered, concern).toContain(concern);
  });

  it('uses only metric names and labels that the registry has', () => {
    expect(problemsOf(rules)).toEqual([]);
    // Descriptions that point at a metric (or query one) must name a real one too.
    for (const r of rules) {
      for (const name of Object.values(r.annotations)
        .join('\n')
        .match(/\bdcw_[a-z0-9_]+/g) ?? []) {
        expect(series, `${r.alert} annotation: ${name}`).toContain(name);
      }
    }
  });

  it('catches a misspelled metric, an unknown label and an unknown grouping label', () => {
    expect(
      problemsOf([
        { alert: 'Typo', expr: 'dcw_pg_statement_timeout_total > 0' },
        { alert: 'BadLabel', expr: 'dcw_repair_journal_depth{entity="orders"} > 0' },
        { alert: 'BadBy', expr: 'sum by (domain) (dcw_store_records) > 0' },
        { alert: 'NoMetric', expr: 'up == 0' },
        { alert: 'Fine', expr: 'sum by (entity, store) (dcw_store_records{store="redis"}) > 0' },
      ]),
    ).toEqual([
      'Typo: no metric dcw_pg_statement_timeout_total',
      'BadLabel: dcw_repair_journal_depth has no label entity',
      'BadBy: grouping by unknown label domain',
      'NoMetric: uses no project metric',
    ]);
  });

  it('alerts on the statement timeout counter and the pool gauges by their registered names', () => {
    const all = rules.map((r) => r.expr).join('\n');
    for (const name of [METRIC.pgStatementTimeouts, METRIC.pgPoolInUse, METRIC.journalDepth]) {
      expect(all).toContain(name);
    }
  });
});
