// The typed index of a run: the one scan of record.results[].samples, grouped by case, metric, environment and trial.
import type { CaseKey, CaseShape, EnvId, MetricName } from '../model/cases.js';
import { caseKey, envId, metricName } from '../model/ids.js';
import type { Params, RunRecord, Sample, TrialResult } from '../model/record.js';
import { caseShape } from '../workloads/index.js';
import type { TrialValues } from './stats.js';

/** A case that has measured values: a workload with one parameter set, and its shape. */
export interface IndexedCase {
  /** Stable key (workload and sorted params). */
  key: CaseKey;
  /** Workload name (`startup` for the lifecycle case). */
  workload: string;
  /** Parameters of the case. */
  params: Params;
  /** How the case is measured (from its samples' kind and its workload's declaration). */
  shape: CaseShape;
  /** Metrics with measured values, in the order they were first seen. */
  metrics: MetricName[];
}

/** One measured value: the trial it belongs to, its iteration (instance count of a sweep) and the value. */
export interface Point {
  /** Run-wide trial number. */
  trialId: number;
  /** Iteration within the trial (0 for lifecycle values; instances running for a sweep). */
  iteration: number;
  /** The value, in its metric's unit. */
  value: number;
}

/** A trial outcome with what the index knows of it. */
export interface IndexedTrial {
  /** The outcome as recorded. */
  result: TrialResult;
  /** Shape of its cell's case. */
  shape: CaseShape;
  /** `env:engine`. */
  envId: EnvId;
  /** Its measured samples (the filters of `isMeasured` applied), in record order. */
  measured: readonly Sample[];
}

/** Everything an analysis or a report reads of a record's samples. */
export interface RunIndex {
  /** The record indexed. */
  readonly record: RunRecord;
  /** Every sample in record order, warm-ups included (samples.csv keeps them all). */
  readonly samples: readonly Sample[];
  /** Cases with measured values, in the order first seen. */
  readonly cases: ReadonlyMap<CaseKey, IndexedCase>;
  /** Environments with measured values, in the order first seen. */
  readonly envs: readonly EnvId[];
  /** Every trial outcome, in record order. */
  readonly trials: readonly IndexedTrial[];
  /** Every case × environment × metric with measured values, in the order first seen. */
  readonly cells: readonly { case: IndexedCase; envId: EnvId; metric: MetricName }[];
  /** Measured values of one case × metric × environment per trial (trials in record order); empty when none. */
  trialValues(c: CaseKey, m: MetricName, e: EnvId): TrialValues[];
  /** Whether one case × metric × environment has measured values. */
  has(c: CaseKey, m: MetricName, e: EnvId): boolean;
  /** Measured values of one case × metric × environment with their trial and iteration, in record order. */
  points(c: CaseKey, m: MetricName, e: EnvId): readonly Point[];
  /** Distinct values of every label per environment over every sample (warm-ups too), both in the order first seen. */
  readonly labels: ReadonlyMap<EnvId, ReadonlyMap<string, ReadonlySet<string>>>;
  /** Distinct values of one label per environment (environments that never carry it are absent). */
  labelValues(label: string): ReadonlyMap<EnvId, ReadonlySet<string>>;
}

/**
 * Whether a sample enters statistics: measured (not a warm-up) and finite. The one place these
 * filters live; a validated record holds finite values only, a record built in code may not.
 */
export function isMeasured(s: Sample): boolean {
  return s.phase === 'measure' && Number.isFinite(s.value);
}

/** Every sample of a record in trial order, warm-ups included (samples.csv after every trial; no grouping). */
export function recordSamples(record: RunRecord): Sample[] {
  return record.results.flatMap((r) => r.samples);
}

/** A trial outcome with its trial id and its samples' moved by `shift` (records pooled side by side). */
export function shiftTrialIds(t: TrialResult, shift: number): TrialResult {
  const samples = t.samples.map((s) => ({ ...s, trialId: s.trialId + shift }));
  return { ...t, trialId: t.trialId + shift, samples };
}

/** Either an index already built or the record to build it from. */
export type Indexable = RunRecord | RunIndex;

