// The workload registry: names on the command line map to declarative workload objects.
import { cpu } from './cpu.js';
import { density } from './density.js';
import { fileio } from './fileio.js';
import { memory } from './memory.js';
import { startup } from './startup.js';
import { LIFECYCLE_METRICS, type MetricInfo } from '../model/metrics.js';
import type { CaseShape } from '../model/cases.js';
import type { AnyWorkload } from './types.js';

/** Every workload, in the order `isobench list` shows them. */
export const WORKLOADS: readonly AnyWorkload[] = [cpu, memory, fileio, density, startup];

/** Looks a workload up by name. */
export function findWorkload(name: string): AnyWorkload | undefined {
  return WORKLOADS.find((w) => w.name === name);
}

/**
 * Metric catalogue of every workload plus lifecycle metrics. A case's headline is its first metric
 * in this order, so the burst figures come before the lifecycle metrics a burst also records
 * (its headline is the p50 time-to-ready, not one instance's startup_ms).
 */
export function metricCatalogue(): Record<string, MetricInfo> {
  const all: Record<string, MetricInfo> = { ...startup.metrics, ...LIFECYCLE_METRICS };
  for (const w of WORKLOADS) Object.assign(all, w.metrics);
  return all;
}

/**
 * The shape of the case a sample belongs to: a lifecycle sample forms the lifecycle case whatever
 * its name; a workload sample's case has its workload's declared shape (`throughput` for a name no
 * workload declares, as in a record written by another version).
 */
export function caseShape(kind: 'workload' | 'lifecycle', workload: string): CaseShape {
  return kind === 'lifecycle' ? 'lifecycle' : (findWorkload(workload)?.shape ?? 'throughput');
}
