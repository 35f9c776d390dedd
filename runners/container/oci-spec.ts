// The OCI runtime config (config.json) of one isobench container, shared by runc and crun.
import type { Limits } from '../../model/record.js';

/** What one container's config.json is made from. */
export interface OciSpecInput {
  /** Image root filesystem directory, mounted read-only and shared by every container. */
  rootfs: string;
  /** Host directory bind-mounted read-write at /scratch (the same filesystem bare metal uses). */
  scratch: string;
  /** The container's process (pid 1). */
  args: string[];
  /** Absolute cgroup path (e.g. `/isobench-<tag>`), so the run owns exactly that cgroup. */
  cgroupsPath: string;
  /** Hostname inside the UTS namespace. */
  hostname: string;
  /** CPU quota and memory limit. */
  limits: Limits;
  /** CPU list for the cpuset, or null for every CPU. */
  cpuset: string | null;
}

/** CFS period used with the CPU quota (the kernel default, 100 ms). */
export const CPU_PERIOD_US = 100_000;

/**
 * Capabilities kept in the container: none. sysbench cpu/memory need no privilege and fileio
 * writes in /scratch, a directory owned by the container's uid 0 (no user namespace).
 */
export const KEPT_CAPABILITIES: string[] = [];

/** Namespaces every container gets (network: a new one with loopback only). */
export const NAMESPACES = ['pid', 'network', 'ipc', 'uts', 'mount', 'cgroup'] as const;

const NOSUID_NOEXEC_NODEV = ['nosuid', 'noexec', 'nodev'];

/** Builds the OCI runtime spec (version 1.0.2) for one container. */
export function ociSpec(input: OciSpecInput): Record<string, unknown> {
  const caps = [...KEPT_CAPABILITIES];
  const resources: Record<string, unknown> = { devices: [{ allow: false, access: 'rwm' }] };
  const cpu: Record<string, unknown> = {};
  if (input.limits.cpus !== null) {
    cpu['quota'] = Math.round(input.limits.cpus * CPU_PERIOD_US);
    cpu['period'] = CPU_PERIOD_US;
  }
  if (input.cpuset !== null) cpu['cpus'] = input.cpuset;
  if (Object.keys(cpu).length > 0) resources['cpu'] = cpu;
  if (input.limits.memoryMiB !== null) resources['memory'] = { limit: input.limits.memoryMiB * 2 ** 20 };
  return {
    ociVersion: '1.0.2',
    process: {
      terminal: false,
      user: { uid: 0, gid: 0 },
      args: input.args,
      env: ['PATH=/usr/sbin:/usr/bin:/sbin:/bin', 'HOME=/root'],
      cwd: '/',
      capabilities: { bounding: caps, effective: caps, permitted: caps, ambient: caps },
      noNewPrivileges: true,
    },
    root: { path: input.rootfs, readonly: true },
    hostname: input.hostname,
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc' },
      {
        destination: '/dev',
        type: 'tmpfs',
        source: 'tmpfs',
        options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'],
      },
      {
        destination: '/dev/pts',
        type: 'devpts',
        source: 'devpts',
        options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620'],
      },
      {
        destination: '/dev/shm',
        type: 'tmpfs',
        source: 'shm',
        options: [...NOSUID_NOEXEC_NODEV, 'mode=1777', 'size=65536k'],
      },
      { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: NOSUID_NOEXEC_NODEV },
      { destination: '/sys', type: 'sysfs', source: 'sysfs', options: [...NOSUID_NOEXEC_NODEV, 'ro'] },
      {
        destination: '/sys/fs/cgroup',
        type: 'cgroup',
        source: 'cgroup',
        options: [...NOSUID_NOEXEC_NODEV, 'relatime', 'ro'],
      },
      { destination: '/tmp', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', 'mode=1777', 'size=65536k'] },
      { destination: '/scratch', type: 'bind', source: input.scratch, options: ['rbind', 'rw', 'nosuid', 'nodev'] },
    ],
    linux: {
      cgroupsPath: input.cgroupsPath,
      resources,
      namespaces: NAMESPACES.map((type) => ({ type })),
      maskedPaths: [
        '/proc/acpi',
        '/proc/asound',
        '/proc/kcore',
        '/proc/keys',
        '/proc/latency_stats',
        '/proc/timer_list',
        '/proc/timer_stats',
        '/proc/sched_debug',
        '/sys/firmware',
        '/proc/scsi',
      ],
      readonlyPaths: ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
    },
  };
}
