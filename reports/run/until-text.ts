// What --until-conclusive added and why each cell stopped, as HTML and as Markdown (pure).
import type { ConclusiveStop, RunRecord, StopReason, UntilConclusive } from '../../model/record.js';
import { htmlSection } from '../shared/page.js';
import { escapeHtml as h, escapeMd } from '../shared/format.js';

/** Why a cell stopped, in words. */
export function stopReasonText(reason: StopReason, u: UntilConclusive): string {
  switch (reason) {
    case 'precise':
      return 'precise: interval narrower than the margin, so conclusive';
    case 'budget':
      return 'time budget (--max-time) spent: still wider than the margin';
    case 'max-rounds':
      return `round limit (${u.maxRounds}) reached: still wider than the margin`;
    case 'interrupted':
      return 'run interrupted: still wider than the margin';
    case 'no-data':
      return 'no measured trials on one side: nothing to add to';
  }
}

function cellName(c: ConclusiveStop): string {
  const params = Object.entries(c.params)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
  return `${c.workload}${params ? ` ${params}` : ''}`;
}

const interval = (c: ConclusiveStop) =>
  c.ratioCi === null ? '–' : `[${c.ratioCi.lo.toFixed(3)}, ${c.ratioCi.hi.toFixed(3)}]`;

/** One sentence: rounds, time, budget and the count of cells per reason. */
export function untilSummary(u: UntilConclusive): string {
  const counts = new Map<StopReason, number>();
  for (const c of u.cells) counts.set(c.reason, (counts.get(c.reason) ?? 0) + 1);
  const parts = [...counts].map(([r, n]) => `${n} ${r}`).join(', ');
  return (
    `--until-conclusive added ${u.rounds} round(s) of trials in ${(u.elapsedMs / 1000).toFixed(1)} s ` +
    `(budget ${(u.maxTimeMs / 1000).toFixed(0)} s, at most ${u.maxRounds} rounds); compared cells: ` +
    `${parts || 'none'}. A cell stops only on its interval's width (hi/lo ≤ 1 + margin), never on ` +
    `its verdict, so the 95 % intervals keep their coverage.`
  );
}

/** The HTML section, or '' when the run did not use --until-conclusive. */
export function untilHtml(record: RunRecord): string {
  const u = record.untilConclusive;
  if (u === undefined) return '';
  const rows = u.cells.map(
    (c) =>
      `<tr><td>${h(cellName(c))}</td><td>${h(c.metric)}</td><td>${h(`${c.env}:${c.engine}`)}</td><td ` +
      `class="num">${c.trials}</td><td class="num">${c.baselineTrials}</td><td class="num">` +
      `${h(interval(c))}</td><td>${h(stopReasonText(c.reason, u))}</td></tr>`,
  );
  const head = [
    'workload',
    'metric',
    'environment',
    'trials',
    'baseline trials',
    'ratio 95 % CI at the end',
    'why it stopped',
  ];
  const table = [
    `<table><thead><tr>${head.map((c) => `<th>${c}</th>`).join('')}</tr></thead><tbody>`,
    rows.join('\n'),
    '</tbody></table>',
  ];
  return `${htmlSection('until-conclusive', 'Trials added until conclusive', `<p>${h(untilSummary(u))}</p>`, ...table)}\n`;
}

/** The Markdown lines (empty when the run did not use --until-conclusive). */
export function untilMarkdown(record: RunRecord): string[] {
  const u = record.untilConclusive;
  if (u === undefined) return [];
  return [
    escapeMd(untilSummary(u)),
    '',
    '| workload | environment | trials | why it stopped |',
    '|---|---|---:|---|',
    ...u.cells.map(
      (c) =>
        `| ${escapeMd(cellName(c))} | ${escapeMd(`${c.env}:${c.engine}`)} | ${c.trials} | ` +
        `${escapeMd(stopReasonText(c.reason, u))} |`,
    ),
    '',
  ];
}
