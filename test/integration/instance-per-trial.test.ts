// One bare-metal instance runs several workload cells of a trial: a failing cell does not stop the
// next, the instance's lifecycle samples are recorded once, and every result says it shared the instance.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runUnit } from '../../bench/run/trial.js';
import { bareRunner } from '../../runners/bare.js';
import { cpu } from '../../workloads/cpu.js';
import type { Workload } from '../../workloads/types.js';
import { testContext } from '../helpers/container.js';
import { titled, unmet } from '../helpers/requires.js';

const needs = await unmet(['sysbench']);
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe.skipIf(needs !== null)(titled('one instance per trial', needs), () => {
  it('runs every cell in one instance; a failing cell is recorded and the next still runs', async () => {
    const ctx = testContext(await mkdtemp(join(tmpdir(), 'isobench-unit-')));
    dirs.push(ctx.scratchRoot);
    const broken: Workload = {
      ...cpu,
      name: 'broken',
      steps: () => ({ run: ['sh', '-c', 'echo disk on fire >&2; exit 3'] }),
    };
    const params = { threads: 1, 'max-prime': 2000, time: 1 };
    const results = await runUnit({
      runner: bareRunner(),
      ctx,
      trial: 2,
      warmup: 0,
      runs: 1,
      labels: { engine_version: 'test' },
      aborted: () => false,
      cells: [
        { cell: { env: 'bare', engine: 'host', workload: 'broken', params }, workload: broken, trialId: 7 },
        { cell: { env: 'bare', engine: 'host', workload: 'cpu', params }, workload: cpu, trialId: 8 },
      ],
    });
    expect(results.map((r) => [r.trialId, r.workload, r.trial, r.status])).toEqual([
      [7, 'broken', 2, 'errored'],
      [8, 'cpu', 2, 'completed'],
    ]);
    const [bad, good] = results;
    if (bad?.status !== 'errored' || good?.status !== 'completed') throw new Error('unexpected statuses');
    expect(bad.error).toMatchObject({ stage: 'run', message: expect.stringContaining('disk on fire') });
    const life = results.flatMap((r) => r.samples.filter((s) => s.kind === 'lifecycle'));
    expect(life.map((s) => s.metric)).toEqual(expect.arrayContaining(['startup_ms', 'teardown_ms']));
    expect(life.every((s) => s.trialId === 7 && s.kind === 'lifecycle' && s.during === 'broken,cpu')).toBe(true);
    expect(good.samples.filter((s) => s.kind === 'workload' && s.metric === 'events_per_s')).toHaveLength(1);
    for (const r of results)
      expect(r.status !== 'skipped' && r.notes[0]).toBe(
        'one instance ran trial 2 of broken,cpu (trialIds 7, 8); its lifecycle samples are in trialId 7',
      );
    // Wall time is split between the cells, not counted twice.
    expect(good.durationMs).toBeGreaterThan(900);
    expect(Date.parse(good.startedAt)).toBeGreaterThanOrEqual(Date.parse(bad.finishedAt));
  });
});
