// The trial schedule: every (cell, trial) exactly once, environments interleaved, one unit per instance.
import { describe, expect, it } from 'vitest';
import { schedule } from '../../bench/run/schedule.js';
import type { PlanCell } from '../../model/record.js';

const cells: PlanCell[] = ['bare', 'container', 'vm'].flatMap((env) =>
  ['cpu', 'memory', 'fileio'].map((workload) => ({ env, engine: 'e', workload, params: {} })),
);

function coverage(units: { cells: number[]; trial: number }[]): string[] {
  return units.flatMap((u) => u.cells.map((c) => `${c}/${u.trial}`)).sort();
}

describe('schedule', () => {
  const all = cells.flatMap((_, c) => [1, 2, 3, 4].map((t) => `${c}/${t}`)).sort();

  it('with an instance per workload, runs each cell’s trial in its own unit, environments alternating per case', () => {
    const units = schedule(cells, 4, 'interleaved', 7, 'workload');
    expect(units.every((u) => u.cells.length === 1)).toBe(true);
    expect(coverage(units)).toEqual(all);
    // Round 1 of one case is reversed in round 2.
    const caseOf = (u: { cells: number[] }) => (cells[u.cells[0] as number] as PlanCell).workload;
    const round = (t: number) => units.filter((u) => u.trial === t && caseOf(u) === 'cpu').map((u) => u.cells[0]);
    expect(round(2)).toEqual([...round(1)].reverse());
  });

  it('with an instance per trial, runs every workload of one environment in one unit, in an order that varies', () => {
    const units = schedule(cells, 4, 'interleaved', 7, 'trial');
    expect(units).toHaveLength(12);
    expect(coverage(units)).toEqual(all);
    for (const u of units) expect(new Set(u.cells.map((c) => (cells[c] as PlanCell).env)).size).toBe(1);
    const envOf = (u: { cells: number[] }) => (cells[u.cells[0] as number] as PlanCell).env;
    const round = (t: number) => units.filter((u) => u.trial === t).map(envOf);
    expect(round(1)).toHaveLength(3);
    expect(round(2)).toEqual([...round(1)].reverse());
    expect(round(3)).toEqual(round(1));
    const orders = new Set(units.map((u) => u.cells.map((c) => (cells[c] as PlanCell).workload).join(',')));
    expect(orders.size).toBeGreaterThan(1);
  });

  it('is reproducible from its seed', () => {
    expect(schedule(cells, 3, 'interleaved', 5, 'trial')).toEqual(schedule(cells, 3, 'interleaved', 5, 'trial'));
    expect(schedule(cells, 3, 'interleaved', 5, 'trial')).not.toEqual(schedule(cells, 3, 'interleaved', 6, 'trial'));
  });

  it('grouped runs one environment’s trials in a row', () => {
    const units = schedule(cells, 2, 'grouped', 1, 'trial');
    expect(coverage(units)).toEqual(cells.flatMap((_, c) => [1, 2].map((t) => `${c}/${t}`)).sort());
    expect(units.map((u) => (cells[u.cells[0] as number] as PlanCell).env)).toEqual([
      'bare',
      'bare',
      'container',
      'container',
      'vm',
      'vm',
    ]);
  });
});
