// Run warnings: each condition on a synthetic record produces one warning, as data (kind, cell, finding, advice) and as the sentence reports show.
import { describe, expect, it } from 'vitest';
import { runWarnings, type Warning } from '../../analysis/warnings.js';
import { primeLoopIterations } from '../../workloads/cpu.js';
import { warningText } from '../../reports/shared/warning-text.js';
import { rng } from '../../analysis/rng.js';
import { noisyTrials, syntheticRecord, type SynthCell } from '../factories/synthetic.js';

const steady = (v: number, n = 5) =>
  Array.from({ length: n }, (_, i) => [v * (1 + 0.001 * (i % 3)), v, v * (1 - 0.001 * (i % 2))]);
const bare = (over: Partial<SynthCell> = {}): SynthCell => ({
  env: 'bare',
  engine: 'host',
  workload: 'cpu',
  params: { threads: 1, 'max-prime': 10000 },
  trials: steady(1000),
  ...over,
});
const other = (over: Partial<SynthCell> = {}): SynthCell => ({
  env: 'synthetic',
  engine: 'x',
  workload: 'cpu',
  params: { threads: 1, 'max-prime': 10000 },
  trials: steady(990),
  ...over,
});
const find = (ws: Warning[], re: RegExp) => ws.map(warningText).filter((w) => re.test(w));

