// The one-sentence answers a report leads with, and the rows it shows first (each case's main metric).
import { isBaselineKind } from '../../model/ids.js';
import type { Analysis, Entry } from '../../analysis/verdict-analysis.js';
import { pct } from '../../lib/numbers.js';
import { addedAmount, caveatsText, directionWords, marginText, startOf, verdictText } from '../shared/verdict-text.js';

/** The baseline as readers should see it: "bare metal (bare:host)" or just its id. */
export function baselineName(a: Analysis): string {
  if (a.baselineId === null) return 'no baseline';
  return isBaselineKind(a.baselineId) ? `bare metal (${a.baselineId})` : a.baselineId;
}

/** Rows of each case's headline metric, baseline rows included. */
export function headlineEntries(a: Analysis): Entry[] {
  return a.entries.filter((e) => e.metric === e.case.headline);
}

/**
 * "For workload W, environment E costs X % against bare metal, with a 95 % interval [a, b]" —
 * or "is equivalent … within ±2 %", or "inconclusive: too noisy" — for one non-baseline row.
 * A definite answer carries the row's own emulation caveat; an inconclusive one reads the verdict.
 * A startup time answers in time added: "… container:runc adds 43 ms to a process start on bare
 * metal (bare:host), with a 95 % interval [38, 51] ms".
 */
export function answerSentence(e: Entry, a: Analysis): string {
  const who = `For ${e.case.label} (${e.metric}), ${e.stats.envId}`;
  const base = baselineName(a);
  const own = caveatsText(e.caveats.filter((c) => c.env === e.stats.envId));
  const v = e.verdict;
  if ((v.kind === 'worse' || v.kind === 'better') && v.added !== undefined) {
    const { value, interval } = addedAmount(v.added, v.kind === 'better');
    const on = isBaselineKind(v.added.baselineId) ? ` on ${base}` : '';
    const what =
      v.kind === 'worse'
        ? `adds ${value} to ${startOf(v.added.baselineId)}`
        : `takes ${value} less than ${startOf(v.added.baselineId)}`;
    return `${who} ${what}${on}${interval === null ? '' : `, with a 95 % interval ${interval} ${v.added.unit}`}${own}.`;
  }
  switch (v.kind) {
    case 'worse':
    case 'better': {
      const sign = v.kind === 'worse' ? 1 : -1;
      const lo = sign === 1 ? v.interval.lo : -v.interval.hi;
      const hi = sign === 1 ? v.interval.hi : -v.interval.lo;
      const verb = v.kind === 'worse' ? 'costs' : 'gains';
      return (
        `${who} ${verb} ${pct(sign * v.change)} % against ${base} (${directionWords(v.quantity)[v.kind]}` +
        `), with a 95 % interval [${pct(lo)}, ${pct(hi)}] %${own}.`
      );
    }
    case 'equivalent':
      return `${who} is equivalent to ${base} within ${marginText(v.margin)}${own}.`;
    case 'inconclusive':
      return `${who} against ${base} is ${verdictText(e)}.`;
    default:
      return `${who} has no verdict: ${verdictText(e)} (see the warnings).`;
  }
}

/** One answer per case × non-baseline environment, for the headline metric. */
export function answers(a: Analysis): string[] {
  return headlineEntries(a)
    .filter((e) => !e.isBaseline)
    .map((e) => answerSentence(e, a));
}
