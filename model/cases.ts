// Case shapes and the typed keys of a run's index: what kind of case a set of samples forms, and branded ids.

/**
 * How a case is measured, and so how it is analysed:
 * - `throughput`: a workload's command runs in one instance per trial, its output parsed per iteration (cpu, memory, fileio);
 * - `lifecycle`: the start, teardown and idle memory every instance records (the `startup` case of lifecycle samples);
 * - `sweep`: idle instances started step by step, samples read per instance count (density);
 * - `burst`: many instances launched at once per iteration, time-to-ready per instance and per burst (startup).
 * New shapes (network, interference) are added here and declared by their workload.
 */
export const CASE_SHAPES = ['throughput', 'lifecycle', 'sweep', 'burst'] as const;

/** One of CASE_SHAPES. */
export type CaseShape = (typeof CASE_SHAPES)[number];

/** The shapes a workload declaration can have (lifecycle cases come from every instance, not from a workload). */
export type WorkloadShape = Exclude<CaseShape, 'lifecycle'>;

/** Whether cases of this shape time instance starts (charted as start-time distributions, not as overhead bars). */
export function timesStarts(shape: CaseShape): boolean {
  return shape === 'lifecycle' || shape === 'burst';
}

/**
 * Whether a case of this shape is judged by pooling its trials into one median per environment. A
 * sweep is not: its samples are per instance count, and a median pooled over every count (against
 * a baseline that stopped at another count) would mislead; analysis/density.ts summarises it per count.
 */
export function pooledVerdicts(shape: CaseShape): boolean {
  return shape !== 'sweep';
}

declare const brand: unique symbol;
/** A string that is known to be a `K` (built by its constructor in model/ids.ts, never by hand). */
type Branded<K extends string> = string & { readonly [brand]: K };

/** Key of a case (workload and sorted parameters), from `caseKey`. */
export type CaseKey = Branded<'CaseKey'>;
/** `env:engine` of an environment, from `envId`. */
export type EnvId = Branded<'EnvId'>;
/** Name of a metric of the record's catalogue (`events_per_s`, `startup_ms`). */
export type MetricName = Branded<'MetricName'>;
