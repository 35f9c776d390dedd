// Chooses the accelerator: KVM only when a guest has actually booted to ready under it, else TCG, saying why.
import { writeAtomic } from '../../lib/atomic.js';
import { sha256Text } from '../../lib/hash.js';
import { access, constants, mkdir, readdir, readFile } from 'node:fs/promises';
import { release } from 'node:os';
import { join } from 'node:path';
import type { VmAccel } from '../../model/options.js';
import type { Accel } from './qemu.js';

/**
 * The outcome of one trial boot under KVM with a CPU model. `retry`: the failure may be the
 * host's load rather than KVM (the kernel started but the guest was not ready in time), so it
 * decides this run but is not cached.
 */
export type KvmBoot = { ok: true; readyMs: number } | { ok: false; reason: string; retry?: boolean };

/** The accelerator decision for a run. */
export type AccelDecision =
  | {
      ok: true;
      accel: Accel;
      /** CPU model to use (`host`, or a fallback model KVM could boot). */
      cpu: string;
      /** Why this accelerator (always set when KVM was not used under `auto`). */
      note: string | null;
      /** Why KVM was not used, for labels; null when it was. */
      fallbackReason: string | null;
      /** Loaded KVM module, when known. */
      kvmModule: string | null;
    }
  | { ok: false; reason: string; kvmModule: string | null };

/** TCG CPU model: every feature qemu can emulate. */
export const TCG_CPU = 'max';

/** Name of the loaded KVM vendor module: /proc/modules, or /sys/module when modules are built in. */
export async function kvmModuleName(): Promise<string | null> {
  let names: string[] = [];
  try {
    names = (await readFile('/proc/modules', 'utf8')).split('\n').map((l) => l.split(' ')[0] ?? '');
  } catch {
    try {
      names = await readdir('/sys/module');
    } catch {
      return null;
    }
  }
  const kvm = names.filter((n) => /^kvm(_|$)/.test(n));
  return kvm.find((n) => n !== 'kvm') ?? kvm[0] ?? null;
}

/** Why /dev/kvm cannot be used by this user, or null when it can be opened. */
export async function kvmDeviceProblem(): Promise<string | null> {
  try {
    await access('/dev/kvm', constants.R_OK | constants.W_OK);
    return null;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT'
      ? '/dev/kvm does not exist'
      : '/dev/kvm is not readable and writable by this user';
  }
}

/**
 * Decides the accelerator. `bootWithKvm(cpu)` boots a throw-away guest under KVM and reports
 * whether it reached ready in time. `cpus` are the models to try, in order (the first is the
 * one a benchmark wants: `host`).
 */
export async function decideAccel(
  mode: VmAccel,
  cpus: readonly string[],
  bootWithKvm: (cpu: string) => Promise<KvmBoot>,
  host: { kvmModule: () => Promise<string | null>; deviceProblem: () => Promise<string | null> } = {
    kvmModule: kvmModuleName,
    deviceProblem: kvmDeviceProblem,
  },
): Promise<AccelDecision> {
  const kvmModule = await host.kvmModule();
  if (mode === 'tcg') {
    return {
      ok: true,
      accel: 'tcg',
      cpu: TCG_CPU,
      note: 'TCG forced by --vm-accel tcg: software emulation, not representative of KVM',
      fallbackReason: 'forced by --vm-accel tcg',
      kvmModule,
    };
  }
  const module = kvmModule === null ? 'no KVM module loaded' : `host KVM module ${kvmModule}`;
  const device = await host.deviceProblem();
  let why: string;
  if (device !== null) {
    why = `${device} (${module})`;
  } else {
    const failures: string[] = [];
    for (const cpu of cpus) {
      const r = await bootWithKvm(cpu);
      if (r.ok) {
        const note =
          failures.length > 0
            ? `KVM works with -cpu ${cpu} (guest ready in ${(r.readyMs / 1000).toFixed(1)} s) but not with ` +
              `${failures.join('; ')}`
            : null;
        return { ok: true, accel: 'kvm', cpu, note, fallbackReason: null, kvmModule };
      }
      failures.push(`-cpu ${cpu}: ${r.reason}`);
    }
    why = `/dev/kvm exists (${module}) but no guest booted to ready under -accel kvm: ${failures.join('; ')}`;
  }
  if (mode === 'kvm') return { ok: false, reason: `KVM forced by --vm-accel kvm and not usable: ${why}`, kvmModule };
  return {
    ok: true,
    accel: 'tcg',
    cpu: TCG_CPU,
    kvmModule,
    fallbackReason: why,
    note: `KVM unusable, guests run under TCG software emulation (not representative of KVM): ${why}`,
  };
}

