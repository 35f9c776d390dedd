// Reports from a fixed fake-env record: snapshot-tested chart configs, CSV, Markdown, table; escaping; determinism.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRunRecord } from '../../model/schema.js';
import { analyse } from '../../analysis/verdict-analysis.js';
import { runWarnings } from '../../analysis/warnings.js';
import { chartSpecs } from '../../reports/run/chart-configs.js';
import { renderChart } from '../../reports/shared/chart-render.js';
import { escapeMd } from '../../reports/shared/format.js';
import { renderReports } from '../../reports/run/index.js';
import { summaryCsv } from '../../reports/run/summary-csv.js';
import { summaryMarkdown } from '../../reports/run/summary-md.js';
import { summaryTable } from '../../reports/run/table.js';
import { verdictText } from '../../reports/shared/verdict-text.js';
import { syntheticRecord } from '../factories/synthetic.js';

// Read as every command reads it: the fixture is format 3 (margin in percent), upgraded by parseRunRecord.
const fixturePath = new URL('../fixtures/records/fake-run.json', import.meta.url);
const fixture = parseRunRecord(readFileSync(fixturePath, 'utf8'), fixturePath.pathname);
const analysis = analyse(fixture);

describe('reports of the fake-env fixture', () => {
  it('chart configurations', () => {
    expect(chartSpecs(analysis)).toMatchSnapshot();
  });
  it('summary.csv', async () => {
    await expect(summaryCsv(analysis)).toMatchFileSnapshot('__snapshots__/fake-run.summary.csv');
  });
  it('summary.md', async () => {
    await expect(summaryMarkdown(fixture, analysis, runWarnings(fixture, analysis))).toMatchFileSnapshot(
      '__snapshots__/fake-run.summary.md',
    );
  });
  it('the verdict table printed after a run', async () => {
    await expect(summaryTable(fixture, analysis)).toMatchFileSnapshot('__snapshots__/fake-run.summary.txt');
  });
  it('states the known 10 % slowdown of fake:slow and the fallback baseline', () => {
    const slow = analysis.entries.find(
      (e) => e.case.workload === 'cpu' && e.metric === 'events_per_s' && e.stats.envId === 'fake:slow',
    );
    expect(slow && verdictText(slow)).toMatch(/^slower by 10\.0 % \[/);
    expect(analysis.baselineId).toBe('fake:fake');
  });
});

describe('determinism', () => {
  it('renders byte-identical PNGs for the same configuration', async () => {
    const spec = chartSpecs(analysis)[0]!;
    const [a, b] = [await renderChart(spec), await renderChart(spec)];
    expect(a.subarray(1, 4).toString()).toBe('PNG');
    expect(a.equals(b)).toBe(true);
  });
  it('renders identical files for the same record and generated-at line', async () => {
    const one = await renderReports(fixture, { generatedAt: 'T' });
    const two = await renderReports(fixture, { generatedAt: 'T' });
    expect([...one.keys()]).toEqual([...two.keys()]);
    for (const [name, content] of one)
      expect(Buffer.from(content).equals(Buffer.from(two.get(name)!)), name).toBe(true);
  });
});

describe('escaping', () => {
  const evil = '<script>alert(1)</script>';
  const hostile = syntheticRecord(
    [
      {
        env: 'bare',
        engine: 'host',
        workload: 'cpu',
        params: { threads: evil },
        trials: [
          [100, 101],
          [99, 100],
          [100, 100],
        ],
        labels: { image_digest: evil },
      },
      {
        env: 'synthetic',
        engine: evil,
        workload: 'cpu',
        params: { threads: evil },
        trials: [
          [90, 91],
          [89, 90],
          [90, 90],
        ],
        labels: { note: evil },
      },
    ],
    { warnings: [`warning with ${evil}`] },
  );
  hostile.runId = evil;
  hostile.plan.argv = ['isobench', 'run', `--set=cpu.x=${evil}`];
  it('escapes every record string in report.html and summary.md', async () => {
    const files = await renderReports(hostile, { generatedAt: 'T' });
    const html = String(files.get('report.html'));
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const md = String(files.get('summary.md'));
    const outsideCode = md.replace(/^(~{3,})sh\n[^\n]*\n\1$/gm, '');
    expect(outsideCode).not.toMatch(/<script/i);
    expect(md).toContain('synthetic:&lt;script&gt;');
    for (const name of files.keys()) expect(name).toMatch(/^[A-Za-z0-9_.-]+$/);
  });
  it('neutralises Markdown table and link syntax', () => {
    expect(escapeMd('a|b [x](http://e) <i>')).toBe('a\\|b [x\\](http://e) &lt;i&gt;');
  });
});
