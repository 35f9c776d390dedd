// Density sweeps: the stop conditions (count, MemAvailable floor ahead of the step, ready-time p95) and the sweep driver's bookkeeping and cleanup.
import { describe, expect, it } from 'vitest';
import { runSweep } from '../../bench/run/sweep.js';
import { lifecycle } from '../../model/metrics.js';
import type { PlanCell, RunRecord } from '../../model/record.js';
import { densitySummaries, knee, kneeNoise, slope } from '../../analysis/density.js';
import { rng } from '../../analysis/rng.js';
import { syntheticDensityRecord } from '../factories/synthetic-density.js';
import type { Instance, RunContext, Runner } from '../../runners/types.js';
import { density, nextBatch, percentile, stopReason, sweepPlan, type SweepPlan } from '../../workloads/density.js';

const MiB = 2 ** 20;
const plan = (p: Partial<SweepPlan> = {}): SweepPlan => ({
  batch: 1,
  max: 50,
  floorBytes: 2048 * MiB,
  readyP95Ms: null,
  settleMs: 0,
  ...p,
});

describe('density stop conditions', () => {
  it('stops at density.max and never starts past it', () => {
    expect(
      stopReason(plan({ max: 5 }), { count: 5, memAvailableBytes: null, perInstanceBytes: null, readyMs: [] }),
    ).toMatch(/density\.max \(5/);
    expect(
      stopReason(plan({ max: 5 }), { count: 4, memAvailableBytes: null, perInstanceBytes: null, readyMs: [] }),
    ).toBeNull();
    expect(nextBatch(plan({ max: 7, batch: 3 }), 6)).toBe(1);
    expect(nextBatch(plan({ max: 7, batch: 3 }), 0)).toBe(3);
  });

  it('stops before a step would take MemAvailable below the floor', () => {
    // 2100 MiB available, 10 MiB per instance: one more fits (2090 ≥ 2048), a batch of 8 does not (2020).
    const s = { count: 3, memAvailableBytes: 2100 * MiB, perInstanceBytes: 10 * MiB, readyMs: [] };
    expect(stopReason(plan({ batch: 1 }), s)).toBeNull();
    expect(stopReason(plan({ batch: 8 }), s)).toMatch(
      /MemAvailable 2100 MiB would fall below the floor density\.floor \(2048 MiB\) with 8 more/,
    );
    expect(stopReason(plan(), { ...s, memAvailableBytes: 2000 * MiB, perInstanceBytes: null })).toMatch(
      /below the floor/,
    );
    // A negative drop (other processes freed memory) never lets the sweep pass the floor on credit.
    expect(stopReason(plan(), { ...s, memAvailableBytes: 2047 * MiB, perInstanceBytes: -50 * MiB })).toMatch(
      /below the floor/,
    );
  });

  it('stops when the p95 of the last 10 ready times passes the limit', () => {
    const fast = Array.from({ length: 20 }, () => 100);
    expect(
      stopReason(plan({ readyP95Ms: 500 }), {
        count: 20,
        memAvailableBytes: null,
        perInstanceBytes: null,
        readyMs: fast,
      }),
    ).toBeNull();
    // One slow start among the last 10 lifts the interpolated p95 above 500 ms: (900-100)*0.55+100 = 540.
    expect(
      stopReason(plan({ readyP95Ms: 500 }), {
        count: 21,
        memAvailableBytes: null,
        perInstanceBytes: null,
        readyMs: [...fast, 900],
      }),
    ).toMatch(/p95 of the last 10 instances is 540 ms/);
    // Slow starts older than the window do not count.
    expect(
      stopReason(plan({ readyP95Ms: 500 }), {
        count: 30,
        memAvailableBytes: null,
        perInstanceBytes: null,
        readyMs: [900, ...fast],
      }),
    ).toBeNull();
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([], 95)).toBeNaN();
  });

  it('reads its plan from the case parameters (0 = no ready limit)', () => {
    expect(sweepPlan(density.defaults(false, { llcBytes: null, freeMemoryBytes: null }))).toEqual({
      batch: 1,
      max: 20,
      floorBytes: 2 * 1024 * MiB,
      readyP95Ms: null,
      settleMs: 300,
    });
    expect(sweepPlan({ batch: 8, max: 100, floor: '512M', 'ready-p95-ms': 2000, 'settle-ms': 1 }).readyP95Ms).toBe(
      2000,
    );
  });
});

