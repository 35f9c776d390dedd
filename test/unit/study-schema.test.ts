// study.json is validated once where it is read: merged studies parse, every kind of bad one is a one-line ConfigError.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../model/errors.js';
import { parseRunRecord } from '../../model/schema.js';
import { parseStudy } from '../../model/study-schema.js';
import type { Study } from '../../model/study.js';
import { assembleStudy } from '../../analysis/study/assemble.js';
import { digestRun } from '../../analysis/study/digest.js';
import { schemaCommand, schemaText } from '../../bench/commands/schema.js';
import { hostRecord, study } from '../factories/study.js';

const runText = readFileSync(new URL('../fixtures/records/fake-run.json', import.meta.url), 'utf8');

/** The study of the recorded fake run (an errored environment, startup times), as `isobench merge` writes it. */
function fakeRunStudy(): Study {
  const digest = digestRun(parseRunRecord(runText, 'fake-run.json'));
  return assembleStudy({
    hosts: [
      {
        label: digest.label,
        runs: [{ digest, path: `runs/${digest.label}/${digest.runId}/run.json`, source: 'fake-run' }],
        rowsByPlan: new Map([[digest.planKey, digest.rows]]),
      },
    ],
    missing: [{ label: 'gone', reason: 'unreachable' }],
    extraFlags: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    toolVersion: '0.1.0',
  });
}

const written = (s: Study) => `${JSON.stringify(s, null, 1)}\n`;
const merged = study(
  [hostRecord({ label: 'a', factor: 0.9 }), hostRecord({ label: 'b', factor: 0.8, seed: 7 })],
  [{ label: 'z', reason: 'unreachable' }],
);
const studyText = written(merged);

/** The study's JSON after `edit` changed a copy of it (with Object.assign and Reflect, since the changes break its type). */
function edited(edit: (copy: Study) => void): string {
  const copy = structuredClone(merged);
  edit(copy);
  return JSON.stringify(copy);
}

/** The first measured host of a study. */
function firstMeasured(s: Study) {
  const h = s.hosts.find((x) => x.status === 'ok');
  if (h === undefined) throw new Error('no measured host');
  return h;
}

function failure(input: string): string {
  try {
    parseStudy(input, 'x/study.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).not.toContain('\n');
    return msg;
  }
  throw new Error('parsed without error');
}

describe('study schema', () => {
  it('accepts merged studies unchanged: plan groups, flags, missing hosts', () => {
    expect(parseStudy(studyText, 'study.json')).toEqual(JSON.parse(studyText));
  });

  it(
    'reads back the medians JSON wrote as null (an environment without trials) as NaN, and startup ' +
      'verdicts with their time added',
    () => {
      const s = fakeRunStudy();
      const rows = s.comparisons.flatMap((c) => c.hosts);
      expect(rows.some((h) => Number.isNaN(h.trialMedian))).toBe(true);
      expect(
        rows.some(
          (h) => h.verdict.kind !== 'baseline' && h.verdict.kind !== 'no-data' && h.verdict.added !== undefined,
        ),
      ).toBe(true);
      expect(parseStudy(written(s), 'study.json')).toEqual(s);
    },
  );

  it('names the file and says when it is truncated', () => {
    expect(failure(studyText.slice(0, studyText.length / 2))).toMatch(
      /^'x\/study\.json' is not valid JSON \(.*\); it may be truncated/,
    );
  });

  it('rejects a value that is not an object, naming the top level', () => {
    for (const text of ['[1, 2]', '"study"', 'null', '3'])
      expect(failure(text)).toMatch(
        /^'x\/study\.json' is not an isobench study: \(top level\): expected an object, got (an array|a string|null|a number)/,
      );
  });

  it('rejects a run record or another JSON object, naming the kind field', () => {
    expect(failure(runText)).toMatch(
      /^'x\/study\.json' is not an isobench study: kind: expected "isobench-study", got nothing; pass the study\.json that 'isobench merge' wrote$/,
    );
    expect(failure('{"kind": "isobench-run"}')).toMatch(/kind: expected "isobench-study", got "isobench-run"/);
  });

  it('says which format another study has', () => {
    expect(failure(edited((d) => Object.assign(d, { schema: 2 })))).toMatch(
      /^'x\/study\.json' is an isobench study of format 2; this isobench reads format 1/,
    );
  });

  it('names the first field of a wrong type', () => {
    expect(
      failure(edited((d) => Object.assign(firstMeasured(d).runs[0]?.trials ?? {}, { completed: 'five' }))),
    ).toMatch(/^'x\/study\.json' is not a valid isobench study: hosts\[0\]\.runs\[0\]\.trials\.completed: .*number/);
    expect(
      failure(edited((d) => Object.assign(firstMeasured(d).fingerprint, { cpuCount: { value: 'many' } }))),
    ).toMatch(/: hosts\[0\]\.fingerprint\.cpuCount/);
  });

  it('names a missing required field', () => {
    expect(failure(edited((d) => Reflect.deleteProperty(d, 'planGroups')))).toMatch(
      /^'x\/study\.json' is not a valid isobench study: planGroups: .*array/,
    );
    expect(failure(edited((d) => Reflect.deleteProperty(d.comparisons[0]?.hosts[0] ?? {}, 'verdict')))).toMatch(
      /: comparisons\[0\]\.hosts\[0\]\.verdict: /,
    );
  });

  it(
    'is published as a JSON Schema that matches the types (regenerate with: node dist/bench/cli.js ' +
      'schema study > schema/study.schema.json)',
    () => {
      const published = readFileSync(new URL('../../schema/study.schema.json', import.meta.url), 'utf8');
      expect(published).toBe(schemaText('study'));
    },
  );

  it("isobench schema prints the run record's by default and refuses an unknown name, naming the choices", () => {
    expect(schemaText()).toBe(schemaText('run-record'));
    expect(() => schemaCommand(['studies'])).toThrow(ConfigError);
    expect(() => schemaCommand(['studies'])).toThrow("unknown schema 'studies'; valid choices: run-record, study");
  });
});
