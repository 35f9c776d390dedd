// Checks the flags that name host resources against this host before anything is probed or
// measured: a CPU list, a memory size, the output directory and what its filesystem can do. A bad
// value is a ConfigError (exit 2) naming it and the valid range, instead of a run whose every
// trial errors and whose engines are blamed for a bad flag.
import { readFile, rm } from 'node:fs/promises';
import { cpus as osCpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { ConfigError, OutputError } from '../../model/errors.js';
import { requireODirect } from '../../runners/vm/instance.js';
import { makeDir, writeFileAtomic } from './atomic.js';

/** What `isobench run` is about to use of the host. */
export interface PreflightInput {
  /** `--pin` as given (already syntactically valid), or null. */
  cpuset: string | null;
  /** `--memory` in MiB. */
  memoryMiB: number;
  /** Absolute output root (`--out`). */
  outRoot: string;
  /** Environments in the plan (`bare`, `container`, `vm`, …). */
  envs: readonly string[];
  /** `--disk-cache` mode of guests' scratch disks. */
  diskCache: string;
}

/** The CPUs of a list such as `0-3,6`; ranges written backwards (`3-1`) are a ConfigError. */
export function parseCpuList(text: string, what: string): number[] {
  const out = new Set<number>();
  for (const part of text
    .trim()
    .split(',')
    .filter((p) => p !== '')) {
    const [a, b] = part.split('-').map((x) => Number(x));
    if (a === undefined || !Number.isInteger(a) || (b !== undefined && (!Number.isInteger(b) || b < a)))
      throw new ConfigError(`bad value '${text}' for ${what}: '${part}' is not a CPU or an increasing range`);
    for (let c = a; c <= (b ?? a); c++) out.add(c);
  }
  return [...out].sort((x, y) => x - y);
}

/** A sorted CPU set written compactly (`0-3,6`). */
export function cpuListText(list: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < list.length;) {
    let j = i;
    while (j + 1 < list.length && (list[j + 1] as number) === (list[j] as number) + 1) j++;
    parts.push(i === j ? String(list[i]) : `${list[i]}-${list[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** The host's online CPUs and the ones this process may run on (its affinity). */
export async function hostCpus(): Promise<{ online: number[]; allowed: number[] }> {
  const online = await readFile('/sys/devices/system/cpu/online', 'utf8')
    .then((t) => parseCpuList(t, 'the online CPU list'))
    .catch(() => osCpus().map((_c, i) => i));
  const status = await readFile('/proc/self/status', 'utf8').catch(() => '');
  const line = /^Cpus_allowed_list:\s*(\S+)/m.exec(status)?.[1];
  const allowed = line === undefined ? online : parseCpuList(line, 'this process affinity');
  return { online, allowed };
}

/** `--pin` against the host: every CPU must be online and in this process's affinity. */
export function checkPin(cpuset: string, host: { online: number[]; allowed: number[] }): void {
  const want = parseCpuList(cpuset, '--pin');
  const usable = host.online.filter((c) => host.allowed.includes(c));
  const bad = want.filter((c) => !usable.includes(c));
  if (bad.length === 0) return;
  const offline = bad.filter((c) => !host.online.includes(c));
  const why =
    offline.length > 0
      ? `this host has no CPU ${cpuListText(offline)} (online: ${cpuListText(host.online)})`
      : `CPU ${cpuListText(bad)} is outside this process's affinity (allowed: ${cpuListText(host.allowed)})`;
  throw new ConfigError(`bad value '${cpuset}' for --pin: ${why}; valid CPUs: ${cpuListText(usable)}`);
}

/** `--memory` against the host's memory. */
export function checkMemory(memoryMiB: number, hostBytes: number): void {
  const hostMiB = Math.floor(hostBytes / 2 ** 20);
  if (memoryMiB <= hostMiB) return;
  throw new ConfigError(
    `bad value '${memoryMiB}M' for --memory: larger than this host's memory (${hostMiB} MiB); valid: 1M to ${hostMiB}M`,
  );
}

/**
 * The output root can be created and written (a probe file written atomically and removed). Any
 * failure, a full disk included, is a ConfigError here: nothing has been measured yet.
 */
export async function checkOutDir(outRoot: string): Promise<void> {
  try {
    await makeDir(outRoot);
    const probe = join(outRoot, `.isobench-write-check-${process.pid}`);
    await writeFileAtomic(probe, 'isobench write check\n');
    await rm(probe, { force: true });
  } catch (err) {
    if (err instanceof OutputError)
      throw new ConfigError(
        `bad value '${outRoot}' for --out: ${err.message.replace(/^cannot /, 'isobench cannot ')}`,
        { cause: err },
      );
    throw err;
  }
}

/** Every check, before probing: throws a ConfigError for the first bad value. */
export async function preflight(p: PreflightInput): Promise<void> {
  if (p.cpuset !== null) checkPin(p.cpuset, await hostCpus());
  checkMemory(p.memoryMiB, totalmem());
  await checkOutDir(p.outRoot);
  // Guests' scratch disks live in the run directory under --out; cache=none and directsync open
  // them with O_DIRECT, which some filesystems (tmpfs) refuse.
  if (p.envs.includes('vm') && (p.diskCache === 'none' || p.diskCache === 'directsync')) {
    await requireODirect(p.outRoot, p.diskCache).catch((err: unknown) => {
      throw new ConfigError(
        `bad value '${p.diskCache}' for --disk-cache with --out '${p.outRoot}': ` +
          `${(err as Error).message.replace(/^--disk-cache \S+ /, '')}; valid here: writeback, ` +
          `writethrough, unsafe`,
        { cause: err },
      );
    });
  }
}
