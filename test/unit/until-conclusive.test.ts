// --until-conclusive's loop on synthetic cells: who gets rounds, why each cell stops, and that the reasons match the final intervals.
import { describe, expect, it } from 'vitest';
import { untilConclusive, type UntilInput } from '../../bench/run/until.js';
import { preciseEnough } from '../../analysis/stopping.js';
import { analyse } from '../../analysis/verdict-analysis.js';
import { rng } from '../../analysis/rng.js';
import { caseKey, envId } from '../../model/ids.js';
import type { PlanCell, RunRecord, Sample, TrialResult } from '../../model/record.js';
import { noisyTrials, syntheticRecord } from '../factories/synthetic.js';

/** Relative noise (log-sd) and true mean of each synthetic engine. */
const CELLS: Record<string, { mean: number; sigma: number }> = {
  'bare:bare': { mean: 1000, sigma: 0.002 },
  'synthetic:quiet': { mean: 950, sigma: 0.002 },
  'synthetic:noisy': { mean: 1000, sigma: 0.03 },
  'synthetic:broken': { mean: 0, sigma: 0 },
};
const TRIAL_MS = 1000;

function setup(seed = 3): {
  record: RunRecord;
  clock: { t: number };
  input: (over?: Partial<UntilInput>) => UntilInput;
} {
  const rand = rng(seed);
  const record = syntheticRecord(
    Object.entries(CELLS).map(([id, c]) => {
      const [env, engine] = id.split(':') as [string, string];
      return { env, engine, workload: 'cpu', trials: c.mean === 0 ? [] : noisyTrials(c.mean, c.sigma, 5, 3, rand) };
    }),
    { seed, marginPct: 2 },
  );
  // The broken cell never measured anything, but it is a plan cell.
  expect(record.plan.cells.map(envId)).toContain('synthetic:broken');
  const clock = { t: 0 };
  const cells = record.plan.cells;
  const runUnit = async (unit: { cells: number[]; trial: number }) => {
    for (const i of unit.cells) {
      const cell = cells[i] as PlanCell;
      const c = CELLS[envId(cell)] as { mean: number; sigma: number };
      const trialId = record.results.length + 1;
      const values = noisyTrials(c.mean, c.sigma, 1, 3, rand)[0] as number[];
      const samples: Sample[] = values.map((value, k) => ({
        metric: 'events_per_s',
        unit: 'events/s',
        value,
        env: cell.env,
        engine: cell.engine,
        workload: 'cpu',
        params: {},
        trial: unit.trial,
        trialId,
        iteration: k + 1,
        phase: 'measure',
        kind: 'workload',
        timestamp: new Date(clock.t).toISOString(),
        labels: {},
      }));
      const r: TrialResult = {
        trialId,
        env: cell.env,
        engine: cell.engine,
        workload: 'cpu',
        params: {},
        trial: unit.trial,
        status: 'completed',
        startedAt: '',
        finishedAt: '',
        durationMs: TRIAL_MS,
        samples,
        notes: [],
      };
      record.results.push(r);
      clock.t += TRIAL_MS;
    }
  };
  const input = (over: Partial<UntilInput> = {}): UntilInput => ({
    record,
    cells,
    candidates: cells.map((_, i) => i),
    settings: { maxTimeMs: 3_600_000, maxRounds: 30 },
    order: 'interleaved',
    seed,
    instancePer: 'workload',
    runUnit,
    planned: () => {},
    aborted: () => false,
    log: () => {},
    now: () => clock.t,
    ...over,
  });
  return { record, clock, input };
}

/** Measured trials of a cell in the record. */
function trialsOf(record: RunRecord, cell: PlanCell): number {
  return new Set(
    record.results
      .filter(
        (r) =>
          r.env === cell.env &&
          r.engine === cell.engine &&
          caseKey(r.workload, r.params) === caseKey(cell.workload, cell.params) &&
          r.samples.length > 0,
      )
      .map((r) => r.trialId),
  ).size;
}

/** Every stop reason agrees with the cell's final interval, recomputed from the record. */
function expectReasonsMatch(record: RunRecord, stops: Awaited<ReturnType<typeof untilConclusive>>): void {
  const a = analyse(record);
  for (const s of stops.cells) {
    const entry = a.entries.find((e) => e.stats.envId === envId(s) && e.metric === s.metric);
    const ci = entry?.comparison?.ratioCi ?? null;
    expect(s.ratioCi).toEqual(ci);
    expect(s.trials).toBe(trialsOf(record, s));
    if (s.reason === 'precise') expect(ci !== null && preciseEnough(ci, a.margin)).toBe(true);
    else if (s.reason !== 'no-data') expect(ci !== null && preciseEnough(ci, a.margin)).toBe(false);
  }
}

describe('--until-conclusive rounds', () => {
  it('adds trials only to imprecise cells and their baseline, and says why each stopped', async () => {
    const { record, input } = setup();
    const out = await untilConclusive(input());
    const by = (engine: string) => out.cells.find((c) => c.engine === engine);
    expect(by('quiet')?.reason).toBe('precise');
    expect(by('quiet')?.trials).toBe(5);
    expect(by('broken')?.reason).toBe('no-data');
    expect(by('broken')?.trials).toBe(0);
    // 3 % noise against a 2 % margin needs many more trials than 5.
    expect(out.rounds).toBeGreaterThan(0);
    expect(by('noisy')?.trials).toBe(5 + out.rounds);
    expect(trialsOf(record, record.plan.cells[0] as PlanCell)).toBe(5 + out.rounds);
    expect(['precise', 'max-rounds']).toContain(by('noisy')?.reason);
    expect(out.cells.map((c) => c.engine).sort()).toEqual(['broken', 'noisy', 'quiet']);
    expectReasonsMatch(record, out);
  });

  it('never starts a round that does not fit in the time budget', async () => {
    const { record, clock, input } = setup();
    // A round is the noisy cell and its baseline: 2 s. 5 s of budget fit two rounds, not a third.
    const out = await untilConclusive(input({ settings: { maxTimeMs: 5000, maxRounds: 30 } }));
    expect(out.rounds).toBe(2);
    expect(clock.t).toBe(4000);
    expect(out.cells.find((c) => c.engine === 'noisy')?.reason).toBe('budget');
    expectReasonsMatch(record, out);
  });

  it('stops at the round limit', async () => {
    const { record, input } = setup();
    const out = await untilConclusive(input({ settings: { maxTimeMs: 3_600_000, maxRounds: 1 } }));
    expect(out.rounds).toBe(1);
    expect(out.cells.find((c) => c.engine === 'noisy')?.reason).toBe('max-rounds');
    expectReasonsMatch(record, out);
  });

  it('stops on a signal and says so, keeping the trials already run', async () => {
    const { record, input } = setup();
    let units = 0;
    const base = input();
    const out = await untilConclusive({
      ...base,
      runUnit: async (u) => {
        units++;
        await base.runUnit(u);
      },
      aborted: () => units >= 1,
    });
    expect(units).toBe(1);
    expect(out.cells.find((c) => c.engine === 'noisy')?.reason).toBe('interrupted');
    expect(out.cells.find((c) => c.engine === 'quiet')?.reason).toBe('precise');
    expect(record.results.length).toBe(5 * 3 + 1);
  });
});