/** What a KVM proof boot's outcome depends on; any change (a reboot included) means proving again. */
export interface KvmProofFacts {
  /** /proc/sys/kernel/random/boot_id: this boot of the machine. */
  bootId: string;
  /** Host kernel release. */
  hostKernel: string;
  /** qemu's version. */
  qemuVersion: string;
  /** Loaded KVM module (kvm_intel, kvm_amd, kvm_pvm…), or null. */
  kvmModule: string | null;
  /** Host CPU model name. */
  cpuModel: string;
  /** Guest machine type and guest kernel version the proof booted. */
  machine: string;
  guestKernel: string;
  /** How long the proof boot waited for ready (a test's shorter wait proves something else). */
  proofTimeoutMs: number;
}

/** The cache key of a proof: sha256 of the facts (and the guest CPU model tried), hex. */
export function kvmProofKey(facts: KvmProofFacts, cpu: string): string {
  const f = { ...facts, cpu };
  const text = JSON.stringify(
    Object.keys(f)
      .sort()
      .map((k) => [k, f[k as keyof typeof f]]),
  );
  return sha256Text(text);
}

/** This machine's facts for the proof key, given what the runner already knows. */
export async function kvmProofFacts(known: {
  qemuVersion: string;
  machine: string;
  guestKernel: string;
  proofTimeoutMs: number;
}): Promise<KvmProofFacts> {
  const bootId = (await readFile('/proc/sys/kernel/random/boot_id', 'utf8').catch(() => 'unknown')).trim();
  const cpuModel =
    /^model name\s*:\s*(.*)$/m.exec(await readFile('/proc/cpuinfo', 'utf8').catch(() => ''))?.[1]?.trim() ?? 'unknown';
  return { bootId, hostKernel: release(), kvmModule: await kvmModuleName(), cpuModel, ...known };
}

/** A proof boot's outcome as stored, with when it was proved. */
interface StoredProof {
  key: string;
  facts: KvmProofFacts;
  cpu: string;
  provedAt: string;
  boot: KvmBoot;
}

/** How a run came by its KVM proofs: booted now, or taken from the cache (with their age). */
export interface ProofSource {
  cached: boolean;
  /** When the proof was made (ISO time). */
  provedAt: string;
}

/** "cached, proved 12 min ago" / "proved now", for probe details and `isobench list`. */
export function proofText(sources: readonly ProofSource[], now = Date.now()): string {
  if (sources.length === 0) return 'no proof boot (none needed)';
  const oldest = sources.reduce((a, b) => (a.provedAt < b.provedAt ? a : b));
  if (!sources.every((s) => s.cached))
    return `proved now by booting a guest under KVM (cached for this boot of the machine)`;
  const s = Math.max(0, Math.round((now - Date.parse(oldest.provedAt)) / 1000));
  const age = s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`;
  return (
    `cached: proved ${age} ago (${oldest.provedAt}) in this boot of the machine; same kernel, qemu, ` +
    `KVM module and CPU`
  );
}

/**
 * Wraps a proof boot with a cache in `dir`: an outcome stored under the same key (same boot of
 * the machine, kernel, qemu, KVM module, CPU, guest machine and kernel, guest CPU model) is
 * returned without booting; a new outcome is stored. `sources` collects how each was obtained.
 */
export function cachedKvmBoot(
  dir: string,
  facts: KvmProofFacts,
  boot: (cpu: string) => Promise<KvmBoot>,
  sources: ProofSource[],
  signal?: AbortSignal,
  now: () => Date = () => new Date(),
): (cpu: string) => Promise<KvmBoot> {
  return async (cpu) => {
    const key = kvmProofKey(facts, cpu);
    const file = join(dir, `kvm-proof-${key.slice(0, 32)}.json`);
    const stored = await readFile(file, 'utf8')
      .then(
        (t) => JSON.parse(t) as StoredProof,
        () => null,
      )
      .catch(() => null);
    if (
      stored !== null &&
      stored.key === key &&
      typeof stored.boot?.ok === 'boolean' &&
      typeof stored.provedAt === 'string'
    ) {
      sources.push({ cached: true, provedAt: stored.provedAt });
      return stored.boot;
    }
    const provedAt = now().toISOString();
    const r = await boot(cpu);
    sources.push({ cached: false, provedAt });
    // An aborted boot proves nothing, nor does a slow one (it may be the load): only a finished,
    // load-independent outcome is kept.
    if (signal?.aborted !== true && (r.ok || r.retry !== true)) {
      const rec: StoredProof = { key, facts, cpu, provedAt, boot: r };
      await mkdir(dir, { recursive: true });
      await writeAtomic(file, JSON.stringify(rec), `${file}.tmp-${process.pid}`);
    }
    return r;
  };
}
