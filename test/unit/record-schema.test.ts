// run.json is validated once where it is read: good records parse, every kind of bad one is a one-line ConfigError.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../model/errors.js';
import { parseRunRecord } from '../../model/schema.js';
import { schemaText } from '../../bench/commands/schema.js';

const fixturePath = new URL('../fixtures/records/fake-run.json', import.meta.url);
const text = readFileSync(fixturePath, 'utf8');

function failure(input: string): string {
  try {
    parseRunRecord(input, 'x/run.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).not.toContain('\n');
    return msg;
  }
  throw new Error('parsed without error');
}

describe('run record schema', () => {
  it('accepts the recorded fixture and keeps every trial', () => {
    const r = parseRunRecord(text, 'fake-run.json');
    expect(r.results.length).toBe((JSON.parse(text) as { results: unknown[] }).results.length);
  });

  it('names the file and says when it is truncated', () => {
    expect(failure(text.slice(0, text.length / 2))).toMatch(
      /^'x\/run\.json' is not valid JSON \(.*\); it may be truncated/,
    );
  });

  it('rejects a JSON file that is not a run record', () => {
    expect(failure('{"name": "isobench", "version": "0.1.0"}')).toMatch(
      /^'x\/run\.json' is not an isobench run record/,
    );
    expect(failure('[1, 2, 3]')).toMatch(/is not an isobench run record/);
  });

  it('says which format an older record has', () => {
    const old = { ...(JSON.parse(text) as object), schema: 1 };
    expect(failure(JSON.stringify(old))).toMatch(
      /is an isobench run record of format 1; this isobench reads formats 3 and 4/,
    );
  });

  it('names the first bad field', () => {
    const rec = JSON.parse(text) as { results: { samples: { value: unknown }[] }[] };
    const sample = rec.results[0]?.samples[0];
    if (sample) sample.value = 'fast';
    expect(failure(JSON.stringify(rec))).toMatch(
      /^'x\/run\.json' is not a valid isobench run record: results\[0\]\.samples\[0\]\.value: .*number/,
    );
  });

  it('rejects a sample whose metric the record does not declare, instead of guessing its unit and direction', () => {
    const rec = JSON.parse(text) as { metrics: Record<string, unknown>; results: { samples: { metric: string }[] }[] };
    const i = rec.results.findIndex((r) => r.samples.length > 0);
    const metric = rec.results[i]?.samples[0]?.metric ?? '';
    delete rec.metrics[metric];
    expect(failure(JSON.stringify(rec))).toBe(
      `'x/run.json' is not a valid isobench run record: results[${i}].samples[0].metric: '${metric}' ` +
        `is not in the record's metric catalogue (metrics: ${Object.keys(rec.metrics).join(', ')})`,
    );
  });

  it('requires every metric to declare its kind of quantity', () => {
    const rec = JSON.parse(text) as { metrics: Record<string, { quantity?: string }> };
    delete rec.metrics['startup_ms']?.quantity;
    expect(failure(JSON.stringify(rec))).toMatch(
      /^'x\/run\.json' is not a valid isobench run record: metrics\.startup_ms\.quantity: /,
    );
  });

  it(
    'is published as a JSON Schema that matches the types (regenerate with: node dist/bench/cli.js ' +
      'schema > schema/run-record.schema.json)',
    () => {
      const published = readFileSync(new URL('../../schema/run-record.schema.json', import.meta.url), 'utf8');
      expect(published).toBe(schemaText());
    },
  );
});
