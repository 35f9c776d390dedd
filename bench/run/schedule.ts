// Orders trials so machine drift is not confounded with environment: A B C, then C B A, …
import { rng, shuffled } from '../../analysis/rng.js';
import { caseKey } from '../../model/ids.js';
import type { PlanCell } from '../../model/record.js';

/** One scheduled trial. */
export interface ScheduledTrial {
  /** Index into the plan's cells. */
  cell: number;
  /** Trial index within the cell, from 1. */
  trial: number;
}


/**
 * Interleaved: per round, each comparison group runs its environments once, alternating
 * direction every round (seeded starting order). Grouped: all trials of one cell in a row.
 */
export function schedule(cells: readonly PlanCell[], trials: number, order: 'interleaved' | 'grouped', seed: number): ScheduledTrial[] {
  const out: ScheduledTrial[] = [];
  if (order === 'grouped') {
    cells.forEach((_, cell) => {
      for (let t = 1; t <= trials; t++) out.push({ cell, trial: t });
    });
    return out;
  }
  const rand = rng(seed);
  const groups = new Map<string, number[]>();
  cells.forEach((c, i) => {
    const k = caseKey(c.workload, c.params);
    groups.set(k, [...(groups.get(k) ?? []), i]);
  });
  const groupOrder = [...groups.values()].map((g) => shuffled(g, rand));
  for (let t = 1; t <= trials; t++) {
    for (const g of groupOrder) {
      const seq = t % 2 === 1 ? g : [...g].reverse();
      for (const cell of seq) out.push({ cell, trial: t });
    }
  }
  return out;
}
