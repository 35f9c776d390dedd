// summary.md's density section: per environment and batch, instances reached, memory per instance, ready times and knees.
import type { DensitySummary } from '../../analysis/density.js';
import { fmtNum } from '../../lib/numbers.js';
import { sweepLabel } from './density-charts.js';
import { densityNotes, kneeSteps, kneeWords } from './density-html.js';
import { escapeMd } from '../shared/format.js';

const num = (v: number | null, unit = '') => (v === null || !Number.isFinite(v) ? '–' : `${fmtNum(v)}${unit}`);

/** The section's lines (empty when the run has no sweep): a table of the figures the HTML density section shows, and its notes. */
export function densityMarkdown(all: readonly DensitySummary[]): string[] {
  if (all.length === 0) return [];
  const rows = all.map((d) => {
    const steps = kneeSteps(d);
    const cells = [
      sweepLabel(d, all),
      `${d.instances}${d.stop === null ? '' : ` (${d.stop})`}`,
      num(d.slopeMiB, ' MiB'),
      num(d.instancesPerGiB),
      num(d.readyMedianMs, ' ms'),
      num(d.readyP95Ms, ' ms'),
      kneeWords(d.readyKnee, steps.ready, 'ready time'),
      kneeWords(d.memoryKnee, steps.memory, 'marginal memory'),
    ];
    return `| ${cells.map(escapeMd).join(' | ')} |`;
  });
  return [
    '### Density sweeps',
    '',
    'Per environment and batch size (sweeps pooled step by step). Marginal memory: least-squares ' +
      "slope of the host's MemAvailable drop against the instances running; instances per GiB: 1024 ÷ " +
      "that. These are not in the verdict table: a sweep's values belong to instance counts.",
    '',
    '| environment | instances reached (why it stopped) | marginal memory per instance | instances ' +
      'per GiB | ready median | ready p95 | knee: ready time | knee: memory |',
    '|---|---|--:|--:|--:|--:|---|---|',
    ...rows,
    '',
    ...densityNotes(all).map((n) => `- ${escapeMd(n)}`),
    '',
  ];
}
