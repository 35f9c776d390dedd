// summary.md: the answers, the verdict table, the density sweeps and the warnings in Markdown, for a CI job summary.
import { untilMarkdown } from './until-text.js';
import { densitySummaries } from '../../analysis/density.js';
import { densityMarkdown } from './density-md.js';
import type { RunRecord } from '../../model/record.js';
import type { Analysis, Entry } from '../../analysis/verdict-analysis.js';
import type { Warning } from '../../analysis/warnings.js';
import { engineMatrices } from '../../analysis/engine-comparison.js';
import { answers, baselineName, headlineEntries } from './answer.js';
import { enginesMarkdown } from './engines.js';
import { escapeMd } from '../shared/format.js';
import { shellCommand } from '../../lib/text.js';
import { fmtNum } from '../../lib/numbers.js';
import { marginText, verdictText } from '../shared/verdict-text.js';
import { warningsMarkdown } from '../shared/warning-groups.js';

function table(entries: readonly Entry[]): string[] {
  const out = [
    '| workload | metric | environment | trials | median of trials | ratio [95 % CI] | verdict |',
    '|---|---|---|--:|--:|--:|---|',
  ];
  for (const e of entries) {
    const c = e.comparison;
    const ratio =
      c === null
        ? ''
        : `${c.ratio.toFixed(3)}${c.ratioCi ? ` [${c.ratioCi.lo.toFixed(3)}, ${c.ratioCi.hi.toFixed(3)}]` : ''}`;
    const median = e.stats.summary.trials === 0 ? '–' : `${fmtNum(e.stats.summary.trialMedian)} ${e.info.unit}`;
    const text = escapeMd(verdictText(e));
    const verdict = e.verdict.kind === 'worse' || e.verdict.kind === 'better' ? `**${text}**` : text;
    out.push(
      `| ${escapeMd(e.case.label)} | ${escapeMd(e.metric)} | ${escapeMd(e.stats.envId)} | ` +
        `${e.stats.summary.trials} | ${escapeMd(median)} | ${ratio} | ${verdict} |`,
    );
  }
  return out;
}

/** A fenced code block whose fence is longer than any run of tildes inside (its content is literal text). */
function fenced(text: string): string[] {
  const longest = Math.max(2, ...[...text.matchAll(/~+/g)].map((m) => m[0].length));
  const fence = '~'.repeat(longest + 1);
  return [`${fence}sh`, text.replace(/\r?\n/g, ' '), fence];
}

/**
 * Renders summary.md from the record, its analysis and its warnings. `compact` (the CI job
 * summary) leaves out the engine matrices and the folded table of every metric.
 */
export function summaryMarkdown(
  record: RunRecord,
  a: Analysis,
  warnings: readonly Warning[],
  opts: { compact?: boolean } = {},
): string {
  const host = [record.host.cpuModel.value, record.host.kernel.value]
    .filter((v) => v !== null && v !== undefined)
    .map(String);
  const lines = [
    `## isobench run ${escapeMd(record.runId)}`,
    '',
    `Baseline: ${escapeMd(baselineName(a))}. Ratio = environment ÷ baseline (median of per-trial ` +
      `medians); 95 % bootstrap intervals over trials; equivalence margin ${marginText(a.margin)}.`,
    '',
    ...answers(a).map((s) => `- ${escapeMd(s)}`),
    '',
    ...table(headlineEntries(a)),
    '',
    ...untilMarkdown(record),
    ...densityMarkdown(densitySummaries(record)),
    ...(opts.compact ? [] : enginesMarkdown(engineMatrices(record, a))),
  ];
  lines.push(...warningsMarkdown(warnings));
  if (!opts.compact)
    lines.push('<details><summary>All metrics</summary>', '', ...table(a.entries), '', '</details>', '');
  lines.push(
    `Host: ${escapeMd(host.join(', ') || 'unknown')}. Reproduce:`,
    '',
    ...fenced(shellCommand(record.plan.argv)),
    '',
  );
  return lines.join('\n');
}
