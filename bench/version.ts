// isobench's own version and the git describe of its checkout, for the run record.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import type { Known } from './types.js';

/** Root of the isobench checkout (works from sources and from dist/). */
export function projectRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return here.includes(`${'/dist/'}`) || here.endsWith('/dist/bench') ? join(here, '..', '..') : join(here, '..');
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
