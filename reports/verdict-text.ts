// The one place verdicts become words: every table, CSV row, chart text and answer renders them here.
import type { Quantity } from '../model/metrics.js';
import { pct, signedPct } from '../model/numbers.js';
import type { Caveat, Verdict } from '../analysis/verdict.js';

/** Words for "worse" and "better" in this metric's sense: slower/faster for rates and times, larger/smaller for sizes. */
export function directionWords(quantity: Quantity): { worse: string; better: string } {
  return quantity === 'size' ? { worse: 'larger', better: 'smaller' } : { worse: 'slower', better: 'faster' };
}

/** The margin as readers see it: `±2.0 %`. */
export const marginText = (margin: number): string => `±${pct(margin)} %`;

const NO_DATA = {
  'no-trials': 'no measured trials',
  'baseline-no-trials': 'baseline: no measured trials',
  'no-baseline-data': 'no baseline data to compare with',
  'baseline-zero': 'baseline median is 0: no ratio',
} as const;

/** The verdict alone, e.g. `slower by 10.0 % [9.6, 10.4]` or `equivalent within ±2.0 %`. */
export function verdictWords(v: Verdict): string {
  switch (v.kind) {
    case 'baseline': return 'baseline';
    case 'no-data': return NO_DATA[v.reason];
    case 'equivalent': return `equivalent within ${marginText(v.margin)}`;
    case 'worse': return `${directionWords(v.quantity).worse} by ${pct(v.change)} % [${pct(v.interval.lo)}, ${pct(v.interval.hi)}]`;
    case 'better': return `${directionWords(v.quantity).better} by ${pct(-v.change)} % [${pct(-v.interval.hi)}, ${pct(-v.interval.lo)}]`;
    case 'inconclusive':
      switch (v.reason) {
        case 'too-few-trials': return `inconclusive: too few trials (${Math.min(v.trials.base, v.trials.env)} < ${v.minTrials})`;
        case 'no-finite-interval': return 'inconclusive: no finite interval';
        case 'too-noisy': return `inconclusive: too noisy (${signedPct(v.interval.lo)} … ${signedPct(v.interval.hi)} % straddles ${marginText(v.margin)})`;
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
