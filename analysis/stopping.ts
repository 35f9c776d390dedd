// `--until-conclusive`: which cells get another round of trials, and why each one stopped.
import type { Interval } from './bootstrap.js';
import type { Analysis } from './verdict-analysis.js';
import { caseKey, envId } from '../model/ids.js';
import type { PlanCell } from '../model/record.js';
import { at } from '../lib/arrays.js';

export type { StopReason } from '../model/record.js';

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

/** What every cell's precision says, whether or not it can get an interval. */
interface PrecisionBase {
  /** Index of the cell in the plan's cells. */
  cell: number;
  /** The case's headline metric. */
  metric: string;
  /** Measured trials of the cell. */
  trials: number;
  /** Measured trials of the baseline cell. */
  baselineTrials: number;
  /** The ratio interval (cell ÷ baseline) of the headline metric; null when not computable. */
  ratioCi: Interval | null;
  /** hi/lo ≤ 1 + margin (see preciseEnough). */
  precise: boolean;
}

/** A cell that more trials can make precise: it has a baseline cell, and both sides have trials. */
export interface OpenablePrecision extends PrecisionBase {
  /** Discriminant: both sides have measured trials. */
  noData: false;
  /** Index of its case's baseline cell in the plan's cells. */
  baseline: number;
}

/** A cell that no added trial gives an interval: it has no baseline cell, or one side has no measured trial at all. */
export interface NoDataPrecision extends PrecisionBase {
  /** Discriminant. */
  noData: true;
  /** Index of its case's baseline cell in the plan's cells; null when the plan has none. */
  baseline: number | null;
}

/** One compared cell's precision after a round: what the rule looks at. */
export type CellPrecision = OpenablePrecision | NoDataPrecision;

/**
 * The precision of every compared cell (not the baseline's own) among `candidates` (plan cell
 * indexes; the caller leaves out cells whose workload is not compared trial by trial, such as a
 * density sweep). Pure: reads the analysis only.
 */
export function cellPrecision(
  analysis: Analysis,
  cells: readonly PlanCell[],
  candidates: readonly number[],
): CellPrecision[] {
  const out: CellPrecision[] = [];
  for (const i of candidates) {
    const cell = at(cells, i, 'plan cell');
    const id = envId(cell);
    if (id === analysis.baselineId) continue;
    const key = caseKey(cell.workload, cell.params);
    const baseline = cells.findIndex((c) => envId(c) === analysis.baselineId && caseKey(c.workload, c.params) === key);
    const c = analysis.cases.find((x) => x.key === key);
    const entry =
      c === undefined
        ? undefined
        : analysis.entries.find((e) => e.case.key === key && e.metric === c.headline && e.stats.envId === id);
    const base =
      c === undefined
        ? undefined
        : analysis.entries.find(
            (e) => e.case.key === key && e.metric === c.headline && e.stats.envId === analysis.baselineId,
          );
    const trials = entry?.stats.summary.trialMedians.length ?? 0;
    const baselineTrials = base?.stats.summary.trialMedians.length ?? 0;
    const ratioCi = entry?.comparison?.ratioCi ?? null;
    const common = {
      cell: i,
      metric: c?.headline ?? '',
      trials,
      baselineTrials,
      ratioCi,
      precise: ratioCi !== null && preciseEnough(ratioCi, analysis.margin),
    };
    out.push(
      baseline < 0 || trials === 0 || baselineTrials === 0
        ? { ...common, noData: true, baseline: baseline < 0 ? null : baseline }
        : { ...common, noData: false, baseline },
    );
  }
  return out;
}
