// A verdict as data (the ratio's judgement against the baseline) and its caveats: what run analyses and studies carry.
import type { Quantity } from './metrics.js';
import type { Fraction } from '../lib/numbers.js';
import type { Unit } from './units.js';

/** A closed interval [lo, hi]. */
export interface Interval {
  /** Lower bound. */
  lo: number;
  /** Upper bound. */
  hi: number;
}

/**
 * A startup time judged by the time it adds to the baseline's start rather than by a ratio
 * (model/metrics.ts TIME_ADDED_METRICS): "adds 43 ms [38, 51] to a process start".
 */
export interface TimeAdded {
  /** median(environment's trial medians) − median(baseline's), in `unit`; positive = slower. */
  value: number;
  /** 95 % bootstrap interval of the difference; null below 2 trials on a side. */
  interval: Interval | null;
  /** The metric's unit (`ms`). */
  unit: Unit;
  /** The baseline's `env:engine`: bare metal reads "a process start", another "a container:runc start". */
  baselineId: string;
}

/** What every compared verdict may carry: for a startup time, the time added it was judged on. */
interface MayAddTime {
  /** Set for a startup time: the verdict was judged on this difference (relative to the baseline's median) and reads as time added. */
  added?: TimeAdded;
}

/** The baseline row itself: nothing to compare. */
export interface BaselineVerdict {
  /** Discriminant. */
  kind: 'baseline';
}

/**
 * Why a row has no verdict: it has no measured trials (`no-trials`), it is the baseline and has
 * none (`baseline-no-trials`), the baseline has none (`no-baseline-data`), or the baseline's
 * median is 0 so no ratio exists (`baseline-zero`).
 */
export type NoDataReason = 'no-trials' | 'baseline-no-trials' | 'no-baseline-data' | 'baseline-zero';

/** No verdict, for a reason. */
export interface NoDataVerdict {
  /** Discriminant. */
  kind: 'no-data';
  /** Why. */
  reason: NoDataReason;
}

/** Too few trials on either side (or no interval) to judge. */
export interface TooFewTrialsVerdict extends MayAddTime {
  /** Discriminant. */
  kind: 'inconclusive';
  /** Sub-discriminant. */
  reason: 'too-few-trials';
  /** Measured trials of the baseline and of the environment. */
  trials: { base: number; env: number };
  /** The fewest trials per side that are judged (MIN_TRIALS). */
  minTrials: number;
}

/** The interval has an infinite or NaN bound. */
export interface NoFiniteIntervalVerdict extends MayAddTime {
  /** Discriminant. */
  kind: 'inconclusive';
  /** Sub-discriminant. */
  reason: 'no-finite-interval';
}

/** The interval contains 0 but reaches past the margin: neither equal nor different. */
export interface TooNoisyVerdict extends MayAddTime {
  /** Discriminant. */
  kind: 'inconclusive';
  /** Sub-discriminant. */
  reason: 'too-noisy';
  /** 95 % interval of the change (positive = worse). */
  interval: Interval;
  /** Equivalence margin as a fraction (0.02 = ±2 %). */
  margin: Fraction;
}

/** The whole interval lies inside the margin. */
export interface EquivalentVerdict extends MayAddTime {
  /** Discriminant. */
  kind: 'equivalent';
  /** Equivalence margin as a fraction (0.02 = ±2 %). */
  margin: Fraction;
}

/** The interval excludes 0: worse (all above) or better (all below). */
export interface ChangeVerdict extends MayAddTime {
  /** Discriminant: `worse` reads as slower/larger, `better` as faster/smaller. */
  kind: 'worse' | 'better';
  /** Point estimate of the change (positive = worse), see `changeOf`. */
  change: number;
  /** 95 % interval of the change. */
  interval: Interval;
  /** The metric's kind of quantity, which chooses the words (slower/faster, larger/smaller). */
  quantity: Quantity;
}

/** A verdict as data. */
export type Verdict =
  | BaselineVerdict
  | NoDataVerdict
  | TooFewTrialsVerdict
  | NoFiniteIntervalVerdict
  | TooNoisyVerdict
  | EquivalentVerdict
  | ChangeVerdict;

/** A verdict the rule gives when two sides were compared (every kind but `baseline` and `no-data`). */
export type ComparedVerdict =
  TooFewTrialsVerdict | NoFiniteIntervalVerdict | TooNoisyVerdict | EquivalentVerdict | ChangeVerdict;

/** The verdict's category (`worse`/`better` read as slower/faster for rates and times). */
export type VerdictKind = Verdict['kind'];

/** Something a reader must know before trusting a verdict: an environment of the comparison ran emulated. */
export interface Caveat {
  /** Discriminant. */
  kind: 'emulation';
  /** The emulated environment (`env:engine`): the row's own or its baseline. */
  env: string;
  /** Why its numbers are not representative. */
  note: string;
}
