// Engines of one kind against each other: the matrices, their verdicts, and where the reports show them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../model/record.js';
import { engineMatrices, pairOf } from '../../analysis/engine-comparison.js';
import { analyse } from '../../analysis/verdict-analysis.js';
import { runWarnings } from '../../analysis/warnings.js';
import { renderReports } from '../../reports/run/index.js';
import { summaryMarkdown } from '../../reports/run/summary-md.js';
import { summaryTable } from '../../reports/run/table.js';
import { verdictText } from '../../reports/shared/verdict-text.js';
import { syntheticRecord } from '../factories/synthetic.js';

const trials = (v: number) => [
  [v, v + 1],
  [v - 1, v],
  [v, v],
  [v + 1, v],
  [v, v - 1],
];
// Bare metal as the baseline, three engines of one kind: b is 10 % slower than a, c equals a.
const record = syntheticRecord([
  { env: 'bare', engine: 'host', workload: 'cpu', trials: trials(1000) },
  { env: 'synthetic', engine: 'a', workload: 'cpu', trials: trials(1000), labels: { seccomp: 'none' } },
  { env: 'synthetic', engine: 'b', workload: 'cpu', trials: trials(900), labels: { seccomp: 'filter (1 loaded)' } },
  { env: 'synthetic', engine: 'c', workload: 'cpu', trials: trials(1000), labels: { seccomp: 'none' } },
]);
const analysis = analyse(record);

describe('engine matrices', () => {
  const [m, ...rest] = engineMatrices(record, analysis);

  it('compares every engine of a kind with every other, beside its verdict against bare metal', () => {
    expect(rest).toEqual([]);
    expect(m?.env).toBe('synthetic');
    expect(m?.metric).toBe('events_per_s');
    expect(m?.rows.map((r) => [r.stats.envId, r.verdict.kind])).toEqual([
      ['synthetic:a', 'equivalent'],
      ['synthetic:b', 'worse'],
      ['synthetic:c', 'equivalent'],
    ]);
    expect(m?.pairs).toHaveLength(6);
    const ba = pairOf(m!, 'synthetic:b', 'synthetic:a');
    expect(ba?.comparison?.ratio).toBeCloseTo(0.9, 3);
    expect(verdictText(ba!)).toMatch(/^slower by 10\.0 % \[/);
    expect(verdictText(pairOf(m!, 'synthetic:a', 'synthetic:b')!)).toMatch(/^faster by 11\.1 % \[/);
    expect(pairOf(m!, 'synthetic:a', 'synthetic:c')?.verdict.kind).toBe('equivalent');
  });

  it('is deterministic (seeded bootstrap)', () => {
    expect(engineMatrices(record, analyse(record))).toEqual(engineMatrices(record, analysis));
  });

  it('adds nothing when the engines are already compared with a baseline of their own kind (no bare metal)', () => {
    const fixture = JSON.parse(
      readFileSync(new URL('../fixtures/records/fake-run.json', import.meta.url), 'utf8'),
    ) as RunRecord;
    expect(engineMatrices(fixture, analyse(fixture))).toEqual([]);
    const single = syntheticRecord([
      { env: 'bare', engine: 'host', workload: 'cpu', trials: trials(10) },
      { env: 'synthetic', engine: 'a', workload: 'cpu', trials: trials(10) },
    ]);
    expect(engineMatrices(single, analyse(single))).toEqual([]);
  });
});

describe('reports', () => {
  it('summary.md and the end-of-run table show the matrix; report.html has its own section', async () => {
    const md = summaryMarkdown(record, analysis, runWarnings(record, analysis));
    expect(md).toContain('### Engines side by side');
    expect(md).toMatch(
      /\| synthetic:b \| 900\.0 events\/s \| slower by 10\.0 % .*\| slower by 10\.0 % .*\| — \| slower by 10\.0 %/,
    );
    const text = summaryTable(record, analysis);
    expect(text).toMatch(/synthetic:a vs synthetic:b: faster by 11\.1 %/);
    expect(text).toMatch(/synthetic:a vs synthetic:c: equivalent within ±2\.0 %/);
    const html = String((await renderReports(record, { generatedAt: 'T' })).get('report.html'));
    expect(html).toContain('<section id="engines"><h2>Engines side by side</h2>');
    expect(html).toContain('<th>vs synthetic:c</th>');
  });
});
