// Density's memory readers on captured host files: smaps_rollup PSS, cgroup v1/v2 usage, MemAvailable, KSM and THP.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  memAvailableBytes,
  memorySharing,
  parseCgroupUsage,
  parseKsmRun,
  parseMemAvailable,
  parseMeminfo,
  parseSmapsRollupPss,
  parseThpEnabled,
  processPssBytes,
  processesPssBytes,
} from '../../runners/host/memory.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/host/${name}`, import.meta.url), 'utf8');

describe('host memory readers', () => {
  it('reads PSS (not RSS) from smaps_rollup, in bytes', () => {
    expect(parseSmapsRollupPss(fixture('smaps_rollup.txt'))).toBe(303 * 1024);
    expect(parseSmapsRollupPss(fixture('smaps_rollup-qemu-tcg.txt'))).toBe(315439 * 1024);
    // Pss_Dirty/Pss_Anon lines must not be mistaken for the total.
    expect(parseSmapsRollupPss('Rss: 10 kB\nPss_Anon: 5 kB\n')).toBeNull();
    expect(parseSmapsRollupPss('')).toBeNull();
  });

  it('reads MemAvailable and other kB fields from /proc/meminfo', () => {
    const text = fixture('meminfo.txt');
    expect(parseMemAvailable(text)).toBe(23604476 * 1024);
    const all = parseMeminfo(text);
    expect(all.get('MemTotal')).toBe(24684084 * 1024);
    expect(all.get('Active(anon)')).toEqual(expect.any(Number));
    expect(all.has('HugePages_Total')).toBe(false); // a count, not kB
    expect(parseMemAvailable('MemTotal: 1 kB\n')).toBeNull();
  });

  it('reads cgroup v1 memory.usage_in_bytes and v2 memory.current', () => {
    expect(parseCgroupUsage(fixture('cgroup-v1-memory.usage_in_bytes'))).toBe(1992278016);
    expect(parseCgroupUsage(fixture('cgroup-v2-memory.current.reconstructed'))).toBe(8814592);
    expect(parseCgroupUsage('max\n')).toBeNull();
    expect(parseCgroupUsage('')).toBeNull();
  });

  it('reads KSM and THP state', () => {
    expect(parseKsmRun(fixture('ksm-run'))).toBe('off');
    expect(parseKsmRun('1\n')).toBe('on');
    expect(parseKsmRun('2\n')).toBe('unmerge');
    expect(parseKsmRun('x')).toBe('unknown');
    expect(parseThpEnabled(fixture('thp-enabled'))).toBe('madvise');
    expect(parseThpEnabled('[always] madvise never\n')).toBe('always');
    expect(parseThpEnabled('')).toBe('unknown');
  });

  it('reads this host live: own PSS, MemAvailable, sharing state; a gone pid is null', () => {
    expect(processPssBytes(process.pid)).toBeGreaterThan(1024 * 1024);
    expect(processPssBytes(2 ** 22 + 1)).toBeNull();
    expect(processesPssBytes([2 ** 22 + 1])).toBeNull();
    expect(processesPssBytes([process.pid, 2 ** 22 + 1])).toBeGreaterThan(1024 * 1024);
    expect(memAvailableBytes()).toBeGreaterThan(0);
    expect(memorySharing().ksm).toMatch(/^(off|on|unmerge|unknown)$/);
  });
});
