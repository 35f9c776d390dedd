// Current run against a baseline run, cell by cell: ratio intervals over trials, a threshold, a verdict per metric.
import type { MetricInfo } from '../../model/metrics.js';
import { pooledVerdicts, type CaseKey, type CaseShape, type EnvId, type MetricName } from '../../model/cases.js';
import { caseEnvKey, caseKey, cellKey, type CaseEnvKey, type CellKey } from '../../model/ids.js';
import { runIndex, type RunIndex } from '../run-index.js';
import type { Params, RunRecord } from '../../model/record.js';
import { ratioInterval, seedFor, type Interval } from '../bootstrap.js';
import { summarise, type GroupSummary } from '../stats.js';
import { changeInterval, changeOf, MIN_TRIALS } from '../verdict.js';
import { setupDifferences, type SetupDifference } from './setup.js';
import type { Fraction } from '../../lib/numbers.js';

/** Minimum effect size of the gate when none is given: 5 %. */
export const DEFAULT_THRESHOLD: Fraction = 0.05;

/** How large a change must be (with confidence) before it counts, as fractions. */
export interface Thresholds {
  /** Default minimum effect size (0.05 = 5 %). */
  default: Fraction;
  /** Per-metric overrides, keyed by metric name. */
  metrics: Record<string, Fraction>;
}

/**
 * A metric's verdict. The rule (criterion's): `regression` when the whole 95 % interval of the
 * change lies beyond +threshold on the worse side; `improvement` when it lies beyond −threshold
 * on the better side; `within-noise` otherwise (`significant` says whether the interval still
 * excludes "no change": a real but smaller change). `unjudged` when either side has fewer than
 * MIN_TRIALS trials, the baseline's median is 0 or the interval is not finite.
 */
export type CompareVerdict =
  | { kind: 'regression' | 'improvement'; change: number; interval: Interval }
  | { kind: 'within-noise'; change: number; interval: Interval; significant: boolean }
  | {
      kind: 'unjudged';
      reason: 'too-few-trials' | 'baseline-zero' | 'no-finite-interval';
      trials: { baseline: number; current: number };
    };

/** One side of a compared cell. */
export interface CompareSide {
  /** Trials with measured values. */
  trials: number;
  /** Median of per-trial medians. */
  median: number;
  /** Between-trial coefficient of variation (fraction). */
  trialCv: number;
}

/** One metric of one cell (workload × params × environment) in both runs. */
export interface CellComparison {
  /** Case key (workload and sorted params), the matching key with `envId` and `metric`. */
  caseKey: string;
  /** Workload name (`startup` for lifecycle values). */
  workload: string;
  /** Parameters of the case. */
  params: Params;
  /** Display name: the workload plus the parameters that vary between its cases. */
  label: string;
  /** `env:engine`. */
  envId: string;
  /** Metric name. */
  metric: string;
  /** Unit, direction and kind of the metric (the current run's catalogue). */
  info: MetricInfo;
  /** The baseline run's statistics. */
  baseline: CompareSide;
  /** The current run's statistics. */
  current: CompareSide;
  /** median(current) / median(baseline); NaN when the baseline median is 0. */
  ratio: number;
  /** 95 % bootstrap interval of the ratio (trials of each run resampled independently). */
  ratioCi: Interval | null;
  /** The minimum effect size applied to this metric (fraction). */
  threshold: Fraction;
  /** The verdict, as data (reports/compare/text.ts words it). */
  verdict: CompareVerdict;
}

/** A metric of a cell measured in one run only. */
export interface OneSided {
  /** Which run has it. */
  in: 'baseline' | 'current';
  /** Display name of the case. */
  label: string;
  /** `env:engine`. */
  envId: string;
  /** Metric name. */
  metric: string;
  /** Trials with measured values in the run that has it. */
  trials: number;
}

/**
 * A sweep (density) of one environment, left out of the comparison: its samples are per
 * instance count and two sweeps may stop at different counts, so a ratio of pooled medians would
 * compare different counts. Reports list it with where to look instead (each run's density section).
 */
export interface SweepLeftOut {
  /** Which runs have it. */
  in: 'both' | 'baseline' | 'current';
  /** Display name of the case. */
  label: string;
  /** `env:engine`. */
  envId: string;
  /** Highest instance count reached in each run that has it (null where the run has none). */
  instances: { baseline: number | null; current: number | null };
}

