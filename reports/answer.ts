// The one-sentence answers a report leads with, and the rows it shows first (each case's main metric).
import { isBaselineKind } from '../model/ids.js';
import type { Analysis, Entry } from '../analysis/verdict-analysis.js';
import { pct } from '../analysis/verdict.js';

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
 */
export function answerSentence(e: Entry, a: Analysis): string {
  const who = `For ${e.case.label} (${e.metric}), ${e.stats.envId}`;
  const base = baselineName(a);
  const c = e.comparison;
  switch (e.verdict.kind) {
    case 'worse':
    case 'better': {
      if (c === null || c.changeCi === null) return `${who}: ${e.verdict.text}.`;
      const word = e.verdict.text.split(' ')[0];
      const caveat = e.stats.emulation === null ? '' : ` — ${e.stats.emulation.note}`;
      const sign = e.verdict.kind === 'worse' ? 1 : -1;
      const lo = sign === 1 ? c.changeCi.lo : -c.changeCi.hi;
      const hi = sign === 1 ? c.changeCi.hi : -c.changeCi.lo;
      const verb = e.verdict.kind === 'worse' ? 'costs' : 'gains';
      return `${who} ${verb} ${pct(sign * c.change)} % against ${base} (${word}), with a 95 % interval [${pct(lo)}, ${pct(hi)}] %${caveat}.`;
    }
    case 'equivalent':
      return `${who} is equivalent to ${base} within ±${pct(a.margin)} %${e.stats.emulation === null ? '' : ` — ${e.stats.emulation.note}`}.`;
    case 'inconclusive':
      return `${who} against ${base} is ${e.verdict.text}.`;
    default:
      return `${who} has no verdict: ${e.verdict.text} (see the warnings).`;
  }
}

/** One answer per case × non-baseline environment, for the headline metric. */
export function answers(a: Analysis): string[] {
  return headlineEntries(a).filter((e) => !e.isBaseline).map((e) => answerSentence(e, a));
}
