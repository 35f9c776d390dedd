// Number formatting shared by analysis, the workloads' traps and every report: measured values and percentages.

/** A measured value with sensible precision (3–4 significant digits, no exponent for usual sizes). */
export function fmtNum(v: number): string {
  if (!Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a >= 1000) return v.toFixed(0);
  if (a >= 100) return v.toFixed(1);
  if (a >= 10) return v.toFixed(2);
  if (a >= 0.01 || a === 0) return v.toFixed(3);
  return v.toPrecision(3);
}

/** A byte count in MiB or GiB (`256 MiB`, `16.0 GiB`; below 1 MiB with two decimals). */
export function bytesText(b: number): string {
  return b >= 1024 ** 3
    ? `${(b / 1024 ** 3).toFixed(1)} GiB`
    : `${(b / 1024 ** 2).toFixed(b >= 1024 ** 2 ? 0 : 2)} MiB`;
}

/** Formats a fraction as a percentage with one decimal (`0.1234` → `12.3`). */
export function pct(x: Fraction): string {
  const v = Math.round(x * 1000) / 10;
  return (Object.is(v, -0) ? 0 : v).toFixed(1);
}

/** Formats a fraction as a signed percentage (`0.021` → `+2.1`, `-0.005` → `-0.5`). */
export function signedPct(x: Fraction): string {
  const t = pct(x);
  return t.startsWith('-') || t === '0.0' ? t : `+${t}`;
}

/**
 * A proportion as a fraction: 0.02 is 2 %. Margins, compare thresholds and plan headroom are
 * carried as fractions from the flag that parses them to the formatter that prints them; a
 * percentage exists only as the text a person types or reads. A documented alias, not a brand:
 * fractions arrive from zod-parsed records, JSON and test literals, where a brand would only be cast.
 */
export type Fraction = number;

/** The fraction of a percentage a person typed (`2` → 0.02): the one place a percent becomes a fraction. */
export function fractionOfPercent(percent: number): Fraction {
  return percent / 100;
}

/**
 * A fraction as the number of percent it was typed as (0.02 → 2, 0.07 → 7 where 0.07 × 100 is
 * 7.000000000000001): for chart axes and bands and for files that store a percentage. Text goes
 * through `pct`, `signedPct` or `wholePct`.
 */
export function percentOf(x: Fraction): number {
  return Number((x * 100).toPrecision(12));
}

/** Formats a fraction as a whole percentage (`0.1` → `10`, `0.125` → `13`). */
export function wholePct(x: Fraction): string {
  return String(Math.round(x * 100));
}
