// Workload commands and defaults: memory blocks exceed the LLC; fileio prepares and cleans up.
import { describe, expect, it } from 'vitest';
import { blockAboveCache, memory } from '../../workloads/memory.js';
import { fileio } from '../../workloads/fileio.js';
import { parseSize } from '../../lib/sizes.js';
import { cpu } from '../../workloads/cpu.js';
import { applyProfiles, paramMatrix, parseOverrides } from '../../bench/params.js';
import { WORKLOADS } from '../../workloads/index.js';
import { ConfigError } from '../../model/errors.js';

const host = { llcBytes: 32 * 1024 * 1024, freeMemoryBytes: 8 * 1024 ** 3 };

describe('memory defaults', () => {
  it('picks a block at least twice the last-level cache', () => {
    expect(blockAboveCache({ llcBytes: 32 * 1024 ** 2, freeMemoryBytes: null })).toBe('64M');
    expect(blockAboveCache({ llcBytes: 6 * 1024 ** 2, freeMemoryBytes: null })).toBe('16M');
    expect(parseSize(String(memory.defaults(false, host)['block-size']))).toBeGreaterThan(host.llcBytes);
  });
});

describe('commands', () => {
  it('cpu is time-bounded with the given options', () => {
    expect(cpu.steps(cpu.defaults(true, host)).run).toEqual([
      'sysbench',
      'cpu',
      '--threads=1',
      '--cpu-max-prime=10000',
      '--time=1',
      'run',
    ]);
  });
  it('fileio prepares, runs with O_DIRECT by default, and cleans up', () => {
    const s = fileio.steps(fileio.defaults(true, host));
    expect(s.prepare?.at(-1)).toBe('prepare');
    expect(s.cleanup?.at(-1)).toBe('cleanup');
    expect(s.run).toContain('--file-extra-flags=direct');
    expect(s.run).toContain('--file-block-size=16384');
    expect(fileio.scratchMiB(fileio.defaults(true, host))).toBe(64);
    expect(s.run).toContain('--file-io-mode=sync');
    expect(s.run.some((a) => a.startsWith('--file-async-backlog'))).toBe(false);
  });
  it('fileio runs asynchronous IO at the given backlog, and says so in its method', () => {
    const p = { ...fileio.defaults(true, host), ...fileio.profiles?.['felter-fio']?.params };
    expect(fileio.steps(p).run).toEqual(
      expect.arrayContaining([
        '--file-io-mode=async',
        '--file-async-backlog=16',
        '--threads=8',
        '--file-block-size=4096',
        '--file-extra-flags=direct',
      ]),
    );
    expect(fileio.method(p)).toEqual({
      tool: 'sysbench fileio rndrw',
      threads: 8,
      ioDepth: 128,
      blockBytes: 4096,
      ioMode: 'async',
      direct: true,
    });
    expect(fileio.method(fileio.defaults(true, host))).toMatchObject({ ioDepth: 1, blockBytes: 16384, ioMode: 'sync' });
    expect(fileio.method({ ...fileio.defaults(true, host), 'io-mode': 'async' }).ioDepth).toBe(128);
  });
});

describe('--set overrides', () => {
  it('builds the cartesian matrix', () => {
    const o = parseOverrides(['cpu.threads=1,2', 'cpu.max-prime=5000,20000'], WORKLOADS);
    const sets = paramMatrix(cpu.defaults(true, host), o.get('cpu'));
    expect(sets).toHaveLength(4);
    expect(sets.map((s) => `${String(s['threads'])}/${String(s['max-prime'])}`)).toEqual([
      '1/5000',
      '1/20000',
      '2/5000',
      '2/20000',
    ]);
  });
  it.each([
    ['cpu.threads=0', /cpu.threads/],
    ['cpu.bogus=1', /bogus.*valid choices: threads, max-prime, time/],
    ['nope.threads=1', /nope.*valid choices: cpu, memory, fileio/],
    ['fileio.mode=sideways', /sideways.*seqwr, seqrd, rndrd, rndwr, rndrw/],
    ['fileio.direct=maybe', /maybe.*true, false/],
    ['memory.block-size=lots', /lots/],
    ['garbage', /workload.param=value/],
  ])('rejects %s naming the bad value and the choices', (set, msg) => {
    expect(() => parseOverrides([set], WORKLOADS)).toThrow(ConfigError);
    expect(() => parseOverrides([set], WORKLOADS)).toThrow(msg);
  });
});

