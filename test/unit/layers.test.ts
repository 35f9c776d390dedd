// The layer rules of `npm run lint` (.dependency-cruiser.cjs) reject an upward import and accept a downhill one.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';

const repo = new URL('../..', import.meta.url).pathname;
const depcruise = join(repo, 'node_modules', '.bin', 'depcruise');

/** Writes a two-file project in a temp dir and runs the project's lint rules on it. */
async function cruise(files: Record<string, string>) {
  const dir = tempDir();
  await writeFile(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', allowJs: true } }),
  );
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  const folders = [...new Set(Object.keys(files).map((f) => f.split('/')[0] as string))];
  return execa(depcruise, [...folders, '--config', join(repo, '.dependency-cruiser.cjs')], { cwd: dir, reject: false });
}

describe('layer rules', () => {
  it('fail on an import from the model up to reports', async () => {
    const r = await cruise({
      'model/a.ts': "import { b } from '../reports/b.js';\nexport const a = b;\n",
      'reports/b.ts': 'export const b = 1;\n',
    });
    expect(r.exitCode).not.toBe(0);
    expect(r.stdout).toContain('model-imports-only-below: model/a.ts → reports/b.ts');
  });

  it('fail on a runner importing analysis', async () => {
    const r = await cruise({
      'runners/a.ts': "import { b } from '../analysis/b.js';\nexport const a = b;\n",
      'analysis/b.ts': 'export const b = 1;\n',
    });
    expect(r.exitCode).not.toBe(0);
    expect(r.stdout).toContain('runners-imports-only-below');
  });

  it('fail on a cycle inside one layer', async () => {
    const r = await cruise({
      'analysis/a.ts': "import { b } from './b.js';\nexport const a = 1 + b;\n",
      'analysis/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
    });
    expect(r.exitCode).not.toBe(0);
    expect(r.stdout).toContain('no-circular');
  });

  it('pass on a downhill import', async () => {
    const r = await cruise({
      'reports/a.ts': "import { b } from '../model/b.js';\nexport const a = b;\n",
      'model/b.ts': 'export const b = 1;\n',
    });
    expect(r.stdout + r.stderr).toContain('no dependency violations found');
    expect(r.exitCode).toBe(0);
  });
});
