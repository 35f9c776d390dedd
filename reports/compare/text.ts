// The words of `isobench compare`: console lines and the Markdown job summary, from a RunComparison.
import type {
  CellComparison,
  CompareVerdict,
  OneSided,
  RunComparison,
  SweepLeftOut,
} from '../../analysis/compare/runs.js';
import type { SetupDifference } from '../../analysis/compare/setup.js';
import { fmtNum, pct, signedPct } from '../../lib/numbers.js';
import { escapeMd } from '../shared/format.js';
import { directionWords } from '../shared/verdict-text.js';

const UNJUDGED = {
  'too-few-trials': 'not judged: too few trials',
  'baseline-zero': 'not judged: baseline median is 0',
  'no-finite-interval': 'not judged: no finite interval',
} as const;

/** The change in the metric's own words: `slower by 10.0 % [8.1, 11.9]` or `faster by 3.0 % [1.0, 5.1]`. */
function changeWords(c: CellComparison, v: { change: number; interval: { lo: number; hi: number } }): string {
  const words = directionWords(c.info.quantity);
  return v.change >= 0
    ? `${words.worse} by ${pct(v.change)} % [${signedPct(v.interval.lo)}, ${signedPct(v.interval.hi)}]`
    : `${words.better} by ${pct(-v.change)} % [${signedPct(v.interval.lo)}, ${signedPct(v.interval.hi)}]`;
}

/** A verdict's short name as tables show it. */
export function verdictName(v: CompareVerdict): string {
  return {
    regression: 'REGRESSION',
    improvement: 'improvement',
    'within-noise': 'within noise',
    unjudged: 'not judged',
  }[v.kind];
}

/** The verdict in words, e.g. `slower by 10.0 % [+8.1, +11.9], beyond the 5.0 % threshold`. */
export function compareVerdictWords(c: CellComparison): string {
  const v = c.verdict;
  const t = `${pct(c.threshold)} %`;
  switch (v.kind) {
    case 'regression':
      return `${changeWords(c, v)}: the whole interval is beyond the ${t} threshold`;
    case 'improvement':
      return `${changeWords(c, v)}: the whole interval is beyond the ${t} threshold`;
    case 'within-noise':
      return v.significant
        ? `${changeWords(c, v)}: a real change, but not surely beyond the ${t} threshold`
        : changeWords(c, v);
    case 'unjudged':
      return v.reason === 'too-few-trials'
        ? `${UNJUDGED[v.reason]} (${v.trials.baseline} baseline, ${v.trials.current} current; at least 3 each)`
        : UNJUDGED[v.reason];
  }
}

const sideText = (c: CellComparison, s: CellComparison['baseline']) =>
  `${fmtNum(s.median)} ${c.info.unit} (${s.trials} trials, CV ${pct(s.trialCv)} %)`;

function cellLine(c: CellComparison): string {
  return (
    `  ${verdictName(c.verdict).padEnd(12)} ${c.label} · ${c.metric} · ${c.envId}: ` +
    `${fmtNum(c.baseline.median)} → ${fmtNum(c.current.median)} ${c.info.unit}, ` +
    `${compareVerdictWords(c)}`
  );
}

const oneSidedLine = (o: OneSided) => `${o.label} · ${o.metric} · ${o.envId} (${o.trials} trials)`;

/** Why sweeps are not compared, and where to look instead. */
export const SWEEP_NOTE =
  'density sweeps are not compared: their values belong to instance counts, and two sweeps may ' +
  'stop at different counts; compare the density sections (report.html, density.csv) of the two ' +
  'runs';

const sweepLine = (s: SweepLeftOut) =>
  `${s.label} · ${s.envId}: ` +
  `${s.in === 'both' ? `${String(s.instances.baseline)} → ${String(s.instances.current)} instances reached` : `${s.in} run only (${String(s.instances[s.in])} instances reached)`}`;

/** The set-up differences as lines (empty when the runs are like for like). */
export function setupLines(diffs: readonly SetupDifference[]): string[] {
  if (diffs.length === 0) return [];
  return [
    `!!! THE RUNS ARE NOT LIKE FOR LIKE: ${diffs.length} difference(s) of host or set-up. A change ` +
      `below may come from these, not from your code;`,
    '!!! keep a baseline per host type (same CPU, kernel, accelerator, engine versions) to gate on code changes alone.',
    ...diffs.map((d) => `!!!   ${d.area}: ${d.what}: baseline '${d.baseline}' → current '${d.current}'`),
  ];
}

/** The one-line outcome, e.g. `1 regression, 2 improvements, 20 within noise, 0 not judged`. */
export function countsLine(cmp: RunComparison): string {
  const n = cmp.counts;
  return (
    `${n.regression} regression(s), ${n.improvement} improvement(s), ${n['within-noise']} within ` +
    `noise, ${n.unjudged} not judged`
  );
}

