// The guest kernel: the host distro's newest /boot/vmlinuz, its modules.dep closure, and a PVH-bootable vmlinux.
import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { readOrNull, writeFileRenamed } from '../host/cache.js';
import { sha256File } from '../../lib/hash.js';

/** A kernel from /boot with its module tree. */
export interface GuestKernel {
  /** Kernel release, e.g. `6.1.0-56-amd64`. */
  version: string;
  /** The compressed boot image (`/boot/vmlinuz-<version>`). */
  vmlinuz: string;
  /** `/lib/modules/<version>`. */
  modulesDir: string;
}

/** Compares kernel releases numerically (`6.1.0-56` > `6.1.0-9`). */
export function compareKernelVersions(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** The newest kernel in `bootDir` that has a module tree with modules.dep. */
export async function findGuestKernel(bootDir = '/boot', modulesRoot = '/lib/modules'): Promise<GuestKernel> {
  let names: string[];
  try {
    names = await readdir(bootDir);
  } catch (err) {
    throw new Error(`cannot list ${bootDir}`, { cause: err });
  }
  const versions = names
    .filter((n) => n.startsWith('vmlinuz-'))
    .map((n) => n.slice('vmlinuz-'.length))
    .sort(compareKernelVersions)
    .reverse();
  if (versions.length === 0) throw new Error(`no kernel in ${bootDir} (apt-get install linux-image-amd64)`);
  for (const version of versions) {
    const modulesDir = join(modulesRoot, version);
    try {
      await stat(join(modulesDir, 'modules.dep'));
      return { version, vmlinuz: join(bootDir, `vmlinuz-${version}`), modulesDir };
    } catch {
      // no modules for this one; try an older kernel
    }
  }
  throw new Error(`no kernel in ${bootDir} has ${modulesRoot}/<version>/modules.dep (found ${versions.join(', ')})`);
}

/** Module name of a modules.dep path: `kernel/lib/crc32c-intel.ko.xz` → `crc32c_intel`. */
export function moduleName(path: string): string {
  const base = path.split('/').pop() ?? path;
  return base.replace(/\.ko(\.(xz|zst|gz))?$/, '').replace(/-/g, '_');
}

/** Parses modules.dep into module name → { path, deps (paths) }. */
export function parseModulesDep(text: string): Map<string, { path: string; deps: string[] }> {
  const out = new Map<string, { path: string; deps: string[] }>();
  for (const line of text.split('\n')) {
    const m = /^([^:\s]+):\s*(.*)$/.exec(line.trim());
    if (!m?.[1]) continue;
    out.set(moduleName(m[1]), { path: m[1], deps: (m[2] ?? '').split(/\s+/).filter(Boolean) });
  }
  return out;
}

/**
 * Module paths to load, dependencies first, for the wanted module names. Names built into the
 * kernel (listed in modules.builtin) are skipped; a name that is neither is an error.
 */
export function moduleLoadOrder(
  dep: Map<string, { path: string; deps: string[] }>,
  builtin: ReadonlySet<string>,
  wanted: readonly string[],
  already: ReadonlySet<string> = new Set(),
): string[] {
  const byPath = new Map([...dep.values()].map((e) => [e.path, e]));
  const order: string[] = [];
  const seen = new Set<string>(already);
  const visit = (path: string, chain: string[]): void => {
    if (seen.has(path)) return;
    if (chain.includes(path)) throw new Error(`module dependency cycle: ${[...chain, path].join(' → ')}`);
    const entry = byPath.get(path);
    if (!entry) throw new Error(`modules.dep names ${path} as a dependency but has no line for it`);
    for (const d of entry.deps) visit(d, [...chain, path]);
    seen.add(path);
    order.push(path);
  };
  for (const name of wanted) {
    const n = name.replace(/-/g, '_');
    const entry = dep.get(n);
    if (entry) visit(entry.path, []);
    else if (!builtin.has(n)) throw new Error(`kernel module ${name} is neither in modules.dep nor built in`);
  }
  return order;
}

/** Names of built-in modules, from modules.builtin. */
export async function builtinModules(modulesDir: string): Promise<Set<string>> {
  try {
    return new Set(
      (await readFile(join(modulesDir, 'modules.builtin'), 'utf8')).split('\n').filter(Boolean).map(moduleName),
    );
  } catch {
    return new Set();
  }
}

/** Reads a module file, decompressing `.ko.xz` / `.ko.zst` / `.ko.gz` on the host (busybox insmod loads plain `.ko`). */
export async function moduleBytes(file: string): Promise<Buffer> {
  const tool = file.endsWith('.xz')
    ? ['xz', '-dc']
    : file.endsWith('.zst')
      ? ['zstd', '-dc']
      : file.endsWith('.gz')
        ? ['gzip', '-dc']
        : null;
  if (tool === null) return readFile(file);
  const r = await execa(tool[0] as string, [...tool.slice(1), file], {
    encoding: 'buffer',
    reject: false,
    timeout: 60_000,
  });
  if (r.exitCode !== 0) throw new Error(`${tool.join(' ')} ${file} failed: ${Buffer.from(r.stderr).toString().trim()}`);
  return Buffer.from(r.stdout);
}

const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);
const XZ_MAGIC = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);
const ZSTD_MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b, 0x08]);

