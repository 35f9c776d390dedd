// report.html in real headless Debian Chromium: verdict table and charts visible, no network requests, no script runs.
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../model/record.js';
import { parseRunRecord } from '../../model/schema.js';
import { analyse } from '../../analysis/verdict-analysis.js';
import { chartSpecs } from '../../reports/run/chart-configs.js';
import { renderReports } from '../../reports/run/index.js';
import { syntheticRecord } from '../factories/synthetic.js';
import { syntheticDensityRecord } from '../factories/synthetic-density.js';
import { CPU, SWEEPS } from '../factories/density-record.js';
import { titled, unmet } from '../helpers/requires.js';

const reason = await unmet(['chromium']);
// Read as every command reads it: the fixture is format 3 (margin in percent), upgraded by parseRunRecord.
const fixturePath = new URL('../fixtures/records/fake-run.json', import.meta.url);
const fixture = parseRunRecord(readFileSync(fixturePath, 'utf8'), fixturePath.pathname);

/** Writes every report file of `record` into a fresh directory; returns report.html's path. */
async function writeReport(record: RunRecord, dir: string): Promise<string> {
  for (const [name, content] of await renderReports(record, { generatedAt: 'test' }))
    await writeFile(join(dir, name), content);
  return join(dir, 'report.html');
}

describe('report.html in headless chromium', () => {
  let dir = '';
  let context: BrowserContext | null = null;
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  let profile: string | undefined;

  beforeAll(async () => {
    if (reason !== null) return;
    dir = await mkdtemp(join(tmpdir(), 'isobench-html-'));
    profile = await mkdtemp(join(tmpdir(), 'isobench-chromium-profile-'));
    const executablePath = (await execa('sh', ['-c', 'command -v chromium'])).stdout.trim();
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: [
        '--no-sandbox',
        '--headless',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    context.on('request', (r) => requests.push(r.url()));
    context.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
  });
  afterAll(async () => {
    await context?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it.skipIf(reason !== null)(
    titled('shows the verdict table and every chart and requests nothing over the network', reason),
    async () => {
      const html = await writeReport(fixture, dir);
      const page = await context!.newPage();
      await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
      expect(await page.locator('#verdict-table').isVisible()).toBe(true);
      expect(await page.locator('#verdict-table tbody tr').count()).toBe(analyse(fixture).entries.length);
      expect(await page.locator('#answer li').first().textContent()).toMatch(
        /fake:slow costs 10\.0 % against fake:fake/,
      );
      const images = await page.$$eval('img', (imgs) =>
        imgs.map((i) => ({
          complete: i.complete,
          w: i.naturalWidth,
          h: i.naturalHeight,
          shown: i.getBoundingClientRect().width,
        })),
      );
      expect(images).toHaveLength(chartSpecs(analyse(fixture)).length);
      for (const img of images)
        expect(img.complete && img.w > 0 && img.h > 0 && img.shown > 0, JSON.stringify(img)).toBe(true);
      const shot = join(dir, 'screenshot.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect((await stat(shot)).size).toBeGreaterThan(50_000);
      const self = pathToFileURL(html).href;
      const foreign = requests.filter((u) => !(u.startsWith('data:') || u.startsWith('about:') || u === self));
      expect(foreign).toEqual([]);
      expect(requests).toContain(self);
      expect(consoleErrors).toEqual([]);
      await page.close();
    },
  );

  it.skipIf(reason !== null)(
    titled('shows the density curves, their table and the plan of a run with density sweeps', reason),
    async () => {
      const sub = await mkdtemp(join(dir, 'density-'));
      const page = await context!.newPage();
      await page.goto(pathToFileURL(await writeReport(syntheticDensityRecord(SWEEPS, CPU), sub)).href, {
        waitUntil: 'load',
      });
      const charts = await page.$$eval('#density img', (imgs) =>
        imgs.map((i) => ({
          alt: i.alt,
          complete: i.complete,
          w: i.naturalWidth,
          shown: i.getBoundingClientRect().width,
        })),
      );
      expect(charts.map((c) => c.alt.split('.')[0])).toEqual([
        'Line chart of ready time (ms) against instances running',
        "Line chart of memory per instance (MiB) against instances running, the host's MemAvailable drop " +
          "divided by the instances (solid) and the engine's own accounting (dashed)",
      ]);
      for (const c of charts) expect(c.complete && c.w > 0 && c.shown > 0, JSON.stringify(c)).toBe(true);
      expect(await page.locator('#density-table tbody tr').count()).toBe(4);
      expect(await page.locator('#density-table').isVisible()).toBe(true);
      expect(await page.locator('#plan-table tbody tr').count()).toBe(2);
      expect(await page.locator('#plan pre').first().textContent()).toMatch(
        /^isobench plan --from results\/synthetic --host-cpus 8 /,
      );
      await page.locator('#density').screenshot({ path: join(sub, 'density-section.png') });
      expect((await stat(join(sub, 'density-section.png'))).size).toBeGreaterThan(50_000);
      expect(consoleErrors).toEqual([]);
      await page.close();
    },
  );

  it.skipIf(reason !== null)(titled('runs no script from a hostile label, engine or parameter', reason), async () => {
    const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const rec = syntheticRecord([
      {
        env: 'bare',
        engine: 'host',
        workload: 'cpu',
        params: { threads: evil },
        trials: [[100], [101], [99]],
        labels: { accelerator: evil },
      },
      { env: 'synthetic', engine: evil, workload: 'cpu', params: { threads: evil }, trials: [[90], [91], [89]] },
    ]);
    const sub = await mkdtemp(join(dir, 'hostile-'));
    const page = await context!.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(pathToFileURL(await writeReport(rec, sub)).href, { waitUntil: 'load' });
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('img:not([src^="data:"])').count()).toBe(0);
    expect(await page.locator('#verdict-table').textContent()).toContain('synthetic:<script>alert(1)</script>');
    expect(dialogs).toEqual([]);
    await page.close();
  });
});