const RULE =
  'A regression is a change whose whole 95 % interval (bootstrap over trials of both runs) lies ' +
  'beyond the threshold on the worse side; improvements never fail the gate.';

/** The console report: set-up differences first, then regressions, improvements, the rest, and one-sided metrics. */
export function compareText(cmp: RunComparison, paths: { baseline: string; current: string }): string[] {
  const byKind = (k: CompareVerdict['kind']) => cmp.cells.filter((c) => c.verdict.kind === k);
  const lines = [...setupLines(cmp.setup)];
  lines.push(
    `isobench compare: baseline ${cmp.runs.baseline} (${paths.baseline}) → current ` +
      `${cmp.runs.current} (${paths.current})`,
  );
  lines.push(`${countsLine(cmp)}. ${RULE}`);
  for (const k of ['regression', 'improvement', 'within-noise', 'unjudged'] as const) {
    const cells = byKind(k);
    if (cells.length > 0)
      lines.push('', `${verdictName({ kind: k } as CompareVerdict)} (${cells.length}):`, ...cells.map(cellLine));
  }
  for (const side of ['baseline', 'current'] as const) {
    const only = cmp.oneSided.filter((o) => o.in === side);
    if (only.length > 0)
      lines.push('', `only in the ${side} run (not compared):`, ...only.map((o) => `  ${oneSidedLine(o)}`));
  }
  if (cmp.sweeps.length > 0) lines.push('', `${SWEEP_NOTE}:`, ...cmp.sweeps.map((s) => `  ${sweepLine(s)}`));
  return lines;
}

function mdRow(c: CellComparison): string {
  const ratio = `${c.ratio.toFixed(3)}${c.ratioCi ? ` [${c.ratioCi.lo.toFixed(3)}, ${c.ratioCi.hi.toFixed(3)}]` : ''}`;
  const name = verdictName(c.verdict);
  return (
    `| ${c.verdict.kind === 'regression' ? `**${name}**` : name} | ${escapeMd(c.label)} | ` +
    `${escapeMd(c.metric)} | ${escapeMd(c.envId)} | ${escapeMd(sideText(c, c.baseline))} | ` +
    `${escapeMd(sideText(c, c.current))} | ${ratio} | ${escapeMd(compareVerdictWords(c))} |`
  );
}

const HEADER = [
  '| verdict | workload | metric | environment | baseline | current | ratio [95 % CI] | change |',
  '|---|---|---|---|--:|--:|--:|---|',
];

/** The Markdown job summary: set-up differences, a table of regressions and improvements first, the rest folded. */
export function compareMarkdown(cmp: RunComparison): string {
  const gate = cmp.counts.regression > 0 ? `❌ ${cmp.counts.regression} regression(s)` : '✅ no regression';
  const lines = [
    `## isobench compare: ${gate}`,
    '',
    `Baseline \`${escapeMd(cmp.runs.baseline)}\` → current \`${escapeMd(cmp.runs.current)}\`: ` +
      `${countsLine(cmp)}. ${RULE}`,
    '',
  ];
  if (cmp.setup.length > 0) {
    lines.push(
      '> [!WARNING]',
      `> **The runs are not like for like** (${cmp.setup.length} difference(s) of host or set-up): a ` +
        `change may come from these, not from the code. Keep a baseline per host type.`,
      '>',
    );
    for (const d of cmp.setup)
      lines.push(`> - ${d.area}: ${escapeMd(d.what)}: \`${escapeMd(d.baseline)}\` → \`${escapeMd(d.current)}\``);
    lines.push('');
  }
  const first = cmp.cells
    .filter((c) => c.verdict.kind === 'regression' || c.verdict.kind === 'improvement')
    .sort((a, b) => (a.verdict.kind === 'regression' ? 0 : 1) - (b.verdict.kind === 'regression' ? 0 : 1));
  if (first.length > 0) lines.push(...HEADER, ...first.map(mdRow), '');
  const rest = cmp.cells.filter((c) => !first.includes(c));
  if (rest.length > 0)
    lines.push(
      `<details><summary>${rest.length} metric(s) within noise or not judged</summary>`,
      '',
      ...HEADER,
      ...rest.map(mdRow),
      '',
      '</details>',
      '',
    );
  if (cmp.oneSided.length > 0) {
    lines.push('Measured in one run only (not compared):', '');
    for (const o of cmp.oneSided) lines.push(`- ${o.in} only: ${escapeMd(oneSidedLine(o))}`);
    lines.push('');
  }
  if (cmp.sweeps.length > 0) {
    lines.push(`${escapeMd(SWEEP_NOTE)}:`, '');
    for (const s of cmp.sweeps) lines.push(`- ${escapeMd(sweepLine(s))}`);
    lines.push('');
  }
  return lines.join('\n');
}
