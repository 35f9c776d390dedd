// Identifiers shared by every layer: environment ids (`env:engine`), case keys, the baseline kind.
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
export function envId(x: EnvNamed): string {
  return `${x.env}:${x.engine}`;
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
export function caseKey(workload: string, params: Params): string {
  return `${workload}|${JSON.stringify(Object.entries(params).sort(([a], [b]) => a.localeCompare(b)))}`;
}
