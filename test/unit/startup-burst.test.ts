// Startup bursts: the burst figures on hand-computed cases, the burst driver's samples and cleanup, and startup verdicts worded as time added.
import { describe, expect, it } from 'vitest';
import { runBurst } from '../../bench/run/burst.js';
import { differenceInterval, seedFor } from '../../analysis/bootstrap.js';
import { caseKey } from '../../model/ids.js';
import { analyse } from '../../analysis/verdict-analysis.js';
import { lifecycle } from '../../model/metrics.js';
import type { PlanCell } from '../../model/record.js';
import { syntheticRecord } from '../factories/synthetic.js';
import { answers } from '../../reports/run/answer.js';
import { summaryCsv } from '../../reports/run/summary-csv.js';
import { verdictText, verdictWords } from '../../reports/shared/verdict-text.js';
import type { Instance, RunContext, Runner } from '../../runners/types.js';
import { burstFigures, startup } from '../../workloads/startup.js';

describe('burst figures', () => {
  it(
    'p50 and p95 interpolate between order statistics; launches per second = instances ÷ time to the ' + 'last ready',
    () => {
      // Sorted 100, 200, 300, 400: p50 at position 1.5 → 250; p95 at 2.85 → 300 + 0.85 × 100 = 385; 4 in 0.4 s.
      expect(burstFigures([300, 100, 400, 200])).toEqual({ instances: 4, p50Ms: 250, p95Ms: 385, launchesPerS: 10 });
      // 10, 20, … 100: p95 at position 8.55 → 90 + 0.55 × 10 = 95.5; 10 in 0.1 s.
      const ten = burstFigures([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
      expect(ten?.p50Ms).toBe(55);
      expect(ten?.p95Ms).toBeCloseTo(95.5, 10);
      expect(ten?.launchesPerS).toBeCloseTo(100, 10);
      // A burst of one: its time is every percentile; 1 launch in 50 ms is 20 per second.
      expect(burstFigures([50])).toEqual({ instances: 1, p50Ms: 50, p95Ms: 50, launchesPerS: 20 });
      expect(burstFigures([])).toBeNull();
      expect(burstFigures([0, 0])?.launchesPerS).toBeNull();
    },
  );

  it('declares its metrics with units and directions, and one burst size by default', () => {
    expect(startup.metrics['burst_ready_p95_ms']).toMatchObject({ unit: 'ms', better: 'lower', quantity: 'time' });
    expect(startup.metrics['burst_launches_per_s']).toMatchObject({
      unit: 'launches/s',
      better: 'higher',
      quantity: 'rate',
    });
    expect(startup.defaults(false, { llcBytes: null, freeMemoryBytes: null })).toEqual({ burst: 10 });
  });
});

/** A stand-in runner: instance n is ready `readyMs(n)` after its start was called; the n-th start may fail. */
function timedRunner(readyMs: (n: number) => number, failAt: number | null = null) {
  const live = new Set<string>();
  const tags: string[] = [];
  let started = 0;
  let most = 0;
  const runner: Runner = {
    env: 'fake',
    engine: 'timed',
    description: 'test',
    probe: async () => ({ ok: true, version: '1', details: {} }),
    async start(_ctx, spec) {
      const n = ++started;
      const t0 = performance.now();
      await new Promise((r) => setTimeout(r, readyMs(n)));
      if (n === failAt) throw new Error(`instance ${n} never became ready`);
      live.add(spec.tag);
      tags.push(spec.tag);
      most = Math.max(most, live.size);
      const inst: Instance = {
        labels: { n: String(n) },
        startup: [lifecycle('startup_ms', readyMs(n)), lifecycle('instance_memory_MiB', 1)],
        readyAt: t0 + readyMs(n),
        exec: async () => ({ stdout: '', stderr: '', exitCode: 0, durationMs: 0, timedOut: false }),
        async stop() {
          live.delete(spec.tag);
          return [lifecycle('teardown_ms', 2)];
        },
      };
      return inst;
    },
    async cleanup() {},
  };
  return { runner, live, tags, most: () => most };
}

const ctx = {
  runId: 'r',
  scratchRoot: '/tmp',
  cacheDir: '/tmp',
  limits: { cpus: null, memoryMiB: null },
  cpuset: null,
  options: {},
  log: () => undefined,
} as unknown as RunContext;
const cell = (burst: number): PlanCell => ({ env: 'fake', engine: 'timed', workload: 'startup', params: { burst } });
const input = (
  burst: number,
  t: ReturnType<typeof timedRunner>,
  opts: { warmup?: number; runs?: number; aborted?: () => boolean } = {},
) => ({
  runner: t.runner,
  ctx,
  cell: cell(burst),
  workload: startup,
  trialId: 3,
  trial: 1,
  warmup: opts.warmup ?? 0,
  runs: opts.runs ?? 1,
  labels: { engine_version: '1' },
  aborted: opts.aborted ?? (() => false),
});

describe('burst driver', () => {
  it(
    'launches the whole burst at once, times each instance from the burst start, records its figures ' +
      'and stops every instance',
    async () => {
      const t = timedRunner((n) => 40 * (((n - 1) % 4) + 1)); // 40, 80, 120, 160 ms in each burst
      const r = await runBurst(input(4, t, { warmup: 1, runs: 2 }));
      expect(r.status).toBe('completed');
      expect(t.most()).toBe(4); // all four of a burst at once, never two bursts together
      expect(t.live.size).toBe(0);
      expect(new Set(t.tags).size).toBe(12);
      expect(t.tags[0]).toMatch(/^r-t3-b1-i\d$/);
      const of = (metric: string, phase = 'measure') =>
        r.samples.filter((s) => s.metric === metric && s.phase === phase);
      expect(of('burst_ready_ms')).toHaveLength(8);
      expect(of('burst_ready_ms', 'warmup')).toHaveLength(4);
      // Each instance's time since the burst began is its own delay (the starts were issued together).
      for (const s of of('burst_ready_ms'))
        expect(s.value).toBeCloseTo(40 * (((Number(s.labels['n']) - 1) % 4) + 1), -1);
      expect(of('burst_ready_p50_ms').map((s) => s.iteration)).toEqual([2, 3]);
      for (const s of of('burst_ready_p50_ms')) expect(s.value).toBeCloseTo(100, -1);
      for (const s of of('burst_ready_p95_ms')) expect(s.value).toBeCloseTo(154, -1);
      for (const s of of('burst_launches_per_s')) expect(s.value).toBeCloseTo(25, 0);
      // The start's own phases and teardown come along; its memory does not.
      expect(of('startup_ms')).toHaveLength(8);
      expect(of('teardown_ms')).toHaveLength(8);
      expect(of('instance_memory_MiB')).toHaveLength(0);
      expect(
        r.samples.every(
          (s) =>
            s.kind === 'workload' &&
            s.workload === 'startup' &&
            s.params['burst'] === 4 &&
            s.labels['burst_size'] === '4' &&
            s.labels['engine_version'] === '1',
        ),
      ).toBe(true);
    },
  );

  it(
    'a start that fails errors the trial, keeps the finished bursts and stops the instances that did ' + 'start',
    async () => {
      const t = timedRunner((n) => (n === 6 ? 60 : 10), 6); // second burst: its 2nd start fails after the others are up
      const r = await runBurst(input(3, t, { runs: 3 }));
      expect(r.status).toBe('errored');
      expect(r.status === 'errored' && r.error).toMatchObject({
        stage: 'start',
        message: '1 of 3 starts of burst 2 failed: instance 6 never became ready',
      });
      expect(r.samples.filter((s) => s.metric === 'burst_ready_p50_ms').map((s) => s.iteration)).toEqual([1]);
      expect(t.tags).toHaveLength(5);
      expect(t.live.size).toBe(0);
    },
  );

  it('an interrupted run starts no further burst and leaves nothing running', async () => {
    const t = timedRunner(() => 5);
    let bursts = 0;
    const r = await runBurst(input(2, t, { runs: 5, aborted: () => ++bursts > 2 }));
    expect(r.status === 'errored' && r.error.message).toBe('interrupted by signal');
    expect(r.samples.filter((s) => s.metric === 'burst_ready_p50_ms')).toHaveLength(2);
    expect(t.live.size).toBe(0);
  });
});

describe('startup verdicts as time added', () => {
  const flat = (v: number, n = 5) => Array.from({ length: n }, () => [v, v, v]);
  const noisy = (vs: number[]) => vs.map((v) => [v, v + 0.2, v - 0.2]);
  const rec = (bare: number[][], other: number[][], metric = 'startup_ms', env = 'container', engine = 'runc') =>
    syntheticRecord([
      { env: 'bare', engine: 'host', workload: 'startup', metric, trials: bare },
      { env, engine, workload: 'startup', metric, trials: other },
    ]);
  const row = (r: ReturnType<typeof rec>, envId = 'container:runc') =>
    analyse(r).entries.find((e) => e.stats.envId === envId);

  it(
    'a slower start reads as the difference of medians with its bootstrap interval; the ratio stays ' +
      'in summary.csv',
    () => {
      const exact = row(rec(flat(7), flat(50)));
      expect(exact && verdictText(exact)).toBe('adds 43 ms [43, 43] to a process start');
      const r = rec(noisy([7.0, 7.4, 6.8, 7.1, 7.2]), noisy([50, 48, 53, 51, 49]));
      const e = row(r);
      expect(e?.verdict).toMatchObject({
        kind: 'worse',
        added: { value: expect.closeTo(42.9, 9) as number, unit: 'ms', baselineId: 'bare:host' },
      });
      // Medians of trial medians: 50 − 7.1 = 42.9; the interval is the bootstrap of that difference, not of the ratio.
      const bare = [7.0, 7.4, 6.8, 7.1, 7.2];
      const runc = [50, 48, 53, 51, 49];
      const ci = e?.verdict.kind === 'worse' ? e.verdict.added?.interval : null;
      expect(ci?.lo).toBeLessThan(42.9);
      expect(ci?.hi).toBeGreaterThan(42.9);
      expect(ci).toEqual(
        differenceInterval(bare, runc, {
          seed: seedFor(Number(r.plan.seed) || 0, `ratio|${caseKey('startup', {})}|startup_ms|container:runc`),
        }),
      );
      expect(e && verdictText(e)).toMatch(/^adds 43 ms \[4[0-2], 4[4-6]\] to a process start$/);
      expect(e?.comparison?.ratio).toBeCloseTo(50 / 7.1, 6);
      const csvRow = summaryCsv(analyse(r))
        .split('\n')
        .find((l) => l.includes('container:runc'));
      expect(csvRow).toContain(String(Number((50 / 7.1).toPrecision(6))));
      expect(csvRow).toMatch(/,worse,"adds 43 ms \[\d+, \d+\] to a process start"$/);
      expect(answers(analyse(r))[0]).toMatch(
        /^For startup \(startup_ms\), container:runc adds 43 ms to a process start on bare metal \(bare:host\), with a 95 % interval \[\d+, \d+\] ms\.$/,
      );
    },
  );

  it(
    'words faster, equivalent, too noisy and too few trials as time too, and names a baseline that ' +
      'is not bare metal',
    () => {
      expect(verdictText(row(rec(flat(10), flat(7)))!)).toBe('takes 3.0 ms [3.0, 3.0] less than a process start');
      expect(verdictText(row(rec(flat(100), flat(100.5)))!)).toBe(
        'equivalent within ±2.0 % (adds 0.50 ms [0.50, 0.50] to a process start)',
      );
      expect(verdictText(row(rec(flat(7, 1), flat(50, 1)))!)).toBe(
        'inconclusive: too few trials (1 < 3); adds 43 ms to a process start',
      );
      const wide = row(rec(noisy([10, 10, 10, 10, 10]), noisy([4, 16, 9, 11, 15])));
      expect(wide && verdictText(wide)).toMatch(
        /^inconclusive: too noisy \(adds 1\.0 ms \[-\d\.\d, \d\.\d\] to a process start, straddling ±2\.0 %\)$/,
      );
      const a = analyse(
        syntheticRecord([
          { env: 'container', engine: 'runc', workload: 'startup', metric: 'startup_ms', trials: flat(50) },
          { env: 'container', engine: 'docker', workload: 'startup', metric: 'startup_ms', trials: flat(350) },
        ]),
      );
      expect(verdictText(a.entries[1]!)).toBe('adds 300 ms [300, 300] to a container:runc start');
    },
  );

  it('judges burst times as time added and launches per second as a ratio', () => {
    expect(verdictText(row(rec(flat(12), flat(140.25), 'burst_ready_p95_ms'))!)).toBe(
      'adds 128 ms [128, 128] to a process start',
    );
    expect(verdictText(row(rec(flat(400), flat(100), 'burst_launches_per_s'))!)).toBe('slower by 75.0 % [75.0, 75.0]');
    expect(
      verdictWords({
        kind: 'worse',
        change: 0.5,
        interval: { lo: 0.4, hi: 0.6 },
        quantity: 'time',
        added: { value: 2.345, interval: { lo: 1.9, hi: 2.81 }, unit: 'ms', baselineId: 'bare:host' },
      }),
    ).toBe('adds 2.3 ms [1.9, 2.8] to a process start');
  });
});
