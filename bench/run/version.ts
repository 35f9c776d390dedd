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

/** `git describe --always --dirty` of the checkout, or null with the reason. */
export async function gitDescribe(): Promise<Known<string>> {
  const r = await execa('git', ['describe', '--always', '--dirty', '--tags'], { cwd: projectRoot(), reject: false, timeout: 5000 });
  return r.exitCode === 0 ? { value: String(r.stdout).trim() } : { value: null, reason: `git describe failed: ${String(r.stderr || r.shortMessage).trim()}` };
}
