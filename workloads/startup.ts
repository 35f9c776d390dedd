// startup: N instances launched at once (a burst, bench/run/burst.ts); time-to-ready p50/p95 and launches per second.
import { percentile } from './density.js';
import { num, type OwnInstancesWorkload } from './types.js';

/** What one burst comes to: from the instances' ready times since the burst began. */
export interface BurstFigures {
  /** Instances launched. */
  instances: number;
  /** Median time-to-ready, ms (linear interpolation between order statistics). */
  p50Ms: number;
  /** 95th-percentile time-to-ready, ms (same interpolation: with 10 instances, 55 % of the way from the 9th to the 10th). */
  p95Ms: number;
  /** Instances ÷ the time until the last was ready, per second; null when that time is not positive. */
  launchesPerS: number | null;
}

/** The figures of one burst, from each instance's time-to-ready (ms since the burst began); null for an empty burst. */
export function burstFigures(readyMs: readonly number[]): BurstFigures | null {
  if (readyMs.length === 0) return null;
  const last = Math.max(...readyMs);
  return {
    instances: readyMs.length,
    p50Ms: percentile(readyMs, 50),
    p95Ms: percentile(readyMs, 95),
    launchesPerS: last > 0 ? readyMs.length / (last / 1000) : null,
  };
}

export const startup: OwnInstancesWorkload = {
  name: 'startup',
  description:
    'startup under concurrency: startup.burst instances launched at once per iteration; ' +
    "time-to-ready p50/p95 from the burst start, launches per second, each start's phases",
  shape: 'burst',
  params: [
    {
      name: 'burst',
      kind: 'int',
      description: 'instances launched at once (1: one start at a time; a list such as 1,10 makes one case per size)',
    },
  ],
  metrics: {
    burst_ready_p50_ms: {
      unit: 'ms',
      better: 'lower',
      quantity: 'time',
      description: "Median time-to-ready of a burst's instances, from the moment the burst was launched.",
    },
    burst_ready_p95_ms: {
      unit: 'ms',
      better: 'lower',
      quantity: 'time',
      description:
        "95th-percentile time-to-ready of a burst's instances, from the moment the burst was launched " +
        '(linear interpolation).',
    },
    burst_launches_per_s: {
      unit: 'launches/s',
      better: 'higher',
      quantity: 'rate',
      description: 'Instances of a burst divided by the time from its launch until the last one was ready.',
    },
    burst_ready_ms: {
      unit: 'ms',
      better: 'lower',
      quantity: 'time',
      description:
        'Time-to-ready of one instance of a burst, from the moment the burst was launched (its own start ' +
        'phases are recorded beside it).',
    },
  },
  defaults: (quick) => ({ burst: quick ? 5 : 10 }),
  // The lifecycle samples every instance records (no burst parameter) are one start at a time.
  method: (p) => ({ tool: p['burst'] === undefined ? 'one start at a time' : `startup burst of ${num(p, 'burst')}` }),
  traps: () => [],
};
