/**
 * The migration dashboard in a real browser (Debian's /usr/bin/chromium through playwright-core),
 * over the real router, stage store and guard rails on this file's Postgres database and Redis
 * prefix. Screenshots land in test-artifacts/dashboard/.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legacyKeys } from '../../src/legacy/keys.js';
import { createDataLayer, type RoutedDataLayer } from '../../src/migration/router/index.js';
import { routerMigrationControl } from '../../src/ops/adapters/router-control.js';
import { attachMigrationCollectors } from '../../src/ops/collectors.js';
import { createDashboard } from '../../src/ops/dashboard/app.js';
import { createMetrics, METRIC } from '../../src/ops/metrics.js';
import { usePostgres, useRedis } from '../support/harness.js';
import { sampleValue } from './support/prom-text.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = 'test-artifacts/dashboard';
const TOKEN = 'test-dashboard-token-0123456789';

const pg = usePostgres();
const redis = useRedis();

describe('migration dashboard in Chromium', () => {
  let layer: RoutedDataLayer;
  let server: ServerType;
  let base: string;
  let context: BrowserContext;
  let page: Page;
  let profile: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} is missing: the dashboard browser tests need Debian's Chromium. Install it with ` +
          '`apt-get update && apt-get install -y chromium` (.ci/run does this), then run the tests again.',
      );
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    const keys = legacyKeys(redis.prefix);
    const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
    layer = await createDataLayer({
      redis: { client: redis.client, keys },
      pg: pg.handle,
      env: {},
      stages: { switchDelayMs: 0, pollMs: 200 },
      reconciler: { enabled: false },
      log: quiet,
    });
    const control = routerMigrationControl({
      migration: layer.migration,
      pg: pg.handle,
      redis: { client: redis.client, keys },
    });
    const metrics = createMetrics();
    attachMigrationCollectors(metrics, control);
    const app = createDashboard({ control, token: TOKEN, metrics });
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    profile = mkdtempSync(join(tmpdir(), 'dcw-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1280, height: 800 },
    });
    page = context.pages()[0] ?? (await context.newPage());
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    await layer?.migration.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  const shot = (name: string) => page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
  const stageOf = (domain: string) => page.locator(`tr[data-domain="${domain}"] [data-stage]`).textContent();
  async function step(domain: string, direction: 'Forward' | 'Back') {
    await page.locator(`tr[data-domain="${domain}"] button.step-btn`, { hasText: direction }).click();
    await expect.poll(() => page.locator('dialog#confirm').isVisible()).toBe(true);
    await page.locator('dialog#confirm [data-ok]').click();
  }

  it('refuses a wrong token and lets the right one in', async () => {
    await page.goto(`${base}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('#token', 'not-the-token');
    await page.click('button[type=submit]');
    await expect.poll(() => page.locator('.login .error').textContent()).toContain('not right');
    expect(await page.locator('#domains').count()).toBe(0);
    await shot('01-login-refused');

    await page.fill('#token', TOKEN);
    await page.click('button[type=submit]');
    await page.waitForSelector('#domains');
    await shot('02-overview');
  });

  it('shows every routed domain with its stage', async () => {
    const rows = await page
      .locator('#domains tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [
          tr.getAttribute('data-domain'),
          tr.querySelector('[data-stage]')?.textContent?.trim(),
        ]),
      );
    const domains = rows.map(([d]) => d);
    expect(domains).toEqual(
      expect.arrayContaining(['users', 'orders', 'products', 'purchases', 'alcoholTypes']),
    );
    expect(new Set(domains).size).toBe(layer.migration.model.domains.length);
    for (const [, stage] of rows) expect(stage).toBe('redis');
    // No layout overflow at 1280×800.
    const [scrollWidth, clientWidth] = await page.evaluate<number[]>(
      '[document.documentElement.scrollWidth, document.documentElement.clientWidth]',
    );
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth!);
  });

  it('steps a domain forward and back after a confirmation', async () => {
    await step('purchases', 'Forward');
    await expect.poll(() => stageOf('purchases')).toBe('dual-write');
    await expect
      .poll(() => page.locator('#flash.ok').textContent())
      .toContain('purchases moved to dual-write');
    expect(layer.migration.stageOf('purchases')).toBe('dual-write');
    await shot('03-stepped-forward');

    // Cancelling the dialog changes nothing.
    await page.locator('tr[data-domain="purchases"] button.step-btn', { hasText: 'Forward' }).click();
    await page.locator('dialog#confirm [data-cancel]').click();
    expect(await stageOf('purchases')).toBe('dual-write');

    await step('purchases', 'Back');
    await expect.poll(() => stageOf('purchases')).toBe('redis');
    expect(layer.migration.stageOf('purchases')).toBe('redis');
  });

  it('shows the guard rail reason when a forward step is refused', async () => {
    await layer.migration.setStage({ target: 'purchases', stage: 'shadow-read', by: 'test' });
    await page.reload();
    expect(await stageOf('purchases')).toBe('shadow-read');
    await step('purchases', 'Forward');
    const flash = page.locator('#flash.bad');
    await expect.poll(() => flash.textContent()).toContain('Refused: purchases stays at shadow-read');
    expect(await flash.textContent()).toContain('has never been verified');
    expect(await stageOf('purchases')).toBe('shadow-read');
    expect(layer.migration.stageOf('purchases')).toBe('shadow-read');
    await shot('04-refused');
  });

  it('serves the stage gauges on /metrics to the same login', async () => {
    const res = await page.request.get(`${base}/metrics`);
    expect(res.status()).toBe(200);
    const text = await res.text();
    expect(sampleValue(text, METRIC.stage, { domain: 'purchases' })).toBe(2);
    expect(sampleValue(text, METRIC.stage, { domain: 'users' })).toBe(0);
    const anonymous = await fetch(`${base}/metrics`);
    expect(anonymous.status).toBe(401);
  });
});
