// The typed spine stays typed: analyses and reports read samples only through the run index, and nothing
// outside a workload's declaration branches on a workload's name (the case shape says what a case is).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKLOADS } from '../../workloads/index.js';
import { LIFECYCLE_WORKLOAD } from '../../model/metrics.js';

const repo = new URL('../..', import.meta.url).pathname;
const sources = (dir: string): string[] =>
  readdirSync(join(repo, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
/** Lines of `files` matching `re`, as `file:line: text`. */
const hits = (files: readonly string[], re: RegExp): string[] =>
  files.flatMap((f) =>
    readFileSync(join(repo, f), 'utf8')
      .split('\n')
      .flatMap((line, i) =>
        re.test(line) && !/^\s*(\/\/|\*)/.test(line)
          ? [`${relative(repo, join(repo, f))}:${i + 1}: ${line.trim()}`]
          : [],
      ),
  );

const INDEX = 'analysis/run-index.ts';
const readers = [...sources('analysis'), ...sources('reports')].filter((f) => f !== INDEX);

describe('the typed spine', () => {
  it('the rule sees the files it guards', () => {
    expect(readers.length).toBeGreaterThan(40);
    expect(readers).toContain('analysis/verdict-analysis.ts');
  });

  it('no analysis or report module reads record.results[].samples itself (only the run index does)', () => {
    // `index.samples` (the index's own list) is how reports get every sample.
    expect(hits(readers, /(?<!index)\.samples\b/)).toEqual([]);
    expect(hits([INDEX], /\.samples\b/).length).toBeGreaterThan(0);
  });

  it('no module outside workloads/ compares a workload name: the case shape or the declaration decides', () => {
    const names = [...new Set([...WORKLOADS.map((w) => w.name), LIFECYCLE_WORKLOAD])].join('|');
    const product = ['analysis', 'reports', 'bench', 'runners', 'model', 'datasets'].flatMap(sources);
    const literal = new RegExp(
      `workload\\w*\\)?\\s*[!=]==\\s*'(${names})'|'(${names}` +
        `)'\\s*[!=]==\\s*\\S*workload|findWorkload\\('(${names})'\\)`,
      'i',
    );
    expect(hits(product, literal)).toEqual([]);
    expect(hits(product, /[!=]==\s*LIFECYCLE_WORKLOAD|LIFECYCLE_WORKLOAD\s*[!=]==/)).toEqual([]);
    // The rule does catch what it is for.
    expect(literal.test("if (c.workload === 'density') return;")).toBe(true);
    expect(literal.test("const w = findWorkload('cpu');")).toBe(true);
  });

  it('no \\u0000-joined string keys outside the typed key constructors of model/ids.ts', () => {
    const product = ['analysis', 'reports', 'bench', 'model'].flatMap(sources).filter((f) => f !== 'model/ids.ts');
    expect(hits(product, /`[^`]*\\u0000[^`]*`/)).toEqual([]);
  });
});