/** Everything `isobench compare` reports, derived from the two records alone. */
export interface RunComparison {
  /** Run ids of the two runs. */
  runs: { baseline: string; current: string };
  /** How the two runs' hosts and set-ups differ (empty when like for like). */
  setup: SetupDifference[];
  /** Compared cells: case order of the current run, then metric, then environment. */
  cells: CellComparison[];
  /** Metrics of cells measured in one run only. */
  oneSided: OneSided[];
  /** Sweeps (density) not compared, one per case × environment (see SweepLeftOut). */
  sweeps: SweepLeftOut[];
  /** Count of each verdict kind. */
  counts: Record<CompareVerdict['kind'], number>;
}

interface Group {
  workload: string;
  params: Params;
  caseKey: CaseKey;
  shape: CaseShape;
  envId: EnvId;
  metric: MetricName;
  summary: GroupSummary;
}

/** Measured values of a record grouped by case × environment × metric, per trial. */
function groups(index: RunIndex): Map<CellKey, Group> {
  const out = new Map<CellKey, Group>();
  for (const { case: c, envId, metric } of index.cells) {
    const summary = summarise(index.trialValues(c.key, metric, envId));
    out.set(cellKey(c.key, envId, metric), {
      workload: c.workload,
      params: c.params,
      caseKey: c.key,
      shape: c.shape,
      envId,
      metric,
      summary,
    });
  }
  return out;
}

/** Labels of cases: the workload plus the parameters that differ between its cases (in either run). */
function caseLabels(all: readonly Group[]): Map<string, string> {
  const cases = new Map<string, { workload: string; params: Params }>();
  for (const g of all) cases.set(g.caseKey, { workload: g.workload, params: g.params });
  const out = new Map<string, string>();
  for (const [key, c] of cases) {
    const siblings = [...cases.values()].filter((o) => o.workload === c.workload);
    const varying = Object.keys(c.params)
      .sort()
      .filter((p) => new Set(siblings.map((s) => String(s.params[p]))).size > 1);
    out.set(key, [c.workload, ...varying.map((p) => `${p}=${String(c.params[p])}`)].join(' '));
  }
  return out;
}

/** Inputs of `compareVerdict`. */
export interface CompareVerdictInput {
  /** Point estimate of the change, positive = worse (see verdict.ts `changeOf`). */
  change: number;
  /** 95 % interval of the change, null when it could not be computed. */
  interval: Interval | null;
  /** Minimum effect size (fraction). */
  threshold: Fraction;
  /** Trials of each run. */
  trials: { baseline: number; current: number };
}

/** The verdict rule of the gate (see CompareVerdict). */
export function compareVerdict(v: CompareVerdictInput): CompareVerdict {
  if (v.trials.baseline < MIN_TRIALS || v.trials.current < MIN_TRIALS)
    return { kind: 'unjudged', reason: 'too-few-trials', trials: v.trials };
  if (v.interval === null || !Number.isFinite(v.interval.lo) || !Number.isFinite(v.interval.hi))
    return { kind: 'unjudged', reason: 'no-finite-interval', trials: v.trials };
  const { lo, hi } = v.interval;
  if (lo > v.threshold) return { kind: 'regression', change: v.change, interval: v.interval };
  if (hi < -v.threshold) return { kind: 'improvement', change: v.change, interval: v.interval };
  return { kind: 'within-noise', change: v.change, interval: v.interval, significant: lo > 0 || hi < 0 };
}

const side = (s: GroupSummary): CompareSide => ({ trials: s.trials, median: s.trialMedian, trialCv: s.trialCv });

/**
 * Compares `current` against `baseline`: cells matched by workload, params, environment and
 * engine; per metric a ratio current ÷ baseline with a 95 % percentile-bootstrap interval over
 * each run's per-trial medians, and a verdict against the metric's threshold. Pure and
 * deterministic (the bootstrap is seeded from both runs' seeds and the cell's key).
 */
