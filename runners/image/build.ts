// The workload image: sysbench with its library closure, busybox, mke2fs — built from host files,
// content-hashed and cached; the same files run on bare metal, in containers and in guests.
import { chmod, copyFile, lstat, mkdir, realpath, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { runProcess } from '../host/process.js';
import { sha256File } from '../../lib/hash.js';
import { which } from '../../lib/which.js';
import { GENERATED_FILES, SYSBENCH_IN_IMAGE } from './files.js';
import { sha256Text } from '../../lib/hash.js';
import { manifestMismatch, readOrNull, treeManifest, withFileLock, writeFileRenamed } from '../host/cache.js';

/** A built image in the cache. */
export interface WorkloadImage {
  /** sha256 over the image's manifest (every path, mode and content hash). */
  digest: string;
  /** Directory holding the image's forms (`rootfs/`, `rootfs.tar`, …). */
  dir: string;
  /** The root filesystem directory (OCI bundles use it read-only). */
  rootfs: string;
  /** sha256 of the sysbench binary inside the image (equal to the host's). */
  sysbenchSha256: string;
}

/** Host programs copied into the image with their shared-library closure. */
const PROGRAMS = ['sysbench', 'mke2fs'];

/** Shared libraries of a dynamically linked program, as ldd lists them (absolute paths). */
export async function libraryClosure(program: string): Promise<string[]> {
  const r = await runProcess(['ldd', program], { timeoutMs: 10_000 });
  if (r.exitCode !== 0) {
    if (/not a dynamic executable/.test(r.stdout + r.stderr)) return [];
    throw new Error(`ldd ${program} failed: ${r.stderr.trim()}`);
  }
  const libs = new Set<string>();
  for (const line of r.stdout.split('\n')) {
    const m = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (m?.[1]) libs.add(m[1]);
    if (/not found/.test(line)) throw new Error(`ldd ${program}: ${line.trim()}`);
  }
  return [...libs];
}

/** Maps a host path to its place in a merged-/usr image (`/lib/x` → `usr/lib/x`). */
export function imagePath(hostPath: string): string {
  const p = hostPath.replace(/^\/+/, '');
  return /^(lib|lib64|bin|sbin)\//.test(p) ? `usr/${p}` : p;
}

/** Everything to copy: image path → host source file. */
async function inputs(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const name of PROGRAMS) {
    const path = await which(name);
    if (path === null)
      throw new Error(`${name} not found on PATH (apt-get install ${name === 'mke2fs' ? 'e2fsprogs' : name})`);
    files.set(name === 'sysbench' ? SYSBENCH_IN_IMAGE.slice(1) : `usr/sbin/${name}`, path);
    for (const lib of await libraryClosure(path)) files.set(imagePath(lib), await realpath(lib));
  }
  const busybox = await which('busybox');
  if (busybox === null) throw new Error('busybox not found on PATH (apt-get install busybox-static)');
  const bb = await runProcess(['ldd', busybox], { timeoutMs: 10_000 });
  if (!/not a dynamic executable|statically linked/.test(bb.stdout + bb.stderr)) {
    throw new Error(`${busybox} is dynamically linked; install busybox-static so the image needs no extra libraries`);
  }
  files.set('usr/bin/busybox', busybox);
  return files;
}

/** Hashes the image manifest: sorted (path, mode, content sha256) lines plus generated files. */
async function manifestDigest(files: Map<string, string>, applets: string[]): Promise<string> {
  const lines: string[] = [];
  for (const [dst, src] of [...files.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const st = await stat(src);
    lines.push(`${dst} ${(st.mode & 0o777).toString(8)} ${await sha256File(src)}`);
  }
  for (const [dst, [mode, text]] of Object.entries(GENERATED_FILES).sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`${dst} ${mode.toString(8)} ${sha256Text(text)}`);
  }
  lines.push(`applets ${applets.sort().join(',')}`);
  return sha256Text(lines.join('\n'));
}

async function populate(root: string, files: Map<string, string>, applets: string[]): Promise<void> {
  for (const d of [
    'usr/bin',
    'usr/sbin',
    'usr/lib',
    'usr/lib64',
    'proc',
    'sys',
    'dev',
    'tmp',
    'scratch',
    'etc',
    'isobench',
    'root',
    'run',
    'mnt',
  ]) {
    await mkdir(join(root, d), { recursive: true });
  }
  for (const l of ['bin', 'sbin', 'lib', 'lib64']) await symlink(`usr/${l}`, join(root, l));
  for (const [dst, src] of files) {
    await mkdir(dirname(join(root, dst)), { recursive: true });
    await copyFile(src, join(root, dst));
    await chmod(join(root, dst), (await stat(src)).mode & 0o777);
  }
  for (const a of applets) {
    const dst = join(root, 'usr/bin', a);
    try {
      await lstat(dst);
    } catch {
      await symlink('busybox', dst);
    }
  }
  for (const [dst, [mode, text]] of Object.entries(GENERATED_FILES)) {
    await mkdir(dirname(join(root, dst)), { recursive: true });
    await writeFile(join(root, dst), text, { mode });
    await chmod(join(root, dst), mode);
  }
  await symlink('mke2fs', join(root, 'usr/sbin/mkfs.ext4'));
}