/** A runner whose instances are counted, each taking 100 MiB of a simulated MemAvailable; the n-th start may fail. */
function countingRunner(failAt: number | null = null) {
  const live = new Set<number>();
  let started = 0;
  const runner: Runner = {
    env: 'fake',
    engine: 'counting',
    description: 'test',
    probe: async () => ({ ok: true, version: '1', details: {} }),
    async start() {
      const n = ++started;
      if (n === failAt) throw new Error(`no room for instance ${n}`, { cause: new Error('ENOMEM') });
      live.add(n);
      const inst: Instance = {
        labels: { n: String(n) },
        startup: [lifecycle('startup_ms', 10 * n)],
        readyAt: 0,
        memory: { method: 'test accounting', bytes: () => 3 * MiB },
        exec: async () => ({ stdout: '', stderr: '', exitCode: 0, durationMs: 0, timedOut: false }),
        async stop() {
          live.delete(n);
          return [];
        },
      };
      return inst;
    },
    async cleanup() {},
  };
  return { runner, live, memAvailable: () => 3000 * MiB - live.size * 100 * MiB };
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
const cell = (params: Record<string, number | string>): PlanCell => ({
  env: 'fake',
  engine: 'counting',
  workload: 'density',
  params: { ...density.defaults(false, { llcBytes: null, freeMemoryBytes: null }), 'settle-ms': 0, ...params },
});
const input = (c: PlanCell, t: ReturnType<typeof countingRunner>, aborted = () => false) => ({
  runner: t.runner,
  ctx,
  cell: c,
  workload: density,
  trialId: 1,
  trial: 1,
  warmup: 0,
  runs: 1,
  labels: {},
  aborted,
});

describe('density sweep', () => {
  it('stops at the memory floor, records each step at its instance count, and removes every instance', async () => {
    const t = countingRunner();
    const r = await runSweep(input(cell({ max: 100 }), t), { memAvailable: t.memAvailable });
    // 3000 MiB, 100 MiB each, floor 2048: 9 instances leave 2100; a 10th would leave 2000.
    expect(r.status).toBe('completed');
    const per = r.samples.filter((s) => s.metric === 'density_drop_per_instance_MiB');
    expect(per.map((s) => s.iteration)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(per.every((s) => s.value === 100)).toBe(true);
    expect(r.samples.filter((s) => s.metric === 'density_engine_memory_MiB').every((s) => s.value === 3)).toBe(true);
    expect(r.samples.filter((s) => s.metric === 'density_ready_ms').map((s) => s.value)).toEqual([
      10, 20, 30, 40, 50, 60, 70, 80, 90,
    ]);
    expect(r.status === 'completed' && r.notes.join()).toMatch(
      /stopped: MemAvailable 2100 MiB would fall below the floor/,
    );
    expect(r.samples.find((s) => s.iteration === 9)?.labels['density_stop']).toMatch(/floor/);
    expect(r.samples[0]?.labels).toMatchObject({ memory_accounting: 'test accounting', density_batch: '1' });
    expect(t.live.size).toBe(0);
  });

  it('starts parallel batches and cuts the last one to density.max', async () => {
    const t = countingRunner();
    const r = await runSweep(input(cell({ max: 7, batch: 3 }), t), { memAvailable: t.memAvailable });
    expect([...new Set(r.samples.map((s) => s.iteration))]).toEqual([3, 6, 7]);
    expect(r.samples.filter((s) => s.metric === 'density_ready_ms')).toHaveLength(7);
    expect(t.live.size).toBe(0);
  });

  it(
    'a start that fails mid-sweep ends it and keeps what was measured; one that fails first errors ' + 'the trial',
    async () => {
      const t = countingRunner(4);
      const r = await runSweep(input(cell({ max: 10 }), t), { memAvailable: t.memAvailable });
      expect(r.status).toBe('completed');
      expect(Math.max(...r.samples.map((s) => s.iteration))).toBe(3);
      expect(r.status === 'completed' && r.notes.join()).toMatch(
        /starting instance 4 failed: no room for instance 4: ENOMEM/,
      );
      expect(t.live.size).toBe(0);
      const first = countingRunner(1);
      const e = await runSweep(input(cell({ max: 10 }), first), { memAvailable: first.memAvailable });
      expect(e.status === 'errored' && e.error).toMatchObject({ stage: 'start', message: 'no room for instance 1' });
    },
  );

  it('an interrupted sweep starts nothing more and removes what it started', async () => {
    const t = countingRunner();
    let steps = 0;
    const r = await runSweep(
      input(cell({ max: 50 }), t, () => ++steps > 4),
      { memAvailable: t.memAvailable },
    );
    expect(Math.max(...r.samples.map((s) => s.iteration))).toBe(4);
    expect(r.status === 'completed' && r.notes.join()).toMatch(/interrupted by signal/);
    expect(t.live.size).toBe(0);
  });
});

describe('density figures', () => {
  it('marginal memory is the least-squares slope of the MemAvailable drop; instances per GiB follow', () => {
    expect(slope([1, 2, 3, 4], [5, 9, 13, 17])).toBe(4);
    expect(slope([1, 2, 3, 4], [4, 10, 12, 18])).toBeCloseTo(4.4, 10); // (−1.5·−7.0 + −0.5·−1 + 0.5·1 + 1.5·7) / 5 = 22/5
    expect(slope([3], [7])).toBeNull();
    expect(slope([2, 2], [1, 5])).toBeNull();
  });

  it('the knee is the first count from which two values in a row exceed twice the median of the first third', () => {
    const counts = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    expect(knee(counts, [100, 110, 90, 100, 150, 250, 260, 300, 320])).toBe(6);
    expect(knee(counts, [100, 110, 90, 100, 250, 150, 260, 190, 320])).toBeNull(); // never two in a row
    expect(knee(counts.slice(0, 5), [1, 1, 1, 9, 9])).toBeNull(); // too short to judge
  });

  it(
    'a climb must also clear the noise: a flat series of noise around 0 has no knee, a real knee in ' +
      'noise is still found',
    () => {
      const counts = [2, 3, 4, 5, 6, 7, 8, 9, 10];
      // A bare sweep's marginal memory is MemAvailable drift: baseline median(1, 0, 2) = 1, and 4, 5 at 9 and 10
      // instances are two in a row above twice it (the old rule's knee at 9). Differences −1, 2, −6, 9, −8, 4, 3, 1:
      // median 1.5, MAD 2.5, noise 2.5 × 1.4826 ÷ √2 = 2.62; a climb must exceed 1 + 4 × 2.62 = 11.5.
      const drift = [1, 0, 2, -4, 5, -3, 1, 4, 5];
      expect(kneeNoise(drift)).toBeCloseTo((2.5 * 1.4826) / Math.SQRT2, 10);
      expect(knee(counts, drift)).toBeNull();
      // Ready times 10 ± 2 ms that jump to 30 ± 2 ms at 7 instances: the one jump is one outlying difference.
      expect(knee(counts, [10, 12, 9, 11, 10, 30, 31, 29, 32])).toBe(7);
      // A clean step (no noise) and a steady ramp keep their knees: their differences have no spread.
      expect(knee(counts, [100, 100, 100, 100, 100, 300, 300, 300, 300])).toBe(7);
      expect(knee(counts, [10, 20, 30, 40, 50, 60, 70, 80, 90])).toBe(6);
      // 200 seeded series of uniform noise ±5 around 0…2 (20 steps): none has a knee.
      const rand = rng(12);
      const flagged = Array.from({ length: 200 }, (_, i) =>
        Array.from({ length: 20 }, () => (i % 3) + (rand() * 10 - 5)),
      ).filter(
        (v) =>
          knee(
            v.map((_, j) => j + 1),
            v,
          ) !== null,
      );
      expect(flagged).toEqual([]);
    },
  );

  it('no memory knee for a bare sweep whose MemAvailable drop is drift around 0', () => {
    // Cumulative drops whose step-to-step marginals are the drift series above.
    const drops = [0, 1, 1, 3, -1, 4, 1, 2, 6, 11];
    const record = syntheticDensityRecord([
      {
        env: 'bare',
        engine: 'host',
        batch: 1,
        steps: drops.map((dropMiB, i) => ({ count: i + 1, readyMs: [5], dropMiB })),
      },
    ]);
    expect(densitySummaries(record)[0]).toMatchObject({ envId: 'bare:host', instances: 10, memoryKnee: null });
  });

  it('summarises a recorded sweep per environment', async () => {
    const t = countingRunner();
    const r = await runSweep(input(cell({ max: 8 }), t), { memAvailable: t.memAvailable });
    // Ready times 10…80 ms: baseline median(10, 20, 30) = 20; 50 and 60 are the first two in a row above 40 → knee at 5.
    const [d] = densitySummaries({ results: [r] } as unknown as RunRecord);
    expect(d).toMatchObject({
      envId: 'fake:counting',
      batch: 1,
      instances: 8,
      slopeMiB: 100,
      instancesPerGiB: 10.24,
      engineMedianMiB: 3,
      readyMedianMs: 45,
      readyKnee: 5,
      memoryKnee: null,
      stop: 'reached density.max (8 instances)',
    });
  });
});
