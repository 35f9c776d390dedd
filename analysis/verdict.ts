// Turns a ratio against the baseline and its interval into a signed change and a verdict.
import type { Quantity } from '../model/metrics.js';
import type { Interval } from './bootstrap.js';

/** The verdict's category (`worse`/`better` read as slower/faster for rates and times). */
export type VerdictKind = 'equivalent' | 'worse' | 'better' | 'inconclusive' | 'baseline' | 'no-data';

/** A verdict with its one-line wording. */
export interface Verdict {
  /** Category. */
  kind: VerdictKind;
  /** Text shown in tables, e.g. `slower by 10.0 % [9.6, 10.4]`. */
  text: string;
}

/** Fewest trials per environment for which an interval is judged at all. */
export const MIN_TRIALS = 3;

/** Words for "worse" and "better" in this metric's sense: slower/faster for rates and times, larger/smaller for sizes. */
export function directionWords(quantity: Quantity): { worse: string; better: string } {
  return quantity === 'size' ? { worse: 'larger', better: 'smaller' } : { worse: 'slower', better: 'faster' };
}

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

/** Formats a fraction as a percentage with one decimal (`0.1234` → `12.3`). */
export function pct(x: number): string {
  const v = Math.round(x * 1000) / 10;
  return (Object.is(v, -0) ? 0 : v).toFixed(1);
}

/** Formats a fraction as a signed percentage (`0.021` → `+2.1`, `-0.005` → `-0.5`). */
export function signedPct(x: number): string {
  const t = pct(x);
  return t.startsWith('-') || t === '0.0' ? t : `+${t}`;
}

/** Inputs of a verdict. */
export interface VerdictInput {
  /** Point estimate of the change (positive = worse), see `changeOf`. */
  change: number;
  /** 95 % interval of the change, null when it could not be computed. */
  interval: Interval | null;
  /** Equivalence margin as a fraction (0.02 = ±2 %). */
  margin: number;
  /** Trials of the baseline and of the environment. */
  trials: { base: number; env: number };
  /** The metric's direction words. */
  words: { worse: string; better: string };
}

/**
 * The verdict rule:
 * - fewer than MIN_TRIALS trials on either side, or no interval → inconclusive (too few trials);
 * - the whole interval inside [−margin, +margin] → `equivalent within ±margin`;
 * - the whole interval above 0 → `slower by X % [lo, hi]` (worse); below 0 → `faster by …`;
 * - otherwise the interval contains 0 and reaches past the margin: inconclusive (too noisy to
 *   call it either equal or different).
 */
export function verdict(v: VerdictInput): Verdict {
  const m = `±${pct(v.margin)} %`;
  if (v.trials.base < MIN_TRIALS || v.trials.env < MIN_TRIALS || v.interval === null) {
    return { kind: 'inconclusive', text: `inconclusive: too few trials (${Math.min(v.trials.base, v.trials.env)} < ${MIN_TRIALS})` };
  }
  const { lo, hi } = v.interval;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { kind: 'inconclusive', text: 'inconclusive: no finite interval' };
  if (lo >= -v.margin && hi <= v.margin) return { kind: 'equivalent', text: `equivalent within ${m}` };
  if (lo > 0) return { kind: 'worse', text: `${v.words.worse} by ${pct(v.change)} % [${pct(lo)}, ${pct(hi)}]` };
  if (hi < 0) return { kind: 'better', text: `${v.words.better} by ${pct(-v.change)} % [${pct(-hi)}, ${pct(-lo)}]` };
  return { kind: 'inconclusive', text: `inconclusive: too noisy (${signedPct(lo)} … ${signedPct(hi)} % straddles ${m})` };
}