describe('traps each workload declares', () => {
  const hostFacts = { llcBytes: 32 * 1024 ** 2, memoryBytes: 16 * 1024 ** 3 };
  const stats = (max: number, vsBaseline: { ratio: number; baselineId: string } | null = null) => ({
    trials: 5,
    max,
    vsBaseline,
  });
  it('memory: a block within the last-level cache, not one above it', () => {
    expect(memory.traps({ params: { 'block-size': '1M' }, host: hostFacts, envs: [] })).toEqual([
      {
        env: null,
        finding: expect.stringContaining('block-size 1M is within') as string,
        advice: expect.stringContaining('memory.block-size=64M') as string,
      },
    ]);
    expect(memory.traps({ params: { 'block-size': '64M' }, host: hostFacts, envs: [] })).toEqual([]);
    expect(memory.traps({ params: { 'block-size': '1M' }, host: { ...hostFacts, llcBytes: null }, envs: [] })).toEqual(
      [],
    );
  });
  it('fileio: buffered files smaller than RAM, not direct IO or files larger than RAM', () => {
    expect(
      fileio.traps({ params: { direct: false, 'file-total-size': '256M' }, host: hostFacts, envs: [] }),
    ).toHaveLength(1);
    expect(fileio.traps({ params: { direct: true, 'file-total-size': '256M' }, host: hostFacts, envs: [] })).toEqual(
      [],
    );
    expect(fileio.traps({ params: { direct: 'false', 'file-total-size': '32G' }, host: hostFacts, envs: [] })).toEqual(
      [],
    );
  });
  it('cpu: events/s beyond the physical ceiling or far above the baseline, per environment', () => {
    const params = { threads: 1, 'max-prime': 10000 };
    const envs = [
      { envId: 'bare:host', metrics: { events_per_s: stats(1000) } },
      { envId: 'vm:qemu', metrics: { events_per_s: stats(90000, { ratio: 90, baselineId: 'bare:host' }) } },
      { envId: 'container:runc', metrics: { events_per_s: stats(1300, { ratio: 1.3, baselineId: 'bare:host' }) } },
      { envId: 'container:docker', metrics: { events_per_s: stats(1100, { ratio: 1.1, baselineId: 'bare:host' }) } },
    ];
    const traps = cpu.traps({ params, host: hostFacts, envs });
    expect(traps.map((t) => t.env)).toEqual(['vm:qemu', 'container:runc']);
    expect(traps[0]?.finding).toMatch(/^90000 events\/s per thread is physically implausible/);
    expect(traps[1]?.finding).toMatch(/^events\/s is 30\.0 % above bare:host/);
  });
});

describe('--profile', () => {
  it('applies a published method under --set, which still wins', () => {
    const o = parseOverrides(['fileio.threads=2'], WORKLOADS);
    applyProfiles(['felter-fio'], WORKLOADS, ['cpu', 'fileio'], o);
    const [p] = paramMatrix(fileio.defaults(true, host), o.get('fileio'));
    expect(p).toMatchObject({ 'block-size': '4K', direct: true, 'io-mode': 'async', 'async-backlog': 16, threads: 2 });
  });
  it('every profile sets only declared parameters with valid values', () => {
    for (const w of WORKLOADS) {
      for (const [name, prof] of Object.entries(w.profiles ?? {})) {
        for (const [k, v] of Object.entries(prof.params)) {
          const spec = w.params.find((x) => x.name === k);
          expect(spec, `${name}: ${k}`).toBeDefined();
          if (spec?.choices) expect(spec.choices).toContain(v);
        }
      }
    }
  });
  it('rejects an unknown profile or one for a workload the run leaves out', () => {
    expect(() => applyProfiles(['nope'], WORKLOADS, ['fileio'], new Map())).toThrow(
      /unknown profile 'nope'; valid choices: felter-fio/,
    );
    expect(() => applyProfiles(['felter-fio'], WORKLOADS, ['cpu'], new Map())).toThrow(
      /profile 'felter-fio' is for workload fileio.*--workload fileio/,
    );
  });
});
