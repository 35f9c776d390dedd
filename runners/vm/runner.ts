// KVM guests (engine qemu): the host's kernel boots the workload image as its initramfs; TCG when KVM cannot.
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runProcess } from '../host/process.js';
import { which } from '../../lib/which.js';
import { imageFor } from '../image/build.js';
import {
  cachedKvmBoot,
  decideAccel,
  kvmProofFacts,
  proofText,
  type AccelDecision,
  type KvmBoot,
  type ProofSource,
} from './accel.js';
import { Guest, GuestError } from './guest.js';
import { initramfsFor } from './initramfs.js';
import { startVm, type Tracker, type VmSetup } from './instance.js';
import { findGuestKernel, pvhKernel } from './kernel.js';
import { DEFAULT_MACHINE, nameTag, parseQemuVersion } from './qemu.js';
import type { ProbeResult, RunContext, Runner } from '../types.js';

/** What does not depend on the accelerator: qemu, kernel, initramfs. */
type Base = Omit<VmSetup, 'accel' | 'cpu' | 'machine' | 'accelLabels' | 'kernelImage' | 'bootMode'> & {
  /** The compressed boot image from /boot. */
  vmlinuz: string;
  /** Its PVH-bootable ELF, or null with the reason. */
  pvh: { path: string } | { path: null; reason: string };
};

/** How long a KVM proof boot waits for the guest to be ready. */
const KVM_PROOF_TIMEOUT_MS = 15_000;

const bases = new Map<string, Promise<Base>>();
const decisions = new Map<string, Promise<AccelDecision & { proof: string }>>();

async function resolveBase(ctx: RunContext): Promise<Base> {
  const qemu = await which('qemu-system-x86_64');
  if (qemu === null) throw new Error('qemu-system-x86_64 not found on PATH (apt-get install qemu-system-x86)');
  const v = await runProcess([qemu, '--version'], { timeoutMs: 10_000, signal: ctx.signal });
  const qemuVersion = parseQemuVersion(v.stdout) ?? v.stdout.split('\n')[0] ?? 'unknown';
  const kernel = await findGuestKernel();
  const image = await imageFor(ctx.cacheDir, ctx.log);
  const initramfs = await initramfsFor(image, kernel, ctx.cacheDir, ctx.log, ctx.signal);
  const pvh = await pvhKernel(kernel, ctx.cacheDir, ctx.signal);
  if (pvh.path === null) ctx.log(`vm: ${pvh.reason}`);
  return {
    qemu,
    qemuVersion,
    kernelVersion: kernel.version,
    vmlinuz: kernel.vmlinuz,
    pvh,
    initramfs: initramfs.path,
    imageDigest: image.digest,
    sysbenchSha256: image.sysbenchSha256,
  };
}

/** Qemu, kernel and initramfs, resolved once per cache directory per process. */
function baseFor(ctx: RunContext): Promise<Base> {
  let p = bases.get(ctx.cacheDir);
  if (p === undefined) {
    p = resolveBase(ctx);
    bases.set(ctx.cacheDir, p);
    p.catch(() => bases.delete(ctx.cacheDir));
  }
  return p;
}

const machineOf = (ctx: RunContext) => ctx.options.vm.machine ?? DEFAULT_MACHINE;

/**
 * The kernel image qemu loads: the PVH vmlinux (no in-guest decompression: seconds faster under
 * TCG) unless the kernel has no PVH entry or option `vmBoot` is `bzImage`.
 */
function kernelImage(ctx: RunContext, base: Base): { kernelImage: string; bootMode: string } {
  if (base.pvh.path !== null && ctx.options.vm.boot !== 'bzImage')
    return { kernelImage: base.pvh.path, bootMode: 'pvh' };
  return { kernelImage: base.vmlinuz, bootMode: 'bzImage' };
}

