// One VM instance: scratch disk, boot, identity and parity checks inside the guest, exec, stop.
import { processPssBytes } from '../host/memory.js';
import { lifecycle, type Measurement } from '../../model/metrics.js';
import { shellCommand } from '../../lib/text.js';
import { constants } from 'node:fs';
import { mkdir, open, readFile, rm, unlink } from 'node:fs/promises';
import { cpus as hostCpus } from 'node:os';
import { join } from 'node:path';
import { Guest, GuestError } from './guest.js';
import { argvScript, parseReadyFacts } from './protocol.js';
import { pinQemu } from './pinning.js';
import { isMmioMachine, type Accel, type QemuConfig } from './qemu.js';
import type { ExecResult, Instance, InstanceSpec, RunContext } from '../types.js';

/** Guest RAM when no memory limit is given. */
export const DEFAULT_MEMORY_MIB = 2048;
/** Guest RAM below which the image (held in RAM as the initramfs) leaves too little to run. */
export const MIN_MEMORY_MIB = 256;

/** What the runner has resolved once per run and every instance shares. */
export interface VmSetup {
  qemu: string;
  qemuVersion: string;
  kernelVersion: string;
  /** Image qemu loads: the PVH vmlinux or the bzImage. */
  kernelImage: string;
  /** `pvh` (vmlinux loaded directly) or `bzImage`. */
  bootMode: string;
  initramfs: string;
  imageDigest: string;
  sysbenchSha256: string;
  accel: Accel;
  cpu: string;
  machine: string;
  /** Labels describing the accelerator choice (fallback reason, KVM module). */
  accelLabels: Record<string, string>;
}

/** Hooks the runner uses to track what an instance created (pids, directories). */
export interface Tracker {
  pid(tag: string, pid: number): void;
  dir(tag: string, dir: string): void;
  done(tag: string): void;
}

/** vCPUs and RAM for a guest: the run's limits, or defaults (recorded as such). */
export function guestSize(limits: RunContext['limits']): { vcpus: number; memoryMiB: number; defaulted: string[] } {
  const defaulted: string[] = [];
  const vcpus =
    limits.cpus === null
      ? (defaulted.push('cpus=host'), Math.max(1, hostCpus().length))
      : Math.max(1, Math.ceil(limits.cpus));
  const memoryMiB =
    limits.memoryMiB === null
      ? (defaulted.push(`memory=${DEFAULT_MEMORY_MIB}MiB`), DEFAULT_MEMORY_MIB)
      : Math.floor(limits.memoryMiB);
  if (memoryMiB < MIN_MEMORY_MIB)
    throw new Error(
      `guest memory ${memoryMiB} MiB is below the ${MIN_MEMORY_MIB} MiB a guest needs (the workload ` +
        `image lives in its RAM)`,
    );
  return { vcpus, memoryMiB, defaulted };
}

/** Scratch disk size: the workload's need plus room for ext4 metadata and its journal. */
export function diskSizeMiB(scratchMiB: number): number {
  return scratchMiB + Math.ceil(scratchMiB * 0.1) + 128;
}

/** Throws a clear error when the host filesystem under `dir` cannot do O_DIRECT (needed by cache=none). */
export async function requireODirect(dir: string, cache: string): Promise<void> {
  const probe = join(dir, '.odirect-check');
  try {
    const fh = await open(probe, constants.O_RDWR | constants.O_CREAT | constants.O_DIRECT, 0o600);
    await fh.close();
  } catch (err) {
    throw new Error(
      `--disk-cache ${cache} needs O_DIRECT, which the filesystem holding ${dir} does not support (` +
        `${(err as Error).message}); use --disk-cache writeback or put --out on another filesystem`,
      { cause: err },
    );
  } finally {
    await unlink(probe).catch(() => undefined);
  }
}

/** Host TSC frequency in kHz from /proc/cpuinfo (microvm under TCG cannot calibrate it). */
async function hostTscKhz(): Promise<number | null> {
  const mhz = /^cpu MHz\s*:\s*([0-9.]+)/m.exec(await readFile('/proc/cpuinfo', 'utf8').catch(() => ''))?.[1];
  return mhz === undefined ? null : Math.round(Number(mhz) * 1000);
}

