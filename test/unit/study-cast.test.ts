// Product code reads study.json only through parseStudy (model/study-schema.ts): a cast to Study would skip its validation.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('product code', () => {
  const root = new URL('../..', import.meta.url).pathname;
  const files = (dir: string): string[] =>
    readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && e.name.endsWith('.ts'))
      .map((e) => join(e.parentPath, e.name));

  it('reads study.json only through parseStudy: no `as Study` cast anywhere', () => {
    const casts = ['bench', 'runners', 'reports', 'analysis', 'workloads', 'datasets', 'model', 'lib']
      .flatMap(files)
      .filter((f) => /\bas\s+Study\b/.test(readFileSync(f, 'utf8')))
      .map((f) => f.slice(root.length));
    expect(casts).toEqual([]);
  });
});
