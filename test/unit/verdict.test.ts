// Verdict rules, direction of change per metric, and the analysis of synthetic records.
import { describe, expect, it } from 'vitest';
import { changeInterval, changeOf, verdict } from '../../analysis/verdict.js';
import { directionWords, verdictText, verdictWords } from '../../reports/shared/verdict-text.js';
import { analyse } from '../../analysis/verdict-analysis.js';
import { emulationOf } from '../../analysis/emulation.js';
import { parseRunRecord } from '../../model/schema.js';
import { syntheticRecord } from '../factories/synthetic.js';
import { answers } from '../../reports/run/answer.js';

const trials = { base: 10, env: 10 };
const quantity = 'rate' as const;

describe('verdict', () => {
  it('equivalent when the whole interval lies inside the margin', () => {
    const v = verdict({ change: 0.005, interval: { lo: -0.01, hi: 0.015 }, margin: 0.02, trials, quantity });
    expect(v).toEqual({ kind: 'equivalent', margin: 0.02 });
    expect(verdictWords(v)).toBe('equivalent within ±2.0 %');
  });
  it('worse / better when the interval excludes zero', () => {
    const worse = verdict({ change: 0.1, interval: { lo: 0.094, hi: 0.106 }, margin: 0.02, trials, quantity });
    expect(worse).toEqual({ kind: 'worse', change: 0.1, interval: { lo: 0.094, hi: 0.106 }, quantity: 'rate' });
    const better = verdict({
      change: -0.05,
      interval: { lo: -0.07, hi: -0.03 },
      margin: 0.02,
      trials,
      quantity: 'time',
    });
    expect(better).toEqual({ kind: 'better', change: -0.05, interval: { lo: -0.07, hi: -0.03 }, quantity: 'time' });
    expect(verdict({ change: 0.015, interval: { lo: 0.005, hi: 0.025 }, margin: 0.02, trials, quantity }).kind).toBe(
      'worse',
    );
  });
  it('inconclusive when the interval contains zero but reaches past the margin, or with < 3 trials', () => {
    expect(verdict({ change: 0.01, interval: { lo: -0.03, hi: 0.05 }, margin: 0.02, trials, quantity })).toEqual({
      kind: 'inconclusive',
      reason: 'too-noisy',
      interval: { lo: -0.03, hi: 0.05 },
      margin: 0.02,
    });
    expect(
      verdict({ change: 0.5, interval: { lo: 0.4, hi: 0.6 }, margin: 0.02, trials: { base: 2, env: 10 }, quantity }),
    ).toEqual({ kind: 'inconclusive', reason: 'too-few-trials', trials: { base: 2, env: 10 }, minTrials: 3 });
    expect(verdict({ change: 0.5, interval: null, margin: 0.02, trials, quantity })).toMatchObject({
      kind: 'inconclusive',
      reason: 'too-few-trials',
    });
    expect(verdict({ change: 0.5, interval: { lo: 0.1, hi: Infinity }, margin: 0.02, trials, quantity })).toEqual({
      kind: 'inconclusive',
      reason: 'no-finite-interval',
    });
  });
});

