// LXC configuration of one isobench container (classic LXC, and the raw.lxc lines LXD passes to the same liblxc).
import { join } from 'node:path';
import type { Limits } from '../../model/record.js';
import { CPU_PERIOD_US } from './oci-spec.js';

/** Lines both engines give liblxc: read-only root, no capabilities, no new privileges, a /tmp tmpfs. */
export const CONFINEMENT_LINES = [
  'lxc.rootfs.options = ro',
  'lxc.cap.keep = none',
  'lxc.no_new_privs = 1',
  'lxc.mount.entry = tmpfs tmp tmpfs rw,nosuid,nodev,size=64m 0 0',
];

/**
 * cgroup directories named after the container, so the run owns exactly them: the payload's
 * (`<name>`), liblxc's monitor (`<name>.monitor`) and the one the monitor moves into while it tears
 * down (`<name>.pivot`, which liblxc otherwise shares between all containers as `lxc.pivot`).
 */
export function cgroupDirLines(name: string): string[] {
  return [
    `lxc.cgroup.dir.container = ${name}`,
    `lxc.cgroup.dir.monitor = ${name}.monitor`,
    `lxc.cgroup.dir.monitor.pivot = ${name}.pivot`,
  ];
}

/** Host directories `cgroupDirLines(name)` makes in each hierarchy mounted at `mountPoints`, children first. */
export function cgroupDirsOf(name: string, mountPoints: readonly string[]): string[] {
  return mountPoints.flatMap((m) => [
    join(m, name),
    join(m, `${name}.monitor`),
    join(m, `${name}.pivot`, 'lxc.pivot'),
    join(m, `${name}.pivot`),
  ]);
}

/** Where each cgroup controller lives: the v1 hierarchies' controllers (all others are on v2). */
export type V1Controllers = ReadonlySet<string>;

/** The run's budget as LXC cgroup keys: `lxc.cgroup.*` for controllers on v1, `lxc.cgroup2.*` for v2. */
export function limitLines(limits: Limits, cpuset: string | null, v1: V1Controllers): string[] {
  const out: string[] = [];
  if (limits.cpus !== null) {
    const quota = Math.round(limits.cpus * CPU_PERIOD_US);
    out.push(
      ...(v1.has('cpu')
        ? [`lxc.cgroup.cpu.cfs_period_us = ${CPU_PERIOD_US}`, `lxc.cgroup.cpu.cfs_quota_us = ${quota}`]
        : [`lxc.cgroup2.cpu.max = ${quota} ${CPU_PERIOD_US}`]),
    );
  }
  if (cpuset !== null) out.push(`${v1.has('cpuset') ? 'lxc.cgroup' : 'lxc.cgroup2'}.cpuset.cpus = ${cpuset}`);
  if (limits.memoryMiB !== null) {
    const bytes = limits.memoryMiB * 2 ** 20;
    out.push(v1.has('memory') ? `lxc.cgroup.memory.limit_in_bytes = ${bytes}` : `lxc.cgroup2.memory.max = ${bytes}`);
  }
  return out;
}

/** The devices a container may open (as the OCI runtimes allow by default): null, zero, full, random, urandom, tty, console, ptmx, pts. */
export function deviceLines(v1: V1Controllers): string[] {
  const key = v1.has('devices') ? 'lxc.cgroup.devices' : 'lxc.cgroup2.devices';
  return [
    `${key}.deny = a`,
    ...[
      'c 1:3 rwm',
      'c 1:5 rwm',
      'c 1:7 rwm',
      'c 1:8 rwm',
      'c 1:9 rwm',
      'c 5:0 rwm',
      'c 5:1 rwm',
      'c 5:2 rwm',
      'c 136:* rwm',
    ].map((d) => `${key}.allow = ${d}`),
  ];
}

/** A path as an fstab field (`lxc.mount.entry`): whitespace and backslashes escaped in octal. */
export function fstabPath(path: string): string {
  return path.replace(/[\s\\]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
}

/** What one classic LXC container's config is made from. */
export interface LxcConfigInput {
  /** Container name (also names its cgroups). */
  name: string;
  /** Image root filesystem directory, mounted read-only and shared by every container. */
  rootfs: string;
  /** Host directory bind-mounted read-write at /scratch, or null (probe). */
  scratch: string | null;
  /** CPU quota and memory limit. */
  limits: Limits;
  /** CPU list for the cpuset, or null for every CPU. */
  cpuset: string | null;
  /** Controllers on cgroup v1 hierarchies of this host. */
  v1: V1Controllers;
}

/**
 * The full config of a classic LXC container: the namespaces LXC always creates (pid, mount, uts,
 * ipc, cgroup) plus a network namespace with loopback only (`empty`), the image as a read-only
 * root, /proc and /sys mounted the way LXC's own templates do (`proc:mixed sys:ro`), no console,
 * no seccomp profile (like the OCI bundle), and the run's budget.
 */
export function lxcConfig(input: LxcConfigInput): string {
  return [
    `# isobench container ${input.name}`,
    'lxc.uts.name = isobench',
    `lxc.rootfs.path = dir:${input.rootfs}`,
    'lxc.net.0.type = empty',
    'lxc.autodev = 1',
    'lxc.mount.auto = proc:mixed sys:ro cgroup:ro',
    'lxc.console.path = none',
    'lxc.tty.max = 0',
    'lxc.environment = PATH=/usr/sbin:/usr/bin:/sbin:/bin',
    'lxc.environment = HOME=/root',
    ...CONFINEMENT_LINES,
    ...(input.scratch !== null
      ? [`lxc.mount.entry = ${fstabPath(input.scratch)} scratch none rw,bind,nosuid,nodev 0 0`]
      : []),
    ...cgroupDirLines(input.name),
    ...deviceLines(input.v1),
    ...limitLines(input.limits, input.cpuset, input.v1),
    '',
  ].join('\n');
}
