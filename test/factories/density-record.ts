// A synthetic density run whose figures are worked out by hand (test/unit/density-report.test.ts checks them): three environments' sweeps and a cpu workload for the plan.
import type { SynthCell } from './synthetic.js';
import type { SynthStep, SynthSweep } from './synthetic-density.js';

/** The emulation note of the TCG guest. */
export const TCG = { note: 'TCG software emulation: not representative of KVM' };
const steps = (counts: number[], f: (c: number, i: number) => Omit<SynthStep, 'count'>): SynthStep[] =>
  counts.map((c, i) => ({ count: c, ...f(c, i) }));
/** Instance counts 1…8. */
export const ONE_TO_8 = [1, 2, 3, 4, 5, 6, 7, 8];

/**
 * container batch 1: drop 10 MiB × count (slope 10, 102.4 per GiB); ready 40,42,38,40,41,90,95,100 ms: the first third's median
 * is 40, and 90, 95 are the first two in a row above 80 → ready knee at 6; median 41.5, p95 95 + 0.65 × 5 = 98.25.
 * container batch 4: drops 48, 96 (slope 12). guest batch 2 (TCG): drops 200…800 then +600 per step (slope 22400 / 112 = 200);
 * marginal per step 100,100,100,300,300,300 → memory knee at 10. bare: two noisy sweeps, pooled slope −1/42 ≤ 0.
 */
export const SWEEPS: SynthSweep[] = [
  {
    env: 'bare',
    engine: 'host',
    batch: 1,
    steps: steps(ONE_TO_8, (_c, i) => ({ readyMs: [5], dropMiB: [1, -1, 0, 2, 1, 0, -1, 1][i] as number })),
    stop: 'reached density.max (8 instances)',
  },
  {
    env: 'bare',
    engine: 'host',
    batch: 1,
    steps: steps(ONE_TO_8, (_c, i) => ({ readyMs: [5], dropMiB: [1, 1, 0, 0, 1, 2, -1, 1][i] as number })),
    stop: 'reached density.max (8 instances)',
  },
  {
    env: 'synthetic',
    engine: 'container',
    batch: 1,
    labels: { memory_accounting: 'cgroup v2 memory.current' },
    stop: 'reached density.max (8 instances)',
    steps: steps(ONE_TO_8, (c, i) => ({
      readyMs: [[40, 42, 38, 40, 41, 90, 95, 100][i] as number],
      dropMiB: 10 * c,
      engineMiB: 2,
    })),
  },
  {
    env: 'synthetic',
    engine: 'container',
    batch: 4,
    labels: { memory_accounting: 'cgroup v2 memory.current' },
    steps: [
      { count: 4, readyMs: [50, 50, 50, 50], dropMiB: 48, engineMiB: 2 },
      { count: 8, readyMs: [60, 60, 60, 60], dropMiB: 96, engineMiB: 2 },
    ],
  },
  {
    env: 'synthetic',
    engine: 'guest',
    batch: 2,
    emulation: TCG,
    stop: 'MemAvailable 2100 MiB would fall below the floor density.floor (2048 MiB) with 2 more',
    labels: {
      accelerator: 'tcg',
      memory_accounting: 'qemu PSS (/proc/<pid>/smaps_rollup), TCG translation cache included',
    },
    steps: steps([2, 4, 6, 8, 10, 12, 14], (_c, i) => ({
      readyMs: [3000, 3000],
      dropMiB: [200, 400, 600, 800, 1400, 2000, 2600][i] as number,
      engineMiB: 250,
    })),
  },
];
/** cpu events/s: container 0.9 and guest 0.5 of bare metal, in every trial. */
export const CPU: SynthCell[] = [
  { env: 'bare', engine: 'host', workload: 'cpu', trials: [[1000], [1000], [1000]] },
  { env: 'synthetic', engine: 'container', workload: 'cpu', trials: [[900], [900], [900]] },
  { env: 'synthetic', engine: 'guest', workload: 'cpu', trials: [[500], [500], [500]], emulation: TCG },
];