const SCRATCH_SETUP = (modules: string) =>
  `set -e
while read -r ko; do insmod "$ko"; done < ${modules}
i=0
while [ ! -b /dev/vda ]; do i=$((i + 1)); [ $i -lt 1000 ] || { echo "no /dev/vda after loading virtio_blk" >&2; exit 4; }; sleep 0.01; done
/usr/sbin/mke2fs -q -F -t ext4 -m 0 -E lazy_itable_init=0,lazy_journal_init=0 /dev/vda
mount -t ext4 /dev/vda /scratch
`;

/** Boots one guest for `spec` and returns it as an Instance. */
export async function startVm(ctx: RunContext, spec: InstanceSpec, setup: VmSetup, track: Tracker): Promise<Instance> {
  const size = guestSize(ctx.limits);
  const dir = join(ctx.scratchRoot, spec.tag);
  await mkdir(dir, { recursive: true });
  track.dir(spec.tag, dir);
  let guest: Guest | undefined;
  try {
    const cache = ctx.options.vm.diskCache;
    let disk: QemuConfig['disk'] = null;
    if (spec.scratchMiB > 0) {
      if (cache === 'none' || cache === 'directsync') await requireODirect(dir, cache);
      const path = join(dir, 'scratch.raw');
      const fh = await open(path, 'w', 0o600);
      await fh.truncate(diskSizeMiB(spec.scratchMiB) * 1024 * 1024); // sparse
      await fh.close();
      disk = { path, cache };
    }
    const extra = [`isobench.run=${ctx.runId}`, `isobench.tag=${spec.tag}`];
    if (isMmioMachine(setup.machine) && setup.accel === 'tcg') {
      const khz = await hostTscKhz();
      if (khz !== null) extra.push(`tsc_early_khz=${khz}`);
    }
    if (ctx.hooks?.vmHangBeforeReady === true) extra.push('isobench.hang=ready');
    const config: QemuConfig = {
      qemu: setup.qemu,
      name: spec.tag,
      accel: setup.accel,
      machine: setup.machine,
      cpu: setup.cpu,
      vcpus: size.vcpus,
      memoryMiB: size.memoryMiB,
      kernel: setup.kernelImage,
      initramfs: setup.initramfs,
      extraAppend: extra,
      disk,
      pidfile: join(dir, 'qemu.pid'),
      cpuset: ctx.cpuset,
    };
    const readyTimeoutMs = ctx.hooks?.vmReadyTimeoutMs ?? (setup.accel === 'kvm' ? 30_000 : 120_000);
    guest = await Guest.boot({
      config,
      readyTimeoutMs,
      onSpawn: (pid) => track.pid(spec.tag, pid),
      signal: ctx.signal,
    });
    const facts = parseReadyFacts(guest.readyText);
    const fail = (msg: string) => new GuestError(msg, (guest as Guest).consoleTail());
    if (facts.sha256 !== setup.sysbenchSha256)
      throw fail(
        `sysbench inside the guest has sha256 ${String(facts.sha256)}, the image's is ${setup.sysbenchSha256}`,
      );
    if (!(facts.cmdline ?? '').split(' ').includes(`isobench.run=${ctx.runId}`))
      throw fail(`the guest's /proc/cmdline lacks isobench.run=${ctx.runId}: ${String(facts.cmdline)}`);
    let pinning = 'none: qemu threads run on every host CPU (no --pin)';
    if (ctx.cpuset !== null) {
      if (guest.pid === undefined) throw fail('qemu has no pid to pin');
      pinning = await pinQemu(guest.pid, ctx.cpuset).catch((err: unknown) => {
        throw fail(err instanceof Error ? err.message : String(err));
      });
    }
    if (/jiffies/.test(facts.clocksource ?? ''))
      ctx.log(
        `vm ${spec.tag}: the guest clock runs on ${String(facts.clocksource)}, which loses ticks under ` +
          `load: time-bounded results are unreliable (try --vm-machine q35)`,
      );
    const startup: Measurement[] = [lifecycle('startup_ms', guest.readyMs)];
    if (guest.kernelUpMs !== null) startup.push(lifecycle('kernel_up_ms', guest.kernelUpMs));
    if (facts.uptimeS !== null) startup.push(lifecycle('guest_uptime_at_ready_ms', facts.uptimeS * 1000));
    const pssBytes = guest.pid === undefined ? null : processPssBytes(guest.pid);
    const pss = pssBytes === null ? null : pssBytes / 2 ** 20;
    if (pss !== null) startup.push(lifecycle('instance_memory_MiB', pss));
    let scratchSetupMs: number | null = null;
    if (disk !== null) {
      const r = await guest.run(SCRATCH_SETUP('/isobench/vm/modules-disk'), '/', 300_000);
      if (r.frame === null) throw fail('formatting the scratch disk timed out; guest killed');
      if (r.frame.exitCode !== 0)
        throw fail(`setting up the scratch disk failed (exit ${r.frame.exitCode}): ${r.frame.stderr.trim()}`);
      scratchSetupMs = r.durationMs;
    }
    const labels: Record<string, string> = {
      accelerator: setup.accel,
      machine: setup.machine,
      vm_cpu_model: setup.cpu,
      qemu_version: setup.qemuVersion,
      guest_kernel: facts.kernel ?? setup.kernelVersion,
      guest_clocksource: facts.clocksource ?? 'unknown',
      guest_boot: `${setup.bootMode} ${setup.kernelImage}`,
      qemu_cmdline: shellCommand([setup.qemu, ...guest.args]),
      disk_cache: cache,
      scratch_disk:
        disk === null ? 'none' : `virtio-blk raw sparse ${diskSizeMiB(spec.scratchMiB)} MiB, ext4, cache=${cache}`,
      ...(scratchSetupMs !== null ? { scratch_setup_ms: scratchSetupMs.toFixed(0) } : {}),
      image_digest: setup.imageDigest,
      sysbench_sha256: setup.sysbenchSha256, // verified equal inside the guest above
      vm_vcpus: String(size.vcpus),
      cpuset: ctx.cpuset ?? 'all',
      vcpu_pinning: pinning,
      vm_memory_MiB: String(size.memoryMiB),
      ...(size.defaulted.length > 0 ? { vm_size_defaults: size.defaulted.join(',') } : {}),
      effective_cpus: String(facts.nproc),
      effective_memory_MiB: facts.memTotalKiB === null ? 'unknown' : String(Math.round(facts.memTotalKiB / 1024)),
      emulated: String(setup.accel === 'tcg'),
      ...(setup.accel === 'tcg' ? { emulation_note: 'TCG software emulation: not representative of KVM' } : {}),
      ...setup.accelLabels,
    };
    return instance(guest, labels, startup, dir, spec.tag, track);
  } catch (err) {
    await guest?.kill();
    await rm(dir, { recursive: true, force: true });
    track.done(spec.tag);
    throw err;
  }
}

