// Orders trials so machine drift is not confounded with environment: A B C, then C B A, …
import { rng, shuffled } from '../../analysis/rng.js';
import { caseKey } from '../../model/ids.js';
import type { PlanCell } from '../../model/record.js';
import { at } from '../../lib/arrays.js';

/** What one instance runs: one workload cell (`--instance-per workload`) or every cell of its environment (`--instance-per trial`). */
export type InstancePer = 'workload' | 'trial';

/** One scheduled unit: one instance lifetime running its cells one after another. */
export interface ScheduledUnit {
  /** Indexes into the plan's cells, in the order the instance runs them (all of one environment). */
  cells: number[];
  /** Trial index within each of those cells, from 1. */
  trial: number;
}

/** The plan cells a unit runs, in its order; the first is the unit's environment (a unit is never empty). */
export function unitCells(unit: ScheduledUnit, cells: readonly PlanCell[]): [PlanCell, ...PlanCell[]] {
  const out = unit.cells.map((i) => at(cells, i, 'scheduled plan cell'));
  const [first, ...rest] = out;
  if (first === undefined) throw new Error('internal: a scheduled unit has no cells');
  return [first, ...rest];
}

/**
 * Interleaved: per round, each comparison group runs its environments once, alternating
 * direction every round (seeded starting order). Grouped: all trials of one cell (or of one
 * environment, with an instance per trial) in a row.
 *
 * With an instance per trial, a unit is one environment running every cell of the plan's
 * environment in a seeded order that changes from unit to unit (so no workload always runs
 * first in a fresh instance); a round runs every environment once, direction alternating.
 */
export function schedule(
  cells: readonly PlanCell[],
  trials: number,
  order: 'interleaved' | 'grouped',
  seed: number,
  per: InstancePer = 'workload',
): ScheduledUnit[] {
  const rand = rng(seed);
  const out: ScheduledUnit[] = [];
  // Comparison groups: per workload, cells of the same case; per trial, cells of the same environment.
  const groups = new Map<string, number[]>();
  cells.forEach((c, i) => {
    const k = per === 'workload' ? caseKey(c.workload, c.params) : `${c.env}:${c.engine}`;
    groups.set(k, [...(groups.get(k) ?? []), i]);
  });
  if (per === 'workload') {
    if (order === 'grouped') {
      cells.forEach((_, cell) => {
        for (let t = 1; t <= trials; t++) out.push({ cells: [cell], trial: t });
      });
      return out;
    }
    const groupOrder = [...groups.values()].map((g) => shuffled(g, rand));
    for (let t = 1; t <= trials; t++) {
      for (const g of groupOrder) {
        const seq = t % 2 === 1 ? g : [...g].reverse();
        for (const cell of seq) out.push({ cells: [cell], trial: t });
      }
    }
    return out;
  }
  const envs = [...groups.values()];
  if (order === 'grouped') {
    for (const g of envs) for (let t = 1; t <= trials; t++) out.push({ cells: shuffled(g, rand), trial: t });
    return out;
  }
  const envOrder = shuffled(envs, rand);
  for (let t = 1; t <= trials; t++) {
    const seq = t % 2 === 1 ? envOrder : [...envOrder].reverse();
    for (const g of seq) out.push({ cells: shuffled(g, rand), trial: t });
  }
  return out;
}
