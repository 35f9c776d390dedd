// Proves the workload binary is the same everywhere: locate it on the host and hash it.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, constants, realpath } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

/** sha256 of a file, hex. */
export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

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