/** Boots a throw-away guest under KVM to prove it works (a /dev/kvm that exists is not enough). */
async function bootWithKvm(ctx: RunContext, base: Base, cpu: string, tracker: Tracker): Promise<KvmBoot> {
  const tag = `${ctx.runId}-kvm-check-${cpu}-${process.pid}`; // pid: `isobench list` uses a fixed run id
  const dir = join(ctx.scratchRoot, tag);
  await mkdir(dir, { recursive: true });
  tracker.dir(tag, dir);
  const timeoutMs = ctx.hooks?.vmKvmCheckTimeoutMs ?? KVM_PROOF_TIMEOUT_MS;
  try {
    const g = await Guest.boot({
      config: {
        qemu: base.qemu,
        name: tag,
        accel: 'kvm',
        machine: machineOf(ctx),
        cpu,
        vcpus: 1,
        memoryMiB: 512,
        kernel: kernelImage(ctx, base).kernelImage,
        initramfs: base.initramfs,
        extraAppend: [`isobench.run=${ctx.runId}`],
        disk: null,
        pidfile: join(dir, 'qemu.pid'),
      },
      readyTimeoutMs: timeoutMs,
      onSpawn: (pid) => tracker.pid(tag, pid),
      signal: ctx.signal,
    });
    const readyMs = g.readyMs;
    await g.poweroff(10_000);
    return { ok: true, readyMs };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    // The kernel ran under KVM but was not ready in time: slow (a loaded host), not proven broken.
    if (err instanceof GuestError && err.bootProgress === 'kernel')
      return {
        ok: false,
        retry: true,
        reason: `${reason} (may be the host's load: not cached, proved again next time)`,
      };
    return { ok: false, reason };
  } finally {
    await rm(dir, { recursive: true, force: true });
    tracker.done(tag);
  }
}

/** The run's accelerator, decided once per (mode, machine, cpu choice) per process. */
function accelFor(ctx: RunContext, tracker: Tracker): Promise<AccelDecision & { proof: string }> {
  const mode = ctx.options.vm.accel;
  const cpus = ctx.options.vm.cpu !== null ? [ctx.options.vm.cpu] : ['host', 'qemu64'];
  const key = `${mode}|${machineOf(ctx)}|${cpus.join(',')}|${ctx.cacheDir}`;
  let p = decisions.get(key);
  if (p === undefined) {
    // The proof boots (~15 s each) are cached per boot of the machine, kernel, qemu, KVM module
    // and CPU; --vm-accel tcg never boots one, --vm-accel kvm uses the same proofs.
    p = baseFor(ctx).then(async (base) => {
      const facts = await kvmProofFacts({
        qemuVersion: base.qemuVersion,
        machine: machineOf(ctx),
        guestKernel: base.kernelVersion,
        proofTimeoutMs: ctx.hooks?.vmKvmCheckTimeoutMs ?? KVM_PROOF_TIMEOUT_MS,
      });
      const sources: ProofSource[] = [];
      const boot = cachedKvmBoot(
        join(ctx.cacheDir, 'vm'),
        facts,
        (cpu) => bootWithKvm(ctx, base, cpu, tracker),
        sources,
        ctx.signal,
      );
      const d = await decideAccel(mode, cpus, boot);
      return { ...d, proof: proofText(sources) };
    });
    decisions.set(key, p);
    p.catch(() => decisions.delete(key));
  }
  return p;
}

async function setupFor(ctx: RunContext, tracker: Tracker): Promise<VmSetup> {
  const base = await baseFor(ctx);
  const d = await accelFor(ctx, tracker);
  if (!d.ok) throw new Error(d.reason);
  const accelLabels: Record<string, string> = {};
  if (d.kvmModule !== null) accelLabels['kvm_module'] = d.kvmModule;
  if (d.fallbackReason !== null) accelLabels['accel_fallback_reason'] = d.fallbackReason;
  return {
    ...base,
    ...kernelImage(ctx, base),
    accel: d.accel,
    cpu: ctx.options.vm.cpu ?? d.cpu,
    machine: machineOf(ctx),
    accelLabels,
  };
}

