// sysbench report layouts by version: 1.0.7 (no cpu rate), 1.0.20, the 1.1 development branch, and unsupported ones.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../model/errors.js';
import { cpu, eventsPerSecond } from '../../workloads/cpu.js';
import { fileio } from '../../workloads/fileio.js';
import { memory } from '../../workloads/memory.js';
import { reportLayout, sysbenchVersion } from '../../workloads/sysbench-output.js';
import type { Workload } from '../../workloads/types.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
const host = { llcBytes: 32 * 1024 * 1024, freeMemoryBytes: 8 * 1024 ** 3 };
const values = (w: Workload, text: string, params = w.defaults(false, host)) =>
  Object.fromEntries(w.parse(text, params).map((m) => [m.metric, m.value]));
const thrown = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(ParseError);
    return (err as Error).message;
  }
  throw new Error('expected a ParseError');
};

describe('sysbench 1.0.7 (reconstructed from source)', () => {
  it('cpu: derives events/s from total events ÷ total time, as later versions print it', () => {
    const text = fixture('sysbench-1.0.7-cpu.reconstructed.txt');
    expect(text).not.toMatch(/events per second/);
    expect(reportLayout(text)).toBe('1.0');
    expect(values(cpu, text)).toEqual({ events_per_s: 9083 / 10.0008, latency_avg_ms: 1.1, latency_p95_ms: 1.34 });
    expect(sysbenchVersion(text)).toBe('1.0.7');
  });
  it('memory and fileio read the same labels as 1.0.20', () => {
    expect(values(memory, fixture('sysbench-1.0.7-memory.reconstructed.txt'))).toEqual({ transfer_MiBps: 9733.23 });
    expect(values(fileio, fixture('sysbench-1.0.7-fileio-rndrw.reconstructed.txt'))).toEqual({
      read_MiBps: 127.34,
      read_iops: 8149.86,
      written_MiBps: 84.89,
      write_iops: 5433.27,
    });
  });
});

describe('sysbench 1.1 development branch (reconstructed from source)', () => {
  it('cpu: reads "events per second" next to the Throughput/eps block', () => {
    const text = fixture('sysbench-1.1-cpu.reconstructed.txt');
    expect(reportLayout(text)).toBe('1.1');
    expect(values(cpu, text)).toEqual({ events_per_s: 3051.08, latency_avg_ms: 0.33, latency_p95_ms: 0.34 });
  });
  it('cpu: falls back to "events/s (eps)" when "CPU speed" is missing', () => {
    const text = fixture('sysbench-1.1-cpu.reconstructed.txt').replace(/CPU speed:\n.*\n/, '');
    expect(eventsPerSecond(text)).toBe(3051.078);
  });
  it('memory: MiB/sec without "General statistics"', () => {
    expect(values(memory, fixture('sysbench-1.1-memory.reconstructed.txt'))).toEqual({ transfer_MiBps: 9790.92 });
  });
  it('fileio: IOPS and MiB/s from "read: IOPS=… MiB/s (… MB/s)" lines; no fairness block needed', () => {
    const text = fixture('sysbench-1.1-fileio-rndrw.reconstructed.txt');
    expect(reportLayout(text)).toBe('1.1');
    expect(values(fileio, text)).toEqual({
      read_MiBps: 128.3,
      read_iops: 8211.45,
      written_MiBps: 85.53,
      write_iops: 5474.24,
    });
    const rd = { ...fileio.defaults(false, host), mode: 'rndrd' };
    expect(values(fileio, text, rd)).toEqual({ read_MiBps: 128.3, read_iops: 8211.45 });
  });
  it('a 1.1 report cut short is incomplete, not unsupported', () => {
    for (const name of ['sysbench-1.1-cpu', 'sysbench-1.1-memory', 'sysbench-1.1-fileio-rndrw']) {
      const text = fixture(`${name}.reconstructed.txt`);
      const cut = text.slice(0, text.indexOf('Latency (ms):') + 40);
      expect(thrown(() => reportLayout(cut))).toMatch(/incomplete/);
    }
  });
});

describe('outputs isobench cannot read', () => {
  it('a complete report in another layout is "unsupported sysbench output format", not "incomplete"', () => {
    const old = [
      'sysbench 0.4.12:  multi-threaded system evaluation benchmark',
      '',
      'Test execution summary:',
      '    total time:                          10.0006s',
      '    total number of events:              10000',
      '    per-request statistics:',
      '         min:                                  0.96ms',
      '',
      'Threads fairness:',
      '    events (avg/stddev):           10000.0000/0.00',
      '    execution time (avg/stddev):   9.9952/0.00',
      '',
    ].join('\n');
    expect(thrown(() => cpu.parse(old, cpu.defaults(false, host)))).toMatch(
      /^unsupported sysbench output format \(sysbench 0\.4\.12\): .*1\.0\.x and 1\.1/,
    );
    const renamed = fixture('sysbench-cpu.txt').replace('General statistics:', 'Overall statistics:');
    expect(thrown(() => cpu.parse(renamed, cpu.defaults(false, host)))).toMatch(
      /^unsupported sysbench output format \(sysbench 1\.0\.20\)/,
    );
  });
  it('a report cut in the last line is incomplete (no half-read value)', () => {
    const text = fixture('sysbench-1.0.7-cpu.reconstructed.txt');
    const sum = text.indexOf('9995.18');
    expect(thrown(() => cpu.parse(text.slice(0, sum + 5), cpu.defaults(false, host)))).toMatch(/incomplete/);
    expect(values(cpu, text.slice(0, sum + 8))['events_per_s']).toBe(9083 / 10.0008); // the sum line complete: every value is there
    expect(
      thrown(() => cpu.parse(text.slice(0, text.indexOf('total number of events:') + 42), cpu.defaults(false, host))),
    ).toMatch(/incomplete/);
  });
});