export function compareRuns(
  baseline: RunRecord,
  current: RunRecord,
  thresholds: Thresholds = { default: DEFAULT_THRESHOLD, metrics: {} },
): RunComparison {
  const indexes = { baseline: runIndex(baseline), current: runIndex(current) };
  const all = { base: groups(indexes.baseline), cur: groups(indexes.current) };
  const labels = caseLabels([...all.base.values(), ...all.cur.values()]);
  const sweeps = sweepsLeftOut(all.base, all.cur, indexes, labels);
  const measured = (m: Map<CellKey, Group>) => new Map([...m].filter(([, g]) => pooledVerdicts(g.shape)));
  const base = measured(all.base);
  const cur = measured(all.cur);
  const seed = seedFor(baseline.plan.seed, `compare|${current.plan.seed}`);
  const catalogue = [...Object.keys(current.metrics), ...Object.keys(baseline.metrics)];
  const caseOrder: string[] = [
    ...new Set([...current.plan.cells, ...baseline.plan.cells].map((c) => caseKey(c.workload, c.params))),
  ];
  const rank = (list: readonly string[], k: string) => {
    const i = list.indexOf(k);
    return i < 0 ? list.length : i;
  };
  const order = (a: Group, b: Group) =>
    rank(caseOrder, a.caseKey) - rank(caseOrder, b.caseKey) ||
    a.caseKey.localeCompare(b.caseKey) ||
    rank(catalogue, a.metric) - rank(catalogue, b.metric) ||
    a.metric.localeCompare(b.metric) ||
    rank(current.plan.envs, a.envId) - rank(current.plan.envs, b.envId) ||
    a.envId.localeCompare(b.envId);

  const cells: CellComparison[] = [];
  const oneSided: OneSided[] = [];
  const union = [...new Map([...base, ...cur]).entries()].sort(([, a], [, b]) => order(a, b));
  for (const [key, g] of union) {
    const b = base.get(key);
    const c = cur.get(key);
    const label = labels.get(g.caseKey) ?? g.workload;
    if (b === undefined || c === undefined) {
      oneSided.push({
        in: b === undefined ? 'current' : 'baseline',
        label,
        envId: g.envId,
        metric: g.metric,
        trials: g.summary.trials,
      });
      continue;
    }
    const info = current.metrics[g.metric] ?? baseline.metrics[g.metric];
    if (info === undefined) continue; // parseRunRecord guarantees every sampled metric is declared
    const threshold = thresholds.metrics[g.metric] ?? thresholds.default;
    const trials = { baseline: b.summary.trials, current: c.summary.trials };
    const den = b.summary.trialMedian;
    const common = {
      caseKey: g.caseKey,
      workload: g.workload,
      params: g.params,
      label,
      envId: g.envId,
      metric: g.metric,
      info,
      baseline: side(b.summary),
      current: side(c.summary),
      threshold,
    };
    if (den === 0) {
      cells.push({
        ...common,
        ratio: Number.NaN,
        ratioCi: null,
        verdict: { kind: 'unjudged', reason: 'baseline-zero', trials },
      });
      continue;
    }
    const ratio = c.summary.trialMedian / den;
    const ratioCi = ratioInterval(b.summary.trialMedians, c.summary.trialMedians, { seed: seedFor(seed, key) });
    const verdict = compareVerdict({
      change: changeOf(ratio, info.better),
      interval: ratioCi === null ? null : changeInterval(ratioCi, info.better),
      threshold,
      trials,
    });
    cells.push({ ...common, ratio, ratioCi, verdict });
  }
  const counts = { regression: 0, improvement: 0, 'within-noise': 0, unjudged: 0 };
  for (const c of cells) counts[c.verdict.kind]++;
  return {
    runs: { baseline: baseline.runId, current: current.runId },
    setup: setupDifferences(indexes.baseline, indexes.current),
    cells,
    oneSided,
    sweeps,
    counts,
  };
}

/** The sweeps of either run, one per case × environment, with the instances each run reached. */
function sweepsLeftOut(
  base: Map<CellKey, Group>,
  cur: Map<CellKey, Group>,
  indexes: { baseline: RunIndex; current: RunIndex },
  labels: Map<string, string>,
): SweepLeftOut[] {
  const reached = (index: RunIndex, g: Group): number | null => {
    const counts = (index.cases.get(g.caseKey)?.metrics ?? []).flatMap((m) =>
      index.points(g.caseKey, m, g.envId).map((p) => p.iteration),
    );
    return counts.length === 0 ? null : Math.max(...counts);
  };
  const out = new Map<CaseEnvKey, SweepLeftOut>();
  for (const g of [...cur.values(), ...base.values()]) {
    const key = caseEnvKey(g.caseKey, g.envId);
    if (pooledVerdicts(g.shape) || out.has(key)) continue;
    const instances = { baseline: reached(indexes.baseline, g), current: reached(indexes.current, g) };
    const where = instances.baseline === null ? 'current' : instances.current === null ? 'baseline' : 'both';
    out.set(key, { in: where, label: labels.get(g.caseKey) ?? g.workload, envId: g.envId, instances });
  }
  return [...out.values()];
}
