// summary.csv: one row per workload case × metric × environment with statistics, ratio, interval and verdict; then each density sweep's figures.
import { COMPARISON_COLUMNS, csvText } from '../shared/csv.js';
import type { Analysis } from '../../analysis/verdict-analysis.js';
import type { DensitySummary } from '../../analysis/density.js';
import type { Params } from '../../model/record.js';
import { verdictText } from '../shared/verdict-text.js';

/** Columns of summary.csv, in order. */
export const SUMMARY_COLUMNS = [
  'workload',
  'case',
  'params',
  'metric',
  'unit',
  'better',
  'environment',
  'baseline',
  'samples',
  'trials',
  'trial_median',
  'median',
  'mean',
  'mad',
  'cv_pct',
  'min',
  'max',
  'p95',
  'trial_cv_pct',
  'median_ci_lo',
  'median_ci_hi',
  ...COMPARISON_COLUMNS,
] as const;

/** A number with 6 significant digits, empty when not finite (stable text for diffs). */
const num = (v: number | undefined): string =>
  v === undefined || !Number.isFinite(v) ? '' : String(Number(v.toPrecision(6)));

const paramsText = (p: Params) =>
  Object.entries(p)
    .sort(([x], [y]) => x.localeCompare(y))
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(';');

/** verdict_kind of a density figure's row: a derived figure, with no ratio and no verdict. */
export const FIGURE_KIND = 'figure';

/**
 * Each density sweep's figures as rows of summary.csv (metric, unit, better, the figure in
 * trial_median and median, steps in samples, sweeps in trials, how it was derived in verdict).
 */
export function densityRows(a: Analysis, sweeps: readonly DensitySummary[]): (string | number)[][] {
  const empty = (n: number) => Array.from({ length: n }, () => '');
  return sweeps.flatMap((d) => {
    const params = paramsText(d.params);
    const label = a.sweepCases.find((c) => paramsText(c.params) === params)?.label ?? 'density';
    const memSteps = d.points.filter((p) => p.hostDropMiB !== null).length;
    const readySteps = d.points.filter((p) => p.readyMs !== null).length;
    const kneeText = (at: number | null, what: string, steps: number) =>
      at !== null
        ? `${what} climbs from ${at} instances`
        : steps < 6
          ? `no knee: too few steps (${steps} < 6)`
          : 'no knee';
    const figures: [string, string, string, number | null, number, string][] = [
      [
        'density_instances_reached',
        'instances',
        'higher',
        d.instances,
        d.points.length,
        d.stop === null ? 'stop reason not recorded' : `stopped: ${d.stop}`,
      ],
      [
        'density_marginal_MiB_per_instance',
        'MiB',
        'lower',
        d.slopeMiB,
        memSteps,
        `least-squares slope of the host MemAvailable drop against the instances running over ${memSteps} steps`,
      ],
      [
        'density_instances_per_GiB',
        'instances/GiB',
        'higher',
        d.instancesPerGiB,
        memSteps,
        d.instancesPerGiB === null
          ? "none: the marginal memory per instance is unknown, not positive, or only the host's drift (the " +
            'instance holds no process)'
          : '1024 ÷ the marginal MiB per instance',
      ],
      [
        'density_ready_knee_at',
        'instances',
        'higher',
        d.readyKnee,
        readySteps,
        kneeText(d.readyKnee, 'ready time', readySteps),
      ],
      [
        'density_memory_knee_at',
        'instances',
        'higher',
        d.memoryKnee,
        Math.max(0, memSteps - 1),
        kneeText(d.memoryKnee, 'marginal memory', Math.max(0, memSteps - 1)),
      ],
    ];
    return figures.map(([metric, unit, better, value, steps, how]) => [
      'density',
      label,
      params,
      metric,
      unit,
      better,
      d.envId,
      '',
      steps,
      d.sweeps,
      num(value ?? undefined),
      num(value ?? undefined),
      ...empty(15),
      FIGURE_KIND,
      how,
    ]);
  });
}

/**
 * Renders summary.csv. Change is signed, positive = worse (slower); ratio = environment / baseline.
 * Density sweeps add their figures after the measured rows (`densityRows`).
 */
export function summaryCsv(a: Analysis, sweeps: readonly DensitySummary[] = []): string {
  const rows = a.entries.map((e) => {
    const s = e.stats.summary;
    const c = e.comparison;
    const params = paramsText(e.case.params);
    return [
      e.case.workload,
      e.case.label,
      params,
      e.metric,
      e.info.unit,
      e.info.better,
      e.stats.envId,
      a.baselineId ?? '',
      s.n,
      s.trials,
      num(s.trialMedian),
      num(s.median),
      num(s.mean),
      num(s.mad),
      num(s.cv * 100),
      num(s.min),
      num(s.max),
      num(s.p95),
      num(s.trialCv * 100),
      num(e.stats.medianCi?.lo),
      num(e.stats.medianCi?.hi),
      num(c?.ratio),
      num(c?.ratioCi?.lo),
      num(c?.ratioCi?.hi),
      num(c === null ? undefined : c.change * 100),
      num(c?.changeCi === null || c === null ? undefined : c.changeCi.lo * 100),
      num(c?.changeCi === null || c === null ? undefined : c.changeCi.hi * 100),
      e.verdict.kind,
      verdictText(e),
    ];
  });
  return csvText([[...SUMMARY_COLUMNS], ...rows, ...densityRows(a, sweeps)]);
}
