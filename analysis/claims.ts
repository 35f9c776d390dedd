// Places each published claim next to what this run measured, or says it was not measured.
import { CLAIMS } from '../datasets/claims.js';
import { envId, splitEnvId } from '../model/ids.js';
import type { Interval } from './bootstrap.js';
import type { Analysis, Entry } from './verdict-analysis.js';
import type { Claim, ClaimCheck } from '../model/claims.js';
import { fmtNum } from '../model/numbers.js';

/** How a measurement relates to a claim. */
export type ClaimStatus = 'agrees' | 'disagrees' | 'undecided';

/** One measurement placed next to a claim. */
export interface ClaimMeasurement {
  /** Which environment, case and metric. */
  where: string;
  /** The claim's words for this check. */
  says: string;
  /** What was measured, e.g. `99.6 % [99.1, 100.2] of bare:host`. */
  measured: string;
  /** Whether the measured interval lies inside, outside or across the claimed range. */
  status: ClaimStatus;
  /** Whether the environment ran emulated (its numbers are not representative). */
  emulated: boolean;
}

/** A claim with its measurements, or why it was not measured. */
export interface ClaimResult {
  /** The claim. */
  claim: Claim;
  /** Measurements that check it (empty when not measured). */
  measurements: ClaimMeasurement[];
  /** Set when nothing checked it: `not measured in this run (…)`. */
  notMeasured: string | null;
}

/** The claimed range [lo, hi] of a check (relative performance or the metric's unit). */
export function claimedRange(c: ClaimCheck): Interval {
  const v = c.value ?? Number.NaN;
  const f = c.factor ?? 1;
  switch (c.rule) {
    case 'relative-at-least': return { lo: v, hi: Infinity };
    case 'relative-about': case 'absolute-about': return { lo: v / f, hi: v * f };
    case 'relative-range': case 'absolute-range': return { lo: c.min ?? -Infinity, hi: c.max ?? Infinity };
    case 'absolute-at-most': return { lo: -Infinity, hi: c.max ?? Infinity };
  }
}

/** Inside the range: agrees; disjoint: disagrees; across a bound (or no interval): undecided. */
export function judgeClaim(measured: Interval | null, range: Interval): ClaimStatus {
  if (measured === null) return 'undecided';
  if (measured.lo >= range.lo && measured.hi <= range.hi) return 'agrees';
  if (measured.hi < range.lo || measured.lo > range.hi) return 'disagrees';
  return 'undecided';
}

const relPct = (x: number) => (x * 100).toFixed(1);

function matches(c: ClaimCheck, e: Entry): boolean {
  if (e.stats.env !== c.env || (c.engine !== undefined && e.stats.engine !== c.engine)) return false;
  if (!c.metrics.includes(e.metric) || e.stats.summary.trials === 0) return false;
  return Object.entries(c.params ?? {}).every(([k, v]) => String(e.case.params[k]) === v);
}

function measure(c: ClaimCheck, e: Entry): ClaimMeasurement | null {
  const where = `${e.stats.envId}, ${e.case.label} ${e.metric}`;
  const base = { where, says: c.says, emulated: e.stats.emulation !== null };
  if (c.rule.startsWith('relative')) {
    const cmp = e.comparison;
    if (cmp === null || splitEnvId(cmp.baselineId).env !== c.against) return null;
    const up = e.info.better === 'higher';
    const rel = up ? cmp.ratio : 1 / cmp.ratio;
    const ci = cmp.ratioCi === null ? null : up ? cmp.ratioCi : { lo: 1 / cmp.ratioCi.hi, hi: 1 / cmp.ratioCi.lo };
    const range = ci === null ? '' : ` [${relPct(ci.lo)}, ${relPct(ci.hi)}]`;
    return { ...base, measured: `${relPct(rel)} %${range} of ${cmp.baselineId}`, status: judgeClaim(ci, claimedRange(c)) };
  }
  const m = e.stats.medianCi;
  const point = e.stats.summary.trialMedian;
  const shown = `${fmtNum(point)} ${e.info.unit}${m === null ? '' : ` [${fmtNum(m.lo)}, ${fmtNum(m.hi)}]`}`;
  return { ...base, measured: `median ${shown}`, status: judgeClaim(m, claimedRange(c)) };
}

/** Every published claim with what this run measured for it. */
export function checkClaims(a: Analysis, claims: readonly Claim[] = CLAIMS): ClaimResult[] {
  return claims.map((claim) => {
    if (claim.checks.length === 0) return { claim, measurements: [], notMeasured: `not measured in this run (${claim.why ?? 'isobench cannot measure it'})` };
    const measurements = claim.checks.flatMap((c) => a.entries.filter((e) => matches(c, e)).flatMap((e) => measure(c, e) ?? []));
    if (measurements.length > 0) return { claim, measurements, notMeasured: null };
    const envs = [...new Set(claim.checks.map((c) => (c.engine ? envId({ env: c.env, engine: c.engine }) : c.env)))].join(', ');
    const against = [...new Set(claim.checks.flatMap((c) => (c.against ? [c.against] : [])))];
    return { claim, measurements: [], notMeasured: `not measured in this run (needs ${envs}${against.length ? ` against ${against.join(', ')}` : ''} with ${[...new Set(claim.checks.flatMap((c) => c.metrics))].join(', ')})` };
  });
}
