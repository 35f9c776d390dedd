// The LXD instance config of one isobench container: the run's budget in LXD's own keys, no NIC, the LXC confinement.
import type { Limits } from '../../model/record.js';
import { CPU_PERIOD_US } from './oci-spec.js';
import { CONFINEMENT_LINES, cgroupDirLines } from './lxc-config.js';

/** The image has no /sbin/init: pid 1 idles; readiness is checked with `lxc exec`. */
export const LXD_INIT = '/bin/sleep 2147483647';

/** What one LXD instance's config is made from. */
export interface LxdConfigInput {
  /** Instance name (also names its cgroups). */
  name: string;
  /** Run id, kept as `user.isobench.run`. */
  runId: string;
  /** Storage pool of the root disk. */
  pool: string;
  /** Host directory mounted read-write at /scratch, or null (probe). */
  scratch: string | null;
  /** CPU quota and memory limit. */
  limits: Limits;
  /** CPU list to pin to, or null. */
  cpuset: string | null;
}

/**
 * The run's budget as LXD keys. The CPU budget is a CFS quota (`limits.cpu.allowance`), the same
 * limit runc and docker get: LXD's `limits.cpu=N` would instead pin the instance to N CPUs of
 * LXD's choosing. `limits.cpu` is set only from `--pin`, as a CPU list, like runc's cpuset.
 */
export function lxdLimits(limits: Limits, cpuset: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (limits.cpus !== null)
    out['limits.cpu.allowance'] = `${Math.round((limits.cpus * CPU_PERIOD_US) / 1000)}ms/${CPU_PERIOD_US / 1000}ms`;
  // A single CPU must be written as a range: a bare number means "this many CPUs".
  if (cpuset !== null) out['limits.cpu'] = /^\d+$/.test(cpuset) ? `${cpuset}-${cpuset}` : cpuset;
  if (limits.memoryMiB !== null) out['limits.memory'] = `${limits.memoryMiB}MiB`;
  return out;
}

/**
 * The instance config given to `lxc launch` on its standard input: no profiles (so no NIC from
 * the default profile: the container has loopback only), a root disk on `pool`, the scratch
 * directory as a disk device, the budget, and through `raw.lxc` the same confinement as the
 * classic LXC engine (read-only root, no capabilities, no new privileges, a /tmp tmpfs) and
 * cgroups named after the instance. LXD keeps its defaults otherwise: an unprivileged container
 * (user namespace) with LXD's seccomp policy.
 */
export function lxdInstanceConfig(input: LxdConfigInput): {
  config: Record<string, string>;
  devices: Record<string, Record<string, string>>;
} {
  const devices: Record<string, Record<string, string>> = { root: { type: 'disk', path: '/', pool: input.pool } };
  if (input.scratch !== null) devices['scratch'] = { type: 'disk', path: '/scratch', source: input.scratch };
  return {
    config: {
      ...lxdLimits(input.limits, input.cpuset),
      'raw.lxc': [
        `lxc.init.cmd = ${LXD_INIT}`,
        'lxc.uts.name = isobench',
        ...CONFINEMENT_LINES,
        ...cgroupDirLines(input.name),
      ].join('\n'),
      'user.isobench.run': input.runId,
    },
    devices,
  };
}
