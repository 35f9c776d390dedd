// Talking to an LXD daemon through its `lxc` client (the one LXD_DIR names): reachability, storage pool, the workload image.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { arch } from 'node:os';
import { join } from 'node:path';
import { which } from '../../lib/which.js';
import { imageTar, type WorkloadImage } from '../image/build.js';
import { abortText, isAborted, runProcess } from '../host/process.js';
import type { ExecResult } from '../types.js';

/**
 * Runs the LXD client (`lxc …`, LXD's, not classic LXC's `lxc-*` tools). An abort of `signal`
 * kills it (its request to the daemon goes with it); the result then has exit code null.
 */
export function lxd(args: string[], timeoutMs = 60_000, input?: string, signal?: AbortSignal): Promise<ExecResult> {
  return runProcess(['lxc', ...args], { timeoutMs, signal, ...(input !== undefined ? { input } : {}) });
}

/** The last lines of a failed client call, for messages. */
export const lastWords = (r: ExecResult) =>
  (r.stderr.trim() || r.stdout.trim() || (r.timedOut ? 'timed out' : `exit ${String(r.exitCode)}`))
    .split('\n')
    .slice(-2)
    .join(' ')
    .slice(0, 500);

/** `lxc query <path>` parsed as JSON, or null when it fails. */
export async function lxdQuery<T>(path: string, timeoutMs = 20_000, signal?: AbortSignal): Promise<T | null> {
  const r = await lxd(['query', path], timeoutMs, undefined, signal);
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
export const lxdWhere = () =>
  process.env['LXD_DIR'] ? `LXD_DIR=${process.env['LXD_DIR']}` : 'the default /var/lib/lxd';

/** The exact commands that initialise an LXD without a network (`lxd init --auto` also creates a bridge, which can fail). */
export const LXD_INIT_HINT =
  'lxc storage create default dir && lxc profile device add default root disk path=/ pool=default';

/** Unix sockets the client would try, in its order (LXD_SOCKET, LXD_DIR, the Debian and the snap default). */
export function lxdSockets(env: NodeJS.ProcessEnv = process.env): string[] {
  if (env['LXD_SOCKET']) return [env['LXD_SOCKET']];
  if (env['LXD_DIR']) return [join(env['LXD_DIR'], 'unix.socket')];
  return ['/var/lib/lxd/unix.socket', '/var/snap/lxd/common/lxd/unix.socket'];
}

/** The daemon's version, drivers and storage pool, or why it cannot be used (an abort of `signal` is the reason then). */
export async function lxdServer(
  signal?: AbortSignal,
): Promise<{ ok: true; server: LxdServer } | { ok: false; reason: string }> {
  if ((await which('lxc')) === null)
    return { ok: false, reason: 'the LXD client lxc is not on PATH (apt-get install lxd)' };
  const start = 'start it (`lxd --group lxd &`, or `systemctl start lxd`) and point LXD_DIR at its directory';
  // No socket, no daemon: say so without running the client (which would create its config directory).
  if (!lxdSockets().some((p) => existsSync(p)))
    return {
      ok: false,
      reason:
        `the LXD daemon is not reachable through ${lxdWhere()}: no socket at ${lxdSockets().join(' or ')}` +
        `; ${start}`,
    };
  const r = await lxd(['query', '/1.0'], 20_000, undefined, signal);
  if (isAborted(signal)) return { ok: false, reason: abortText(signal as AbortSignal) };
  if (r.exitCode !== 0)
    return { ok: false, reason: `the LXD daemon is not reachable through ${lxdWhere()}: ${lastWords(r)}; ${start}` };
  const env =
    (JSON.parse(r.stdout) as { environment?: { server_version?: string; driver?: string } }).environment ?? {};
  const profile = await lxdQuery<{ devices?: Record<string, { type?: string; pool?: string }> }>(
    '/1.0/profiles/default',
    20_000,
    signal,
  );
  const pools =
    (await lxdQuery<{ name: string; driver: string }[]>('/1.0/storage-pools?recursion=1', 20_000, signal)) ?? [];
  if (isAborted(signal)) return { ok: false, reason: abortText(signal as AbortSignal) };
  const wanted = Object.values(profile?.devices ?? {}).find((d) => d.type === 'disk' && d.pool)?.pool;
  const pool =
    pools.find((p) => p.name === wanted) ?? [...pools].sort((a, b) => a.name.localeCompare(b.name))[0] ?? null;
  return {
    ok: true,
    server: {
      version: env.server_version ?? 'unknown',
      driver: env.driver ?? 'unknown',
      pool: pool === null ? null : { name: pool.name, driver: pool.driver },
    },
  };
}

/** The LXD image alias of the workload image, derived from its digest. */
export const lxdAlias = (image: WorkloadImage) => `isobench-workload-${image.digest.slice(0, 16)}`;

/** LXD architecture name of this host. */
const LXD_ARCH: Record<string, string> = { x64: 'x86_64', arm64: 'aarch64', ppc64: 'ppc64le', s390x: 's390x' };

/** The metadata tar LXD needs beside the rootfs tar (fixed dates: the same image gives the same LXD fingerprint). */
async function metadataTar(image: WorkloadImage, signal: AbortSignal | undefined): Promise<string> {
  const tar = join(image.dir, 'lxd-metadata.tar');
  try {
    await stat(tar);
    return tar;
  } catch {
    // build it
  }
  const dir = await mkdtemp(join(image.dir, 'lxd-meta-'));
  const tmp = `${tar}.tmp-${process.pid}`;
  try {
    const yaml = [
      `architecture: ${LXD_ARCH[arch()] ?? arch()}`,
      'creation_date: 1',
      'properties:',
      `  description: isobench workload image ${image.digest}`,
      '  os: isobench',
      '',
    ].join('\n');
    await writeFile(join(dir, 'metadata.yaml'), yaml);
    const r = await runProcess(
      [
        'tar',
        '--sort=name',
        '--mtime=@0',
        '--owner=0',
        '--group=0',
        '--numeric-owner',
        '-C',
        dir,
        '-cf',
        tmp,
        'metadata.yaml',
      ],
      { timeoutMs: 30_000, signal },
    );
    signal?.throwIfAborted();
    if (r.exitCode !== 0) throw new Error(`tar of the LXD metadata failed: ${r.stderr.trim()}`);
    await rename(tmp, tar);
    return tar;
  } finally {
    await rm(dir, { recursive: true, force: true });
    await rm(tmp, { force: true });
  }
}

/** The fingerprint LXD gives a split image: the sha256 of its metadata tar followed by its rootfs tar. */
export async function lxdFingerprint(metadata: string, rootfs: string): Promise<string> {
  const hash = createHash('sha256');
  for (const file of [metadata, rootfs]) {
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}

/**
 * An importer of the workload image (metadata tar + rootfs tar) under its alias, unless LXD has
 * it already; resolves to LXD's fingerprint of it. Imports once per image digest per importer
 * (one per runner, like docker's: a test may point LXD_DIR at a fresh daemon).
 *
 * LXD's fingerprint is the content hash of what it received, so the alias counts only while it
 * names the fingerprint of our two tars: an alias to anything else is deleted with its image and
 * the import redone; a whole image that an aborted client left without its alias is adopted. An
 * abort of `signal` kills the client mid-upload (LXD drops the upload) and rejects with the reason.
 */
export function lxdImporter(): (image: WorkloadImage, signal?: AbortSignal) => Promise<string> {
  const imported = new Map<string, Promise<string>>();
  return (image, signal) => {
    const alias = lxdAlias(image);
    let p = imported.get(alias);
    if (p === undefined) {
      p = (async () => {
        const meta = await metadataTar(image, signal);
        const rootfs = await imageTar(image, signal);
        const want = await lxdFingerprint(meta, rootfs);
        const target = async () =>
          (await lxdQuery<{ target?: string }>(`/1.0/images/aliases/${alias}`, 20_000, signal))?.target ?? null;
        const has = async (fp: string) =>
          (await lxdQuery<{ fingerprint?: string }>(`/1.0/images/${fp}`, 20_000, signal))?.fingerprint === fp;
        const before = await target();
        signal?.throwIfAborted();
        if (before === want) return want;
        if (before !== null) {
          // Not our content (an import cut short, an edited image): neither is used.
          await lxd(['image', 'alias', 'delete', alias], 60_000);
          await lxd(['image', 'delete', before], 120_000);
        }
        if (!(await has(want))) {
          signal?.throwIfAborted();
          const r = await lxd(['image', 'import', meta, rootfs], 300_000, undefined, signal);
          signal?.throwIfAborted();
          if (!(await has(want)))
            throw new Error(
              `LXD import of the workload image failed: ` +
                `${r.exitCode === 0 ? `LXD has no image ${want} after it` : lastWords(r)}`,
            );
        }
        const a = await lxd(['image', 'alias', 'create', alias, want], 60_000, undefined, signal);
        signal?.throwIfAborted();
        const after = await target(); // another process may have aliased it meanwhile
        if (after !== want)
          throw new Error(
            `LXD alias ${alias} of the workload image names ${after ?? 'nothing'}, not ${want}: ${lastWords(a)}`,
          );
        return want;
      })();
      imported.set(alias, p);
      p.catch(() => imported.delete(alias));
    }
    return p;
  };
}
