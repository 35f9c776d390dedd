// Writes output files atomically (lib/atomic.ts) and words a failure of the output place as an OutputError.
import { mkdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { writeAtomic } from '../../lib/atomic.js';
import { OutputError } from '../../model/errors.js';

const WHY: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a path component is not a directory',
  ENOENT: 'the parent cannot hold directories',
  EEXIST: 'a file of that name is in the way',
};

/**
 * Turns a failed write of the file `what` in `dir` (null: creating `dir` itself) into an
 * OutputError with a one-line message; other errors pass through.
 */
export function outputError(err: unknown, dir: string, what: string | null): unknown {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === undefined || !(code in WHY)) return err;
  const kept =
    code === 'ENOSPC' || code === 'EDQUOT'
      ? '; the files already there are unchanged, free some space and run again'
      : '; choose a writable directory';
  const action = what === null ? `create the directory '${dir}'` : `write ${what} in '${dir}'`;
  return new OutputError(`cannot ${action}: ${WHY[code]} (${code})${kept}`, code, dir, { cause: err });
}

/**
 * Creates `dir` and its missing parents, reporting an unwritable place as an OutputError. Done one
 * component at a time rather than with mkdir's `recursive`, which reports ENOENT for a read-only or
 * forbidden parent and, in Node 20, never returns for a path under /proc.
 */
export async function makeDir(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    const st = await stat(d).catch((err: NodeJS.ErrnoException) => err);
    if (!(st instanceof Error)) {
      if (!st.isDirectory())
        throw outputError(Object.assign(new Error(`${d} is not a directory`), { code: 'ENOTDIR' }), dir, null);
      break;
    }
    if (st.code !== 'ENOENT') throw outputError(st, dir, null);
    missing.unshift(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing) {
    try {
      await mkdir(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue; // made by someone else meanwhile
      throw outputError(err, dir, null);
    }
  }
}

/**
 * Writes `data` to `path` atomically (lib/atomic.ts); a failure that is the output place's fault
 * (full disk, read-only, no permission) becomes an OutputError with a one-line message.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  try {
    await writeAtomic(path, data);
  } catch (err) {
    throw outputError(err, dirname(path), basename(path));
  }
}

/** Writes every `name → content` of `files` into `dir`, each atomically, in order. */
export async function writeFilesAtomic(dir: string, files: Iterable<[string, string | Uint8Array]>): Promise<void> {
  for (const [name, content] of files) await writeFileAtomic(join(dir, name), content);
}
