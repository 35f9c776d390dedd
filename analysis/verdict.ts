// Turns a ratio against the baseline and its interval into a signed change and a verdict, as data (reports/shared/verdict-text.ts words it).
import type { Quantity } from '../model/metrics.js';
import type { ComparedVerdict, Interval } from '../model/verdict.js';
import type { Fraction } from '../lib/numbers.js';

// The verdict types are data of the record model (a study stores them); they are re-exported here for the analysis and reports.
export type {
  BaselineVerdict,
  Caveat,
  ChangeVerdict,
  ComparedVerdict,
  EquivalentVerdict,
  NoDataReason,
  NoDataVerdict,
  NoFiniteIntervalVerdict,
  TimeAdded,
  TooFewTrialsVerdict,
  TooNoisyVerdict,
  Verdict,
  VerdictKind,
} from '../model/verdict.js';

/** Fewest trials per environment for which an interval is judged at all. */
export const MIN_TRIALS = 3;

/**
 * The change against the baseline as a signed fraction, positive = worse: for higher-is-better
 * metrics 1 − ratio (0.9× throughput → +10 % slower); for lower-is-better ratio − 1 (1.1× time →
 * +10 % slower). `ratio` is environment / baseline.
 */
export function changeOf(ratio: number, better: 'higher' | 'lower'): number {
  return better === 'higher' ? 1 - ratio : ratio - 1;
}

/** Maps a ratio interval to a change interval (the mapping is monotonic, so bounds may swap). */
export function changeInterval(ratio: Interval, better: 'higher' | 'lower'): Interval {
  const a = changeOf(ratio.lo, better);
  const b = changeOf(ratio.hi, better);
  return { lo: Math.min(a, b), hi: Math.max(a, b) };
}

/** Inputs of a verdict. */
export interface VerdictInput {
  /** Point estimate of the change (positive = worse), see `changeOf`. */
  change: number;
  /** 95 % interval of the change, null when it could not be computed. */
  interval: Interval | null;
  /** Equivalence margin as a fraction (0.02 = ±2 %). */
  margin: Fraction;
  /** Trials of the baseline and of the environment. */
  trials: { base: number; env: number };
  /** The metric's kind of quantity. */
  quantity: Quantity;
}

/**
 * The verdict rule:
 * - fewer than MIN_TRIALS trials on either side, or no interval → inconclusive (too few trials);
 * - the whole interval inside [−margin, +margin] → equivalent;
 * - the whole interval above 0 → worse; below 0 → better;
 * - otherwise the interval contains 0 and reaches past the margin: inconclusive (too noisy to
 *   call it either equal or different).
 */
export function verdict(v: VerdictInput): ComparedVerdict {
  if (v.trials.base < MIN_TRIALS || v.trials.env < MIN_TRIALS || v.interval === null) {
    return { kind: 'inconclusive', reason: 'too-few-trials', trials: v.trials, minTrials: MIN_TRIALS };
  }
  const { lo, hi } = v.interval;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { kind: 'inconclusive', reason: 'no-finite-interval' };
  if (lo >= -v.margin && hi <= v.margin) return { kind: 'equivalent', margin: v.margin };
  if (lo > 0 || hi < 0)
    return { kind: lo > 0 ? 'worse' : 'better', change: v.change, interval: v.interval, quantity: v.quantity };
  return { kind: 'inconclusive', reason: 'too-noisy', interval: v.interval, margin: v.margin };
}
