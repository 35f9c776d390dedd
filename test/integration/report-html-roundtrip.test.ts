// Round trip: `isobench run` writes reports; `isobench report <dir>` regenerates them byte for byte from run.json.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isobench, runDir, tempDir } from '../helpers/cli.js';

function snapshot(dir: string): Map<string, Buffer> {
  return new Map(
    readdirSync(dir)
      .sort()
      .map((f) => [f, readFileSync(join(dir, f))]),
  );
}

describe('report round trip', () => {
  it('regenerates identical files apart from the one generated-at line', async () => {
    const out = tempDir();
    const r = await isobench([
      'run',
      '--env',
      'fake',
      '--engine',
      'fake,slow',
      '--quick',
      '--trials',
      '3',
      '--runs',
      '2',
      '--seed',
      '11',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/fake:slow\s+3\s+\S+ events\/s\s+slower by 10\.0 % \[/);
    const dir = runDir(out);
    const first = snapshot(dir);
    for (const f of [
      'report.html',
      'summary.csv',
      'summary.md',
      'summary.txt',
      'overhead.png',
      'startup-startup_ms.png',
    ])
      expect(first.has(f), f).toBe(true);
    await new Promise((res) => setTimeout(res, 20));
    const again = await isobench(['report', dir]);
    expect(again.code).toBe(0);
    const second = snapshot(dir);
    expect([...second.keys()]).toEqual([...first.keys()]);
    for (const [name, bytes] of first) {
      if (name === 'report.html') continue;
      expect(bytes.equals(second.get(name)!), `${name} differs after isobench report`).toBe(true);
    }
    const a = first.get('report.html')!.toString().split('\n');
    const b = second.get('report.html')!.toString().split('\n');
    expect(b).toHaveLength(a.length);
    const differing = a.flatMap((line, i) => (line === b[i] ? [] : [line]));
    expect(differing.length).toBeLessThanOrEqual(1);
    for (const line of differing) expect(line).toMatch(/^<p class="generated">Generated at [0-9T:.Z-]+<\/p>$/);
  });
});
