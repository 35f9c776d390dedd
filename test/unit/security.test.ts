// Syscall filtering: the seccomp mode read from /proc/<pid>/status, its labels, and the warning when compared environments differ.
import { describe, expect, it } from 'vitest';
import { analyse } from '../../analysis/verdict-analysis.js';
import { runWarnings } from '../../analysis/warnings.js';
import { securityLabels, seccompMode } from '../../runners/host/security.js';
import { syntheticRecord } from '../factories/synthetic.js';
import { warningText } from '../../reports/shared/warning-text.js';

const trials = (v: number) => [
  [v, v + 1],
  [v - 1, v],
  [v, v],
  [v + 1, v],
  [v, v - 1],
];

describe('seccomp status', () => {
  it('reads the mode and filter count from /proc/<pid>/status', () => {
    expect(seccompMode('Name:\tsh\nSeccomp:\t0\nSeccomp_filters:\t0\n')).toBe('none');
    expect(seccompMode('Seccomp:\t2\nSeccomp_filters:\t1\n')).toBe('filter (1 loaded)');
    expect(seccompMode('Seccomp:\t1\n')).toBe('strict');
    expect(seccompMode('Name:\tsh\n')).toBe('unknown');
  });

  it("labels a live process with its seccomp mode, the engine's profile name and its AppArmor profile", () => {
    const labels = securityLabels(process.pid, 'none (a host process)');
    expect(labels['seccomp']).toMatch(/^(none|strict|filter.*)$/);
    expect(labels['seccomp_profile']).toBe('none (a host process)');
    expect(labels['apparmor']).toEqual(expect.any(String));
    expect(securityLabels(2 ** 22 + 1, 'x')['seccomp']).toBe('unknown');
  });
});

describe('security parity warning', () => {
  const run = (b: string) =>
    syntheticRecord([
      { env: 'bare', engine: 'host', workload: 'cpu', trials: trials(1000) },
      { env: 'synthetic', engine: 'a', workload: 'cpu', trials: trials(1000), labels: { seccomp: 'none' } },
      { env: 'synthetic', engine: 'b', workload: 'cpu', trials: trials(900), labels: { seccomp: b } },
    ]);
  const parity = (b: string) =>
    runWarnings(run(b), analyse(run(b)))
      .map(warningText)
      .find((w) => w.startsWith('Security parity'));

  it('warns when the compared environments differ in seccomp, naming each', () => {
    expect(parity('filter (1 loaded)')).toMatch(/synthetic:a=none, synthetic:b=filter \(1 loaded\)/);
  });

  it('says nothing when they agree', () => {
    expect(parity('none')).toBeUndefined();
  });
});
