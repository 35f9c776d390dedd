// What every container engine shares: one removal per container however many callers race for it,
// an Instance whose stop() removes the container once, and a cleanup over everything still owned.
import { lifecycle, type Measurement } from '../../model/metrics.js';
import type { ExecRequest, ExecResult, Instance, InstanceMemory } from '../types.js';

/**
 * Wraps `removeNow` so that concurrent calls for the same name share one removal
 * (stop() and a signal's cleanup() may both get there).
 */
export function sharedRemoval<T>(
  nameOf: (item: T) => string,
  removeNow: (item: T) => Promise<void>,
): (item: T) => Promise<void> {
  const inFlight = new Map<string, Promise<void>>();
  return (item) => {
    const name = nameOf(item);
    let p = inFlight.get(name);
    if (p === undefined) {
      p = removeNow(item).finally(() => inFlight.delete(name));
      inFlight.set(name, p);
    }
    return p;
  };
}

/** A started container (ready at `readyAt`, see Instance): `stop()` runs `remove` once and reports its duration as `teardown_ms`. */
export function containerInstance(
  labels: Record<string, string>,
  startup: Measurement[],
  readyAt: number,
  exec: (req: ExecRequest) => Promise<ExecResult>,
  remove: () => Promise<void>,
  memory?: InstanceMemory,
): Instance {
  let stopped = false;
  return {
    labels,
    startup,
    readyAt,
    ...(memory ? { memory } : {}),
    exec,
    async stop() {
      if (stopped) return [];
      stopped = true;
      const t0 = performance.now();
      await remove(); // also when cleanup() got there first: a start racing it may have left one
      return [lifecycle('teardown_ms', performance.now() - t0)];
    },
  };
}

/** Removes every item, then throws one error naming all that failed. */
export async function removeAll<T>(
  engine: string,
  items: Iterable<T>,
  remove: (item: T) => Promise<void>,
): Promise<void> {
  const errors: string[] = [];
  for (const item of [...items]) await remove(item).catch((err: unknown) => errors.push(String(err)));
  if (errors.length > 0) throw new Error(`cleanup of ${engine} containers failed: ${errors.join('; ')}`);
}
