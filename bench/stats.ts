// Descriptive statistics: pure functions over arrays of numbers.

/** Linear-interpolated quantile (q in [0,1]) of a non-empty array. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = s[lo] as number;
  const b = s[hi] as number;
  return a + (b - a) * (pos - lo);
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
