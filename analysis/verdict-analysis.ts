// The analysis of a run: per case × metric × environment statistics, ratios against the baseline, verdicts.
import { TIME_ADDED_METRICS, type MetricInfo } from '../model/metrics.js';
import { pooledVerdicts, timesStarts, type CaseKey, type CaseShape, type EnvId } from '../model/cases.js';
import { indexOf, type Indexable, type IndexedCase, type RunIndex } from './run-index.js';
import { differenceInterval, medianInterval, ratioInterval, seedFor, type Interval } from './bootstrap.js';
import { asEnvId, BASELINE_ENV, caseKey, envId as idOf, isBaselineKind, splitEnvId } from '../model/ids.js';
import { summarise, type GroupSummary } from './stats.js';
import type { Emulation, Params, RunRecord } from '../model/record.js';
import { emulationOf } from './emulation.js';
import { changeInterval, changeOf, verdict, type Caveat, type Verdict } from './verdict.js';
import type { Fraction } from '../lib/numbers.js';

/** A workload with one parameter set: the things compared side by side. */
export interface CaseInfo {
  /** Stable key (workload and sorted params). */
  key: CaseKey;
  /** Workload name (`startup` for lifecycle timings). */
  workload: string;
  /** How the case is measured (the verdicts pool only some shapes; reports chart start times apart). */
  shape: CaseShape;
  /** Parameters of the case. */
  params: Params;
  /** Display name: the workload plus the parameters that vary between its cases. */
  label: string;
  /** File-name-safe name (`[a-z0-9-]`), unique within the run. */
  slug: string;
  /** The case's main metric (first in the record's metric catalogue order). */
  headline: string;
}

/** One environment's statistics for one case × metric. */
export interface EnvStats {
  /** `env:engine`. */
  envId: EnvId;
  /** Environment kind. */
  env: string;
  /** Engine. */
  engine: string;
  /** Descriptive statistics over measured samples plus per-trial medians. */
  summary: GroupSummary;
  /** 95 % bootstrap interval of the median of per-trial medians; null below 2 trials. */
  medianCi: Interval | null;
  /** trialIds with measured values, in execution order. */
  trialIds: number[];
  /** Why this environment's numbers are not representative (it ran emulated), or null. */
  emulation: Emulation | null;
}

/** An environment against the baseline for one case × metric. */
export interface Comparison {
  /** The baseline's `env:engine`. */
  baselineId: string;
  /** median(environment per-trial medians) / median(baseline per-trial medians). */
  ratio: number;
  /** 95 % bootstrap interval of the ratio (trials resampled); null when not computable. */
  ratioCi: Interval | null;
  /** Signed change, positive = worse (see `changeOf`). */
  change: number;
  /** Interval of the change. */
  changeCi: Interval | null;
}

/** One row of the verdict table: case × metric × environment. */
export interface Entry {
  /** The case. */
  case: CaseInfo;
  /** Metric name. */
  metric: string;
  /** Metric facts. */
  info: MetricInfo;
  /** This environment's statistics. */
  stats: EnvStats;
  /** Whether this row is the baseline itself. */
  isBaseline: boolean;
  /** Comparison against the baseline (null for the baseline and when either side lacks data). */
  comparison: Comparison | null;
  /** The verdict, as data (reports/shared/verdict-text.ts words it). */
  verdict: Verdict;
  /** What a reader must know before trusting the comparison (an emulated side); empty when nothing was compared. */
  caveats: Caveat[];
}

/** Everything the reports show, derived from the record alone. */
export interface Analysis {
  /** The index the analysis was computed from (reports read the record's samples through it). */
  index: RunIndex;
  /** The baseline `env:engine`, null when the run has no environments. */
  baselineId: EnvId | null;
  /** Set when the baseline is not bare metal, saying which environment was used instead. */
  baselineNote: string | null;
  /** Equivalence margin as a fraction (the record's plan.margin: 0.02 = ±2 %). */
  margin: Fraction;
  /** Cases in plan order, lifecycle (`startup`) last; sweeps (density) are not among them. */
  cases: CaseInfo[];
  /**
   * Cases measured as sweeps (shape `sweep`), labelled as the other cases are. They have no
   * entries: a sweep's samples are per instance count, and a median pooled over every count
   * (compared with a baseline that stopped at another count) would mislead. analysis/density.ts
   * summarises them per count.
   */
  sweepCases: CaseInfo[];
  /** Rows by case, then metric, then environment (baseline first, then plan order). */
  entries: Entry[];
}

