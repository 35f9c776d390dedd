// The host checks of `isobench run` on given host facts.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../model/errors.js';
import { checkMemory, checkPin, cpuListText, parseCpuList } from '../../bench/run/preflight.js';

describe('CPU lists', () => {
  it('parses and prints ranges', () => {
    expect(parseCpuList('0-3,6,5', '--pin')).toEqual([0, 1, 2, 3, 5, 6]);
    expect(cpuListText([0, 1, 2, 3, 5, 6, 9])).toBe('0-3,5-6,9');
    expect(() => parseCpuList('3-1', '--pin')).toThrow(ConfigError);
  });
});

describe('--pin against the host', () => {
  const host = { online: [0, 1, 2, 3], allowed: [0, 1] };
  it('accepts CPUs that are online and allowed', () => {
    expect(() => checkPin('0-1', host)).not.toThrow();
  });
  it('names missing CPUs and the valid ones', () => {
    expect(() => checkPin('9-99', host)).toThrow(
      /bad value '9-99' for --pin: this host has no CPU 9-99 \(online: 0-3\); valid CPUs: 0-1/,
    );
  });
  it('names CPUs outside the affinity', () => {
    expect(() => checkPin('1-2', host)).toThrow(
      /bad value '1-2' for --pin: CPU 2 is outside this process's affinity \(allowed: 0-1\); valid CPUs: 0-1/,
    );
  });
});

describe('--memory against the host', () => {
  it('accepts up to the host memory and refuses more', () => {
    expect(() => checkMemory(2048, 4 * 2 ** 30)).not.toThrow();
    expect(() => checkMemory(4097, 4 * 2 ** 30)).toThrow(
      /larger than this host's memory \(4096 MiB\); valid: 1M to 4096M/,
    );
  });
});
