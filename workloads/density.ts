// density: how many idle instances fit; a sweep (bench/run/sweep.ts) starts them step by step until a stop condition.
import { parseSize } from '../lib/sizes.js';
import { num, str, type OwnInstancesWorkload } from './types.js';

/**
 * The sweep's plan, read from the case's parameters. A step starts `batch` instances at once
 * (1: one at a time); the sweep stops at `max` instances, when the host's MemAvailable would fall
 * below `floorBytes`, or when the p95 of the last `READY_WINDOW` ready times exceeds `readyP95Ms`.
 */
export interface SweepPlan {
  /** Instances started at once per step. */
  batch: number;
  /** Most instances the sweep holds. */
  max: number;
  /** MemAvailable the host keeps at least, in bytes. */
  floorBytes: number;
  /** Ready-time p95 limit in ms; null: none. */
  readyP95Ms: number | null;
  /** Pause after each step before memory is read, in ms (lets MemAvailable settle). */
  settleMs: number;
}

/** How many of the newest ready times the p95 stop rule looks at. */
export const READY_WINDOW = 10;

/** The sweep plan of a density case. */
export function sweepPlan(p: Record<string, unknown>): SweepPlan {
  const params = p as Parameters<typeof num>[0];
  const limit = num(params, 'ready-p95-ms');
  return {
    batch: num(params, 'batch'),
    max: num(params, 'max'),
    floorBytes: parseSize(str(params, 'floor')),
    readyP95Ms: limit > 0 ? limit : null,
    settleMs: num(params, 'settle-ms'),
  };
}

/** What the sweep knows before it starts the next step. */
export interface SweepState {
  /** Instances running now. */
  count: number;
  /** The host's MemAvailable now, in bytes (null when unreadable). */
  memAvailableBytes: number | null;
  /** MemAvailable drop per instance so far, in bytes (null before the first step). */
  perInstanceBytes: number | null;
  /** Ready time of every instance started so far, in start order, in ms. */
  readyMs: readonly number[];
}

/** p-th percentile (0-100) by linear interpolation between order statistics; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const pos = (p / 100) * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (s[lo] as number) + ((s[hi] as number) - (s[lo] as number)) * (pos - lo);
}

/**
 * Why the sweep stops before the next step, or null to go on. The memory floor is checked
 * ahead: the next batch is not started when MemAvailable minus what it is expected to take
 * (the drop per instance so far × its size) would fall below the floor.
 */
export function stopReason(plan: SweepPlan, s: SweepState): string | null {
  if (s.count >= plan.max) return `reached density.max (${plan.max} instances)`;
  if (s.memAvailableBytes !== null) {
    const next = Math.min(plan.batch, plan.max - s.count);
    const expected = s.memAvailableBytes - next * Math.max(0, s.perInstanceBytes ?? 0);
    if (expected < plan.floorBytes) {
      return (
        `MemAvailable ${(s.memAvailableBytes / 2 ** 20).toFixed(0)} MiB would fall below the floor ` +
        `density.floor (${(plan.floorBytes / 2 ** 20).toFixed(0)} MiB) with ${next} more`
      );
    }
  }
  if (plan.readyP95Ms !== null && s.readyMs.length > 0) {
    const p95 = percentile(s.readyMs.slice(-READY_WINDOW), 95);
    if (p95 > plan.readyP95Ms)
      return (
        `ready-time p95 of the last ${Math.min(READY_WINDOW, s.readyMs.length)} instances is ` +
        `${p95.toFixed(0)} ms, above density.ready-p95-ms (${plan.readyP95Ms} ms)`
      );
  }
  return null;
}

/** How many instances the next step starts. */
export function nextBatch(plan: SweepPlan, count: number): number {
  return Math.max(0, Math.min(plan.batch, plan.max - count));
}

export const density: OwnInstancesWorkload = {
  name: 'density',
  description:
    'idle instances started until a limit (count, host MemAvailable floor, ready-time p95): memory ' +
    'per instance two ways, ready time vs count',
  shape: 'sweep',
  params: [
    { name: 'max', kind: 'int', description: 'most instances the sweep starts' },
    {
      name: 'batch',
      kind: 'int',
      description: 'instances started at once per step (1: one at a time; 8: parallel batches of 8)',
    },
    { name: 'floor', kind: 'size', description: 'host MemAvailable the sweep never goes below (e.g. 2G)' },
    {
      name: 'ready-p95-ms',
      kind: 'int',
      description: 'stop when the p95 of the last 10 ready times exceeds this (0, the default: no limit)',
    },
    { name: 'settle-ms', kind: 'int', description: 'pause after each step before memory is read' },
  ],
  metrics: {
    density_ready_ms: {
      unit: 'ms',
      better: 'lower',
      quantity: 'time',
      description:
        'Host-side time one instance of a step took to become ready (iteration = instances running after the step).',
    },
    density_engine_memory_MiB: {
      unit: 'MiB',
      better: 'lower',
      quantity: 'size',
      description:
        "Memory of the step's newest instances by the engine's own accounting (cgroup usage for " +
        'containers, PSS of the hypervisor process for guests), mean per instance.',
    },
    density_host_drop_MiB: {
      unit: 'MiB',
      better: 'lower',
      quantity: 'size',
      description:
        "Drop of the host's MemAvailable since before the first instance (shims, page tables and kernel " +
        'memory included).',
    },
    density_drop_per_instance_MiB: {
      unit: 'MiB',
      better: 'lower',
      quantity: 'size',
      description:
        "The host's MemAvailable drop since the sweep began divided by the instances running (gVisor's method).",
    },
  },
  defaults: (quick) => ({ max: quick ? 5 : 20, batch: 1, floor: '2G', 'ready-p95-ms': 0, 'settle-ms': 300 }),
  method: (p) => ({ tool: `density sweep, batches of ${num(p, 'batch')}` }),
  traps: () => [],
};
