// The one place verdicts become words: every table, CSV row, chart text and answer renders them here.
import type { Quantity } from '../../model/metrics.js';
import { isBaselineKind } from '../../model/ids.js';
import { pct, signedPct, type Fraction } from '../../lib/numbers.js';
import type { Caveat, ComparedVerdict, TimeAdded, Verdict } from '../../analysis/verdict.js';

/** Words for "worse" and "better" in this metric's sense: slower/faster for rates and times, larger/smaller for sizes. */
export function directionWords(quantity: Quantity): { worse: string; better: string } {
  return quantity === 'size' ? { worse: 'larger', better: 'smaller' } : { worse: 'slower', better: 'faster' };
}

/** The margin (a fraction) as readers see it: `±2.0 %`. Every report prints a margin through this. */
export const marginText = (margin: Fraction): string => `±${pct(margin)} %`;

const NO_DATA = {
  'no-trials': 'no measured trials',
  'baseline-no-trials': 'baseline: no measured trials',
  'no-baseline-data': 'no baseline data to compare with',
  'baseline-zero': 'baseline median is 0: no ratio',
} as const;

/** The baseline's start as readers say it: `a process start` against bare metal, else `a container:runc start`. */
export function startOf(baselineId: string): string {
  return isBaselineKind(baselineId) ? 'a process start' : `a ${baselineId} start`;
}

/**
 * A time added and its interval with one precision for all three numbers, from the largest of
 * them: whole units from 10, one decimal from 1, else two (`43 ms [38, 51]`, `2.3 ms [1.9, 2.8]`).
 */
export function addedAmount(a: TimeAdded, negate = false): { value: string; interval: string | null } {
  const s = negate ? -1 : 1;
  const bounds =
    a.interval === null ? null : ([s * a.interval.lo, s * a.interval.hi].sort((x, y) => x - y) as [number, number]);
  const top = Math.max(Math.abs(a.value), ...(bounds ?? []).map(Math.abs));
  const digits = top >= 10 ? 0 : top >= 1 ? 1 : 2;
  const f = (x: number) => {
    const t = x.toFixed(digits);
    return /^-0(\.0+)?$/.test(t) ? t.slice(1) : t;
  };
  return {
    value: `${f(s * a.value)} ${a.unit}`,
    interval: bounds === null ? null : `[${f(bounds[0])}, ${f(bounds[1])}]`,
  };
}

/** `adds 43 ms [38, 51] to a process start` (or `takes 3.0 ms [1.0, 5.0] less than …` when `less`). */
export function addedWords(a: TimeAdded, less = false): string {
  const { value, interval } = addedAmount(a, less);
  const amount = interval === null ? value : `${value} ${interval}`;
  return less ? `takes ${amount} less than ${startOf(a.baselineId)}` : `adds ${amount} to ${startOf(a.baselineId)}`;
}

/** A startup time's verdict, read as the time it adds. */
function timeAddedWords(v: ComparedVerdict, a: TimeAdded): string {
  switch (v.kind) {
    case 'worse':
      return addedWords(a);
    case 'better':
      return addedWords(a, true);
    case 'equivalent':
      return `equivalent within ${marginText(v.margin)} (${addedWords(a)})`;
    case 'inconclusive':
      switch (v.reason) {
        case 'too-few-trials':
          return (
            `inconclusive: too few trials (${Math.min(v.trials.base, v.trials.env)} < ${v.minTrials}); ` +
            `${addedWords({ ...a, interval: null })}`
          );
        case 'no-finite-interval':
          return `inconclusive: no finite interval; ${addedWords({ ...a, interval: null })}`;
        case 'too-noisy':
          return `inconclusive: too noisy (${addedWords(a)}, straddling ${marginText(v.margin)})`;
      }
  }
}

/** The verdict alone, e.g. `slower by 10.0 % [9.6, 10.4]`, `equivalent within ±2.0 %` or, for a startup time, `adds 43 ms [38, 51] to a process start`. */
export function verdictWords(v: Verdict): string {
  if (v.kind !== 'baseline' && v.kind !== 'no-data' && v.added !== undefined) return timeAddedWords(v, v.added);
  switch (v.kind) {
    case 'baseline':
      return 'baseline';
    case 'no-data':
      return NO_DATA[v.reason];
    case 'equivalent':
      return `equivalent within ${marginText(v.margin)}`;
    case 'worse':
      return `${directionWords(v.quantity).worse} by ${pct(v.change)} % [${pct(v.interval.lo)}, ${pct(v.interval.hi)}]`;
    case 'better':
      return (
        `${directionWords(v.quantity).better} by ${pct(-v.change)} % [${pct(-v.interval.hi)}, ` +
        `${pct(-v.interval.lo)}]`
      );
    case 'inconclusive':
      switch (v.reason) {
        case 'too-few-trials':
          return `inconclusive: too few trials (${Math.min(v.trials.base, v.trials.env)} < ${v.minTrials})`;
        case 'no-finite-interval':
          return 'inconclusive: no finite interval';
        case 'too-noisy':
          return (
            `inconclusive: too noisy (${signedPct(v.interval.lo)} … ${signedPct(v.interval.hi)} % straddles ` +
            `${marginText(v.margin)})`
          );
      }
  }
}

/** Caveats appended to a verdict, ` — <note>` each (a note shared by both sides once). */
export function caveatsText(caveats: readonly Caveat[]): string {
  return [...new Set(caveats.map((c) => c.note))].map((note) => ` — ${note}`).join('');
}

/** The verdict with its caveats, as every table, CSV row and chart shows it. */
export function verdictText(e: { verdict: Verdict; caveats: readonly Caveat[] }): string {
  return `${verdictWords(e.verdict)}${caveatsText(e.caveats)}`;
}
