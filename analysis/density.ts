// Density sweeps as figures: marginal memory per instance (least-squares slope), instances per GiB, and the knee where memory or ready time starts to climb.
import type { EnvId } from '../model/cases.js';
import type { Params } from '../model/record.js';
import { indexOf, type Indexable, type IndexedTrial } from './run-index.js';
import { pairs, zip } from '../lib/arrays.js';
import { quantile } from './stats.js';

/** One step of a sweep: instances running and what was read then. */
export interface DensityPoint {
  count: number;
  /** MemAvailable drop since the sweep began, MiB. */
  hostDropMiB: number | null;
  /** Engine accounting per newest instance, MiB. */
  engineMiB: number | null;
  /** Median ready time of the step's new instances, ms. */
  readyMs: number | null;
}

/** What one environment's sweep shows. */
export interface DensitySummary {
  /** `env:engine`. */
  envId: string;
  /** Instances started in parallel per step. */
  batch: number;
  /** The case's parameters (of its first sweep). */
  params: Params;
  /** Sweeps pooled (trials). */
  sweeps: number;
  /** Instances reached. */
  instances: number;
  /** Why the sweep stopped (its note), or null. */
  stop: string | null;
  /** Marginal MiB per instance: least-squares slope of the MemAvailable drop against the count; null with < 2 steps. */
  slopeMiB: number | null;
  /** 1024 ÷ slope; null when the slope is not positive. */
  instancesPerGiB: number | null;
  /** Median engine accounting per instance, MiB. */
  engineMedianMiB: number | null;
  /** Median ready time over the sweep, ms. */
  readyMedianMs: number | null;
  /** 95th percentile of the ready times over the sweep, ms. */
  readyP95Ms: number | null;
  /** Instance count where ready time starts to climb (see `knee`), or null. */
  readyKnee: number | null;
  /** Instance count where the marginal memory starts to climb, or null. */
  memoryKnee: number | null;
  /** What the memory accounting read, from the samples' labels. */
  accounting: string;
  /** The guest accelerator the instances ran under (`kvm`, `tcg`), from the samples' labels; null for containers and bare metal. */
  accelerator: string | null;
  /** KSM and THP state during the sweep. */
  ksm: string;
  thp: string;
  /** The steps. */
  points: DensityPoint[];
}

const median = (xs: readonly number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const [lo, hi] = [s[(s.length - 1) >> 1], s[s.length >> 1]];
  return lo === undefined || hi === undefined ? null : (lo + hi) / 2;
};

/** Least-squares slope of y on x; null with fewer than 2 distinct x. */
export function slope(xs: readonly number[], ys: readonly number[]): number | null {
  if (xs.length < 2) return null;
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  return sxx === 0 ? null : zip(xs, ys).reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / sxx;
}

/** Scale of a MAD to the standard deviation of normal noise. */
const MAD_SCALE = 1.4826;

/**
 * How many noise units (see `kneeNoise`) a value must lie above the baseline to count as a climb.
 * On 4000 seeded flat series of uniform noise ±5 around 0, 1 and 2 (9 and 20 steps), the rule
 * without it found a knee in 11–46 % of them; with 3 units in 0.2–1.3 %, with 4 in 0–0.6 %; a
 * step from 10 to 30 (noise ±2) halfway was found at its step every time with either.
 */
export const KNEE_NOISE_UNITS = 4;

/** Median absolute deviation from the median; null when empty. */
function mad(xs: readonly number[]): number | null {
  const m = median(xs);
  return m === null ? null : median(xs.map((x) => Math.abs(x - m)));
}

/**
 * The series' point-to-point noise: the MAD of its successive differences, scaled to a standard
 * deviation (× 1.4826) and divided by √2 (a difference carries the noise of two values). It is
 * robust to the knee itself (one jump is one outlying difference) and to a steady trend (constant
 * differences), unlike the spread of the first third, whose 3 values can agree by chance.
 */
export function kneeNoise(values: readonly number[]): number {
  const diffs = pairs(values).map(([a, b]) => b - a);
  return (MAD_SCALE * (mad(diffs) ?? 0)) / Math.SQRT2;
}

