// The plain-text verdict table printed at the end of a run: each case's main metric per environment.
import type { RunRecord } from '../../model/record.js';
import { analyse, type Analysis } from '../../analysis/verdict-analysis.js';
import { engineMatrices } from '../../analysis/engine-comparison.js';
import { baselineName, headlineEntries } from './answer.js';
import { enginesText } from './engines.js';
import { fmtNum } from '../../lib/numbers.js';
import { marginText, verdictText } from '../shared/verdict-text.js';

/** Renders an aligned text table: case, metric, environment, trials, median, verdict against the baseline. */
export function summaryTable(record: RunRecord, a: Analysis = analyse(record)): string {
  const rows: string[][] = [['workload', 'metric', 'environment', 'trials', 'median', 'verdict']];
  const shown = headlineEntries(a);
  for (const e of shown) {
    const median = e.stats.summary.trials === 0 ? '–' : `${fmtNum(e.stats.summary.trialMedian)} ${e.info.unit}`;
    rows.push([e.case.label, e.metric, e.stats.envId, String(e.stats.summary.trials), median, verdictText(e)]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const text = rows.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
  const others = a.entries.length - shown.length;
  text.push(
    '',
    `against ${baselineName(a)}; 95 % intervals over trials; margin ${marginText(a.margin)}` +
      `${others > 0 ? `; ${others} more rows (other metrics) in summary.csv and report.html` : ''}`,
  );
  text.push(...enginesText(engineMatrices(record, a)));
  return text.join('\n');
}
