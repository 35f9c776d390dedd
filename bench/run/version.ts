// isobench's own version and the git describe of its checkout, for the run record.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import type { Known } from '../../model/record.js';

/** Root of the isobench checkout or package: the nearest folder above this file with a package.json. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** Version from package.json. */
export async function toolVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(join(projectRoot(), 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

/** The `git describe` that `npm pack` recorded (bin/pack-info) when this is an installed package, else null. */
async function packedDescribe(): Promise<string | null> {
  try {
    const info = JSON.parse(await readFile(join(projectRoot(), 'dist', 'build-info.json'), 'utf8')) as {
      gitDescribe?: unknown;
    };
    return typeof info.gitDescribe === 'string' && info.gitDescribe !== '' ? info.gitDescribe : null;
  } catch {
    return null;
  }
}

/**
 * `git describe --always --dirty` of the checkout, or, in a package installed from an `npm pack`
 * tarball, the one recorded when it was packed; null with the reason when neither is known.
 */
export async function gitDescribe(): Promise<Known<string>> {
  const packed = await packedDescribe();
  if (packed !== null) return { value: packed };
  const r = await execa('git', ['describe', '--always', '--dirty', '--tags'], {
    cwd: projectRoot(),
    reject: false,
    timeout: 5000,
  });
  return r.exitCode === 0
    ? { value: String(r.stdout).trim() }
    : { value: null, reason: `git describe failed: ${String(r.stderr || r.shortMessage).trim()}` };
}
