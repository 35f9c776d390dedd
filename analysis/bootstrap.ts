// Seeded percentile bootstrap over trials: intervals for one median, a ratio of medians and a difference of medians.
import { rng } from './rng.js';
import { quantileSorted } from './stats.js';
import type { Interval } from '../model/verdict.js';

/** A closed interval [lo, hi] (declared in the model: verdicts and studies hold intervals). */
export type { Interval } from '../model/verdict.js';

/** Bootstrap settings. */
export interface BootstrapOptions {
  /** Seed of the resampling (the plan's seed mixed with the comparison's key, see `seedFor`). */
  seed: number;
  /** Number of resamples (default 2000). */
  resamples?: number;
  /** Confidence level (default 0.95). */
  level?: number;
}

/** Mixes a run seed with a text key (FNV-1a) so every comparison has its own stable stream. */
export function seedFor(seed: number, key: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * Median of a scratch buffer (sorted in place). It holds one value per trial, so it is small:
 * an insertion sort beats TypedArray#sort's per-call cost (a ratio interval of 7 trials took
 * 1.3 ms instead of 1.8 ms, A/B interleaved; merging a 100-host study runs it millions of times).
 */
function medianOf(buf: Float64Array): number {
  if (buf.length > 64) buf.sort();
  else {
    for (let i = 1; i < buf.length; i++) {
      const v = buf[i] as number;
      let j = i - 1;
      for (; j >= 0 && (buf[j] as number) > v; j--) buf[j + 1] = buf[j] as number;
      buf[j + 1] = v;
    }
  }
  const mid = (buf.length - 1) / 2;
  return ((buf[Math.floor(mid)] as number) + (buf[Math.ceil(mid)] as number)) / 2;
}

function resampleMedian(xs: readonly number[], buf: Float64Array, rand: () => number): number {
  const n = xs.length;
  for (let j = 0; j < n; j++) buf[j] = xs[Math.floor(rand() * n)] as number;
  return medianOf(buf);
}

function percentiles(stats: Float64Array, level: number): Interval {
  stats.sort();
  const tail = (1 - level) / 2;
  return { lo: quantileSorted(stats, tail), hi: quantileSorted(stats, 1 - tail) };
}

/**
 * Percentile-bootstrap interval of the median of `xs` (per-trial values). Null when fewer than
 * 2 values: one trial says nothing about spread.
 */
export function medianInterval(xs: readonly number[], opts: BootstrapOptions): Interval | null {
  if (xs.length < 2) return null;
  const rand = rng(opts.seed);
  const b = opts.resamples ?? 2000;
  const buf = new Float64Array(xs.length);
  const stats = new Float64Array(b);
  for (let i = 0; i < b; i++) stats[i] = resampleMedian(xs, buf, rand);
  return percentiles(stats, opts.level ?? 0.95);
}

/**
 * Percentile-bootstrap interval of median(other) / median(base), resampling the TRIALS of each
 * group independently (stratified, unpaired). Null when either group has fewer than 2 trials or
 * a resampled baseline median is 0.
 *
 * Why this method: in 1000 simulated runs per setting (3 % lognormal trial noise, true ratio
 * 0.9) it covered the truth 95–97 % of the time from 5 to 30 trials per group (also at 10 % noise
 * and ratio 0.5), 93 % at 4 trials and 90 % at 3 — slightly conservative, so verdicts err towards
 * "inconclusive". The percentile bootstrap of a ratio of MEANS undercovered (87–91 % at 5–10
 * trials). See test/unit/bootstrap.test.ts.
 */
export function ratioInterval(
  base: readonly number[],
  other: readonly number[],
  opts: BootstrapOptions,
): Interval | null {
  return twoGroups(base, other, opts, (den, num) => (den === 0 ? null : num / den));
}

/**
 * Percentile-bootstrap interval of median(other) − median(base), resampling the trials of each
 * group independently, as `ratioInterval` does. Null when either group has fewer than 2 trials.
 * Startup verdicts use it: the time an environment adds to a start, in the metric's unit.
 */
export function differenceInterval(
  base: readonly number[],
  other: readonly number[],
  opts: BootstrapOptions,
): Interval | null {
  return twoGroups(base, other, opts, (b, o) => o - b);
}

/** The bootstrap of a statistic of two independently resampled medians; null when a resample has none. */
function twoGroups(
  base: readonly number[],
  other: readonly number[],
  opts: BootstrapOptions,
  stat: (baseMedian: number, otherMedian: number) => number | null,
): Interval | null {
  if (base.length < 2 || other.length < 2) return null;
  const rand = rng(opts.seed);
  const b = opts.resamples ?? 2000;
  const bufBase = new Float64Array(base.length);
  const bufOther = new Float64Array(other.length);
  const stats = new Float64Array(b);
  for (let i = 0; i < b; i++) {
    const den = resampleMedian(base, bufBase, rand);
    const v = stat(den, resampleMedian(other, bufOther, rand));
    if (v === null) return null;
    stats[i] = v;
  }
  return percentiles(stats, opts.level ?? 0.95);
}