describe('runWarnings', () => {
  it('is quiet for a clean run', () => {
    expect(runWarnings(syntheticRecord([bare(), other()]))).toEqual([]);
  });
  it('flags CV above 5 % with advice', () => {
    const ws = runWarnings(syntheticRecord([bare(), other({ trials: noisyTrials(1000, 0.15, 5, 3, rng(1)) })]));
    expect(find(ws, /cpu on synthetic:x: CV above 5\.0 % .*--pin.*--trials/)).toHaveLength(1);
    expect(ws.filter((w) => w.kind === 'noise')).toEqual([
      expect.objectContaining({
        caseLabel: 'cpu',
        env: 'synthetic:x',
        finding: expect.stringMatching(/^CV above 5\.0 % \(events_per_s /) as string,
      }),
    ]);
  });
  it('flags fewer than 3 measured trials', () => {
    const ws = runWarnings(syntheticRecord([bare(), other({ trials: steady(990, 2) })]));
    expect(find(ws, /cpu on synthetic:x: 2 measured trial\(s\), fewer than 3.*--trials/)).toHaveLength(1);
  });
  it('flags a first trial far from the rest', () => {
    const trials = steady(990);
    trials[0] = [700, 710, 705];
    const ws = runWarnings(syntheticRecord([bare(), other({ trials })]));
    expect(
      find(ws, /cpu on synthetic:x: the first trial is far from the others \(events_per_s -28\.\d %.*--warmup/),
    ).toHaveLength(1);
    expect(ws.filter((w) => w.kind === 'settling').map((w) => [w.caseLabel, w.env])).toEqual([['cpu', 'synthetic:x']]);
  });
  it('flags emulation from the probe, whatever the environment is called, and not from sample labels', () => {
    const ws = runWarnings(syntheticRecord([bare(), other({ emulation: { note: 'emulated' } })]));
    expect(find(ws, /synthetic:x ran emulated \(TCG\): not representative of KVM/)).toHaveLength(1);
    expect(ws).toEqual([
      expect.objectContaining({
        kind: 'emulation',
        caseLabel: null,
        env: 'synthetic:x',
        advice: expect.stringContaining('--vm-accel kvm') as string,
      }),
    ]);
    expect(runWarnings(syntheticRecord([bare(), other({ labels: { emulated: 'true' } })]))).toEqual([]);
  });
  it('flags parity mismatches between isolated environments, not against the baseline', () => {
    const ok = runWarnings(
      syntheticRecord([
        bare({ labels: { effective_cpus: '8' } }),
        other({ labels: { effective_cpus: '2' } }),
        other({ engine: 'y', labels: { effective_cpus: '2' } }),
      ]),
    );
    expect(find(ok, /Parity/)).toEqual([]);
    const ws = runWarnings(
      syntheticRecord([
        bare(),
        other({ labels: { effective_cpus: '2', effective_memory_MiB: '2048' } }),
        other({ engine: 'y', labels: { effective_cpus: '4', effective_memory_MiB: '2048' } }),
      ]),
    );
    expect(find(ws, /Parity mismatch .*effective_cpus differs \(synthetic:x=2, synthetic:y=4\).*--cpus/)).toHaveLength(
      1,
    );
    expect(find(ws, /effective_memory_MiB/)).toEqual([]);
    const close = runWarnings(
      syntheticRecord([
        bare(),
        other({ labels: { effective_memory_MiB: '2048' } }),
        other({ engine: 'y', labels: { effective_memory_MiB: '1985' } }),
      ]),
    );
    expect(find(close, /Parity/)).toEqual([]);
    const far = runWarnings(
      syntheticRecord([
        bare(),
        other({ labels: { effective_memory_MiB: '2048' } }),
        other({ engine: 'y', labels: { effective_memory_MiB: '1024' } }),
      ]),
    );
    expect(find(far, /effective_memory_MiB differs \(synthetic:x=2048, synthetic:y=1024\)/)).toHaveLength(1);
  });
  it('flags a memory block within the LLC', () => {
    const mem = { workload: 'memory', metric: 'transfer_MiBps', params: { 'block-size': '1K' } };
    const ws = runWarnings(syntheticRecord([bare(mem), other(mem)]));
    expect(
      find(ws, /memory: block-size 1K is within the host's last-level cache \(32 MiB\).*block-size=64M/),
    ).toHaveLength(1);
    expect(ws.filter((w) => w.kind === 'trap').map((w) => [w.caseLabel, w.env])).toEqual([['memory', null]]);
  });
  it('flags buffered fileio on files smaller than RAM', () => {
    const io = { workload: 'fileio', metric: 'read_MiBps', params: { direct: false, 'file-total-size': '256M' } };
    const ws = runWarnings(syntheticRecord([bare(io), other(io)]));
    expect(
      find(
        ws,
        /fileio: without direct I\/O on 256 MiB of files, less than this host's 16\.0 GiB of RAM, it measures the page cache/,
      ),
    ).toHaveLength(1);
    expect(
      runWarnings(syntheticRecord([bare({ ...io, params: { direct: true, 'file-total-size': '256M' } })])),
    ).toEqual([]);
  });
  it('flags cpu events/s beyond the physical ceiling or far above bare metal', () => {
    expect(primeLoopIterations(10000)).toBe(117526);
    const impossible = runWarnings(syntheticRecord([bare(), other({ trials: steady(90000) })]));
    expect(
      find(
        impossible,
        /^cpu on synthetic:x: 90\d\d\d events\/s per thread is physically implausible for max-prime 10000 \(ceiling 51053/,
      ),
    ).toHaveLength(1);
    expect(impossible.filter((w) => w.kind === 'trap').map((w) => [w.caseLabel, w.env])).toEqual([
      ['cpu', 'synthetic:x'],
    ]);
    const above = runWarnings(syntheticRecord([bare(), other({ trials: steady(1500) })]));
    expect(find(above, /synthetic:x: events\/s is 50\.0 % above bare:host.*clock/)).toHaveLength(1);
  });
  it('says when there is no bare-metal baseline', () => {
    const ws = runWarnings(syntheticRecord([other(), other({ engine: 'y' })]));
    expect(find(ws, /^Baseline: .*synthetic:x.*--env bare/)).toHaveLength(1);
    expect(ws).toEqual([expect.objectContaining({ kind: 'run', caseLabel: null, env: null })]);
  });
  it('renders a warning as <case>[ on <env>]: <finding> <advice>, or its finding alone', () => {
    expect(warningText({ kind: 'noise', caseLabel: 'cpu', env: 'vm:qemu', finding: 'noisy.', advice: 'Pin.' })).toBe(
      'cpu on vm:qemu: noisy. Pin.',
    );
    expect(warningText({ kind: 'trap', caseLabel: 'memory', env: null, finding: 'cache.', advice: 'Grow.' })).toBe(
      'memory: cache. Grow.',
    );
    expect(
      warningText({ kind: 'run', caseLabel: null, env: 'vm:qemu', finding: 'vm:qemu was unavailable.', advice: null }),
    ).toBe('vm:qemu was unavailable.');
  });
});