/**
 * Whether `dir` is a VM instance dir (it holds a qemu pidfile); kills that qemu if it still runs,
 * only when the pid's command line names that pidfile (never a recycled pid).
 */
async function killByPidfile(dir: string): Promise<boolean> {
  const pidfile = join(dir, 'qemu.pid');
  const text = await readFile(pidfile, 'utf8').catch(() => null);
  if (text === null) return false;
  const pid = Number(text.trim());
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (Number.isInteger(pid) && pid > 1 && cmdline.split('\0').includes(pidfile)) await killAndWait(pid);
  return true;
}

/** Kills a tracked qemu pid, only if it still is the qemu named `tag`. */
async function killIfOurs(pid: number, tag: string): Promise<void> {
  const args = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
  const at = args.indexOf('-name');
  if (at >= 0 && nameTag(args[at + 1]) === tag) await killAndWait(pid);
}

async function killAndWait(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  for (let i = 0; i < 200; i++) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
    if (stat === null || / Z /.test(stat)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Creates the VM runner (engine qemu). */
export function vmRunner(): Runner {
  const pids = new Map<string, number>();
  const dirs = new Map<string, string>();
  const tracker: Tracker = {
    pid: (tag, pid) => pids.set(tag, pid),
    dir: (tag, dir) => dirs.set(tag, dir),
    done: (tag) => {
      pids.delete(tag);
      dirs.delete(tag);
    },
  };
  return {
    env: 'vm',
    engine: 'qemu',
    description:
      "a qemu guest booting the host's kernel with the workload image as initramfs (KVM when proven to work, else TCG)",
    async probe(ctx): Promise<ProbeResult> {
      const details: Record<string, string> = { machine: machineOf(ctx), disk_cache: ctx.options.vm.diskCache };
      try {
        await mkdir(ctx.scratchRoot, { recursive: true });
        const base = await baseFor(ctx);
        const k = kernelImage(ctx, base);
        Object.assign(details, {
          qemu: base.qemu,
          guest_kernel: base.kernelVersion,
          guest_boot: `${k.bootMode} ${k.kernelImage}`,
          initramfs: base.initramfs,
        });
        const d = await accelFor(ctx, tracker);
        if (d.kvmModule !== null) details['kvm_module'] = d.kvmModule;
        details['kvm_proof'] = d.proof;
        if (!d.ok) return { ok: false, reason: d.reason, details };
        details['accelerator'] = d.accel;
        details['cpu_model'] = ctx.options.vm.cpu ?? d.cpu;
        // The same words as the samples' emulation_note label (instance.ts).
        const emulation = d.accel === 'tcg' ? { note: 'TCG software emulation: not representative of KVM' } : null;
        return {
          ok: true,
          version: `qemu ${base.qemuVersion}`,
          details,
          emulation,
          ...(d.note !== null ? { note: d.note } : {}),
        };
      } catch (err) {
        return { ok: false, reason: err instanceof Error ? err.message : String(err), details };
      }
    },
    async start(ctx, spec) {
      return startVm(ctx, spec, await setupFor(ctx, tracker), tracker);
    },
    async cleanup(ctx) {
      for (const [tag, pid] of pids) await killIfOurs(pid, tag);
      // Also instances this process lost track of: this run's instance dirs that hold a qemu pidfile.
      const ours: string[] = [];
      for (const n of await readdir(ctx.scratchRoot).catch(() => [] as string[])) {
        const dir = join(ctx.scratchRoot, n);
        if (n.startsWith(`${ctx.runId}-`) && (await killByPidfile(dir))) ours.push(dir);
      }
      for (const dir of [...dirs.values(), ...ours]) await rm(dir, { recursive: true, force: true });
      pids.clear();
      dirs.clear();
    },
  };
}
