// Synthetic run records built in code (named `synthetic:*` engines, never dressed up as real hosts).
import { rng } from '../../analysis/rng.js';
import { envId } from '../../model/ids.js';
import { LIFECYCLE_WORKLOAD } from '../../model/metrics.js';
import { DEFAULT_MARGIN, DEFAULT_RUNNER_OPTIONS } from '../../model/options.js';
import { fractionOfPercent } from '../../lib/numbers.js';
import {
  RECORD_SCHEMA_VERSION,
  type Emulation,
  type HostFingerprint,
  type Params,
  type RunRecord,
  type Sample,
  type TrialResult,
} from '../../model/record.js';
import { metricCatalogue } from '../../workloads/index.js';

/** One cell of a synthetic run: an environment running one workload case, values given per trial. */
export interface SynthCell {
  /** Environment kind. */
  env: string;
  /** Engine. */
  engine: string;
  /** Workload. */
  workload: string;
  /** Parameters (default `{}`). */
  params?: Params;
  /** Metric (default `events_per_s`). */
  metric?: string;
  /** Measured values of each trial, in trial order. */
  trials: number[][];
  /** Warm-up values prepended to every trial (never summarised). */
  warmup?: number[];
  /** Labels on every sample. */
  labels?: Record<string, string>;
  /** Set when this environment ran emulated: its probe says so (labels alone never make it so). */
  emulation?: Emulation;
}

/** A host fingerprint with plain, invented values. */
export function syntheticHost(over: Partial<HostFingerprint> = {}): HostFingerprint {
  return {
    hostname: { value: 'synthetic-host' },
    cpuModel: { value: 'Synthetic CPU @ 3.0GHz' },
    cpuCount: { value: 8 },
    llcBytes: { value: 32 * 1024 ** 2 },
    memoryBytes: { value: 16 * 1024 ** 3 },
    os: { value: 'Synthetic Linux 1' },
    kernel: { value: '6.1.0-synthetic' },
    virtualization: { value: 'none' },
    cgroup: { value: 'v2' },
    kvmDevice: { value: true },
    kvmModule: { value: 'kvm_intel' },
    tools: { sysbench: { value: 'sysbench 1.0.20' } },
    ...over,
  };
}

const T0 = Date.parse('2026-01-01T00:00:00.000Z');

/** Builds a record from cells; trials are interleaved round by round like a real run. */
export function syntheticRecord(
  cells: readonly SynthCell[],
  opts: { seed?: number; marginPct?: number; host?: Partial<HostFingerprint>; warnings?: string[] } = {},
): RunRecord {
  const envs = [...new Set(cells.map(envId))];
  const results: TrialResult[] = [];
  const rounds = Math.max(...cells.map((c) => c.trials.length));
  let trialId = 0;
  for (let t = 0; t < rounds; t++) {
    for (const c of t % 2 === 0 ? cells : [...cells].reverse()) {
      const values = c.trials[t];
      if (values === undefined) continue;
      trialId++;
      const metric = c.metric ?? 'events_per_s';
      const unit = metricCatalogue()[metric]?.unit;
      if (unit === undefined)
        throw new Error(`syntheticRecord: metric '${metric}' is not in the metric catalogue, so it has no unit`);
      const stamp = new Date(T0 + trialId * 1000).toISOString();
      const params = c.params ?? {};
      const all = [
        ...(c.warmup ?? []).map((v) => ({ v, phase: 'warmup' as const })),
        ...values.map((v) => ({ v, phase: 'measure' as const })),
      ];
      const common = {
        metric,
        unit,
        env: c.env,
        engine: c.engine,
        params,
        trial: t + 1,
        trialId,
        timestamp: stamp,
        labels: { ...(c.labels ?? {}) },
      };
      const samples: Sample[] = all.map(({ v, phase }, i) =>
        c.workload === LIFECYCLE_WORKLOAD
          ? { ...common, kind: 'lifecycle', value: v, phase, workload: LIFECYCLE_WORKLOAD, iteration: 0, during: 'cpu' }
          : { ...common, kind: 'workload', value: v, phase, workload: c.workload, iteration: i + 1 },
      );
      results.push({
        trialId,
        env: c.env,
        engine: c.engine,
        workload: c.workload,
        params,
        trial: t + 1,
        status: 'completed',
        startedAt: stamp,
        finishedAt: stamp,
        durationMs: 1000,
        samples,
        notes: [],
      });
    }
  }
  const cellsOfPlan = cells
    .filter((c) => c.workload !== LIFECYCLE_WORKLOAD)
    .map((c) => ({ env: c.env, engine: c.engine, workload: c.workload, params: c.params ?? {} }));
  const uniqueCells = cellsOfPlan.filter(
    (c, i) =>
      cellsOfPlan.findIndex(
        (o) =>
          o.env === c.env &&
          o.engine === c.engine &&
          o.workload === c.workload &&
          JSON.stringify(o.params) === JSON.stringify(c.params),
      ) === i,
  );
  return {
    schema: RECORD_SCHEMA_VERSION,
    runId: 'synthetic',
    toolVersion: '0.1.0',
    gitDescribe: { value: 'synthetic' },
    host: syntheticHost(opts.host),
    plan: {
      envs,
      workloads: [...new Set(uniqueCells.map((c) => c.workload))],
      trials: rounds,
      runs: Math.max(...cells.map((c) => c.trials[0]?.length ?? 0)),
      warmup: Math.max(...cells.map((c) => c.warmup?.length ?? 0)),
      seed: opts.seed ?? 42,
      order: 'interleaved',
      quick: true,
      limits: { cpus: null, memoryMiB: null },
      runner: DEFAULT_RUNNER_OPTIONS,
      margin: opts.marginPct === undefined ? DEFAULT_MARGIN : fractionOfPercent(opts.marginPct),
      out: 'results',
      cells: uniqueCells,
      argv: ['isobench', 'run', '--env', 'synthetic', '--seed', String(opts.seed ?? 42)],
    },
    probes: envs.map((id) => ({
      id,
      ok: true,
      version: 'synthetic 1.0',
      details: {},
      emulation: cells.find((c) => envId(c) === id && c.emulation)?.emulation ?? null,
    })),
    results,
    metrics: metricCatalogue(),
    warnings: opts.warnings ?? [],
    startedAt: new Date(T0).toISOString(),
    finishedAt: new Date(T0 + (trialId + 1) * 1000).toISOString(),
    interrupted: false,
  };
}

