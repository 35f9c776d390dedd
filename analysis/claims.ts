// Places each published claim next to what this run measured: agrees, disagrees, undecided, not comparable (emulated) or method differs.
import { CLAIMS } from '../datasets/claims.js';
import { envId, splitEnvId } from '../model/ids.js';
import type { RunRecord } from '../model/record.js';
import { ratioInterval, seedFor, type Interval } from './bootstrap.js';
import { methodDifference, type MethodContext } from './claim-method.js';
import type { Analysis, Entry } from './verdict-analysis.js';
import type { Claim, ClaimCheck } from '../model/claims.js';
import { fmtNum } from '../lib/numbers.js';

/**
 * How a measurement relates to a claim. `agrees`/`disagrees`: its interval lies inside/outside the
 * claimed range; `undecided`: across a bound or no interval; `not-comparable`: measured under
 * emulation (TCG) while the claim is about hardware virtualization; `method-differs`: the case did
 * not follow the claim's method (threads, IO depth, block size…), so the numbers are not judged.
 */
export type ClaimStatus = 'agrees' | 'disagrees' | 'undecided' | 'not-comparable' | 'method-differs';

/** One measurement placed next to a claim. */
export interface ClaimMeasurement {
  /** Which environment, case and metric. */
  where: string;
  /** The claim's words for this check. */
  says: string;
  /** What was measured, e.g. `99.6 % [99.1, 100.2] of bare:host`. */
  measured: string;
  /** The judgement. */
  status: ClaimStatus;
  /** Why it was not judged (`not-comparable`, `method-differs`), else null. */
  reason: string | null;
  /** Whether the environment (or what it is compared with) ran emulated. */
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
    case 'relative-at-least':
      return { lo: v, hi: Infinity };
    case 'relative-about':
    case 'absolute-about':
      return { lo: v / f, hi: v * f };
    case 'relative-range':
    case 'absolute-range':
      return { lo: c.min ?? -Infinity, hi: c.max ?? Infinity };
    case 'absolute-at-most':
      return { lo: -Infinity, hi: c.max ?? Infinity };
  }
}

/** Inside the range: agrees; disjoint: disagrees; across a bound (or no interval): undecided. */
export function judgeClaim(measured: Interval | null, range: Interval): 'agrees' | 'disagrees' | 'undecided' {
  if (measured === null) return 'undecided';
  if (measured.lo >= range.lo && measured.hi <= range.hi) return 'agrees';
  if (measured.hi < range.lo || measured.lo > range.hi) return 'disagrees';
  return 'undecided';
}

/** What claim checks need from the record besides its analysis. */
export function claimContext(record: RunRecord): MethodContext {
  return { cpus: record.plan.limits.cpus ?? record.host.cpuCount.value ?? null };
}

/** Why an entry's environment ran emulated (the analysis' typed fact, from analysis/emulation.ts), or null. */
const emulationOf = (e: Entry): string | null => e.stats.emulation?.note ?? null;

const relPct = (x: number) => (x * 100).toFixed(1);

function matches(c: ClaimCheck, e: Entry): boolean {
  if (e.stats.env !== c.env || (c.engine !== undefined && e.stats.engine !== c.engine)) return false;
  if (!c.metrics.includes(e.metric) || e.stats.summary.trials === 0) return false;
  return Object.entries(c.params ?? {}).every(([k, v]) => String(e.case.params[k]) === v);
}

