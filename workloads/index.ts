// The workload registry: names on the command line map to declarative workload objects.
import { cpu } from './cpu.js';
import { fileio } from './fileio.js';
import { memory } from './memory.js';
import type { MetricInfo, Workload } from './types.js';

/** Every workload, in the order `isobench list` shows them. */
export const WORKLOADS: readonly Workload[] = [cpu, memory, fileio];

/** Lifecycle metrics recorded for every instance under the pseudo-workload `startup`. */
export const LIFECYCLE_METRICS: Record<string, MetricInfo> = {
  startup_ms: { unit: 'ms', better: 'lower', description: 'Host-side time from spawning the engine to the payload announcing it is ready.' },
  kernel_up_ms: { unit: 'ms', better: 'lower', description: 'Host-side time from spawning qemu to the first guest kernel output.' },
  guest_uptime_at_ready_ms: { unit: 'ms', better: 'lower', description: "The guest's own clock (uptime) when it announced ready." },
  teardown_ms: { unit: 'ms', better: 'lower', description: 'Host-side time to stop the instance and remove what it created.' },
  instance_memory_MiB: { unit: 'MiB', better: 'lower', description: 'Host memory held by one idle instance (cgroup usage for containers, PSS of qemu for guests).' },
};

/** Looks a workload up by name. */
export function findWorkload(name: string): Workload | undefined {
  return WORKLOADS.find((w) => w.name === name);
}

/** Metric catalogue of every workload plus lifecycle metrics. */
export function metricCatalogue(): Record<string, MetricInfo> {
  const all: Record<string, MetricInfo> = { ...LIFECYCLE_METRICS };
  for (const w of WORKLOADS) Object.assign(all, w.metrics);
  return all;
}
