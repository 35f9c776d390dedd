// `--until-conclusive`: after the planned trials, interleaved rounds for the cells whose interval is not yet precise, within a time budget.
import { analyse } from '../../analysis/verdict-analysis.js';
import { cellPrecision, type CellPrecision, type OpenablePrecision } from '../../analysis/stopping.js';
import type { ConclusiveStop, PlanCell, RunRecord, StopReason, UntilConclusive } from '../../model/record.js';
import { caseKey } from '../../model/ids.js';
import { schedule, unitCells, type InstancePer, type ScheduledUnit } from './schedule.js';
import { at } from '../../lib/arrays.js';
import { durationText } from './progress.js';

/** `--until-conclusive` settings. */
export interface UntilSettings {
  /** Time budget of the added rounds, ms (`--max-time`). */
  maxTimeMs: number;
  /** Most rounds to add. */
  maxRounds: number;
}

/** Rounds added at most, whatever the budget: the simulation behind the rule stopped at 30 trials. */
export const MAX_ROUNDS = 30;

/** What the loop needs from the run. */
export interface UntilInput {
  /** The record so far (planned trials done); the loop's trials are appended to it by `runUnit`. */
  record: RunRecord;
  /** The plan's cells. */
  cells: readonly PlanCell[];
  /** Indexes of the cells compared trial by trial (not sweeps). */
  candidates: readonly number[];
  /** Settings. */
  settings: UntilSettings;
  /** Schedule order and seed, and what an instance runs: as for the planned trials. */
  order: 'interleaved' | 'grouped';
  seed: number;
  instancePer: InstancePer;
  /** Runs one unit (appending its results to the record and saving it). */
  runUnit: (unit: ScheduledUnit) => Promise<void>;
  /** Announces units about to run (progress). */
  planned: (units: readonly ScheduledUnit[]) => void;
  /** Whether the run was interrupted. */
  aborted: () => boolean;
  /** Diagnostic lines. */
  log: (line: string) => void;
  /** Clock in ms (tests). */
  now?: () => number;
}

/**
 * Adds rounds until every compared cell's interval is precise (hi/lo ≤ 1 + margin) or the budget,
 * the round limit or a signal stops it. Each round runs one more trial of every imprecise cell
 * and of its case's baseline, interleaved as the planned trials were. A round is started only
 * when its estimated time (each cell's mean trial time so far) fits in what is left of the
 * budget. The rule looks at every cell each round, so a cell that was precise becomes open again
 * if its baseline's added trials widened its interval: the reasons describe the final intervals.
 */
export async function untilConclusive(input: UntilInput): Promise<UntilConclusive> {
  const now = input.now ?? (() => performance.now());
  const t0 = now();
  const { record, cells } = input;
  let rounds = 0;
  let ending: StopReason = 'max-rounds';
  let state = evaluate(input);
  for (;;) {
    const open = state.filter((s): s is OpenablePrecision => !s.precise && !s.noData);
    if (open.length === 0) break;
    if (input.aborted()) {
      ending = 'interrupted';
      break;
    }
    if (rounds >= input.settings.maxRounds) {
      ending = 'max-rounds';
      break;
    }
    const subset = [...new Set(open.flatMap((s) => [s.baseline, s.cell]))].sort((a, b) => a - b);
    const units = schedule(
      subset.map((i) => at(cells, i, 'plan cell')),
      1,
      input.order,
      input.seed + rounds + 1,
      input.instancePer,
    ).map((u) => ({
      cells: u.cells.map((j) => at(subset, j, 'cell of the round')),
      trial: record.plan.trials + rounds + 1,
    }));
    const estimate = units.reduce(
      (ms, u) => ms + unitCells(u, cells).reduce((m, c) => m + meanTrialMs(record, c), 0),
      0,
    );
    const left = input.settings.maxTimeMs - (now() - t0);
    if (estimate > left) {
      ending = 'budget';
      input.log(
        `until-conclusive: ${open.length} cell(s) still imprecise; another round (~` +
          `${durationText(estimate)}) does not fit in the ${durationText(Math.max(0, left))} left of ` +
          `--max-time`,
      );
      break;
    }
    rounds += 1;
    input.log(
      `until-conclusive: round ${rounds}: ${open.length} imprecise cell(s) get another trial (` +
        `${open.map((s) => label(at(cells, s.cell, 'plan cell'))).join(', ')})`,
    );
    input.planned(units);
    for (const u of units) {
      if (input.aborted()) break;
      await input.runUnit(u);
    }
    state = evaluate(input);
  }
  if (input.aborted()) ending = 'interrupted';
  const stops: ConclusiveStop[] = state.map((s) => {
    const c = at(cells, s.cell, 'plan cell');
    const reason: StopReason = s.noData ? 'no-data' : s.precise ? 'precise' : ending;
    return {
      env: c.env,
      engine: c.engine,
      workload: c.workload,
      params: c.params,
      metric: s.metric,
      trials: s.trials,
      baselineTrials: s.baselineTrials,
      reason,
      ratioCi: s.ratioCi,
    };
  });
  const counts = new Map<StopReason, number>();
  for (const s of stops) counts.set(s.reason, (counts.get(s.reason) ?? 0) + 1);
  input.log(
    `until-conclusive: ${rounds} round(s) added in ${durationText(now() - t0)}; cells: ` +
      `${[...counts].map(([r, n]) => `${n} ${r}`).join(', ') || 'none compared'}`,
  );
  return {
    maxTimeMs: input.settings.maxTimeMs,
    maxRounds: input.settings.maxRounds,
    rounds,
    elapsedMs: Math.round(now() - t0),
    cells: stops,
  };
}

function evaluate(input: UntilInput): CellPrecision[] {
  return cellPrecision(analyse(input.record, { medianIntervals: false }), input.cells, input.candidates);
}

/** Mean wall time of the cell's finished trials (0 when none finished). */
function meanTrialMs(record: RunRecord, cell: PlanCell): number {
  const key = caseKey(cell.workload, cell.params);
  const own = record.results.filter(
    (r) =>
      r.status !== 'skipped' && r.env === cell.env && r.engine === cell.engine && caseKey(r.workload, r.params) === key,
  );
  return own.length === 0 ? 0 : own.reduce((ms, r) => ms + (r.status === 'skipped' ? 0 : r.durationMs), 0) / own.length;
}

function label(c: PlanCell): string {
  return `${c.env}:${c.engine} ${c.workload}`;
}
