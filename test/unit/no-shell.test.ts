// No host command string passes through a shell: commands are argv arrays, never a string a shell
// parses. (Payloads run inside a container or guest are constant scripts and are not host commands.)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
const LAYERS = ['bench', 'runners', 'reports', 'analysis', 'workloads', 'datasets', 'model'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('no shell', () => {
  it('no source spawns with shell: true, execSync/exec of a string, or sh -c with an interpolated script', () => {
    const offences: string[] = [];
    for (const file of LAYERS.flatMap((l) => sources(join(ROOT, l)))) {
      const text = readFileSync(file, 'utf8');
      text.split('\n').forEach((line, i) => {
        const where = `${file.slice(ROOT.length)}:${i + 1}: ${line.trim()}`;
        if (/shell:\s*true/.test(line)) offences.push(where);
        if (/\bexecSync\(|\bexec\(\s*[`'"]|from 'node:child_process'.*\bexec\b/.test(line)) offences.push(where);
        if (/['"](\/bin\/)?sh['"],\s*['"]-c['"],\s*`[^`]*\$\{/.test(line)) offences.push(where);
      });
    }
    expect(offences).toEqual([]);
  });
});