function instance(
  guest: Guest,
  labels: Record<string, string>,
  startup: Measurement[],
  dir: string,
  tag: string,
  track: Tracker,
): Instance {
  let stopped = false;
  const pid = guest.pid;
  return {
    labels,
    startup,
    readyAt: guest.readyAt,
    ...(pid === undefined
      ? {}
      : {
          memory: {
            method:
              `qemu PSS (/proc/<pid>/smaps_rollup)` +
              `${labels['accelerator'] === 'tcg' ? ', TCG translation cache included' : ''}`,
            bytes: () => processPssBytes(pid),
          },
        }),
    async exec(req): Promise<ExecResult> {
      const r = await guest.run(argvScript(req.argv), req.inScratch ? '/scratch' : '/', req.timeoutMs);
      if (r.frame === null) {
        return {
          stdout: '',
          stderr:
            `no answer from the guest within ${req.timeoutMs} ms; qemu (pid ${String(guest.pid)}) killed. ` +
            `Console tail:\n${guest.consoleTail(1500)}`,
          exitCode: null,
          durationMs: r.durationMs,
          timedOut: true,
        };
      }
      return {
        stdout: r.frame.stdout,
        stderr: r.frame.stderr,
        exitCode: r.frame.exitCode,
        durationMs: r.durationMs,
        timedOut: false,
      };
    },
    async stop() {
      if (stopped) return [];
      stopped = true;
      const t0 = performance.now();
      try {
        await guest.poweroff(15_000);
      } finally {
        await rm(dir, { recursive: true, force: true });
        track.done(tag);
      }
      return [lifecycle('teardown_ms', performance.now() - t0)];
    },
  };
}
