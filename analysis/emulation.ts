// Whether an environment ran emulated, and why: the one place that answers it, from the environment's probe.
import type { Emulation, RunRecord } from '../model/record.js';

/** The emulation of environment `envId` (`env:engine`): null when it ran on the real thing or was never probed. */
export function emulationOf(record: RunRecord, envId: string): Emulation | null {
  return record.probes.find((p) => p.id === envId)?.emulation ?? null;
}
