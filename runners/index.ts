// The environment registry: env names and their engines, the only place they are enumerated
// (container engines come from the engine table in container/engines.ts; OpenVZ, Virtuozzo and LXD VMs are probed only).
import { bareRunner } from './bare.js';
import { containerEngines } from './container/engines.js';
import { fakeRunner } from './fake.js';
import { openvzRunner, virtuozzoRunner } from './container/vz.js';
import { lxdVmRunner } from './vm/lxd.js';
import { vmRunner } from './vm/runner.js';
import type { Runner } from './types.js';

/** An environment kind with the engines that can provide it. */
interface EnvEntry {
  /** Engine name → factory. */
  engines: Record<string, () => Runner>;
  /** Engines used when `--engine` names none of this env's engines. */
  defaults: string[];
}

const REGISTRY: Record<string, EnvEntry> = {
  bare: { engines: { host: bareRunner }, defaults: ['host'] },
  container: { engines: { ...containerEngines, openvz: openvzRunner, virtuozzo: virtuozzoRunner }, defaults: ['runc'] },
  vm: { engines: { qemu: vmRunner, lxd: lxdVmRunner }, defaults: ['qemu'] },
  fake: {
    engines: {
      fake: () => fakeRunner('fake', 1),
      slow: () => fakeRunner('slow', 0.9),
      broken: () => fakeRunner('broken', 1, 'run'),
    },
    defaults: ['fake'],
  },
};

/** Environment names, in display order. */
export function envNames(): string[] {
  return Object.keys(REGISTRY);
}

/** Every engine name of every environment. */
export function engineNames(): string[] {
  return [...new Set(Object.values(REGISTRY).flatMap((e) => Object.keys(e.engines)))];
}

/** Environments a run uses when `--env` is not given: bare metal and one of each isolation layer. */
export const DEFAULT_ENVS = ['bare', 'container', 'vm'] as const;

/**
 * Runners for the chosen environments: each env gets the requested engines it knows, or its
 * defaults when none applies. Unknown names are the caller's to reject (see `envNames`).
 */
export function resolveRunners(envs: readonly string[], engines: readonly string[]): Runner[] {
  const out: Runner[] = [];
  for (const env of envs) {
    const entry = REGISTRY[env];
    if (entry === undefined) continue;
    const chosen = engines.filter((e) => e in entry.engines);
    for (const engine of chosen.length > 0 ? chosen : entry.defaults) {
      const make = entry.engines[engine];
      if (make) out.push(make());
    }
  }
  return out;
}