/** Trials of lognormal noise around `mean`: `trials` × `runs` values from a seeded stream. */
export function noisyTrials(mean: number, sigma: number, trials: number, runs: number, rand: () => number): number[][] {
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  return Array.from({ length: trials }, () => Array.from({ length: runs }, () => mean * Math.exp(sigma * gauss())));
}

/** A larger synthetic run for benchmarks: `samples` measured values over 3 workloads × `engines`. */
export function syntheticLargeRun(samples: number, engines = 4, seed = 7): RunRecord {
  const rand = rng(seed);
  const cases: { workload: string; params: Params; metric: string; mean: number }[] = [
    { workload: 'cpu', params: { threads: 1, 'max-prime': 10000, time: 10 }, metric: 'events_per_s', mean: 1200 },
    { workload: 'cpu', params: { threads: 1, 'max-prime': 10000, time: 10 }, metric: 'latency_avg_ms', mean: 0.83 },
    {
      workload: 'memory',
      params: { threads: 1, 'block-size': '64M', oper: 'read' },
      metric: 'transfer_MiBps',
      mean: 9000,
    },
    {
      workload: 'fileio',
      params: { mode: 'rndrw', direct: true, 'file-total-size': '2G' },
      metric: 'read_MiBps',
      mean: 90,
    },
    {
      workload: 'fileio',
      params: { mode: 'rndrw', direct: true, 'file-total-size': '2G' },
      metric: 'written_MiBps',
      mean: 60,
    },
    { workload: LIFECYCLE_WORKLOAD, params: {}, metric: 'startup_ms', mean: 300 },
  ];
  const runs = 10;
  const runsOf = (workload: string) => (workload === LIFECYCLE_WORKLOAD ? 1 : runs);
  const trials = Math.max(3, Math.round(samples / (engines * cases.reduce((n, c) => n + runsOf(c.workload), 0))));
  const cells: SynthCell[] = [];
  for (let e = 0; e < engines; e++) {
    for (const c of cases) {
      const factor = 1 - 0.03 * e;
      cells.push({
        env: 'synthetic',
        engine: `e${e}`,
        workload: c.workload,
        params: c.params,
        metric: c.metric,
        trials: noisyTrials(c.mean * factor, 0.02, trials, runsOf(c.workload), rand),
        labels: { image_digest: 'sha256:synthetic' },
      });
    }
  }
  return syntheticRecord(cells, { seed });
}
