// Atomic file writes: a temporary name in the same directory, fsync, rename, then the directory fsynced;
// a crash or a full disk leaves either the previous file or the new one, never a half-written one.
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

let writes = 0;

/** The default temporary name of a write of `path`: `.<name>.<pid>.<n>.tmp` beside it. */
function tmpBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${writes++}.tmp`);
}

/**
 * Writes `data` to `path` through the temporary file `tmp` (default `.<name>.<pid>.<n>.tmp` beside it):
 * written, fsynced, renamed over `path`, and the directory fsynced so the rename itself survives a
 * crash. On any failure the temporary file is removed, `path` is left as it was and the error is
 * thrown as it came (callers word it).
 */
export async function writeAtomic(path: string, data: string | Uint8Array, tmp = tmpBeside(path)): Promise<void> {
  try {
    const fh = await open(tmp, 'w', 0o644);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  // Best effort: a directory that cannot be opened for fsync (some network filesystems) is not an error.
  const dh = await open(dirname(path), 'r').catch(() => null);
  if (dh)
    await dh
      .sync()
      .catch(() => undefined)
      .finally(() => dh.close());
}
