// The plain-text summary table printed at the end of a run (medians of per-trial medians).
import { median } from '../bench/stats.js';
import type { RunRecord, Sample } from '../bench/types.js';

/** Per-trial medians of measured samples, grouped by workload|metric|env:engine. */
export function trialMedians(samples: readonly Sample[]): Map<string, number[]> {
  const perTrial = new Map<string, Map<number, number[]>>();
  for (const s of samples) {
    if (s.phase !== 'measure') continue;
    const k = `${s.workload}|${s.metric}|${s.env}:${s.engine}`;
    const trials = perTrial.get(k) ?? new Map<number, number[]>();
    trials.set(s.trialId, [...(trials.get(s.trialId) ?? []), s.value]);
    perTrial.set(k, trials);
  }
  const out = new Map<string, number[]>();
  for (const [k, trials] of perTrial) out.set(k, [...trials.values()].map(median));
  return out;
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
}

/** Renders an aligned text table: workload, metric, environment, trials, median, spread. */
export function summaryTable(record: RunRecord): string {
  const groups = trialMedians(record.results.flatMap((r) => r.samples));
  const rows: string[][] = [['workload', 'metric', 'environment', 'trials', 'median', 'min', 'max']];
  for (const [k, vals] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const [workload = '', metric = '', env = ''] = k.split('|');
    rows.push([workload, metric, env, String(vals.length), fmt(median(vals)), fmt(Math.min(...vals)), fmt(Math.max(...vals))]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}
