// The engines-side-by-side matrices as HTML, Markdown and plain text: each engine against the baseline and against each other.
import type { EngineMatrix, EnginePair } from '../../analysis/engine-comparison.js';
import { pairOf } from '../../analysis/engine-comparison.js';
import { fmtNum, pct, signedPct } from '../../lib/numbers.js';
import { escapeHtml as h, escapeMd } from '../shared/format.js';
import { verdictText } from '../shared/verdict-text.js';

/** A cell's verdict in words (with its caveats), or a dash when the pair is missing. */
const cellText = (p: EnginePair | undefined): string => (p ? verdictText(p) : '–');

/** A cell's short text: the change in % (+ = row worse than column) with its interval. */
function changeText(p: EnginePair | undefined): string {
  const c = p?.comparison;
  if (!p || !c) return cellText(p);
  return `${signedPct(c.change)} %${c.changeCi ? ` [${pct(c.changeCi.lo)}, ${pct(c.changeCi.hi)}]` : ''}`;
}

const title = (m: EngineMatrix) => `${m.case.label} — ${m.metric} (${m.info.unit}), ${m.env} engines`;

/** What a matrix cell means, said once above the tables. */
export const ENGINES_NOTE =
  'Each cell compares the row engine against the column engine on the same workload: the change in ' +
  '% (positive = the row is slower/worse), its 95 % bootstrap interval over trials, and the ' +
  "verdict under the run's margin. The first columns repeat each engine's verdict against the " +
  'baseline.';

/** The HTML section body: one table per matrix, or an empty string when the run has none. */
export function enginesHtml(ms: readonly EngineMatrix[]): string {
  if (ms.length === 0) return '';
  const tables = ms.map((m) => {
    const ids = m.rows.map((r) => r.stats.envId);
    const head =
      `<tr><th>engine</th><th>trials</th><th>median of trials</th><th>against the baseline</th>` +
      `${ids.map((id) => `<th>vs ${h(id)}</th>`).join('')}</tr>`;
    const body = m.rows
      .map((r) => {
        const cells = ids
          .map((col) => {
            if (col === r.stats.envId) return '<td class="num">—</td>';
            const p = pairOf(m, r.stats.envId, col);
            return (
              `<td class="v-${p?.verdict.kind ?? 'no-data'}" title="` +
              `${h(`${r.stats.envId} against ${col}: change ${changeText(p)}`)}">${h(cellText(p))}</td>`
            );
          })
          .join('');
        return (
          `<tr><td>${h(r.stats.envId)}</td><td class="num">${r.stats.summary.trials}</td><td class="num">` +
          `${h(`${fmtNum(r.stats.summary.trialMedian)} ${m.info.unit}`)}</td><td class="v-${r.verdict.kind}` +
          `">${h(verdictText(r))}</td>${cells}</tr>`
        );
      })
      .join('\n');
    return `<h3>${h(title(m))}</h3>\n<table class="engines"><thead>${head}</thead><tbody>\n${body}\n</tbody></table>`;
  });
  return `<p class="note">${h(ENGINES_NOTE)}</p>\n${tables.join('\n')}`;
}

/** Markdown lines: a heading and one table per matrix, or none when the run has none. */
export function enginesMarkdown(ms: readonly EngineMatrix[]): string[] {
  if (ms.length === 0) return [];
  const out = ['### Engines side by side', '', escapeMd(ENGINES_NOTE), ''];
  for (const m of ms) {
    const ids = m.rows.map((r) => r.stats.envId);
    out.push(
      `**${escapeMd(title(m))}**`,
      '',
      `| engine | median of trials | against the baseline | ${ids.map((id) => `vs ${escapeMd(id)}`).join(' | ')} |`,
      `|---|--:|---|${ids.map(() => '---').join('|')}|`,
    );
    for (const r of m.rows) {
      const cells = ids.map((col) => (col === r.stats.envId ? '—' : escapeMd(cellText(pairOf(m, r.stats.envId, col)))));
      out.push(
        `| ${escapeMd(r.stats.envId)} | ` +
          `${escapeMd(`${fmtNum(r.stats.summary.trialMedian)} ${m.info.unit}`)} | ` +
          `${escapeMd(verdictText(r))} | ${cells.join(' | ')} |`,
      );
    }
    out.push('');
  }
  return out;
}

/** Plain-text lines for the end of a run: each engine pair's change, one line per pair (upper triangle). */
export function enginesText(ms: readonly EngineMatrix[]): string[] {
  if (ms.length === 0) return [];
  const out = ['', 'engines side by side (row against column; + = row slower/worse):'];
  for (const m of ms) {
    out.push(`  ${title(m)}`);
    const ids = m.rows.map((r) => r.stats.envId);
    for (const [i, a] of ids.entries()) {
      for (const b of ids.slice(i + 1)) out.push(`    ${a} vs ${b}: ${cellText(pairOf(m, a, b))}`);
    }
  }
  return out;
}
