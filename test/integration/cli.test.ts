// The CLI end to end: fake environments (deterministic), argument errors (exit 2), real bare metal.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXED_COLUMNS } from '../../reports/run/samples-csv.js';
import { isobench, readRun, runDir, tempDir } from '../helpers/cli.js';
import { titled, unmet } from '../helpers/requires.js';
import { analyse } from '../../analysis/verdict-analysis.js';
import { preciseEnough } from '../../analysis/stopping.js';

describe('isobench run with the fake environment', () => {
  it('writes run.json and samples.csv with warm-up and measured rows for every env and workload', async () => {
    const out = tempDir();
    const r = await isobench([
      'run',
      '--env',
      'fake',
      '--engine',
      'fake,slow',
      '--quick',
      '--trials',
      '2',
      '--runs',
      '2',
      '--warmup',
      '1',
      '--seed',
      '7',
      '--out',
      out,
    ]);
    expect(r.stderr).toMatch(/\[1\/12\] fake:/);
    expect(r.code).toBe(0);
    const { record, rows, header } = readRun(runDir(out));
    expect(header.slice(0, FIXED_COLUMNS.length)).toEqual([...FIXED_COLUMNS]);
    const paramCols = header.filter((h) => h.startsWith('param.'));
    expect(paramCols).toEqual([...paramCols].sort());
    expect(record.results).toHaveLength(12);
    expect(record.results.every((t) => t.status === 'completed')).toBe(true);
    expect(record.plan.seed).toBe(7);
    const cpuRows = rows.filter((x) => x['workload'] === 'cpu' && x['metric'] === 'events_per_s');
    // 2 engines × 2 trials × (1 warm-up + 2 measured)
    expect(cpuRows).toHaveLength(12);
    expect(cpuRows.filter((x) => x['phase'] === 'warmup')).toHaveLength(4);
    expect(cpuRows.filter((x) => x['phase'] === 'warmup').every((x) => x['iteration'] === '1')).toBe(true);
    expect(new Set(cpuRows.map((x) => x['engine']))).toEqual(new Set(['fake', 'slow']));
    expect(cpuRows.every((x) => x['param.time'] === '1' && x['param.threads'] === '1')).toBe(true);
    const slow = cpuRows.filter((x) => x['engine'] === 'slow').map((x) => Number(x['value']));
    expect(Math.max(...slow)).toBeLessThan(3000);
    expect(rows.filter((x) => x['workload'] === 'fileio' && x['metric'] === 'read_MiBps')).toHaveLength(12);
    // One instance per engine and trial runs all three workloads: 2 engines × 2 trials startups.
    expect(rows.filter((x) => x['workload'] === 'startup' && x['metric'] === 'startup_ms')).toHaveLength(4);
    expect(
      new Set(rows.filter((x) => x['metric'] === 'startup_ms').map((x) => x['during']?.split(',').sort().join(','))),
    ).toEqual(new Set(['cpu,fileio,memory']));
    expect(r.stdout).toMatch(/events_per_s/);
  });

  it('records a failing trial as errored, keeps the others, and exits 1', async () => {
    const out = tempDir();
    const r = await isobench([
      'run',
      '--env',
      'fake',
      '--engine',
      'fake,broken',
      '--workload',
      'cpu',
      '--quick',
      '--trials',
      '2',
      '--runs',
      '1',
      '--out',
      out,
    ]);
    expect(r.code).toBe(1);
    const { record, rows } = readRun(runDir(out));
    const broken = record.results.filter((t) => t.engine === 'broken');
    expect(broken.map((t) => t.status)).toEqual(['errored', 'errored']);
    const first = broken[0];
    expect(first?.status === 'errored' && first.error.stage).toBe('run');
    expect(first?.status === 'errored' && first.error.message).toMatch(/exited with 1: fake failure/);
    expect(record.results.filter((t) => t.engine === 'fake').every((t) => t.status === 'completed')).toBe(true);
    expect(rows.some((x) => x['engine'] === 'fake' && x['metric'] === 'events_per_s')).toBe(true);
    expect(record.warnings.join('\n')).toMatch(/2 trial\(s\) errored/);
  });
});