/** The entry's ratio against what the check names: the run's baseline kind, or another `env:engine` of the same case. */
function relative(
  c: ClaimCheck,
  e: Entry,
  a: Analysis,
): { ratio: number; ci: Interval | null; other: Entry | null; otherId: string } | null {
  const against = c.against ?? '';
  if (!against.includes(':')) {
    const cmp = e.comparison;
    if (cmp === null || splitEnvId(cmp.baselineId).env !== against) return null;
    const base =
      a.entries.find((x) => x.case === e.case && x.metric === e.metric && x.stats.envId === cmp.baselineId) ?? null;
    return { ratio: cmp.ratio, ci: cmp.ratioCi, other: base, otherId: cmp.baselineId };
  }
  const other = a.entries.find((x) => x.case === e.case && x.metric === e.metric && x.stats.envId === against);
  if (other === undefined || other.stats.summary.trials === 0 || other.stats.summary.trialMedian === 0) return null;
  const ratio = e.stats.summary.trialMedian / other.stats.summary.trialMedian;
  const ci = ratioInterval(other.stats.summary.trialMedians, e.stats.summary.trialMedians, {
    seed: seedFor(0, `claim|${e.case.key}|${e.metric}|${e.stats.envId}|${against}`),
  });
  return { ratio, ci, other, otherId: against };
}

function measure(claim: Claim, c: ClaimCheck, e: Entry, a: Analysis, ctx: MethodContext): ClaimMeasurement | null {
  const where = `${e.stats.envId}, ${e.case.label} ${e.metric}`;
  let measured: string;
  let interval: Interval | null;
  let emulation = emulationOf(e);
  if (c.rule.startsWith('relative')) {
    const r = relative(c, e, a);
    if (r === null) return null;
    const up = e.info.better === 'higher';
    const rel = up ? r.ratio : 1 / r.ratio;
    interval = r.ci === null ? null : up ? r.ci : { lo: 1 / r.ci.hi, hi: 1 / r.ci.lo };
    measured =
      `${relPct(rel)} %${interval === null ? '' : ` [${relPct(interval.lo)}, ${relPct(interval.hi)}]`} ` +
      `of ${r.otherId}`;
    emulation ??= r.other === null ? null : emulationOf(r.other);
  } else {
    interval = e.stats.medianCi;
    const m = interval;
    measured =
      `median ${fmtNum(e.stats.summary.trialMedian)} ${e.info.unit}` +
      `${m === null ? '' : ` [${fmtNum(m.lo)}, ${fmtNum(m.hi)}]`}`;
  }
  const base = { where, says: c.says, measured, emulated: emulation !== null };
  if (emulation !== null && claim.method.virtualization === 'hardware') {
    return {
      ...base,
      status: 'not-comparable',
      reason: `not comparable: measured under emulation (${emulation}), and the claim is about hardware virtualization`,
    };
  }
  const differs = methodDifference(c.requires, e.case.workload, e.case.params, ctx);
  if (differs !== null) return { ...base, status: 'method-differs', reason: differs };
  return { ...base, status: judgeClaim(interval, claimedRange(c)), reason: null };
}

function notMeasured(claim: Claim): string {
  const envs = [...new Set(claim.checks.map((c) => (c.engine ? envId({ env: c.env, engine: c.engine }) : c.env)))].join(
    ', ',
  );
  const against = [...new Set(claim.checks.flatMap((c) => (c.against ? [c.against] : [])))];
  return (
    `not measured in this run (needs ${envs}${against.length ? ` against ${against.join(', ')}` : ''}` +
    ` with ${[...new Set(claim.checks.flatMap((c) => c.metrics))].join(', ')})`
  );
}

/** Every published claim with what this run measured for it. */
export function checkClaims(
  a: Analysis,
  ctx: MethodContext = { cpus: null },
  claims: readonly Claim[] = CLAIMS,
): ClaimResult[] {
  return claims.map((claim) => {
    if (claim.checks.length === 0)
      return {
        claim,
        measurements: [],
        notMeasured: `not measured in this run (${claim.why ?? 'isobench cannot measure it'})`,
      };
    const measurements = claim.checks.flatMap((c) =>
      a.entries.filter((e) => matches(c, e)).flatMap((e) => measure(claim, c, e, a, ctx) ?? []),
    );
    return measurements.length > 0
      ? { claim, measurements, notMeasured: null }
      : { claim, measurements: [], notMeasured: notMeasured(claim) };
  });
}
