// `--until-conclusive`: which cells get another round of trials, and why each one stopped.
import type { Interval } from './bootstrap.js';

/**
 * Why a cell stopped getting trials: its interval became precise enough (`precise`, which is
 * always conclusive), the time budget ran out (`budget`), the round limit was reached
 * (`max-rounds`), or the run was interrupted (`interrupted`).
 */
export type StopReason = 'precise' | 'budget' | 'max-rounds' | 'interrupted';

/**
 * Whether a cell's ratio interval (environment ÷ baseline) is precise enough to stop adding
 * trials: hi/lo ≤ 1 + margin. Such an interval is always conclusive: if it contains 1 the change
 * lies inside ±margin (equivalent), otherwise it excludes 0 (worse or better).
 *
 * The rule looks at the interval's relative WIDTH only, never at where it lies or at the verdict:
 * under multiplicative noise the width depends on the spread of the trials, not on the estimate,
 * so stopping on it leaves the 95 % interval's coverage intact (precision-based stopping). Two
 * rules that look at the verdict do not: stopping as soon as the verdict is conclusive, and even
 * going on only with the cells that were inconclusive after the planned trials (their intervals
 * covered a true ratio of 1 in 83 % and 92.5 % of simulated studies): see test/unit/stopping.test.ts.
 */
export function preciseEnough(ratio: Interval, margin: number): boolean {
  // A hair inside the bound, so that rounding in the change interval never lands it a hair outside ±margin.
  return ratio.lo > 0 && ratio.hi / ratio.lo <= (1 + margin) * (1 - 1e-9);
}
