// Finds an executable on PATH (and the sbin directories root's PATH may lack), symlinks resolved.
import { access, constants, realpath } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

/** Absolute, symlink-resolved path of an executable on PATH, or null. */
export async function which(name: string): Promise<string | null> {
  const dirs = (process.env['PATH'] ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin').split(delimiter);
  for (const dir of [...dirs, '/usr/sbin', '/sbin']) {
    const p = join(dir, name);
    try {
      await access(p, constants.X_OK);
      return await realpath(p);
    } catch {
      // not here
    }
  }
  return null;
}
