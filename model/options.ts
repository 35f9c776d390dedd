// Typed run options per concern (VM settings, verdict margin) and the test-only hooks kept apart from them.
import { fractionOfPercent, type Fraction } from '../lib/numbers.js';

/** `--vm-accel` values: prove KVM and fall back to TCG, require KVM, or force TCG. */
export const VM_ACCELS = ['auto', 'kvm', 'tcg'] as const;
/** How the accelerator is chosen. */
export type VmAccel = (typeof VM_ACCELS)[number];

/** Disk cache modes qemu accepts for `-drive cache=` (`--disk-cache`). */
export const DISK_CACHE_MODES = ['none', 'writeback', 'writethrough', 'unsafe', 'directsync'] as const;
/** A qemu disk cache mode. */
export type DiskCache = (typeof DISK_CACHE_MODES)[number];

/** How qemu loads the guest kernel: its PVH entry (plain vmlinux) or the compressed bzImage. */
export const VM_BOOT_MODES = ['pvh', 'bzImage'] as const;
/** A kernel boot mode. */
export type VmBoot = (typeof VM_BOOT_MODES)[number];

/** Settings of qemu guests. */
export interface VmOptions {
  /** Accelerator choice (`--vm-accel`). */
  accel: VmAccel;
  /** Machine type with options (`--vm-machine`); null = the runner's default (q35). */
  machine: string | null;
  /** Cache mode of the scratch disk (`--disk-cache`). */
  diskCache: DiskCache;
  /** Kernel boot mode; `pvh` falls back to bzImage when the kernel has no PVH entry. */
  boot: VmBoot;
  /** CPU model to use; null = `host` under KVM (then `qemu64`), `max` under TCG. */
  cpu: string | null;
}

/** Options that reach runners, one object per concern. */
export interface RunnerOptions {
  /** qemu guests. */
  vm: VmOptions;
}

/** Runner options when nothing was asked for. */
export const DEFAULT_RUNNER_OPTIONS: RunnerOptions = {
  vm: { accel: 'auto', machine: null, diskCache: 'none', boot: 'pvh', cpu: null },
};

/** Test-only hooks: never set by the CLI, never recorded in a plan. */
export interface RunnerTestHooks {
  /** Make the guest's init hang before announcing ready (exercises the ready timeout). */
  vmHangBeforeReady?: boolean;
  /** Override the guest ready timeout, in ms. */
  vmReadyTimeoutMs?: number;
  /** Override the KVM proof boot's timeout, in ms. */
  vmKvmCheckTimeoutMs?: number;
  /** Make an OCI container's payload idle without announcing ready (exercises the container ready timeout). */
  containerHangBeforeReady?: boolean;
  /** Override the OCI container ready timeout, in ms. */
  containerReadyTimeoutMs?: number;
}

/** Default equivalence margin of verdicts, in percent: the `--margin` flag's default text. Declared here only. */
export const DEFAULT_MARGIN_PCT = 2;

/** The default equivalence margin as the fraction it is carried as (0.02 = ±2 %). */
export const DEFAULT_MARGIN: Fraction = fractionOfPercent(DEFAULT_MARGIN_PCT);