/** Whether a 64-bit ELF kernel carries the Xen PVH entry note (XEN_ELFNOTE_PHYS32_ENTRY, type 18). */
export function hasPvhNote(elf: Buffer): boolean {
  if (elf.length < 64 || !elf.subarray(0, 4).equals(ELF_MAGIC) || elf[4] !== 2) return false;
  const phoff = Number(elf.readBigUInt64LE(32));
  const phentsize = elf.readUInt16LE(54);
  const phnum = elf.readUInt16LE(56);
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    if (ph + 56 > elf.length || elf.readUInt32LE(ph) !== 4) continue; // PT_NOTE
    let off = Number(elf.readBigUInt64LE(ph + 8));
    const end = off + Number(elf.readBigUInt64LE(ph + 32));
    while (off + 12 <= end && end <= elf.length) {
      const namesz = elf.readUInt32LE(off);
      const descsz = elf.readUInt32LE(off + 4);
      const type = elf.readUInt32LE(off + 8);
      const name = elf
        .subarray(off + 12, off + 12 + namesz)
        .toString('latin1')
        .replace(/\0+$/, '');
      if (name === 'Xen' && type === 18) return true;
      off += 12 + Math.ceil(namesz / 4) * 4 + Math.ceil(descsz / 4) * 4;
    }
  }
  return false;
}

/**
 * The uncompressed ELF kernel inside a bzImage, cached, when it can be booted through PVH
 * (qemu loads it directly: no in-guest decompression, which costs seconds under TCG).
 * Returns null with the reason when it cannot. An abort of `signal` kills the decompressor and
 * rejects with the signal's reason; the extraction goes to a temporary name that is removed then,
 * and only a complete ELF with its PVH note is renamed into the cache, then used only while it
 * matches the content hash recorded beside it.
 */
export async function pvhKernel(
  kernel: GuestKernel,
  cacheDir: string,
  signal?: AbortSignal,
): Promise<{ path: string } | { path: null; reason: string }> {
  signal?.throwIfAborted();
  const image = await readFile(kernel.vmlinuz);
  const key = createHash('sha256').update(image).digest('hex').slice(0, 16);
  const dir = join(cacheDir, 'vm', `kernel-${kernel.version}-${key}`);
  const out = join(dir, 'vmlinux');
  // Used only when its content hash matches the one recorded after it was renamed into place.
  const recorded = (await readOrNull(`${out}.sha256`))?.trim();
  if (recorded !== undefined && (await sha256File(out).catch(() => null)) === recorded) return { path: out };
  const formats: [Buffer, string[]][] = [
    [XZ_MAGIC, ['xz', '-dc']],
    [ZSTD_MAGIC, ['zstd', '-dc']],
    [GZIP_MAGIC, ['gzip', '-dc']],
  ];
  await mkdir(dir, { recursive: true });
  const tmp = `${out}.tmp-${process.pid}`;
  const tried: string[] = [];
  try {
    for (const [magic, tool] of formats) {
      for (let at = image.indexOf(magic); at >= 0 && tried.length < 8; at = image.indexOf(magic, at + 1)) {
        tried.push(`${tool[0]}@${at}`);
        // The decompressor complains about the bytes trailing the payload; judge by the output instead.
        await execa(tool[0] as string, tool.slice(1), {
          input: image.subarray(at),
          stdout: { file: tmp },
          stderr: 'ignore',
          reject: false,
          timeout: 120_000,
          killSignal: 'SIGKILL',
          ...(signal !== undefined ? { cancelSignal: signal } : {}),
        });
        signal?.throwIfAborted();
        const head = Buffer.alloc(4096);
        let fh;
        try {
          fh = await open(tmp, 'r');
          await fh.read(head, 0, 4096, 0);
        } catch {
          continue;
        } finally {
          await fh?.close();
        }
        if (!head.subarray(0, 4).equals(ELF_MAGIC)) continue;
        if (!hasPvhNote(await readFile(tmp)))
          return { path: null, reason: `${kernel.vmlinuz} has no PVH entry note (CONFIG_PVH); booting the bzImage` };
        signal?.throwIfAborted();
        await rm(`${out}.sha256`, { force: true });
        await rename(tmp, out);
        await writeFileRenamed(`${out}.sha256`, `${await sha256File(out)}\n`);
        return { path: out };
      }
    }
  } finally {
    await rm(tmp, { force: true });
  }
  return {
    path: null,
    reason:
      `no decompressible ELF payload found in ${kernel.vmlinuz} (tried ` +
      `${tried.join(', ') || 'xz, zstd, gzip'}); booting the bzImage`,
  };
}
