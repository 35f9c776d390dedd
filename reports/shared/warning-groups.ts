// Warnings grouped by kind and advice: one line per affected cell, the advice once per group, for the console, summary.md and report.html.
import type { Warning, WarningKind } from '../../analysis/warnings.js';
import { escapeHtml, escapeMd } from './format.js';
import { warningLine, warningText } from './warning-text.js';

/** Warnings of one kind that share their advice. */
export interface WarningGroup {
  /** What the warnings are about. */
  kind: WarningKind;
  /** The group's heading, e.g. `noise`. */
  title: string;
  /** What to do, said once for the group; null when there is nothing to do. */
  advice: string | null;
  /** One line per affected cell (`<case>[ on <env>]: <finding>`), or the finding when it names its own subject. */
  lines: string[];
}

/** Headings in the order groups are shown: how the run went first, then what makes numbers less trustworthy. */
const TITLES: Record<WarningKind, string> = {
  run: 'run',
  emulation: 'emulation',
  parity: 'parity',
  security: 'security',
  trap: 'workload traps',
  noise: 'noise',
  settling: 'settling',
};
const ORDER = Object.keys(TITLES) as WarningKind[];

/**
 * Groups warnings by kind, then by advice, keeping first-seen order inside a kind; each line once.
 * Warnings of one kind whose advice no other warning shares (the run's own remarks, mostly) form
 * one group together, each line keeping its advice, rather than one group per warning.
 */
export function groupWarnings(warnings: readonly Warning[]): WarningGroup[] {
  const byAdvice = new Map<string, { kind: WarningKind; advice: string | null; items: Warning[] }>();
  for (const w of warnings) {
    const key = JSON.stringify([w.kind, w.advice ?? '']);
    const g = byAdvice.get(key) ?? { kind: w.kind, advice: w.advice, items: [] };
    if (!g.items.some((x) => warningLine(x) === warningLine(w))) g.items.push(w);
    byAdvice.set(key, g);
  }
  const out: WarningGroup[] = [];
  for (const kind of ORDER) {
    const groups = [...byAdvice.values()].filter((g) => g.kind === kind);
    const single = groups.filter((g) => g.items.length === 1);
    const loose = single.length > 1 ? single : [];
    for (const g of groups) {
      if (loose.includes(g)) continue;
      out.push({ kind, title: TITLES[kind], advice: g.advice, lines: g.items.map(warningLine) });
    }
    if (loose.length > 0)
      out.push({ kind, title: TITLES[kind], advice: null, lines: loose.flatMap((g) => g.items.map(warningText)) });
  }
  return out;
}

/** The heading of the whole list: `9 warnings in 5 groups`. */
export function warningsHeading(warnings: readonly Warning[]): string {
  const n = groupWarnings(warnings).length;
  return `${warnings.length} warning${warnings.length === 1 ? '' : 's'} in ${n} group${n === 1 ? '' : 's'}`;
}

/** Console lines: a heading per group, its cells indented, its advice once. */
export function warningsText(warnings: readonly Warning[]): string[] {
  if (warnings.length === 0) return [];
  const out = [`warnings: ${warningsHeading(warnings)} (read them before trusting any number)`];
  for (const g of groupWarnings(warnings)) {
    out.push(`warning: ${g.title} (${g.lines.length})`, ...g.lines.map((l) => `  - ${l}`));
    if (g.advice !== null) out.push(`  what to do: ${g.advice}`);
  }
  return out;
}

/** summary.md's warnings section. */
export function warningsMarkdown(warnings: readonly Warning[]): string[] {
  if (warnings.length === 0) return ['No warnings.', ''];
  const out = [`### Warnings (${warningsHeading(warnings)})`, ''];
  for (const g of groupWarnings(warnings)) {
    out.push(`**${escapeMd(g.title)}** (${g.lines.length})`, '', ...g.lines.map((l) => `- ⚠️ ${escapeMd(l)}`), '');
    if (g.advice !== null) out.push(`What to do: ${escapeMd(g.advice)}`, '');
  }
  return out;
}

/** report.html's warnings section body. */
export function warningsHtml(warnings: readonly Warning[]): string {
  if (warnings.length === 0) return '<p>No warnings.</p>';
  return groupWarnings(warnings)
    .map(
      (g) =>
        `<div class="warning-group"><h3>${escapeHtml(g.title)} (${g.lines.length})</h3><ul ` +
        `class="warnings">${g.lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('\n')}</ul>` +
        `${g.advice === null ? '' : `<p class="advice"><strong>What to do:</strong> ${escapeHtml(g.advice)}</p>`}` +
        `</div>`,
    )
    .join('\n');
}