describe('verdict text', () => {
  it("words a change in the metric's own sense: slower/faster for rates and times, larger/smaller for sizes", () => {
    expect(verdictWords({ kind: 'worse', change: 0.1, interval: { lo: 0.094, hi: 0.106 }, quantity: 'rate' })).toBe(
      'slower by 10.0 % [9.4, 10.6]',
    );
    expect(verdictWords({ kind: 'better', change: -0.05, interval: { lo: -0.07, hi: -0.03 }, quantity: 'time' })).toBe(
      'faster by 5.0 % [3.0, 7.0]',
    );
    expect(verdictWords({ kind: 'worse', change: 0.2, interval: { lo: 0.1, hi: 0.3 }, quantity: 'size' })).toBe(
      'larger by 20.0 % [10.0, 30.0]',
    );
    expect(verdictWords({ kind: 'better', change: -0.2, interval: { lo: -0.3, hi: -0.1 }, quantity: 'size' })).toBe(
      'smaller by 20.0 % [10.0, 30.0]',
    );
  });
  it('says why a verdict is inconclusive or missing', () => {
    expect(
      verdictWords({ kind: 'inconclusive', reason: 'too-noisy', interval: { lo: -0.03, hi: 0.05 }, margin: 0.02 }),
    ).toBe('inconclusive: too noisy (-3.0 … +5.0 % straddles ±2.0 %)');
    expect(
      verdictWords({ kind: 'inconclusive', reason: 'too-few-trials', trials: { base: 2, env: 10 }, minTrials: 3 }),
    ).toBe('inconclusive: too few trials (2 < 3)');
    expect(verdictWords({ kind: 'inconclusive', reason: 'no-finite-interval' })).toBe(
      'inconclusive: no finite interval',
    );
    expect(verdictWords({ kind: 'no-data', reason: 'no-trials' })).toBe('no measured trials');
    expect(verdictWords({ kind: 'no-data', reason: 'baseline-no-trials' })).toBe('baseline: no measured trials');
    expect(verdictWords({ kind: 'no-data', reason: 'no-baseline-data' })).toBe('no baseline data to compare with');
    expect(verdictWords({ kind: 'no-data', reason: 'baseline-zero' })).toBe('baseline median is 0: no ratio');
    expect(verdictWords({ kind: 'baseline' })).toBe('baseline');
  });
  it('appends each caveat once, after the verdict', () => {
    const v = { kind: 'equivalent', margin: 0.02 } as const;
    expect(verdictText({ verdict: v, caveats: [] })).toBe('equivalent within ±2.0 %');
    const note = 'TCG software emulation: not representative of KVM';
    const both = [
      { kind: 'emulation', env: 'vm:a', note },
      { kind: 'emulation', env: 'vm:b', note },
    ] as const;
    expect(verdictText({ verdict: v, caveats: both })).toBe(`equivalent within ±2.0 % — ${note}`);
  });
});

describe('direction of change', () => {
  it('throughput: 0.9× is 10 % slower; time: 1.1× is 10 % slower', () => {
    expect(changeOf(0.9, 'higher')).toBeCloseTo(0.1);
    expect(changeOf(1.1, 'lower')).toBeCloseTo(0.1);
    expect(changeInterval({ lo: 0.8, hi: 0.9 }, 'higher')).toEqual({
      lo: expect.closeTo(0.1) as number,
      hi: expect.closeTo(0.2) as number,
    });
    expect(directionWords('rate')).toEqual({ worse: 'slower', better: 'faster' });
    expect(directionWords('time')).toEqual({ worse: 'slower', better: 'faster' });
    expect(directionWords('size')).toEqual({ worse: 'larger', better: 'smaller' });
  });
});

describe('analyse', () => {
  const base = [
    [1000, 1001, 999],
    [1002, 1000, 998],
    [999, 1001, 1000],
    [1000, 1000, 1000],
  ];
  const slow = base.map((t) => t.map((v) => v * 0.8));
  it('prefers bare metal as baseline, ignores warm-ups and compares per-trial medians', () => {
    const rec = syntheticRecord([
      { env: 'synthetic', engine: 'slow', workload: 'cpu', trials: slow, warmup: [1] },
      { env: 'bare', engine: 'host', workload: 'cpu', trials: base, warmup: [1e9] },
    ]);
    const a = analyse(rec);
    expect(a.baselineId).toBe('bare:host');
    expect(a.baselineNote).toBeNull();
    const [b, s] = a.entries;
    expect(b?.isBaseline).toBe(true);
    expect(b?.stats.summary.max).toBe(1002);
    expect(b?.stats.summary.n).toBe(12);
    expect(s?.stats.summary.trials).toBe(4);
    expect(s?.comparison?.ratio).toBeCloseTo(0.8);
    expect(s?.verdict).toMatchObject({ kind: 'worse', change: expect.closeTo(0.2) as number, quantity: 'rate' });
    expect(s?.caveats).toEqual([]);
    expect(s && verdictText(s)).toMatch(/^slower by 20\.0 %/);
  });
  it('uses the first environment of the plan when bare metal is absent, and says so', () => {
    const a = analyse(
      syntheticRecord([
        { env: 'synthetic', engine: 'a', workload: 'cpu', trials: base },
        { env: 'synthetic', engine: 'b', workload: 'cpu', trials: base },
      ]),
    );
    expect(a.baselineId).toBe('synthetic:a');
    expect(a.baselineNote).toMatch(/no bare-metal environment .* first environment of the plan/);
    expect(a.entries[1]?.verdict).toEqual({ kind: 'equivalent', margin: 0.02 });
  });
  it('reads lower-is-better metrics the other way round and honours the margin option', () => {
    const ms = base.map((t) => t.map((v) => v / 100));
    const a = analyse(
      syntheticRecord(
        [
          { env: 'bare', engine: 'host', workload: 'cpu', metric: 'latency_avg_ms', trials: ms },
          {
            env: 'synthetic',
            engine: 'fast',
            workload: 'cpu',
            metric: 'latency_avg_ms',
            trials: ms.map((t) => t.map((v) => v * 0.5)),
          },
        ],
        { marginPct: 5 },
      ),
    );
    expect(a.margin).toBeCloseTo(0.05);
    const fast = a.entries[1];
    expect(fast?.verdict).toMatchObject({ kind: 'better', change: expect.closeTo(-0.5) as number, quantity: 'time' });
    expect(fast && verdictText(fast)).toMatch(/^faster by 50\.0 %/);
  });
});

