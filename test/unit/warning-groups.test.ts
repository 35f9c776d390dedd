// Warnings grouped by kind and advice: one line per cell, the advice once, in the console, summary.md and report.html.
import { describe, expect, it } from 'vitest';
import type { Warning } from '../../analysis/warnings.js';
import { runWarnings } from '../../analysis/warnings.js';
import {
  groupWarnings,
  warningsHeading,
  warningsHtml,
  warningsMarkdown,
  warningsText,
} from '../../reports/shared/warning-groups.js';
import { noisyTrials, syntheticRecord, type SynthCell } from '../factories/synthetic.js';
import { rng } from '../../analysis/rng.js';

const NOISY = 'The host is noisy: stop other load.';
const w = (
  kind: Warning['kind'],
  caseLabel: string | null,
  env: string | null,
  finding: string,
  advice: string | null,
): Warning => ({ kind, caseLabel, env, finding, advice });

describe('groupWarnings', () => {
  const ws = [
    w('noise', 'cpu', 'bare:host', 'CV above 5.0 % (a).', NOISY),
    w('emulation', null, 'vm:qemu', 'vm:qemu ran emulated (TCG).', 'Make /dev/kvm usable.'),
    w('noise', 'cpu', 'vm:qemu', 'CV above 5.0 % (b).', NOISY),
    w('settling', 'cpu', 'vm:qemu', 'the first trial is far from the others.', 'Add warm-ups.'),
    w('noise', 'startup', 'vm:qemu', 'CV above 5.0 % (c).', NOISY),
    w('noise', 'fileio', 'vm:qemu', '2 measured trial(s), fewer than 3.', 'Raise --trials.'),
    w('run', null, 'vm:qemu', 'vm:qemu: KVM unusable.', null),
  ];
  it('groups by kind, then advice, in a fixed kind order, one line per cell', () => {
    const g = groupWarnings(ws);
    expect(g.map((x) => [x.kind, x.lines.length])).toEqual([
      ['run', 1],
      ['emulation', 1],
      ['noise', 3],
      ['noise', 1],
      ['settling', 1],
    ]);
    expect(g[2]).toEqual({
      kind: 'noise',
      title: 'noise',
      advice: NOISY,
      lines: [
        'cpu on bare:host: CV above 5.0 % (a).',
        'cpu on vm:qemu: CV above 5.0 % (b).',
        'startup on vm:qemu: CV above 5.0 % (c).',
      ],
    });
    expect(warningsHeading(ws)).toBe('7 warnings in 5 groups');
  });
  it('puts warnings of one kind whose advice nothing else shares into one group, each keeping its advice', () => {
    const run = [
      w('run', null, null, '2 trial(s) errored.', 'Fix the cause.'),
      w('run', null, null, 'Baseline: no bare metal.', 'Add bare metal.'),
      w('run', null, 'vm:qemu', 'vm:qemu: KVM unusable.', null),
    ];
    expect(groupWarnings(run)).toEqual([
      {
        kind: 'run',
        title: 'run',
        advice: null,
        lines: [
          '2 trial(s) errored. Fix the cause.',
          'Baseline: no bare metal. Add bare metal.',
          'vm:qemu: KVM unusable.',
        ],
      },
    ]);
  });
  it('says each advice once on the console, in summary.md and in report.html', () => {
    const text = warningsText(ws);
    expect(text.filter((l) => l.includes(NOISY))).toEqual([`  what to do: ${NOISY}`]);
    expect(text).toContain('warning: noise (3)');
    expect(text).toContain('  - cpu on vm:qemu: CV above 5.0 % (b).');
    expect(text.filter((l) => l.startsWith('  - '))).toHaveLength(7);
    const md = warningsMarkdown(ws).join('\n');
    expect(md.split(NOISY)).toHaveLength(2);
    expect(md).toMatch(/^### Warnings \(7 warnings in 5 groups\)/);
    const html = warningsHtml(ws);
    expect(html.split(NOISY)).toHaveLength(2);
    expect(html.match(/<li>/g)).toHaveLength(7);
    expect(warningsText([])).toEqual([]);
    expect(warningsHtml([])).toBe('<p>No warnings.</p>');
  });
  it('turns a noisy run of many cells into a few groups', () => {
    const noisy = (env: string, workload: string): SynthCell => ({
      env,
      engine: 'x',
      workload,
      trials: noisyTrials(1000, 0.2, 5, 3, rng(env.length + workload.length)),
    });
    const rec = syntheticRecord([
      noisy('bare', 'cpu'),
      noisy('synthetic', 'cpu'),
      noisy('bare', 'memory'),
      noisy('synthetic', 'memory'),
    ]);
    const ws = runWarnings(rec);
    const noise = groupWarnings(ws).filter((g) => g.kind === 'noise');
    expect(noise).toHaveLength(1);
    expect(noise[0]?.lines.length).toBe(ws.filter((x) => x.kind === 'noise').length);
    expect(noise[0]?.lines.length).toBeGreaterThanOrEqual(3);
  });
});
