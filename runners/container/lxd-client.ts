// Talking to an LXD daemon through its `lxc` client (the one LXD_DIR names): reachability, storage pool, the workload image.
import { existsSync } from 'node:fs';
import { mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { arch } from 'node:os';
import { join } from 'node:path';
import { which } from '../image/identity.js';
import { imageTar, type WorkloadImage } from '../image/build.js';
import { runProcess } from '../host/process.js';
import type { ExecResult } from '../types.js';

/** Runs the LXD client (`lxc …`, LXD's, not classic LXC's `lxc-*` tools). */
export function lxd(args: string[], timeoutMs = 60_000, input?: string): Promise<ExecResult> {
  return runProcess(['lxc', ...args], { timeoutMs, ...(input !== undefined ? { input } : {}) });
}

/** The last lines of a failed client call, for messages. */
export const lastWords = (r: ExecResult) => (r.stderr.trim() || r.stdout.trim() || (r.timedOut ? 'timed out' : `exit ${String(r.exitCode)}`)).split('\n').slice(-2).join(' ').slice(0, 500);

/** `lxc query <path>` parsed as JSON, or null when it fails. */
export async function lxdQuery<T>(path: string, timeoutMs = 20_000): Promise<T | null> {
  const r = await lxd(['query', path], timeoutMs);
  if (r.exitCode !== 0) return null;
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    return null;
  }
}

/** The parts of `GET /1.0` isobench reads. */
export interface LxdServer {
  /** `environment.server_version`, e.g. `5.0.2`. */
  version: string;
  /** Instance drivers that work on this host (`lxc`, `lxc | qemu`). */
  driver: string;
  /** The storage pool instances' root disks go on, or null when LXD has none. */
  pool: { name: string; driver: string } | null;
}

/** Where the client looks for the daemon, for messages. */
export const lxdWhere = () => (process.env['LXD_DIR'] ? `LXD_DIR=${process.env['LXD_DIR']}` : 'the default /var/lib/lxd');

/** The exact commands that initialise an LXD without a network (`lxd init --auto` also creates a bridge, which can fail). */
export const LXD_INIT_HINT = 'lxc storage create default dir && lxc profile device add default root disk path=/ pool=default';

/** Unix sockets the client would try, in its order (LXD_SOCKET, LXD_DIR, the Debian and the snap default). */
export function lxdSockets(env: NodeJS.ProcessEnv = process.env): string[] {
  if (env['LXD_SOCKET']) return [env['LXD_SOCKET']];
  if (env['LXD_DIR']) return [join(env['LXD_DIR'], 'unix.socket')];
  return ['/var/lib/lxd/unix.socket', '/var/snap/lxd/common/lxd/unix.socket'];
}

/** The daemon's version, drivers and storage pool, or why it cannot be used. */
export async function lxdServer(): Promise<{ ok: true; server: LxdServer } | { ok: false; reason: string }> {
  if ((await which('lxc')) === null) return { ok: false, reason: 'the LXD client lxc is not on PATH (apt-get install lxd)' };
  const start = 'start it (`lxd --group lxd &`, or `systemctl start lxd`) and point LXD_DIR at its directory';
  // No socket, no daemon: say so without running the client (which would create its config directory).
  if (!lxdSockets().some((p) => existsSync(p))) return { ok: false, reason: `the LXD daemon is not reachable through ${lxdWhere()}: no socket at ${lxdSockets().join(' or ')}; ${start}` };
  const r = await lxd(['query', '/1.0'], 20_000);
  if (r.exitCode !== 0) return { ok: false, reason: `the LXD daemon is not reachable through ${lxdWhere()}: ${lastWords(r)}; ${start}` };
  const env = (JSON.parse(r.stdout) as { environment?: { server_version?: string; driver?: string } }).environment ?? {};
  const profile = await lxdQuery<{ devices?: Record<string, { type?: string; pool?: string }> }>('/1.0/profiles/default');
  const pools = (await lxdQuery<{ name: string; driver: string }[]>('/1.0/storage-pools?recursion=1')) ?? [];
  const wanted = Object.values(profile?.devices ?? {}).find((d) => d.type === 'disk' && d.pool)?.pool;
  const pool = pools.find((p) => p.name === wanted) ?? [...pools].sort((a, b) => a.name.localeCompare(b.name))[0] ?? null;
  return { ok: true, server: { version: env.server_version ?? 'unknown', driver: env.driver ?? 'unknown', pool: pool === null ? null : { name: pool.name, driver: pool.driver } } };
}

/** The LXD image alias of the workload image, derived from its digest. */
export const lxdAlias = (image: WorkloadImage) => `isobench-workload-${image.digest.slice(0, 16)}`;

/** LXD architecture name of this host. */
const LXD_ARCH: Record<string, string> = { x64: 'x86_64', arm64: 'aarch64', ppc64: 'ppc64le', s390x: 's390x' };

/** The metadata tar LXD needs beside the rootfs tar (fixed dates: the same image gives the same LXD fingerprint). */
async function metadataTar(image: WorkloadImage): Promise<string> {
  const tar = join(image.dir, 'lxd-metadata.tar');
  try {
    await stat(tar);
    return tar;
  } catch {
    // build it
  }
  const dir = await mkdtemp(join(image.dir, 'lxd-meta-'));
  try {
    const yaml = [`architecture: ${LXD_ARCH[arch()] ?? arch()}`, 'creation_date: 1', 'properties:', `  description: isobench workload image ${image.digest}`, '  os: isobench', ''].join('\n');
    await writeFile(join(dir, 'metadata.yaml'), yaml);
    const tmp = `${tar}.tmp-${process.pid}`;
    const r = await runProcess(['tar', '--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '-C', dir, '-cf', tmp, 'metadata.yaml'], { timeoutMs: 30_000 });
    if (r.exitCode !== 0) throw new Error(`tar of the LXD metadata failed: ${r.stderr.trim()}`);
    await rename(tmp, tar);
    return tar;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * An importer of the workload image (metadata tar + rootfs tar) under its alias, unless LXD has
 * it already; resolves to LXD's fingerprint of it. Imports once per image digest per importer
 * (one per runner, like docker's: a test may point LXD_DIR at a fresh daemon).
 */
export function lxdImporter(): (image: WorkloadImage) => Promise<string> {
  const imported = new Map<string, Promise<string>>();
  return (image) => {
    const alias = lxdAlias(image);
    let p = imported.get(alias);
    if (p === undefined) {
      p = (async () => {
        const known = async () => (await lxdQuery<{ target?: string }>(`/1.0/images/aliases/${alias}`))?.target ?? null;
        const before = await known();
        if (before !== null) return before;
        const r = await lxd(['image', 'import', await metadataTar(image), await imageTar(image), '--alias', alias], 300_000);
        const after = await known(); // another process may have imported it meanwhile
        if (after === null) throw new Error(`LXD import of the workload image failed: ${lastWords(r)}`);
        return after;
      })();
      imported.set(alias, p);
      p.catch(() => imported.delete(alias));
    }
    return p;
  };
}