/** The baseline `env:engine` and, when it is not bare metal, a note saying so. */
export function chooseBaseline(record: RunRecord, envIds: readonly EnvId[]): { id: EnvId | null; note: string | null } {
  const bare = envIds.find(isBaselineKind);
  if (bare !== undefined) return { id: bare, note: null };
  const first = envIds[0];
  if (first === undefined) return { id: null, note: 'no environment produced results, so nothing is compared' };
  return {
    id: first,
    note:
      `this run has no bare-metal environment (${BASELINE_ENV}): ratios are against ${first}, the ` +
      `first environment of the plan`,
  };
}

function slugify(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'case'
  );
}

/** Case display names and slugs: the workload plus the params that differ between its cases. */
function describeCases(cases: Omit<CaseInfo, 'label' | 'slug'>[]): CaseInfo[] {
  const used = new Set<string>();
  return cases.map((c) => {
    const siblings = cases.filter((o) => o.workload === c.workload);
    const varying = Object.keys(c.params)
      .sort()
      .filter((p) => new Set(siblings.map((s) => String(s.params[p]))).size > 1);
    const label = [c.workload, ...varying.map((p) => `${p}=${String(c.params[p])}`)].join(' ');
    let slug = slugify(label);
    for (let i = 2; used.has(slug); i++) slug = `${slugify(label)}-${i}`;
    used.add(slug);
    return { ...c, label, slug };
  });
}

/** Options of `analyse`. */
export interface AnalyseOptions {
  /**
   * Whether to bootstrap each environment's median interval (default true). A study merging
   * many hosts uses only the ratios and skips them: they were 40 % of its time.
   */
  medianIntervals?: boolean;
}

/** Analyses a run record (or its index). Pure and deterministic: the bootstrap is seeded from plan.seed. */
export function analyse(source: Indexable, opts: AnalyseOptions = {}): Analysis {
  const index = indexOf(source);
  const { record } = index;
  const planEnvs = record.plan.envs.map(asEnvId);
  const declared = [...planEnvs, ...index.envs.filter((e) => !planEnvs.includes(e)).sort()];
  const baseline = chooseBaseline(record, declared);
  const envIds = [...declared.filter((e) => e === baseline.id), ...declared.filter((e) => e !== baseline.id)];
  const margin = record.plan.margin;
  const seed = record.plan.seed;
  const catalogue = Object.keys(record.metrics);
  const metricInfo = (m: string): MetricInfo => {
    const known = record.metrics[m];
    // parseRunRecord rejects a sample of an undeclared metric; a record built in code must declare it too.
    if (known === undefined) throw new Error(`metric '${m}' is not in the record's metric catalogue`);
    return known;
  };
  const metricOrder = (a: string, b: string) => {
    const ia = catalogue.indexOf(a);
    const ib = catalogue.indexOf(b);
    return (ia < 0 ? Infinity : ia) - (ib < 0 ? Infinity : ib) || a.localeCompare(b);
  };
  const metricsOf = new Map([...index.cases].map(([key, c]) => [key, [...c.metrics].sort(metricOrder)]));

  const planCaseOrder = [...new Set(record.plan.cells.map((c) => caseKey(c.workload, c.params)))];
  const rank = (c: IndexedCase) => {
    const i = planCaseOrder.indexOf(c.key);
    return i >= 0 ? i : timesStarts(c.shape) ? 1e6 : 2e6;
  };
  const indexed = [...index.cases.values()].sort((a, b) => rank(a) - rank(b) || a.key.localeCompare(b.key));
  const described = describeCases(
    indexed.map((c) => ({
      key: c.key,
      workload: c.workload,
      params: c.params,
      shape: c.shape,
      headline: metricsOf.get(c.key)?.[0] ?? '',
    })),
  );
  const cases = described.filter((c) => pooledVerdicts(c.shape));
  const sweepCases = described.filter((c) => !pooledVerdicts(c.shape));

  const entries: Entry[] = [];
  for (const c of cases) {
    const plannedEnvs = record.plan.cells.filter((p) => caseKey(p.workload, p.params) === c.key).map(idOf);
    for (const metric of metricsOf.get(c.key) ?? []) {
      const info = metricInfo(metric);
      const statsOf = (envId: EnvId): EnvStats => {
        const trials = index.trialValues(c.key, metric, envId);
        const summary = summarise(trials);
        const { env, engine } = splitEnvId(envId);
        return {
          envId,
          env,
          engine,
          summary,
          medianCi:
            opts.medianIntervals === false
              ? null
              : medianInterval(summary.trialMedians, { seed: seedFor(seed, `median|${c.key}|${metric}|${envId}`) }),
          trialIds: trials.map((t) => t.trialId).sort((a, b) => a - b),
          emulation: emulationOf(record, envId),
        };
      };
      const present = envIds.filter((e) => index.has(c.key, metric, e) || plannedEnvs.includes(e));
      const base = baseline.id !== null && present.includes(baseline.id) ? statsOf(baseline.id) : null;
      for (const envId of present) {
        const stats = envId === baseline.id && base ? base : statsOf(envId);
        entries.push({
          case: c,
          metric,
          info,
          stats,
          ...judge(
            envId,
            stats,
            base,
            baseline.id,
            info,
            margin,
            seedFor(seed, `ratio|${c.key}|${metric}|${envId}`),
            metric,
          ),
        });
      }
    }
  }
  return { index, baselineId: baseline.id, baselineNote: baseline.note, margin, cases, sweepCases, entries };
}

