// Synthetic density sweeps built in code: hand-chosen steps whose figures (slope, knees, fits) can be worked out by hand.
import type { Emulation, Params, RunRecord, Sample, TrialResult } from '../../model/record.js';
import type { Unit } from '../../model/units.js';
import { density } from '../../workloads/density.js';
import { syntheticRecord, type SynthCell } from './synthetic.js';

/** One step of a synthetic sweep. */
export interface SynthStep {
  /** Instances running after the step. */
  count: number;
  /** Ready time of each instance the step started, ms. */
  readyMs: number[];
  /** MemAvailable drop since the sweep began, MiB (omitted: not read). */
  dropMiB?: number;
  /** Engine accounting per new instance, MiB (omitted: none). */
  engineMiB?: number;
}

/** One sweep (a trial of the density workload). */
export interface SynthSweep {
  env: string;
  engine: string;
  /** Instances started at once per step. */
  batch: number;
  steps: SynthStep[];
  /** Labels on every sample (memory_accounting, accelerator, ksm, thp…). */
  labels?: Record<string, string>;
  /** The stop reason the sweep recorded (a `stopped: …` note). */
  stop?: string;
  /** Set when the environment ran emulated (its probe says so). */
  emulation?: Emulation;
}

/** The density case's parameters for a batch size (the workload's defaults otherwise). */
export const densityParams = (batch: number): Params => ({
  ...density.defaults(false, { llcBytes: null, freeMemoryBytes: null }),
  batch,
});

/** The trial a sweep would record. */
export function sweepTrial(s: SynthSweep, trialId: number, trial: number): TrialResult {
  const params = densityParams(s.batch);
  const stamp = new Date(Date.parse('2026-01-01T01:00:00.000Z') + trialId * 1000).toISOString();
  const labels = { ksm: 'off', thp: 'madvise', density_batch: String(s.batch), ...(s.labels ?? {}) };
  const samples: Sample[] = [];
  const push = (metric: string, unit: Unit, value: number, count: number) =>
    samples.push({
      kind: 'workload',
      metric,
      unit,
      value,
      env: s.env,
      engine: s.engine,
      workload: 'density',
      params,
      trial,
      trialId,
      iteration: count,
      phase: 'measure',
      timestamp: stamp,
      labels: { ...labels },
    });
  for (const step of s.steps) {
    for (const r of step.readyMs) push('density_ready_ms', 'ms', r, step.count);
    if (step.engineMiB !== undefined) push('density_engine_memory_MiB', 'MiB', step.engineMiB, step.count);
    if (step.dropMiB !== undefined) {
      push('density_host_drop_MiB', 'MiB', step.dropMiB, step.count);
      push('density_drop_per_instance_MiB', 'MiB', step.dropMiB / step.count, step.count);
    }
  }
  return {
    trialId,
    env: s.env,
    engine: s.engine,
    workload: 'density',
    params,
    trial,
    status: 'completed',
    startedAt: stamp,
    finishedAt: stamp,
    durationMs: 1000,
    samples,
    notes: s.stop === undefined ? [] : [`stopped: ${s.stop}`],
  };
}

/** A record with the given cells (e.g. a cpu workload for the plan) and density sweeps appended after them. */
export function syntheticDensityRecord(
  sweeps: readonly SynthSweep[],
  cells: readonly SynthCell[] = [],
  opts: Parameters<typeof syntheticRecord>[1] = {},
): RunRecord {
  const envs: SynthCell[] = sweeps.map((s) => ({
    env: s.env,
    engine: s.engine,
    workload: 'cpu',
    trials: [],
    ...(s.emulation ? { emulation: s.emulation } : {}),
  }));
  const record = syntheticRecord(
    [...cells, ...envs.filter((e) => !cells.some((c) => c.env === e.env && c.engine === e.engine))],
    opts,
  );
  record.plan.cells = record.plan.cells.filter((c) =>
    cells.some((o) => o.env === c.env && o.engine === c.engine && o.workload === c.workload),
  );
  record.plan.workloads = [...new Set([...cells.map((c) => c.workload), 'density'])];
  const trials = new Map<string, number>();
  for (const s of sweeps) {
    const key = `${s.env}:${s.engine}:${s.batch}`;
    trials.set(key, (trials.get(key) ?? 0) + 1);
    record.results.push(sweepTrial(s, record.results.length + 1, trials.get(key) as number));
    if (
      !record.plan.cells.some(
        (c) => c.env === s.env && c.engine === s.engine && c.workload === 'density' && c.params['batch'] === s.batch,
      )
    ) {
      record.plan.cells.push({ env: s.env, engine: s.engine, workload: 'density', params: densityParams(s.batch) });
    }
  }
  return record;
}
