// Identifiers shared by every layer: environment ids (`env:engine`), case keys, the baseline kind.
import type { CaseKey, EnvId, MetricName } from './cases.js';
import type { Params } from './record.js';

/** Anything that names an environment and its engine (a sample, a trial, a plan cell, a runner). */
export interface EnvNamed {
  /** Environment kind. */
  env: string;
  /** Engine within the environment. */
  engine: string;
}

/**
 * The environment kind overhead is measured against when a run has it. It is part of the record
 * model (not only of the runner registry) so that a record can be analysed without loading runners.
 */
export const BASELINE_ENV = 'bare';

/** The `env:engine` id of an environment. */
export function envId(x: EnvNamed): EnvId {
  return `${x.env}:${x.engine}` as EnvId;
}

/** Splits an `env:engine` id (the engine may itself contain colons). */
export function splitEnvId(id: string): EnvNamed {
  const [env = id, engine = ''] = id.split(/:(.*)/s);
  return { env, engine };
}

/** Whether an `env:engine` id is of the baseline kind (bare metal). */
export function isBaselineKind(id: string): boolean {
  return splitEnvId(id).env === BASELINE_ENV;
}

/** Key of the cells compared with each other: the workload and its sorted parameters. */
export function caseKey(workload: string, params: Params): CaseKey {
  return `${workload}|${JSON.stringify(Object.entries(params).sort(([a], [b]) => a.localeCompare(b)))}` as CaseKey;
}

/** A metric name as the index's key (the record's catalogue declares every sampled metric). */
export function metricName(name: string): MetricName {
  return name as MetricName;
}

/** An `env:engine` id read from the plan or a probe (`env:engine` text) as the index's key. */
export function asEnvId(id: string): EnvId {
  return id as EnvId;
}

/**
 * Key of one metric of one cell: case × environment × metric, as one typed value (maps of cells
 * across two runs are keyed by it). Its text is also what compare's bootstrap seed is drawn from,
 * so it stays as it was when comparisons were first seeded.
 */
export type CellKey = `${CaseKey}\u0000${EnvId}\u0000${MetricName}`;

/** Key of one cell: case × environment. */
export type CaseEnvKey = `${CaseKey}\u0000${EnvId}`;

/** The key of one cell. */
export function caseEnvKey(c: CaseKey, e: EnvId): CaseEnvKey {
  return `${c}\u0000${e}`;
}

/** The key of one metric of one cell. */
export function cellKey(c: CaseKey, e: EnvId, m: MetricName): CellKey {
  return `${c}\u0000${e}\u0000${m}`;
}
