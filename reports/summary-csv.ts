// summary.csv: one row per workload case × metric × environment with statistics, ratio, interval and verdict.
import { csvText } from './csv.js';
import type { Analysis } from '../analysis/verdict-analysis.js';
import { verdictText } from './verdict-text.js';

/** Columns of summary.csv, in order. */
export const SUMMARY_COLUMNS = [
  'workload', 'case', 'params', 'metric', 'unit', 'better', 'environment', 'baseline', 'samples', 'trials',
  'trial_median', 'median', 'mean', 'mad', 'cv_pct', 'min', 'max', 'p95', 'trial_cv_pct', 'median_ci_lo', 'median_ci_hi',
  'ratio', 'ratio_ci_lo', 'ratio_ci_hi', 'change_pct', 'change_ci_lo_pct', 'change_ci_hi_pct', 'verdict_kind', 'verdict',
] as const;

/** A number with 6 significant digits, empty when not finite (stable text for diffs). */
const num = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '' : String(Number(v.toPrecision(6))));

/** Renders summary.csv. Change is signed, positive = worse (slower); ratio = environment / baseline. */
export function summaryCsv(a: Analysis): string {
  const rows = a.entries.map((e) => {
    const s = e.stats.summary;
    const c = e.comparison;
    const params = Object.entries(e.case.params).sort(([x], [y]) => x.localeCompare(y)).map(([k, v]) => `${k}=${String(v)}`).join(';');
    return [
      e.case.workload, e.case.label, params, e.metric, e.info.unit, e.info.better, e.stats.envId, a.baselineId ?? '', s.n, s.trials,
      num(s.trialMedian), num(s.median), num(s.mean), num(s.mad), num(s.cv * 100), num(s.min), num(s.max), num(s.p95), num(s.trialCv * 100),
      num(e.stats.medianCi?.lo), num(e.stats.medianCi?.hi),
      num(c?.ratio), num(c?.ratioCi?.lo), num(c?.ratioCi?.hi), num(c === null ? undefined : c.change * 100),
      num(c?.changeCi === null || c === null ? undefined : c.changeCi.lo * 100), num(c?.changeCi === null || c === null ? undefined : c.changeCi.hi * 100),
      e.verdict.kind, verdictText(e),
    ];
  });
  return csvText([[...SUMMARY_COLUMNS], ...rows]);
}
