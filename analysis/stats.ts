// Descriptive statistics: pure functions over arrays of numbers.

/** Linear-interpolated quantile (q in [0,1]) of values already sorted ascending (a typed array too); NaN when empty. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const a = sorted[lo] as number;
  const b = sorted[Math.ceil(pos)] as number;
  return a + (b - a) * (pos - lo);
}

/** Linear-interpolated quantile (q in [0,1]) of a non-empty array. */
export function quantile(xs: readonly number[], q: number): number {
  return quantileSorted(
    [...xs].sort((a, b) => a - b),
    q,
  );
}

/** Median. */
export const median = (xs: readonly number[]): number => quantile(xs, 0.5);

/** Arithmetic mean. */
export function mean(xs: readonly number[]): number {
  return xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Sample standard deviation (n − 1). */
export function stdev(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
}

/** Median absolute deviation (unscaled). */
export function mad(xs: readonly number[]): number {
  const m = median(xs);
  return median(xs.map((x) => Math.abs(x - m)));
}

/** Coefficient of variation (stdev / mean), 0 when the mean is 0. */
export function cv(xs: readonly number[]): number {
  const m = mean(xs);
  return m === 0 ? 0 : stdev(xs) / Math.abs(m);
}

/** The descriptive summary of one group of values. */
export interface Describe {
  /** Number of values. */
  n: number;
  /** Median. */
  median: number;
  /** Mean. */
  mean: number;
  /** Median absolute deviation. */
  mad: number;
  /** Coefficient of variation (fraction, not %). */
  cv: number;
  /** Minimum. */
  min: number;
  /** Maximum. */
  max: number;
  /** 95th percentile. */
  p95: number;
}

/** Describes a group of values. */
export function describe(xs: readonly number[]): Describe {
  return {
    n: xs.length,
    median: median(xs),
    mean: mean(xs),
    mad: mad(xs),
    cv: cv(xs),
    min: xs.length ? Math.min(...xs) : Number.NaN,
    max: xs.length ? Math.max(...xs) : Number.NaN,
    p95: quantile(xs, 0.95),
  };
}

/** Describe plus the trial-level view used for intervals (the trial is the unit of replication). */
export interface GroupSummary extends Describe {
  /** Number of trials with at least one measured value. */
  trials: number;
  /** Median of each trial's measured values, in trial execution order. */
  trialMedians: number[];
  /** Median of `trialMedians`: the centre every ratio, bar and interval uses. */
  trialMedian: number;
  /** Coefficient of variation between trials (of `trialMedians`; fraction). */
  trialCv: number;
}

/** Measured values of one trial. */
export interface TrialValues {
  /** Run-wide trial number (execution order). */
  trialId: number;
  /** Measured values, in iteration order. */
  values: number[];
}

/** Summarises measured values grouped by trial: descriptive stats over all values, plus per-trial medians. */
export function summarise(trials: readonly TrialValues[]): GroupSummary {
  const ordered = [...trials].filter((t) => t.values.length > 0).sort((a, b) => a.trialId - b.trialId);
  const all = ordered.flatMap((t) => t.values);
  const trialMedians = ordered.map((t) => median(t.values));
  return {
    ...describe(all),
    trials: ordered.length,
    trialMedians,
    trialMedian: median(trialMedians),
    trialCv: cv(trialMedians),
  };
}
