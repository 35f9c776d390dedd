// isobench compare on synthetic pairs of runs: regressions caught, noise tolerated, improvements pass, hosts flagged.
import { describe, expect, it } from 'vitest';
import {
  compareRuns,
  compareVerdict,
  DEFAULT_THRESHOLD,
  type CellComparison,
  type RunComparison,
} from '../../analysis/compare/runs.js';
import { rng } from '../../analysis/rng.js';
import { noisyTrials, syntheticRecord, type SynthCell } from '../factories/synthetic.js';
import type { HostFingerprint, RunRecord } from '../../model/record.js';
import { compareMarkdown, compareText } from '../../reports/compare/text.js';
import { syntheticDensityRecord } from '../factories/synthetic-density.js';
import { CPU, SWEEPS } from '../factories/density-record.js';
import { parseThreshold, resolveThresholds } from '../../bench/commands/compare-args.js';

const cpuParams = { threads: 1, 'max-prime': 10000, time: 2 };

/** One run: bare metal and a container, cpu events/s and startup_ms, lognormal trial noise `sigma`. */
function run(
  seed: number,
  opts: {
    cpu?: number;
    startup?: number;
    sigma?: number;
    trials?: number;
    host?: Partial<HostFingerprint>;
    extra?: SynthCell[];
  } = {},
): RunRecord {
  const rand = rng(seed);
  const sigma = opts.sigma ?? 0.01;
  const trials = opts.trials ?? 5;
  const cells: SynthCell[] = [
    {
      env: 'bare',
      engine: 'host',
      workload: 'cpu',
      params: cpuParams,
      trials: noisyTrials(1000, sigma, trials, 3, rand),
    },
    {
      env: 'container',
      engine: 'synthetic',
      workload: 'cpu',
      params: cpuParams,
      trials: noisyTrials(opts.cpu ?? 1000, sigma, trials, 3, rand),
    },
    {
      env: 'container',
      engine: 'synthetic',
      workload: 'startup',
      metric: 'startup_ms',
      trials: noisyTrials(opts.startup ?? 100, sigma, trials, 1, rand),
    },
    ...(opts.extra ?? []),
  ];
  return syntheticRecord(cells, { seed, ...(opts.host ? { host: opts.host } : {}) });
}

const cell = (c: RunComparison, metric: string, envId = 'container:synthetic'): CellComparison => {
  const found = c.cells.find((x) => x.metric === metric && x.envId === envId);
  if (found === undefined) throw new Error(`no cell ${metric} ${envId}`);
  return found;
};

