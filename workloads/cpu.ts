// sysbench cpu: prime-number computation, time-bounded; compared by events per second; flags implausible rates.
import { pct } from '../lib/numbers.js';
import { latency, maybeNumberAfter, numberAfter, reportLayout, totalTimeS } from './sysbench-output.js';
import { ParseError } from '../model/errors.js';
import { num, type Trap, type TrapInput, type Workload } from './types.js';

/** Clock ceiling of the sysbench cpu plausibility bound: no core retires its loop faster than 1 iteration per cycle at 6 GHz. */
export const CPU_CEILING_HZ = 6e9;
/** An environment's cpu events/s more than this factor above the baseline's is implausible. */
export const CPU_ABOVE_BASELINE = 1.2;

/** Inner-loop iterations (one 64-bit modulo each) of one sysbench cpu event for `maxPrime`. */
export function primeLoopIterations(maxPrime: number): number {
  const limit = Math.min(Math.floor(maxPrime), 200_000);
  let ops = 0;
  for (let c = 3; c < limit; c++) {
    const t = Math.sqrt(c);
    let l = 2;
    for (; l <= t; l++) {
      ops++;
      if (c % l === 0) break;
    }
  }
  return limit === maxPrime ? ops : ops * (maxPrime / limit) ** 1.5;
}

/**
 * Events/s that no core can reach for these params, or far above the baseline's: the instance's
 * clock (time-bounded runs) or its configuration is wrong, not its isolation.
 */
function implausibleRates({ params, envs }: TrapInput): Trap[] {
  const threads = Number(params['threads']) || 1;
  const maxPrime = Number(params['max-prime']) || 10000;
  const steps = primeLoopIterations(maxPrime);
  const ceiling = CPU_CEILING_HZ / steps;
  return envs.flatMap(({ envId: env, metrics }): Trap[] => {
    const m = metrics['events_per_s'];
    if (m === undefined || m.trials === 0) return [];
    const perThread = m.max / threads;
    if (perThread > ceiling) {
      return [
        {
          env,
          finding:
            `${Math.round(perThread)} events/s per thread is physically implausible for max-prime ${maxPrime}` +
            ` (ceiling ${Math.round(ceiling)}: ${Math.round(steps)} modulo steps per event at one per cycle ` +
            `at 6 GHz).`,
          advice:
            "The instance's clock is probably wrong or sysbench did not run as configured; check its " +
            'clocksource and sysbench version before trusting any cpu result.',
        },
      ];
    }
    if (m.vsBaseline !== null && m.vsBaseline.ratio > CPU_ABOVE_BASELINE) {
      return [
        {
          env,
          finding:
            `events/s is ${pct(m.vsBaseline.ratio - 1)} % above ${m.vsBaseline.baselineId} — more than an ` +
            `isolation layer can give the same binary on the same host.`,
          advice:
            "Suspect the instance's clock (a slow guest clock stretches the time-bounded run) or different " +
            'CPU limits; check its clocksource and --cpus.',
        },
      ];
    }
    return [];
  });
}

export const cpu: Workload = {
  name: 'cpu',
  description: 'sysbench cpu — primes up to max-prime, time-bounded; events/s (higher is better)',
  shape: 'throughput',
  usesScratch: false,
  capacity: { resource: 'cpu', metric: 'events_per_s' },
  params: [
    { name: 'threads', kind: 'int', description: 'worker threads' },
    { name: 'max-prime', kind: 'int', description: 'upper limit for the prime search (sysbench --cpu-max-prime)' },
    { name: 'time', kind: 'int', description: 'seconds each iteration runs' },
  ],
  metrics: {
    events_per_s: {
      unit: 'events/s',
      better: 'higher',
      quantity: 'rate',
      description: 'Prime-search loops completed per second across all threads (sysbench "events per second").',
    },
    latency_avg_ms: {
      unit: 'ms',
      better: 'lower',
      quantity: 'time',
      description: 'Mean time of one prime-search loop.',
    },
    latency_p95_ms: {
      unit: 'ms',
      better: 'lower',
      quantity: 'time',
      description: '95th percentile time of one prime-search loop.',
    },
  },
  defaults: (quick) => ({ threads: 1, 'max-prime': 10000, time: quick ? 1 : 10 }),
  scratchMiB: () => 0,
  method: (p) => ({ tool: `sysbench cpu (max-prime ${num(p, 'max-prime')})`, threads: num(p, 'threads') }),
  steps: (p) => ({
    run: [
      'sysbench',
      'cpu',
      `--threads=${num(p, 'threads')}`,
      `--cpu-max-prime=${num(p, 'max-prime')}`,
      `--time=${num(p, 'time')}`,
      'run',
    ],
  }),
  parse(stdout) {
    reportLayout(stdout);
    const lat = latency(stdout);
    return [
      { metric: 'events_per_s', value: eventsPerSecond(stdout), unit: 'events/s' },
      { metric: 'latency_avg_ms', value: lat.avg, unit: 'ms' },
      { metric: 'latency_p95_ms', value: lat.p95, unit: 'ms' },
    ];
  },
  timeoutMs: (p) => num(p, 'time') * 1000 * 3 + 60_000,
  traps: implausibleRates,
};

/**
 * Events per second: "events per second:" (sysbench ≥ 1.0.8 and 1.1), else "events/s (eps):"
 * (1.1), else — sysbench 1.0.0–1.0.7 print no rate for cpu — total events ÷ total time, which is
 * what later versions compute and print (`events / time_interval`).
 */
export function eventsPerSecond(stdout: string): number {
  const printed = maybeNumberAfter(stdout, 'events per second:') ?? maybeNumberAfter(stdout, 'events/s (eps):');
  if (printed !== null) return printed;
  const events = numberAfter(stdout, 'total number of events:', 'cpu events');
  const seconds = totalTimeS(stdout);
  if (seconds === null || seconds <= 0)
    throw new ParseError(
      'sysbench cpu output has neither "events per second" nor a positive total time to derive it from',
      stdout,
    );
  return events / seconds;
}
