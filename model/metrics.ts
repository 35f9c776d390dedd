// Metrics as typed quantities: every measured number carries a unit from a catalogue, never a guessed one.
import type { Unit } from './units.js';

/** Kinds of quantity a metric can measure. */
export const QUANTITIES = ['rate', 'time', 'size'] as const;

/**
 * What a metric measures: a `rate` (events/s, MiB/s, ops/s), a `time` (ms) or a `size` (MiB).
 * It chooses the words of a change: slower/faster for rates and times, larger/smaller for sizes.
 */
export type Quantity = (typeof QUANTITIES)[number];

/** Which direction of a metric is better, its unit, its kind of quantity and what it means. */
export interface MetricInfo {
  /** Unit (`events/s`, `MiB/s`, `ms`, `MiB`; the list is model/units.ts). */
  unit: Unit;
  /** `higher` when bigger values are better (throughput), `lower` for times and sizes. */
  better: 'higher' | 'lower';
  /** The kind of quantity (declared, never guessed from the unit). */
  quantity: Quantity;
  /** One sentence explaining the metric to a reader. */
  description: string;
}

/** One measured value with its unit (a typed quantity). */
export interface Measurement {
  /** Metric name with its unit in it (`events_per_s`, `startup_ms`). */
  metric: string;
  /** The value, in `unit`. */
  value: number;
  /** Unit (`events/s`, `ms`), the one its metric declares in the catalogue. */
  unit: Unit;
}

/** The pseudo-workload (case) that lifecycle samples are grouped under. */
export const LIFECYCLE_WORKLOAD = 'startup';

/** Lifecycle metrics an instance may report (host-side timings and memory), with their units. */
export const LIFECYCLE_METRICS = {
  startup_ms: {
    unit: 'ms',
    better: 'lower',
    quantity: 'time',
    description: 'Host-side time from spawning the engine to the payload announcing it is ready.',
  },
  kernel_up_ms: {
    unit: 'ms',
    better: 'lower',
    quantity: 'time',
    description: 'Host-side time from spawning qemu to the first guest kernel output.',
  },
  guest_uptime_at_ready_ms: {
    unit: 'ms',
    better: 'lower',
    quantity: 'time',
    description: "The guest's own clock (uptime) when it announced ready.",
  },
  oci_create_ms: {
    unit: 'ms',
    better: 'lower',
    quantity: 'time',
    description:
      'OCI runtimes (runc, crun): host-side time of `create` (namespaces, cgroup, mounts; the init ' +
      'waits), from spawning it until it exited.',
  },
  oci_start_ms: {
    unit: 'ms',
    better: 'lower',
    quantity: 'time',
    description:
      'OCI runtimes: host-side time of `start` (releases the waiting init into the payload), from ' +
      'spawning it until it exited.',
  },
  oci_start_to_ready_ms: {
    unit: 'ms',
    better: 'lower',
    quantity: 'time',
    description: 'OCI runtimes: host-side time from spawning `start` until the payload announced it is ready.',
  },
  teardown_ms: {
    unit: 'ms',
    better: 'lower',
    quantity: 'time',
    description: 'Host-side time to stop the instance and remove what it created.',
  },
  instance_memory_MiB: {
    unit: 'MiB',
    better: 'lower',
    quantity: 'size',
    description: 'Host memory held by one idle instance (cgroup usage for containers, PSS of qemu for guests).',
  },
} as const satisfies Record<string, MetricInfo>;

/**
 * Startup times judged by the time they add to the baseline's start ("adds 43 ms [38, 51] to a
 * process start", a bootstrap interval on the difference of medians) rather than by a ratio,
 * which for a 7 ms process start reads as "+581 %". The ratio stays in summary.csv.
 */
export const TIME_ADDED_METRICS: ReadonlySet<string> = new Set([
  'startup_ms',
  'burst_ready_p50_ms',
  'burst_ready_p95_ms',
  'burst_ready_ms',
]);

/** Name of a lifecycle metric. */
export type LifecycleMetric = keyof typeof LIFECYCLE_METRICS;

/** A lifecycle measurement; its unit comes from LIFECYCLE_METRICS. */
export function lifecycle(metric: LifecycleMetric, value: number): Measurement {
  return { metric, value, unit: LIFECYCLE_METRICS[metric].unit };
}
