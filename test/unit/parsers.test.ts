// Parsers read real captured sysbench 1.0.20 output, and refuse truncated output with a ParseError.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../model/errors.js';
import { cpu } from '../../workloads/cpu.js';
import { fileio } from '../../workloads/fileio.js';
import { memory } from '../../workloads/memory.js';
import { sysbenchVersion } from '../../workloads/sysbench-output.js';
import type { Workload } from '../../workloads/types.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
const host = { llcBytes: 32 * 1024 * 1024, freeMemoryBytes: 8 * 1024 ** 3 };
const values = (w: Workload, text: string, params = w.defaults(false, host)) =>
  Object.fromEntries(w.parse(text, params).map((m) => [m.metric, m.value]));

describe('cpu parser', () => {
  it('reads events/s and latency from real output', () => {
    expect(values(cpu, fixture('sysbench-cpu.txt'))).toEqual({
      events_per_s: 3052.96,
      latency_avg_ms: expect.any(Number),
      latency_p95_ms: expect.any(Number),
    });
    expect(values(cpu, fixture('sysbench-cpu-2threads.txt'))['events_per_s']).toBe(2415.3);
  });
  it('reads the sysbench version', () => {
    expect(sysbenchVersion(fixture('sysbench-cpu.txt'))).toBe('1.0.20');
  });
});

describe('memory parser', () => {
  it('reads MiB/s from real output', () => {
    expect(values(memory, fixture('sysbench-memory-read.txt'))).toEqual({ transfer_MiBps: 9746.64 });
    expect(values(memory, fixture('sysbench-memory-write-rnd.txt'))).toEqual({ transfer_MiBps: 1783.55 });
  });
});

describe('fileio parser', () => {
  const expected: Record<string, Record<string, number>> = {
    seqwr: { written_MiBps: 186.43, write_iops: 11931.82 },
    seqrd: { read_MiBps: 235.25, read_iops: 15055.82 },
    rndrd: { read_MiBps: 257.03, read_iops: 16449.94 },
    rndwr: { written_MiBps: 165.31, write_iops: 10579.84 },
    rndrw: { read_MiBps: 127.36, read_iops: 8150.93, written_MiBps: 84.91, write_iops: 5433.95 },
  };
  for (const [mode, want] of Object.entries(expected)) {
    it(`reads only the metrics that apply to ${mode}`, () => {
      const params = { ...fileio.defaults(false, host), mode };
      expect(values(fileio, fixture(`sysbench-fileio-${mode}.txt`), params)).toEqual(want);
    });
  }
  it('rejects prepare output given as run output', () => {
    expect(() => fileio.parse(fixture('sysbench-fileio-prepare.txt'), fileio.defaults(false, host))).toThrow(
      ParseError,
    );
  });
});

describe('truncated output', () => {
  const cases: [Workload, string, string?][] = [
    [cpu, 'sysbench-cpu'],
    [cpu, 'sysbench-cpu-2threads'],
    [memory, 'sysbench-memory-read'],
    [memory, 'sysbench-memory-write-rnd'],
    ...(['seqwr', 'seqrd', 'rndrd', 'rndwr', 'rndrw'] as const).map((m): [Workload, string, string] => [
      fileio,
      `sysbench-fileio-${m}`,
      m,
    ]),
  ];
  for (const [w, name, mode] of cases) {
    it(`${name}: a truncated copy raises ParseError, never a partial value`, () => {
      const params = { ...w.defaults(false, host), ...(mode ? { mode } : {}) };
      expect(() => w.parse(fixture(`${name}.truncated.txt`), params)).toThrow(ParseError);
      expect(() => w.parse('', params)).toThrow(ParseError);
    });
  }
});
