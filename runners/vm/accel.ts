// Chooses the accelerator: KVM only when a guest has actually booted to ready under it, else TCG, saying why.
import { access, constants, readdir, readFile } from 'node:fs/promises';
import type { VmAccel } from '../../model/options.js';
import type { Accel } from './qemu.js';


/** The outcome of one trial boot under KVM with a CPU model. */
export type KvmBoot = { ok: true; readyMs: number } | { ok: false; reason: string };

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
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? '/dev/kvm does not exist' : '/dev/kvm is not readable and writable by this user';
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
  host: { kvmModule: () => Promise<string | null>; deviceProblem: () => Promise<string | null> } = { kvmModule: kvmModuleName, deviceProblem: kvmDeviceProblem },
): Promise<AccelDecision> {
  const kvmModule = await host.kvmModule();
  if (mode === 'tcg') {
    return { ok: true, accel: 'tcg', cpu: TCG_CPU, note: 'TCG forced by --vm-accel tcg: software emulation, not representative of KVM', fallbackReason: 'forced by --vm-accel tcg', kvmModule };
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
        const note = failures.length > 0 ? `KVM works with -cpu ${cpu} (guest ready in ${(r.readyMs / 1000).toFixed(1)} s) but not with ${failures.join('; ')}` : null;
        return { ok: true, accel: 'kvm', cpu, note, fallbackReason: null, kvmModule };
      }
      failures.push(`-cpu ${cpu}: ${r.reason}`);
    }
    why = `/dev/kvm exists (${module}) but no guest booted to ready under -accel kvm: ${failures.join('; ')}`;
  }
  if (mode === 'kvm') return { ok: false, reason: `KVM forced by --vm-accel kvm and not usable: ${why}`, kvmModule };
  return {
    ok: true, accel: 'tcg', cpu: TCG_CPU, kvmModule, fallbackReason: why,
    note: `KVM unusable, guests run under TCG software emulation (not representative of KVM): ${why}`,
  };
}