describe('compareRuns', () => {
  it('catches a known 10 % regression of a higher-is-better metric', () => {
    const cmp = compareRuns(run(1), run(2, { cpu: 900 }));
    const c = cell(cmp, 'events_per_s');
    expect(c.verdict.kind).toBe('regression');
    expect(c.ratio).toBeGreaterThan(0.87);
    expect(c.ratio).toBeLessThan(0.93);
    expect(c.ratioCi?.hi).toBeLessThan(0.95);
    expect(cmp.counts.regression).toBe(1);
    expect(cell(cmp, 'events_per_s', 'bare:host').verdict.kind).toBe('within-noise');
  });

  it(
    'reads direction from the metric catalogue: 10 % longer startup is a regression, 10 % shorter an ' + 'improvement',
    () => {
      expect(cell(compareRuns(run(1), run(2, { startup: 110 })), 'startup_ms').verdict.kind).toBe('regression');
      expect(cell(compareRuns(run(1), run(2, { startup: 90 })), 'startup_ms').verdict.kind).toBe('improvement');
    },
  );

  it('calls a 1 % change on noisy data (5 % trial noise) within noise, in every one of 20 seeded pairs', () => {
    for (let s = 0; s < 20; s++) {
      const cmp = compareRuns(run(100 + s, { sigma: 0.05 }), run(200 + s, { cpu: 990, sigma: 0.05 }));
      expect(cell(cmp, 'events_per_s').verdict.kind, `seed ${s}`).toBe('within-noise');
      expect(cmp.counts.regression, `seed ${s}`).toBe(0);
    }
  });

  it('passes an improvement: a 10 % faster container is an improvement, never a regression', () => {
    const cmp = compareRuns(run(1), run(2, { cpu: 1100 }));
    expect(cell(cmp, 'events_per_s').verdict.kind).toBe('improvement');
    expect(cmp.counts.regression).toBe(0);
  });

  it('applies per-metric thresholds: a 10 % slower startup is within a 20 % threshold', () => {
    const cmp = compareRuns(run(1), run(2, { startup: 110 }), {
      default: DEFAULT_THRESHOLD,
      metrics: { startup_ms: 0.2 },
    });
    const c = cell(cmp, 'startup_ms');
    expect(c.threshold).toBe(0.2);
    expect(c.verdict).toMatchObject({ kind: 'within-noise', significant: true });
  });

  it('flags different hosts and set-ups, and nothing when they are alike', () => {
    expect(compareRuns(run(1), run(2)).setup).toEqual([]);
    const other = run(2, {
      host: {
        cpuModel: { value: 'Other CPU @ 2.0GHz' },
        kernel: { value: '6.8.0-other' },
        tools: { sysbench: { value: 'sysbench 1.1.0' } },
      },
    });
    other.probes = other.probes.map((p) => (p.id === 'container:synthetic' ? { ...p, version: 'synthetic 2.0' } : p));
    const setup = compareRuns(run(1), other).setup;
    expect(setup.map((d) => d.what)).toEqual(
      expect.arrayContaining(['CPU model', 'kernel', 'sysbench version', 'container:synthetic engine version']),
    );
    expect(setup.find((d) => d.what === 'CPU model')).toMatchObject({
      area: 'host',
      baseline: 'Synthetic CPU @ 3.0GHz',
      current: 'Other CPU @ 2.0GHz',
    });
    const text = compareText(compareRuns(run(1), other), { baseline: 'a', current: 'b' });
    expect(text[0]).toMatch(/NOT LIKE FOR LIKE/);
    expect(compareMarkdown(compareRuns(run(1), other))).toMatch(/\[!WARNING\][\s\S]*CPU model/);
  });

  it('flags a different workload image digest of an environment', () => {
    const label = (d: string) => ({
      env: 'vm',
      engine: 'synthetic',
      workload: 'cpu',
      params: cpuParams,
      labels: { image_digest: d },
      trials: [[1], [1], [1]],
    });
    const setup = compareRuns(run(1, { extra: [label('sha256:aaa')] }), run(2, { extra: [label('sha256:bbb')] })).setup;
    expect(setup).toContainEqual({
      area: 'image',
      what: 'vm:synthetic workload image digest',
      baseline: 'sha256:aaa',
      current: 'sha256:bbb',
    });
  });

  it('lists metrics and cells present in one run only', () => {
    const vm: SynthCell = {
      env: 'vm',
      engine: 'synthetic',
      workload: 'cpu',
      params: cpuParams,
      trials: [[500], [510], [505]],
    };
    const cmp = compareRuns(run(1), run(2, { extra: [vm] }));
    expect(cmp.oneSided).toEqual([
      { in: 'current', label: 'cpu', envId: 'vm:synthetic', metric: 'events_per_s', trials: 3 },
    ]);
    const back = compareRuns(run(2, { extra: [vm] }), run(1));
    expect(back.oneSided).toEqual([
      { in: 'baseline', label: 'cpu', envId: 'vm:synthetic', metric: 'events_per_s', trials: 3 },
    ]);
    expect(compareText(back, { baseline: 'a', current: 'b' }).join('\n')).toMatch(
      /only in the baseline run[\s\S]*cpu · events_per_s · vm:synthetic/,
    );
    expect(compareMarkdown(back)).toMatch(/baseline only: cpu · events_per_s · vm:synthetic/);
  });

  it(
    'leaves density sweeps out, listing each with the instances both runs reached (their values ' + 'belong to counts)',
    () => {
      // The current run's container sweep stops at 4 instances instead of 8 and the guest sweep is new:
      // pooled medians would compare 1–4 instances with 1–8.
      const short = SWEEPS.slice(0, 3).map((s) =>
        s.engine === 'container' ? { ...s, steps: s.steps.slice(0, 4) } : s,
      );
      const cmp = compareRuns(
        syntheticDensityRecord(SWEEPS.slice(0, 3), CPU),
        syntheticDensityRecord([...short, ...SWEEPS.slice(3)], CPU),
      );
      expect(cmp.cells.filter((c) => c.workload === 'density')).toEqual([]);
      expect(cmp.oneSided).toEqual([]);
      expect(cmp.cells.map((c) => `${c.workload} ${c.envId}`)).toEqual([
        'cpu bare:host',
        'cpu synthetic:container',
        'cpu synthetic:guest',
      ]);
      expect(cmp.sweeps).toEqual([
        { in: 'both', label: 'density batch=1', envId: 'bare:host', instances: { baseline: 8, current: 8 } },
        { in: 'both', label: 'density batch=1', envId: 'synthetic:container', instances: { baseline: 8, current: 4 } },
        {
          in: 'current',
          label: 'density batch=4',
          envId: 'synthetic:container',
          instances: { baseline: null, current: 8 },
        },
        {
          in: 'current',
          label: 'density batch=2',
          envId: 'synthetic:guest',
          instances: { baseline: null, current: 14 },
        },
      ]);
      const text = compareText(cmp, { baseline: 'a', current: 'b' });
      const at = text.findIndex((l) => /^density sweeps are not compared: .*different counts/.test(l));
      expect(text.slice(at + 1, at + 4)).toEqual([
        '  density batch=1 · bare:host: 8 → 8 instances reached',
        '  density batch=1 · synthetic:container: 8 → 4 instances reached',
        '  density batch=4 · synthetic:container: current run only (8 instances reached)',
      ]);
      expect(compareMarkdown(cmp)).toMatch(
        /- density batch=2 · synthetic:guest: current run only \(14 instances reached\)/,
      );
      expect(compareRuns(run(1), run(2)).sweeps).toEqual([]);
    },
  );

  it('does not judge a cell with fewer than 3 trials on a side', () => {
    const c = cell(compareRuns(run(1), run(2, { trials: 2, cpu: 500 })), 'events_per_s');
    expect(c.verdict).toEqual({ kind: 'unjudged', reason: 'too-few-trials', trials: { baseline: 5, current: 2 } });
  });

  it(
    'does not crash on degenerate records: a baseline of zeros is not judged, an empty run lists ' +
      'everything as one-sided',
    () => {
      const zeros = run(1);
      for (const r of zeros.results) for (const x of r.samples) x.value = 0;
      const c = cell(compareRuns(zeros, run(2)), 'events_per_s');
      expect(c.verdict).toMatchObject({ kind: 'unjudged', reason: 'baseline-zero' });
      const empty = { ...run(1), results: [] };
      const cmp = compareRuns(empty, run(2));
      expect(cmp.cells).toEqual([]);
      expect(cmp.oneSided.every((o) => o.in === 'current')).toBe(true);
      expect(compareMarkdown(cmp)).toMatch(/no regression/);
    },
  );

  it('is deterministic', () => {
    expect(compareRuns(run(1), run(2, { cpu: 950 }))).toEqual(compareRuns(run(1), run(2, { cpu: 950 })));
  });

  it('puts regressions first in the Markdown summary', () => {
    const md = compareMarkdown(compareRuns(run(1), run(2, { cpu: 1100, startup: 130 })));
    expect(md).toMatch(/^## isobench compare: ❌ 1 regression/);
    const rows = md.split('\n').filter((l) => /^\| (\*\*REGRESSION\*\*|improvement) /.test(l));
    expect(rows.map((r) => r.split('|')[1]?.trim())).toEqual(['**REGRESSION**', 'improvement']);
  });
});

describe('the verdict rule', () => {
  const trials = { baseline: 5, current: 5 };
  it.each([
    [0.1, { lo: 0.06, hi: 0.14 }, 'regression'],
    [0.06, { lo: 0.03, hi: 0.09 }, 'within-noise'], // real, but not surely beyond 5 %
    [0.01, { lo: -0.04, hi: 0.06 }, 'within-noise'],
    [-0.1, { lo: -0.14, hi: -0.06 }, 'improvement'],
  ] as const)('change %s with interval %j is %s', (change, interval, kind) => {
    expect(compareVerdict({ change, interval, threshold: 0.05, trials }).kind).toBe(kind);
  });
  it('says whether a change within the threshold is still significant', () => {
    expect(compareVerdict({ change: 0.06, interval: { lo: 0.03, hi: 0.09 }, threshold: 0.05, trials })).toMatchObject({
      significant: true,
    });
    expect(compareVerdict({ change: 0.01, interval: { lo: -0.04, hi: 0.06 }, threshold: 0.05, trials })).toMatchObject({
      significant: false,
    });
  });
});

describe('thresholds', () => {
  it.each([
    ['5%', 0.05],
    ['2.5%', 0.025],
    ['10', 0.1],
    [' 20 % ', 0.2],
  ] as const)('%j is %s', (text, v) => {
    expect(parseThreshold(text, '--threshold')).toBeCloseTo(v, 12);
  });
  it.each(['0', '0%', '100%', 'five', '-5%', '5%%', ''])(
    '%j is refused naming the value and the valid form',
    (text) => {
      expect(() => parseThreshold(text, '--threshold')).toThrow(
        new RegExp(`bad value '.*' for --threshold: expected a percentage above 0 and below 100, such as 5%`),
      );
    },
  );
  it('the flag overrides the default; no config means 5 %', () => {
    expect(resolveThresholds({ threshold: undefined, config: undefined }, [])).toEqual({ default: 0.05, metrics: {} });
    expect(resolveThresholds({ threshold: '3%', config: undefined }, [])).toEqual({ default: 0.03, metrics: {} });
  });
});
