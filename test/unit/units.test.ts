// One unit per quantity: margins, thresholds and headroom are fractions turned into percent text only by lib/numbers.ts's formatters, the default margin is written once, and every catalogue unit is one of model/units.ts.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UNITS } from '../../model/units.js';
import { LIFECYCLE_METRICS } from '../../model/metrics.js';
import { metricCatalogue } from '../../workloads/index.js';
import { parseRunRecord } from '../../model/schema.js';

const repo = new URL('../..', import.meta.url).pathname;

/** Every .ts file under the given top-level folders, with its text. */
function sources(...dirs: string[]): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts')) out.push({ file: relative(repo, path), text: readFileSync(path, 'utf8') });
    }
  };
  for (const d of dirs) walk(join(repo, d));
  return out;
}

/** `file:line: text` of every line matching `re`. */
function hits(files: { file: string; text: string }[], re: RegExp): string[] {
  return files.flatMap(({ file, text }) =>
    text.split('\n').flatMap((line, i) => (re.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
  );
}

const PRODUCT = ['bench', 'reports', 'analysis', 'runners', 'workloads', 'datasets', 'model', 'lib'];

describe('margins, thresholds and headroom are fractions from parse to print', () => {
  it(
    'no file in reports/ or bench/ multiplies a margin, threshold or headroom by 100 (they print ' +
      'through pct, wholePct, percentOf or marginText)',
    () => {
      const times100 =
        /(margin|threshold|headroom)[\w.?]*\)?\s*\*\s*100\b|\b100\s*\*\s*[\w.?]*(margin|threshold|headroom)/i;
      expect(hits(sources('reports', 'bench'), times100)).toEqual([]);
    },
  );

  it(
    'no product file divides a margin, threshold or headroom by 100: a percentage becomes a fraction ' +
      'once, in fractionOfPercent',
    () => {
      expect(hits(sources(...PRODUCT), /(margin|threshold|headroom)[\w.?]*\)?\s*\/\s*100\b/i)).toEqual([]);
    },
  );

  it('the default margin is written once, in model/options.ts, and nothing restates it', () => {
    const declared = hits(sources(...PRODUCT, 'test/factories'), /DEFAULT_MARGIN_PCT\s*=\s*[\d.]+/);
    expect(declared).toHaveLength(1);
    expect(declared[0]).toMatch(/^model\/options\.ts:\d+: export const DEFAULT_MARGIN_PCT = 2;$/);
    // A margin defaulted or assigned to a number literal (`?? 0.02`, `margin = 2`) restates it.
    const restated = hits(sources(...PRODUCT, 'test/factories'), /margin\w*\s*(\?\?|=|\|\|)\s*-?[\d.]+\b/i).filter(
      (l) => !/DEFAULT_MARGIN_PCT\s*=/.test(l),
    );
    expect(restated).toEqual([]);
  });
});

describe('units of the metric catalogue', () => {
  const catalogue = { ...LIFECYCLE_METRICS, ...metricCatalogue() };

  it('every unit a metric declares is one of UNITS, and every one of UNITS is used', () => {
    const used = new Set<string>(Object.values(catalogue).map((m) => m.unit));
    for (const u of used) expect(UNITS as readonly string[]).toContain(u);
    expect([...UNITS].filter((u) => !used.has(u))).toEqual([]);
  });

  it('a record whose catalogue names an unknown unit is rejected where it is read, with one line', () => {
    const text = readFileSync(new URL('../fixtures/records/fake-run.json', import.meta.url), 'utf8');
    const rec = JSON.parse(text) as { metrics: Record<string, { unit: string }> };
    const first = Object.keys(rec.metrics)[0] ?? '';
    (rec.metrics[first] as { unit: string }).unit = 'furlongs/fortnight';
    expect(() => parseRunRecord(JSON.stringify(rec), 'x/run.json')).toThrow(
      new RegExp(`^'x/run\\.json' is not a valid isobench run record: metrics\\.${first}\\.unit: `),
    );
  });
});