/**
 * The knee rule: the baseline is the median of the first third of the values (at least 3);
 * a value climbs when it is above twice that baseline and above the baseline by more than
 * KNEE_NOISE_UNITS × the series' noise (`kneeNoise`); the knee is the first count from which two
 * consecutive values climb. Null when the series is shorter than 6, its baseline is not positive
 * or it never climbs so. The noise term keeps a flat series of noise from having a knee: a bare
 * sweep's marginal memory is MemAvailable drift around 0 MiB (±5 MiB), whose baseline of a few
 * MiB is doubled by chance.
 */
export function knee(counts: readonly number[], values: readonly number[]): number | null {
  if (values.length < 6) return null;
  const base = median(values.slice(0, Math.max(3, Math.floor(values.length / 3))));
  if (base === null || !(base > 0)) return null;
  const above = Math.max(2 * base, base + KNEE_NOISE_UNITS * kneeNoise(values));
  const at = pairs(zip(counts, values)).find(([[, a], [, b]]) => a > above && b > above);
  return at === undefined ? null : at[0][0];
}

/** The density summary of every completed sweep in a record or its index (one per environment and batch size; trials pooled by step). */
export function densitySummaries(source: Indexable): DensitySummary[] {
  const out: DensitySummary[] = [];
  // Groups in the order each environment × batch was first seen.
  const groups = new Map<string, { envId: EnvId; batch: string; trials: IndexedTrial[] }>();
  for (const t of indexOf(source).trials) {
    if (t.shape !== 'sweep' || t.result.status === 'skipped') continue;
    const batch = String(t.result.params['batch']);
    const key = JSON.stringify([t.envId, batch]);
    const g = groups.get(key) ?? { envId: t.envId, batch, trials: [] };
    groups.set(key, g);
    g.trials.push(t);
  }
  for (const { envId, batch, trials } of groups.values()) {
    const samples = trials.flatMap((t) => t.measured);
    const counts = [...new Set(samples.map((s) => s.iteration))].sort((a, b) => a - b);
    const at = (metric: string, count: number) =>
      median(samples.filter((s) => s.metric === metric && s.iteration === count).map((s) => s.value));
    const points = counts.map((count) => ({
      count,
      hostDropMiB: at('density_host_drop_MiB', count),
      engineMiB: at('density_engine_memory_MiB', count),
      readyMs: at('density_ready_ms', count),
    }));
    const mem = points.flatMap((p) => (p.hostDropMiB === null ? [] : [{ count: p.count, drop: p.hostDropMiB }]));
    const s = slope(
      mem.map((p) => p.count),
      mem.map((p) => p.drop),
    );
    const readySteps = points.flatMap((p) => (p.readyMs === null ? [] : [{ count: p.count, ms: p.readyMs }]));
    // Marginal memory per step: the drop's increase divided by the instances the step added.
    const marginal = pairs(mem).map(([prev, p]) => (p.drop - prev.drop) / (p.count - prev.count));
    const labels = samples[0]?.labels ?? {};
    const ready = samples.filter((x) => x.metric === 'density_ready_ms').map((x) => x.value);
    const notes = trials
      .flatMap(({ result: t }) => (t.status === 'skipped' ? [] : t.notes))
      .filter((n) => n.startsWith('stopped: '));
    out.push({
      envId,
      batch: Number(batch),
      params: trials[0]?.result.params ?? {},
      sweeps: trials.length,
      instances: counts.at(-1) ?? 0,
      stop: notes[0]?.slice('stopped: '.length) ?? null,
      // An instance that holds no process between commands (bare metal) has no memory of its own:
      // its slope is the host's drift, and 1024 ÷ a drift of 0.05 MiB is no capacity figure.
      slopeMiB: s,
      instancesPerGiB: labels['memory_accounting'] !== undefined && s !== null && s > 0 ? 1024 / s : null,
      engineMedianMiB: median(samples.filter((x) => x.metric === 'density_engine_memory_MiB').map((x) => x.value)),
      readyMedianMs: median(ready),
      readyP95Ms: ready.length > 0 ? quantile(ready, 0.95) : null,
      readyKnee: knee(
        readySteps.map((p) => p.count),
        readySteps.map((p) => p.ms),
      ),
      memoryKnee: knee(
        mem.slice(1).map((p) => p.count),
        marginal,
      ),
      accounting: labels['memory_accounting'] ?? 'none (the instance holds no process between commands)',
      accelerator: labels['accelerator'] ?? null,
      ksm: labels['ksm'] ?? 'unknown',
      thp: labels['thp'] ?? 'unknown',
      points,
    });
  }
  return out;
}