/** Emulation caveats of a comparison: the environment's own, then its baseline's. */
function caveatsOf(sides: readonly EnvStats[]): Caveat[] {
  return sides.flatMap((s) =>
    s.emulation === null ? [] : [{ kind: 'emulation' as const, env: s.envId, note: s.emulation.note }],
  );
}

/** A row judged against a baseline: its ratio, interval, change, verdict and caveats. */
export type Judged = Pick<Entry, 'isBaseline' | 'comparison' | 'verdict' | 'caveats'>;

/**
 * Judges `stats` of `envId` against `base` (the environment `baselineId`): ratio, interval, change,
 * verdict and caveats. A startup time (`metric` in TIME_ADDED_METRICS) is judged on the difference
 * of medians with its own bootstrap interval, taken relative to the baseline's median for the
 * margin, and its verdict carries that difference (`added`); the ratio is still computed.
 */
export function judge(
  envId: string,
  stats: EnvStats,
  base: EnvStats | null,
  baselineId: string | null,
  info: MetricInfo,
  margin: number,
  seed: number,
  metric?: string,
): Judged {
  const none = (isBaseline: boolean, v: Verdict): Judged => ({ isBaseline, comparison: null, verdict: v, caveats: [] });
  if (envId === baselineId)
    return none(
      true,
      stats.summary.trials === 0 ? { kind: 'no-data', reason: 'baseline-no-trials' } : { kind: 'baseline' },
    );
  if (stats.summary.trials === 0) return none(false, { kind: 'no-data', reason: 'no-trials' });
  if (base === null || baselineId === null || base.summary.trials === 0)
    return none(false, { kind: 'no-data', reason: 'no-baseline-data' });
  const den = base.summary.trialMedian;
  if (den === 0) return none(false, { kind: 'no-data', reason: 'baseline-zero' });
  const ratio = stats.summary.trialMedian / den;
  const ratioCi = ratioInterval(base.summary.trialMedians, stats.summary.trialMedians, { seed });
  const change = changeOf(ratio, info.better);
  const changeCi = ratioCi === null ? null : changeInterval(ratioCi, info.better);
  const trials = { base: base.summary.trials, env: stats.summary.trials };
  let v: Verdict;
  if (metric !== undefined && TIME_ADDED_METRICS.has(metric) && info.better === 'lower') {
    const added = {
      value: stats.summary.trialMedian - den,
      interval: differenceInterval(base.summary.trialMedians, stats.summary.trialMedians, { seed }),
      unit: info.unit,
      baselineId,
    };
    const interval = added.interval === null ? null : { lo: added.interval.lo / den, hi: added.interval.hi / den };
    v = { ...verdict({ change: added.value / den, interval, margin, trials, quantity: info.quantity }), added };
  } else {
    v = verdict({ change, interval: changeCi, margin, trials, quantity: info.quantity });
  }
  // Emulated numbers travel with their caveat into every table, sentence and CSV row.
  return {
    isBaseline: false,
    comparison: { baselineId, ratio, ratioCi, change, changeCi },
    verdict: v,
    caveats: caveatsOf([stats, base]),
  };
}
