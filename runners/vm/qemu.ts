// The qemu command line of a guest: machine, accelerator, kernel, console, command port, scratch disk.
import { VM_INIT_PATH, VM_PORT_NAME } from './init-script.js';

/** Accelerators isobench runs guests with. */
export type Accel = 'kvm' | 'tcg';

/**
 * Machine type used when `--vm-machine` is not given. Measured under TCG on a 2-core host, boots
 * interleaved (PVH kernel): q35 median 3.98 s, pc 4.65 s (n=16 each); microvm,pit=on,pic=on,rtc=on
 * was about as fast but its guest falls back to the refined-jiffies clocksource, which loses time
 * under load — no good for time-bounded sysbench runs.
 */
export const DEFAULT_MACHINE = 'q35';

/** The qemu fd carrying the command port: the caller spawns qemu with a connected socket there. */
export const COMMAND_FD = 3;

/** Everything that shapes one guest's command line. */
export interface QemuConfig {
  /** qemu-system-x86_64 path. */
  qemu: string;
  /** `-name` (the instance tag). */
  name: string;
  accel: Accel;
  /** Machine type with options, e.g. `pc`, `q35`, `microvm,pit=on,pic=on,rtc=on`. */
  machine: string;
  /** `-cpu` model (`host` under KVM, `max` under TCG unless chosen). */
  cpu: string;
  vcpus: number;
  memoryMiB: number;
  /** Kernel image (PVH vmlinux or bzImage). */
  kernel: string;
  initramfs: string;
  /** Extra kernel parameters after the fixed ones. */
  extraAppend: string[];
  /** Scratch disk, or null for none. */
  disk: { path: string; cache: string } | null;
  /** File qemu writes its pid to. */
  pidfile: string;
  /** CPU list every qemu thread (vCPUs, main loop, I/O workers) is confined to (`--pin`), or null/absent for none. */
  cpuset?: string | null;
}

/** Whether a machine type uses virtio-mmio instead of PCI. */
export function isMmioMachine(machine: string): boolean {
  return /^microvm(,|$)/.test(machine);
}

/** The guest kernel command line. */
export function kernelCmdline(c: Pick<QemuConfig, 'extraAppend'>): string {
  return ['console=ttyS0', 'loglevel=6', 'panic=-1', `rdinit=${VM_INIT_PATH}`, ...c.extraAppend].join(' ');
}

/** Arguments of qemu-system-x86_64 (without the program). */
export function qemuArgs(c: QemuConfig): string[] {
  const bus = isMmioMachine(c.machine) ? 'device' : 'pci';
  const args = [
    // debug-threads names the vCPU threads `CPU n/KVM` or `CPU n/TCG`, so pinning can be checked per vCPU.
    '-name',
    `${c.name},debug-threads=on`,
    '-machine',
    c.machine,
    '-accel',
    c.accel,
    '-cpu',
    c.cpu,
    '-smp',
    String(c.vcpus),
    '-m',
    `${c.memoryMiB}M`,
    '-nodefaults',
    '-no-user-config',
    '-display',
    'none',
    '-monitor',
    'none',
    '-no-reboot',
    '-nic',
    'none',
    '-kernel',
    c.kernel,
    '-initrd',
    c.initramfs,
    '-append',
    kernelCmdline(c),
    // Kernel console on qemu's stdout; commands on a separate virtio-serial port whose host end
    // is fd 3, a socket the caller passes in (no path in the filesystem, no name to collide).
    '-chardev',
    'stdio,id=con,signal=off',
    '-serial',
    'chardev:con',
    '-chardev',
    `socket,id=cmd,fd=${COMMAND_FD}`,
    '-device',
    `virtio-serial-${bus}`,
    '-device',
    `virtserialport,chardev=cmd,name=${VM_PORT_NAME}`,
  ];
  if (c.disk !== null) {
    if (/[,\s]/.test(c.disk.path))
      throw new Error(
        `scratch disk path '${c.disk.path}' contains a comma or space, which qemu's -drive syntax cannot take`,
      );
    args.push(
      '-drive',
      `file=${c.disk.path},if=none,id=scratch,format=raw,cache=${c.disk.cache}`,
      '-device',
      `virtio-blk-${bus},drive=scratch`,
    );
  }
  args.push('-pidfile', c.pidfile);
  return args;
}

/**
 * The program and arguments to spawn: qemu itself, or under `taskset -c <cpuset>` when pinned, so
 * that every thread qemu creates (vCPUs, I/O workers) inherits the affinity from the start, as a
 * bare-metal process under taskset and a container in its cpuset do. taskset execs qemu: the pid
 * and the command line stay qemu's.
 */
export function spawnArgv(c: QemuConfig): [string, string[]] {
  const args = qemuArgs(c);
  return c.cpuset === undefined || c.cpuset === null ? [c.qemu, args] : ['taskset', ['-c', c.cpuset, c.qemu, ...args]];
}

/** The `-name` value's instance tag (before qemu's `,debug-threads=on`). */
export function nameTag(nameArg: string | undefined): string | undefined {
  return nameArg?.split(',')[0];
}

/** The major.minor.patch of `qemu-system-x86_64 --version` output. */
export function parseQemuVersion(text: string): string | null {
  return /QEMU emulator version (\S+)/.exec(text)?.[1] ?? null;
}