/**
 * Why the image entry in `dir` cannot be used, or null when it is complete and intact: `complete`
 * names the digest and the sha256 of `manifest`, and every file the manifest lists is under
 * `rootfs/` with its content hash (checked on every process's first use, ~20 MB of hashing).
 */
export async function imageEntryProblem(dir: string, digest: string): Promise<string | null> {
  const complete = await readOrNull(join(dir, 'complete'));
  if (complete === null)
    return (await stat(dir).then(
      () => true,
      () => false,
    ))
      ? 'no completion mark (an interrupted build?)'
      : 'absent';
  const [d, manifestSha] = complete.trim().split('\n');
  if (d !== digest) return `completion mark names digest ${String(d).slice(0, 16)}, not ${digest.slice(0, 16)}`;
  const manifest = await readOrNull(join(dir, 'manifest'));
  if (manifest === null || sha256Text(manifest) !== manifestSha) return 'its manifest is missing or altered';
  return manifestMismatch(join(dir, 'rootfs'), manifest);
}

/** Builds (or finds intact in the cache) the workload image; a damaged entry is rebuilt. */
export async function buildImage(cacheDir: string, log: (l: string) => void = () => undefined): Promise<WorkloadImage> {
  const files = await inputs();
  const busybox = files.get('usr/bin/busybox') as string;
  const list = await runProcess([busybox, '--list'], { timeoutMs: 10_000 });
  const applets = list.stdout
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => /^[a-z0-9_.[-]+$/.test(s) && s !== 'busybox');
  const digest = await manifestDigest(files, applets);
  const dir = join(cacheDir, 'images', digest.slice(0, 16));
  const rootfs = join(dir, 'rootfs');
  const hostSysbench = files.get(SYSBENCH_IN_IMAGE.slice(1)) as string;
  const image = { digest, dir, rootfs, sysbenchSha256: await sha256File(hostSysbench) };
  if ((await imageEntryProblem(dir, digest)) === null) return image;
  // One builder at a time per entry; whoever waited re-checks, and usually finds it built.
  return withFileLock(
    `${dir}.lock`,
    async () => {
      const problem = await imageEntryProblem(dir, digest);
      if (problem === null) return image;
      if (problem !== 'absent') log(`workload image cache entry ${dir} is damaged (${problem}); rebuilding it`);
      log(`building workload image ${digest.slice(0, 16)} in ${dir}`);
      const tmp = `${dir}.tmp-${process.pid}`;
      await rm(tmp, { recursive: true, force: true });
      try {
        await populate(join(tmp, 'rootfs'), files, applets);
        const manifest = await treeManifest(join(tmp, 'rootfs'));
        await writeFile(join(tmp, 'manifest'), manifest);
        await writeFile(join(tmp, 'complete'), `${digest}\n${sha256Text(manifest)}\n`);
        await mkdir(dirname(dir), { recursive: true });
        // The damaged entry is moved aside first so the rename below never lands inside it.
        const old = `${dir}.old-${process.pid}`;
        await rename(dir, old).catch(() => undefined);
        await rename(tmp, dir);
        await rm(old, { recursive: true, force: true });
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
      return image;
    },
    log,
  );
}

/** A reproducible tar of the rootfs (for `docker import` / `podman import`), built once and verified by its sha256 on use. */
export async function imageTar(image: WorkloadImage, signal?: AbortSignal): Promise<string> {
  const tar = join(image.dir, 'rootfs.tar');
  const intact = async () => {
    const want = (await readOrNull(`${tar}.sha256`))?.trim();
    return want !== undefined && (await sha256File(tar).catch(() => null)) === want;
  };
  if (await intact()) return tar;
  return withFileLock(
    `${tar}.lock`,
    async () => {
      if (await intact()) return tar;
      const tmp = `${tar}.tmp-${process.pid}`;
      try {
        const r = await runProcess(
          [
            'tar',
            '--sort=name',
            '--mtime=@0',
            '--owner=0',
            '--group=0',
            '--numeric-owner',
            '-C',
            image.rootfs,
            '-cf',
            tmp,
            '.',
          ],
          { timeoutMs: 120_000, signal },
        );
        signal?.throwIfAborted();
        if (r.exitCode !== 0) throw new Error(`tar of ${image.rootfs} failed: ${r.stderr.trim()}`);
        await rm(`${tar}.sha256`, { force: true });
        await rename(tmp, tar);
        await writeFileRenamed(`${tar}.sha256`, `${await sha256File(tar)}\n`);
      } finally {
        await rm(tmp, { force: true });
      }
      return tar;
    },
    undefined,
    signal,
  );
}

const building = new Map<string, Promise<WorkloadImage>>();

/** The run's image, built once per cache directory per process (shared by every runner). */
export function imageFor(cacheDir: string, log?: (l: string) => void): Promise<WorkloadImage> {
  let p = building.get(cacheDir);
  if (p === undefined) {
    p = buildImage(cacheDir, log);
    building.set(cacheDir, p);
    p.catch(() => building.delete(cacheDir));
  }
  return p;
}
