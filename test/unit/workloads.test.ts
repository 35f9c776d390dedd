// Workload commands and defaults: memory blocks exceed the LLC; fileio prepares and cleans up.
import { describe, expect, it } from 'vitest';
import { blockAboveCache, memory } from '../../workloads/memory.js';
import { fileio } from '../../workloads/fileio.js';
import { parseSize } from '../../model/units.js';
import { cpu } from '../../workloads/cpu.js';
import { paramMatrix, parseOverrides } from '../../bench/params.js';
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
    expect(cpu.steps(cpu.defaults(true, host)).run).toEqual(['sysbench', 'cpu', '--threads=1', '--cpu-max-prime=10000', '--time=2', 'run']);
  });
  it('fileio prepares, runs with O_DIRECT by default, and cleans up', () => {
    const s = fileio.steps(fileio.defaults(true, host));
    expect(s.prepare?.at(-1)).toBe('prepare');
    expect(s.cleanup?.at(-1)).toBe('cleanup');
    expect(s.run).toContain('--file-extra-flags=direct');
    expect(s.run).toContain('--file-block-size=16384');
    expect(fileio.scratchMiB(fileio.defaults(true, host))).toBe(256);
  });
});

describe('--set overrides', () => {
  it('builds the cartesian matrix', () => {
    const o = parseOverrides(['cpu.threads=1,2', 'cpu.max-prime=5000,20000'], WORKLOADS);
    const sets = paramMatrix(cpu.defaults(true, host), o.get('cpu'));
    expect(sets).toHaveLength(4);
    expect(sets.map((s) => `${String(s['threads'])}/${String(s['max-prime'])}`)).toEqual(['1/5000', '1/20000', '2/5000', '2/20000']);
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