describe('isobench run --until-conclusive', () => {
  it('adds rounds for the imprecise cells after the planned trials and records why each cell stopped', async () => {
    const out = tempDir();
    // A margin of 0.5 % is tighter than the fake engines' ±1 % wobble allows at 3 trials.
    const r = await isobench([
      'run',
      '--env',
      'fake',
      '--engine',
      'fake,slow,broken',
      '--workload',
      'cpu,memory',
      '--quick',
      '--trials',
      '3',
      '--runs',
      '2',
      '--warmup',
      '0',
      '--seed',
      '7',
      '--margin',
      '0.5',
      '--until-conclusive',
      '--max-time',
      '2m',
      '--out',
      out,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/until-conclusive: round 1: \d+ imprecise cell/);
    const { record } = readRun(runDir(out));
    const u = record.untilConclusive;
    expect(u?.maxTimeMs).toBe(120_000);
    expect(u?.rounds).toBeGreaterThan(0);
    expect(
      u?.cells.map((c) => `${c.engine} ${c.workload} ${c.reason === 'no-data' ? c.reason : 'judged'}`).sort(),
    ).toEqual(['broken cpu no-data', 'broken memory no-data', 'slow cpu judged', 'slow memory judged']);
    const a = analyse(record);
    for (const c of u?.cells ?? []) {
      const e = a.entries.find(
        (x) => x.stats.envId === `fake:${c.engine}` && x.case.workload === c.workload && x.metric === c.metric,
      );
      const ci = e?.comparison?.ratioCi ?? null;
      expect(c.ratioCi).toEqual(ci);
      if (c.reason !== 'no-data') expect(c.reason === 'precise').toBe(ci !== null && preciseEnough(ci, a.margin));
      if (c.reason === 'no-data') continue;
      // Every added round ran one more trial of the cell's baseline (fake:fake) and of each imprecise cell.
      expect(c.trials).toBeGreaterThan(3);
      expect(c.trials).toBeLessThanOrEqual(3 + (u?.rounds ?? 0));
      expect(c.baselineTrials).toBe(3 + (u?.rounds ?? 0));
    }
    // The broken engine never got a round: its trials all errored in the plan.
    expect(record.results.filter((t) => t.engine === 'broken' && t.trial > 3)).toHaveLength(0);
    expect(readFileSync(join(runDir(out), 'report.html'), 'utf8')).toMatch(/until-conclusive/i);
  });
});

describe('bad input exits 2 naming the bad value and the valid choices', () => {
  it.each([
    [['run', '--env', 'cloud'], /unknown environment 'cloud'; valid choices: .*bare/],
    [['run', '--workload', 'gpu'], /unknown workload 'gpu'; valid choices: cpu, memory, fileio/],
    [['run', '--runs', 'many'], /bad value 'many' for --runs/],
    [['run', '--trials', '0'], /bad value '0' for --trials/],
    [['run', '--order', 'random'], /'random'.*valid choices: interleaved, grouped/],
    [['run', '--instance-per', 'cell'], /'cell'.*valid choices: trial, workload/],
    [['run', '--vm-accel', 'hvf'], /'hvf'.*valid choices: auto, kvm, tcg/],
    [['run', '--memory', 'lots'], /bad value 'lots' for --memory/],
    [['run', '--frobnicate'], /'--frobnicate'.*valid flags: .*--env/],
    [['run', '--set', 'cpu.colour=red'], /'colour'.*valid choices: threads, max-prime, time/],
    [
      ['run', '--workload', 'startup', '--set', 'startup.burst=0'],
      /bad value '0' for startup\.burst: expected a positive integer/,
    ],
    [
      ['run', '--until-conclusive', '--max-time', 'soon'],
      /bad value 'soon' for --max-time: expected a duration such as 90s, 10m or 1h30m/,
    ],
    [['run', '--max-time', '5m'], /--max-time 5m is the time budget of --until-conclusive/],
    [['launch'], /unknown command 'launch'; valid choices: run, list, report/],
    [['report', '/nonexistent/run'], /cannot read '\/nonexistent\/run\/run\.json' \(no such file\)/],
  ])('isobench %j', async (args, message) => {
    const r = await isobench(args);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
  });
});

describe('report on a broken record exits 2 with one line naming the file', () => {
  const fixture = readFileSync(new URL('../fixtures/records/fake-run.json', import.meta.url), 'utf8');
  it.each([
    [
      'a truncated run.json',
      fixture.slice(0, 5000),
      /^isobench: '.*run\.json' is not valid JSON \(.*\); it may be truncated/,
    ],
    [
      'a JSON file that is not a run record',
      '{"name":"isobench"}',
      /^isobench: '.*run\.json' is not an isobench run record/,
    ],
  ])('%s', async (_what, content, message) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'run.json'), content);
    const r = await isobench(['report', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });
});

describe('isobench list', () => {
  it('prints workloads with parameters and environments with probe results', async () => {
    const r = await isobench(['list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/cpu\s+sysbench cpu/);
    expect(r.stdout).toMatch(/fileio\.mode\s+enum \(seqwr\|seqrd\|rndrd\|rndwr\|rndrw\)/);
    expect(r.stdout).toMatch(/bare:host[\s\S]*available \(sysbench 1\.0/);
  });
});

const needs = await unmet(['sysbench']);
describe.skipIf(needs !== null)(titled('real bare-metal run', needs), () => {
  it('measures sysbench cpu on the host and labels it with the binary hash', async () => {
    const out = tempDir();
    const r = await isobench([
      'run',
      '--env',
      'bare',
      '--workload',
      'cpu',
      '--set',
      'cpu.time=1',
      '--trials',
      '1',
      '--runs',
      '2',
      '--warmup',
      '1',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    const { rows } = readRun(runDir(out));
    const measured = rows.filter((x) => x['metric'] === 'events_per_s' && x['phase'] === 'measure');
    expect(measured).toHaveLength(2);
    for (const row of measured) {
      expect(Number(row['value'])).toBeGreaterThan(100);
      expect(row['env']).toBe('bare');
      expect(row['label.sysbench_sha256']).toMatch(/^[0-9a-f]{64}$/);
      expect(row['label.image_digest']).toMatch(/^[0-9a-f]{64}$/);
      expect(row['label.sysbench_version']).toBe('1.0.20');
    }
  });
});
