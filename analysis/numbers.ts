// Number formatting shared by analysis texts and every report.

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