describe('emulated environments', () => {
  const rows = (v: number) => Array.from({ length: 5 }, () => [v, v, v]);
  const params = { threads: 1, 'max-prime': 10000 };
  const note = 'software emulation: not representative';
  it('are known from their probe, never from sample labels', () => {
    const record = syntheticRecord([
      { env: 'bare', engine: 'host', workload: 'cpu', params, trials: rows(1000) },
      { env: 'guest', engine: 'emu', workload: 'cpu', params, trials: rows(120), emulation: { note } },
      {
        env: 'box',
        engine: 'x',
        workload: 'cpu',
        params,
        trials: rows(500),
        labels: { emulated: 'true', emulation_note: 'a label only' },
      },
    ]);
    expect(emulationOf(record, 'guest:emu')).toEqual({ note });
    expect(emulationOf(record, 'box:x')).toBeNull();
    expect(emulationOf(record, 'bare:host')).toBeNull();
    expect(emulationOf(record, 'never:probed')).toBeNull();
    const a = analyse(record);
    expect(a.entries.find((e) => e.stats.envId === 'guest:emu')?.stats.emulation).toEqual({ note });
    expect(a.entries.find((e) => e.stats.envId === 'box:x')?.stats.emulation).toBeNull();
  });
  it('survive the record round trip through run.json', () => {
    const record = syntheticRecord([
      { env: 'bare', engine: 'host', workload: 'cpu', params, trials: rows(1000) },
      { env: 'guest', engine: 'emu', workload: 'cpu', params, trials: rows(120), emulation: { note } },
    ]);
    const read = parseRunRecord(JSON.stringify(record), 'synthetic/run.json');
    expect(read.probes.map((p) => [p.id, p.emulation])).toEqual([
      ['bare:host', null],
      ['guest:emu', { note }],
    ]);
  });
  it('carry their caveat into the verdict text and the answer sentence', () => {
    const record = syntheticRecord([
      { env: 'bare', engine: 'host', workload: 'cpu', params, trials: rows(1000) },
      { env: 'guest', engine: 'emu', workload: 'cpu', params, trials: rows(120), emulation: { note } },
      { env: 'box', engine: 'x', workload: 'cpu', params, trials: rows(500) },
    ]);
    const a = analyse(record);
    const emu = a.entries.find((e) => e.stats.envId === 'guest:emu' && e.metric === 'events_per_s');
    const plain = a.entries.find((e) => e.stats.envId === 'box:x' && e.metric === 'events_per_s');
    expect(emu?.verdict.kind).toBe('worse');
    expect(emu?.caveats).toEqual([{ kind: 'emulation', env: 'guest:emu', note }]);
    expect(plain?.caveats).toEqual([]);
    expect(emu && verdictText(emu)).toMatch(/^slower by 88\.0 % .* — software emulation: not representative$/);
    expect(plain && verdictText(plain)).not.toMatch(/emulation/);
    expect(answers(a).find((s) => s.includes('guest:emu'))).toMatch(
      /costs 88\.0 % .* — software emulation: not representative\.$/,
    );
  });
});
