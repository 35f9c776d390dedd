// Cache entries that heal: each entry carries a manifest of its files' content hashes written when
// it was built, is verified against it on use, and is (re)built under an flock next to it into a
// temporary name that is renamed into place. An interrupted build, an edited or truncated file, or
// two processes building the same entry at once never yield a used-but-broken entry.
import { spawn } from 'node:child_process';
import { lstat, mkdir, open, readFile, readdir, readlink } from 'node:fs/promises';
import { writeAtomic } from '../../lib/atomic.js';
import { dirname, join } from 'node:path';
import { sha256File } from '../../lib/hash.js';

/** Name of the manifest file inside a directory entry. */
export const MANIFEST = '.isobench-manifest';

/** One line per file under `root` (sorted): `f <path> <mode> <sha256>`, `l <path> <target>` or `d <path>`. */
export async function treeManifest(root: string, skip: (rel: string) => boolean = () => false): Promise<string> {
  const lines: string[] = [];
  async function walk(rel: string): Promise<void> {
    const entries = (await readdir(join(root, rel))).sort();
    for (const name of entries) {
      const r = rel === '' ? name : `${rel}/${name}`;
      if (skip(r)) continue;
      const st = await lstat(join(root, r));
      if (st.isSymbolicLink()) lines.push(`l ${r} ${await readlink(join(root, r))}`);
      else if (st.isDirectory()) {
        lines.push(`d ${r}`);
        await walk(r);
      } else if (st.isFile()) lines.push(`f ${r} ${(st.mode & 0o777).toString(8)} ${await sha256File(join(root, r))}`);
      else lines.push(`o ${r}`);
    }
  }
  await walk('');
  return `${lines.join('\n')}\n`;
}

/**
 * Why the files listed in `manifest` differ from what is under `root`, or null when every listed
 * file is there with its content hash (files added later, such as mount points, are allowed).
 */
export async function manifestMismatch(root: string, manifest: string): Promise<string | null> {
  for (const line of manifest.split('\n')) {
    if (line === '') continue;
    const [kind, rel, a, b] = line.split(' ');
    if (rel === undefined) return `bad manifest line '${line.slice(0, 80)}'`;
    const path = join(root, rel);
    const st = await lstat(path).catch(() => null);
    if (st === null) return `${rel} is missing`;
    if (kind === 'l' && (!st.isSymbolicLink() || (await readlink(path)) !== a))
      return `${rel} is not the symlink to ${a}`;
    if (kind === 'd' && !st.isDirectory()) return `${rel} is not a directory`;
    if (kind === 'f') {
      if (!st.isFile()) return `${rel} is not a file`;
      if ((st.mode & 0o777).toString(8) !== a) return `${rel} has mode ${(st.mode & 0o777).toString(8)}, not ${a}`;
      if ((await sha256File(path)) !== b) return `${rel} does not match its content hash`;
    }
  }
  return null;
}

/**
 * Runs `fn` holding an exclusive flock(2) on `lockPath` (created if needed). The lock is taken by
 * flock(1) on an inherited descriptor of our open file, so it belongs to this process's open file
 * and is released when we close it — or when this process dies, so a killed build never leaves a
 * stale lock behind. Not re-entrant within one process.
 */
export async function withFileLock<T>(
  lockPath: string,
  fn: () => Promise<T>,
  log: (l: string) => void = () => undefined,
  signal?: AbortSignal,
  timeoutS = 900,
): Promise<T> {
  await mkdir(dirname(lockPath), { recursive: true });
  const fh = await open(lockPath, 'a');
  const flock = (args: string[]) =>
    new Promise<{ code: number | null; err: string }>((resolve, reject) => {
      // An aborted run kills a waiting flock rather than leave it behind.
      const child = spawn('flock', [...args, '3'], {
        stdio: ['ignore', 'ignore', 'pipe', fh.fd],
        ...(signal ? { signal, killSignal: 'SIGKILL' as const } : {}),
      });
      let err = '';
      child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
      child.on('error', (e) =>
        reject(new Error(`flock ${lockPath} could not start (apt-get install util-linux): ${e.message}`)),
      );
      child.on('close', (code) =>
        signal?.aborted
          ? reject(signal.reason instanceof Error ? signal.reason : new Error('aborted while waiting for a cache lock'))
          : resolve({ code, err }),
      );
    });
  try {
    if ((await flock(['--exclusive', '--nonblock'])).code !== 0) {
      log(`waiting for another process building the cache entry of ${lockPath}`);
      const r = await flock(['--exclusive', '--wait', String(timeoutS)]);
      if (r.code !== 0)
        throw new Error(
          `could not lock ${lockPath} within ${timeoutS} s (another isobench building the same cache ` +
            `entry?): ${r.err.trim() || `flock exit ${r.code}`}`,
        );
    }
    return await fn();
  } finally {
    await fh.close();
  }
}

/** Writes `text` to `path` atomically through `<path>.tmp-<pid>` (a name the cache's healing recognises). */
export async function writeFileRenamed(path: string, text: string): Promise<void> {
  await writeAtomic(path, text, `${path}.tmp-${process.pid}`);
}

/** Reads a file, or null when it cannot be read. */
export async function readOrNull(path: string): Promise<string | null> {
  return readFile(path, 'utf8').catch(() => null);
}
