// sysbench cpu: prime-number computation, time-bounded; compared by events per second.
import { latency, numberAfter, requireComplete } from './sysbench-output.js';
import { num, type Workload } from './types.js';

export const cpu: Workload = {
  name: 'cpu',
  description: 'sysbench cpu — primes up to max-prime, time-bounded; events/s (higher is better)',
  usesScratch: false,
  params: [
    { name: 'threads', kind: 'int', description: 'worker threads' },
    { name: 'max-prime', kind: 'int', description: 'upper limit for the prime search (sysbench --cpu-max-prime)' },
    { name: 'time', kind: 'int', description: 'seconds each iteration runs' },
  ],
  metrics: {
    events_per_s: { unit: 'events/s', better: 'higher', quantity: 'rate', description: 'Prime-search loops completed per second across all threads (sysbench "events per second").' },
    latency_avg_ms: { unit: 'ms', better: 'lower', quantity: 'time', description: 'Mean time of one prime-search loop.' },
    latency_p95_ms: { unit: 'ms', better: 'lower', quantity: 'time', description: '95th percentile time of one prime-search loop.' },
  },
  defaults: (quick) => ({ threads: 1, 'max-prime': 10000, time: quick ? 2 : 10 }),
  scratchMiB: () => 0,
  steps: (p) => ({
    run: ['sysbench', 'cpu', `--threads=${num(p, 'threads')}`, `--cpu-max-prime=${num(p, 'max-prime')}`, `--time=${num(p, 'time')}`, 'run'],
  }),
  parse(stdout) {
    requireComplete(stdout);
    const lat = latency(stdout);
    return [
      { metric: 'events_per_s', value: numberAfter(stdout, 'events per second:', 'cpu speed'), unit: 'events/s' },
      { metric: 'latency_avg_ms', value: lat.avg, unit: 'ms' },
      { metric: 'latency_p95_ms', value: lat.p95, unit: 'ms' },
    ];
  },
  timeoutMs: (p) => num(p, 'time') * 1000 * 3 + 60_000,
};