/** The index of `x`: `x` itself when it is one, else built from the record (one pass over its samples). */
export function indexOf(x: Indexable): RunIndex {
  return 'trialValues' in x ? x : runIndex(x);
}

/** Builds the index of a record: one pass over its samples. */
export function runIndex(record: RunRecord): RunIndex {
  const samples: Sample[] = [];
  const cases = new Map<CaseKey, IndexedCase>();
  const envs = new Set<EnvId>();
  const values = new Map<CaseKey, Map<MetricName, Map<EnvId, Point[]>>>();
  const labels = new Map<EnvId, Map<string, Set<string>>>();
  const trials: IndexedTrial[] = [];
  const cells: { case: IndexedCase; envId: EnvId; metric: MetricName }[] = [];
  for (const result of record.results) {
    const measured: Sample[] = [];
    for (const s of result.samples) {
      samples.push(s);
      const id = envId(s);
      const byLabel = labels.get(id) ?? new Map<string, Set<string>>();
      labels.set(id, byLabel);
      for (const [k, v] of Object.entries(s.labels)) byLabel.set(k, (byLabel.get(k) ?? new Set<string>()).add(v));
      if (!isMeasured(s)) continue;
      measured.push(s);
      envs.add(id);
      const key = caseKey(s.workload, s.params);
      const metric = metricName(s.metric);
      const c = cases.get(key) ?? {
        key,
        workload: s.workload,
        params: s.params,
        shape: caseShape(s.kind, s.workload),
        metrics: [],
      };
      cases.set(key, c);
      if (!c.metrics.includes(metric)) c.metrics.push(metric);
      const byMetric = values.get(key) ?? new Map<MetricName, Map<EnvId, Point[]>>();
      values.set(key, byMetric);
      const byEnv = byMetric.get(metric) ?? new Map<EnvId, Point[]>();
      byMetric.set(metric, byEnv);
      const points = byEnv.get(id) ?? [];
      if (points.length === 0) cells.push({ case: c, envId: id, metric });
      byEnv.set(id, points);
      points.push({ trialId: s.trialId, iteration: s.iteration, value: s.value });
    }
    trials.push({ result, shape: caseShape('workload', result.workload), envId: envId(result), measured });
  }
  return new Indexed(record, samples, cases, [...envs], trials, cells, labels, values);
}

/** The index as data (so two indexes of equal records are equal) with its lookups as methods. */
class Indexed implements RunIndex {
  constructor(
    readonly record: RunRecord,
    readonly samples: readonly Sample[],
    readonly cases: ReadonlyMap<CaseKey, IndexedCase>,
    readonly envs: readonly EnvId[],
    readonly trials: readonly IndexedTrial[],
    readonly cells: readonly { case: IndexedCase; envId: EnvId; metric: MetricName }[],
    readonly labels: ReadonlyMap<EnvId, ReadonlyMap<string, ReadonlySet<string>>>,
    private readonly values: ReadonlyMap<CaseKey, ReadonlyMap<MetricName, ReadonlyMap<EnvId, readonly Point[]>>>,
  ) {}

  points(c: CaseKey, m: MetricName, e: EnvId): readonly Point[] {
    return this.values.get(c)?.get(m)?.get(e) ?? [];
  }

  has(c: CaseKey, m: MetricName, e: EnvId): boolean {
    return this.points(c, m, e).length > 0;
  }

  trialValues(c: CaseKey, m: MetricName, e: EnvId): TrialValues[] {
    const byTrial = new Map<number, number[]>();
    for (const p of this.points(c, m, e)) byTrial.set(p.trialId, [...(byTrial.get(p.trialId) ?? []), p.value]);
    return [...byTrial].map(([trialId, vs]) => ({ trialId, values: vs }));
  }

  labelValues(label: string): ReadonlyMap<EnvId, ReadonlySet<string>> {
    const out = new Map<EnvId, ReadonlySet<string>>();
    for (const [id, byLabel] of this.labels) {
      const vs = byLabel.get(label);
      if (vs !== undefined) out.set(id, vs);
    }
    return out;
  }
}
