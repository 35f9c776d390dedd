// The guest's initramfs: the workload image plus the kernel modules it needs, as one cached cpio.
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { runProcess } from '../host/process.js';
import type { WorkloadImage } from '../image/build.js';
import { builtinModules, moduleBytes, moduleLoadOrder, parseModulesDep, type GuestKernel } from './kernel.js';
import { VM_MODULE_LISTS } from './init-script.js';
import { readOrNull, withFileLock, writeFileRenamed } from '../host/cache.js';
import { sha256File } from '../../lib/hash.js';

/** Modules init loads at boot: virtio transports (PCI and MMIO) and the command port. */
export const BOOT_MODULES = ['virtio_pci', 'virtio_mmio', 'virtio_console'];

/** Modules loaded when a scratch disk is set up (crc32c_generic serves ext4's crc32c softdep). */
export const DISK_MODULES = ['crc32c_generic', 'virtio_blk', 'ext4'];

/** Bumped whenever the initramfs layout changes, so stale cache entries are never reused. */
const LAYOUT = 'l1';

/** A built initramfs. */
export interface Initramfs {
  /** The cpio (uncompressed newc: under TCG it boots faster than gzip, which the guest must inflate). */
  path: string;
  /** Module paths (relative to the module tree) loaded at boot, in order. */
  bootModules: string[];
  /** Module paths loaded for the scratch disk, in order. */
  diskModules: string[];
}

/** Where a module lands inside the initramfs (always uncompressed). */
function guestModulePath(kernel: GuestKernel, rel: string): string {
  return `/usr/lib/modules/${kernel.version}/${rel.replace(/\.(xz|zst|gz)$/, '')}`;
}

/** Every path under `dir` as find(1) names it (`.`, `./a`, `./a/b`), symlinks not followed, in byte order (LC_ALL=C sort). */
export async function archiveList(dir: string): Promise<string[]> {
  const out = ['.'];
  const walk = async (rel: string): Promise<void> => {
    for (const e of await readdir(join(dir, rel), { withFileTypes: true })) {
      const r = rel === '' ? e.name : `${rel}/${e.name}`;
      out.push(`./${r}`);
      if (e.isDirectory()) await walk(r);
    }
  };
  await walk('');
  return out.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

/** Writes (or appends to, `-A`) the newc archive `out` of everything under `dir`, owned by root; no shell. */
async function cpioOf(dir: string, out: string, append: boolean, signal: AbortSignal | undefined): Promise<void> {
  const list = await archiveList(dir);
  const r = await runProcess(
    ['cpio', '--null', '-o', '-H', 'newc', '-R', '0:0', '--quiet', ...(append ? ['-A'] : []), '-O', out],
    { cwd: dir, input: `${list.join('\0')}\0`, timeoutMs: 300_000, signal },
  );
  if (r.exitCode !== 0) throw new Error(`cpio of ${dir} failed (apt-get install cpio): ${r.stderr.trim()}`);
}

async function build(
  image: WorkloadImage,
  kernel: GuestKernel,
  path: string,
  log: (l: string) => void,
  signal: AbortSignal | undefined,
): Promise<Initramfs> {
  const dep = parseModulesDep(await readFile(join(kernel.modulesDir, 'modules.dep'), 'utf8'));
  const builtin = await builtinModules(kernel.modulesDir);
  const bootModules = moduleLoadOrder(dep, builtin, BOOT_MODULES);
  const diskModules = moduleLoadOrder(dep, builtin, DISK_MODULES, new Set(bootModules));
  const lists = JSON.stringify({ bootModules, diskModules });
  // The sidecar names the module lists and the cpio's sha256, written after the cpio is in place:
  // a missing sidecar (interrupted build) or a cpio that no longer matches it is rebuilt.
  const sidecar = `${path}.json`;
  const intact = async (): Promise<string | null> => {
    const meta = await readOrNull(sidecar);
    if (meta === null)
      return (await stat(path).then(
        () => true,
        () => false,
      ))
        ? 'no completion record (an interrupted build?)'
        : 'absent';
    let parsed: { lists?: unknown; sha256?: unknown };
    try {
      parsed = JSON.parse(meta) as { lists?: unknown; sha256?: unknown };
    } catch {
      return 'its completion record is not JSON';
    }
    if (parsed.lists !== lists) return 'its module lists differ';
    const sha = await sha256File(path).catch(() => null);
    return sha !== null && sha === parsed.sha256 ? null : 'the cpio does not match its content hash';
  };
  if ((await intact()) === null) return { path, bootModules, diskModules };
  await withFileLock(
    `${path}.lock`,
    async () => {
      const problem = await intact();
      if (problem === null) return;
      if (problem !== 'absent') log(`guest initramfs cache entry ${path} is damaged (${problem}); rebuilding it`);
      await buildCpio(image, kernel, path, bootModules, diskModules, log, signal);
      await writeFileRenamed(sidecar, JSON.stringify({ lists, sha256: await sha256File(path) }));
    },
    log,
    signal,
  );
  return { path, bootModules, diskModules };
}

async function buildCpio(
  image: WorkloadImage,
  kernel: GuestKernel,
  path: string,
  bootModules: string[],
  diskModules: string[],
  log: (l: string) => void,
  signal: AbortSignal | undefined,
): Promise<void> {
  log(
    `building guest initramfs ${path} (image ${image.digest.slice(0, 16)} + ` +
      `${bootModules.length + diskModules.length} modules of ${kernel.version})`,
  );
  const tmp = `${path}.tmp-${process.pid}`;
  const overlay = `${tmp}.d`;
  await rm(overlay, { recursive: true, force: true });
  try {
    for (const rel of [...bootModules, ...diskModules]) {
      const dst = join(overlay, guestModulePath(kernel, rel));
      await mkdir(dirname(dst), { recursive: true });
      await writeFile(dst, await moduleBytes(join(kernel.modulesDir, rel)));
    }
    await mkdir(join(overlay, VM_MODULE_LISTS), { recursive: true });
    const list = (rels: string[]) => rels.map((r) => `${guestModulePath(kernel, r)}\n`).join('');
    await writeFile(join(overlay, VM_MODULE_LISTS, 'modules-boot'), list(bootModules));
    await writeFile(join(overlay, VM_MODULE_LISTS, 'modules-disk'), list(diskModules));
    await mkdir(dirname(path), { recursive: true });
    // Two concatenated newc archives: the image untouched, then the overlay (the kernel unpacks both).
    await cpioOf(image.rootfs, tmp, false, signal);
    await cpioOf(overlay, tmp, true, signal);
    await rm(`${path}.json`, { force: true });
    await rename(tmp, path);
  } finally {
    await rm(overlay, { recursive: true, force: true });
    await rm(tmp, { force: true });
  }
}

const building = new Map<string, Promise<Initramfs>>();

/** The initramfs for this image and kernel, cached under `cacheDir/vm` by image digest and kernel version. */
export function initramfsFor(
  image: WorkloadImage,
  kernel: GuestKernel,
  cacheDir: string,
  log: (l: string) => void,
  signal?: AbortSignal,
): Promise<Initramfs> {
  const path = join(cacheDir, 'vm', `initramfs-${image.digest.slice(0, 16)}-${kernel.version}-${LAYOUT}.cpio`);
  let p = building.get(path);
  if (p === undefined) {
    p = build(image, kernel, path, log, signal);
    building.set(path, p);
    p.catch(() => building.delete(path));
  }
  return p;
}
