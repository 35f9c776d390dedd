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
  return b >= 1024 ** 3 ? `${(b / 1024 ** 3).toFixed(1)} GiB` : `${(b / 1024 ** 2).toFixed(b >= 1024 ** 2 ? 0 : 2)} MiB`;
}

/** Formats a fraction as a percentage with one decimal (`0.1234` → `12.3`). */
export function pct(x: number): string {
  const v = Math.round(x * 1000) / 10;
  return (Object.is(v, -0) ? 0 : v).toFixed(1);
}

/** Formats a fraction as a signed percentage (`0.021` → `+2.1`, `-0.005` → `-0.5`). */
export function signedPct(x: number): string {
  const t = pct(x);
  return t.startsWith('-') || t === '0.0' ? t : `+${t}`;
}
