// Format 5 carries plan.margin as a fraction; formats 3 and 4 (percent) are upgraded where a record is read, so an old record read, written and read again gives the same analysis and reports.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRunRecord } from '../../model/schema.js';
import { RECORD_SCHEMA_VERSION } from '../../model/record.js';
import { analyse } from '../../analysis/verdict-analysis.js';
import { renderReports } from '../../reports/run/index.js';

const text = readFileSync(new URL('../fixtures/records/fake-run.json', import.meta.url), 'utf8');
const stored = JSON.parse(text) as { schema: number; plan: { margin: number } };
const TEXT_REPORTS = ['samples.csv', 'summary.csv', 'summary.md', 'summary.txt'];

async function textReports(json: string): Promise<string[]> {
  const files = await renderReports(parseRunRecord(json, 'run.json'), { generatedAt: 'T' });
  return TEXT_REPORTS.map((n) => String(files.get(n)));
}

describe('run record format 5: the margin is a fraction', () => {
  it('the fixture is format 3 with a margin of 2 (percent)', () => {
    expect(stored.schema).toBe(3);
    expect(stored.plan.margin).toBe(2);
  });

  it('upgrades a format-3 or format-4 record: margin 2 (percent) becomes 0.02, and the record is format 5', () => {
    for (const schema of [3, 4]) {
      const r = parseRunRecord(JSON.stringify({ ...stored, schema }), 'run.json');
      expect(r.schema).toBe(RECORD_SCHEMA_VERSION);
      expect(r.plan.margin).toBe(0.02);
      expect(analyse(r).margin).toBe(0.02);
    }
  });

  it('reads a format-5 margin as written', () => {
    const r = parseRunRecord(
      JSON.stringify({ ...stored, schema: 5, plan: { ...stored.plan, margin: 0.05 } }),
      'run.json',
    );
    expect(r.plan.margin).toBe(0.05);
  });

  it('an old record read and written again gives the same record, analysis and reports', async () => {
    const once = parseRunRecord(text, 'run.json');
    const again = parseRunRecord(JSON.stringify(once, null, 1), 'run.json');
    expect(again).toEqual(once);
    expect(analyse(again)).toEqual(analyse(once));
    expect(await textReports(JSON.stringify(again))).toEqual(await textReports(text));
  });
});
