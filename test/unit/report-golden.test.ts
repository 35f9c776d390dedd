// Every run-record fixture in test/fixtures/records renders byte for byte the text reports kept beside it in golden/.
// They were produced before the typed index of issue 20 and pin the refactor (and any later one) to the same output.
// To regenerate on purpose (a change that must alter reports): ISOBENCH_GOLDEN=write npx vitest run test/unit/report-golden.test.ts
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRunRecord } from '../../model/schema.js';
import { renderReports } from '../../reports/run/index.js';

const dir = new URL('../fixtures/records/', import.meta.url).pathname;
const golden = join(dir, 'golden');
const TEXT_REPORTS = ['samples.csv', 'summary.csv', 'density.csv', 'summary.md', 'summary.txt'];
const records = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('report output of the fixture records is unchanged', () => {
  it('has fixture records', () => expect(records.length).toBeGreaterThanOrEqual(3));
  for (const file of records) {
    it(file, async () => {
      const path = join(dir, file);
      const files = await renderReports(parseRunRecord(readFileSync(path, 'utf8'), path), { generatedAt: 'T' });
      const out = join(golden, file.replace(/\.json$/, ''));
      for (const name of TEXT_REPORTS) {
        const got = files.get(name);
        const want = join(out, name);
        if (process.env['ISOBENCH_GOLDEN'] === 'write') {
          mkdirSync(out, { recursive: true });
          if (got !== undefined) writeFileSync(want, got);
          continue;
        }
        expect(got === undefined, `${file}: ${name} present`).toBe(!existsSync(want));
        if (got !== undefined) expect(String(got), `${file}: ${name}`).toBe(readFileSync(want, 'utf8'));
      }
    });
  }
});
