// isobench compare through the real CLI: exit 1 on a regression, 0 otherwise, 2 on bad input; JSON, Markdown, job summary.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rng } from '../../analysis/rng.js';
import { noisyTrials, syntheticRecord } from '../factories/synthetic.js';
import type { RunRecord } from '../../model/record.js';
import { isobench, tempDir } from '../helpers/cli.js';

const cpuParams = { threads: 1, 'max-prime': 10000, time: 2 };

function record(seed: number, cpu: number): RunRecord {
  const rand = rng(seed);
  return syntheticRecord(
    [
      { env: 'bare', engine: 'host', workload: 'cpu', params: cpuParams, trials: noisyTrials(1000, 0.01, 5, 3, rand) },
      {
        env: 'container',
        engine: 'synthetic',
        workload: 'cpu',
        params: cpuParams,
        trials: noisyTrials(cpu, 0.01, 5, 3, rand),
      },
    ],
    { seed },
  );
}

/** Writes a record as <dir>/<name>/run.json and returns the run directory. */
function save(rec: RunRecord | string, name: string, dir = tempDir()): string {
  const runDir = join(dir, name);
  mkdirSync(runDir, { recursive: true });
  writeFileSync(join(runDir, 'run.json'), typeof rec === 'string' ? rec : JSON.stringify(rec));
  return runDir;
}

describe('isobench compare exit codes', () => {
  const base = save(record(1, 1000), 'base');
  it('exits 1 on a known 10 % regression and names it', async () => {
    const r = await isobench(['compare', base, save(record(2, 900), 'cur')]);
    expect(r.stdout).toMatch(/REGRESSION +cpu · events_per_s · container:synthetic: .* slower by \d+\.\d %/);
    expect(r.code).toBe(1);
  });
  it('exits 0 on an improvement and on no change', async () => {
    expect((await isobench(['compare', base, save(record(2, 1100), 'better')])).code).toBe(0);
    const same = await isobench(['compare', base, join(save(record(3, 1000), 'same'), 'run.json')]);
    expect(same.stdout).toMatch(/0 regression\(s\), 0 improvement\(s\), 2 within noise/);
    expect(same.code).toBe(0);
  });
  it('a 20 % threshold lets the 10 % regression pass', async () => {
    expect((await isobench(['compare', base, save(record(2, 900), 'cur'), '--threshold', '20%'])).code).toBe(0);
  });
  it('--json prints the comparison as data', async () => {
    const r = await isobench(['compare', base, save(record(2, 900), 'cur'), '--json']);
    const out = JSON.parse(r.stdout) as {
      gate: string;
      counts: Record<string, number>;
      cells: { verdict: { kind: string } }[];
    };
    expect(out.gate).toBe('fail');
    expect(out.counts['regression']).toBe(1);
    expect(r.code).toBe(1);
  });
  it('--markdown FILE writes the summary; $GITHUB_STEP_SUMMARY is appended to, never overwritten', async () => {
    const dir = tempDir();
    const summary = join(dir, 'step-summary.md');
    writeFileSync(summary, 'earlier step\n');
    const md = join(dir, 'compare.md');
    const r = await isobench(['compare', base, save(record(2, 900), 'cur'), '--markdown', md], {
      env: { ...process.env, GITHUB_STEP_SUMMARY: summary } as Record<string, string>,
    });
    expect(r.code).toBe(1);
    expect(readFileSync(md, 'utf8')).toMatch(/^## isobench compare: ❌ 1 regression/);
    const page = readFileSync(summary, 'utf8');
    expect(page.startsWith('earlier step\n')).toBe(true);
    expect(page).toMatch(/\*\*REGRESSION\*\* \| cpu \| events_per_s \| container:synthetic/);
  });
});

describe('isobench compare on bad input exits 2 naming the bad value', () => {
  const base = save(record(1, 1000), 'base');
  const fixture = readFileSync(new URL('../fixtures/records/fake-run.json', import.meta.url), 'utf8');
  const config = (text: string) => {
    const f = join(tempDir(), 'thresholds.json');
    writeFileSync(f, text);
    return f;
  };
  it.each([
    [
      'a missing run',
      () => ['compare', base, '/nonexistent/run'],
      /cannot read '\/nonexistent\/run\/run\.json' \(no such file\)/,
    ],
    ['one run only', () => ['compare', base], /compare needs two runs/],
    [
      'a bad threshold',
      () => ['compare', base, base, '--threshold', 'lots'],
      /bad value 'lots' for --threshold: expected a percentage above 0 and below 100, such as 5%/,
    ],
    [
      'a JSON file that is not a run record',
      () => ['compare', base, save('{"name":"isobench"}', 'foreign')],
      /is not an isobench run record/,
    ],
    [
      'a truncated run.json',
      () => ['compare', save(fixture.slice(0, 3000), 'cut'), base],
      /is not valid JSON .*it may be truncated/,
    ],
    [
      'a record with a bad field',
      () => ['compare', base, save(fixture.replace('"trials": 4', '"trials": "four"'), 'bad')],
      /is not a valid isobench run record: plan\.trials/,
    ],
    [
      'an unknown metric in the config',
      () => ['compare', base, base, '--config', config('{"metrics": {"startup_sec": "20%"}}')],
      /unknown metric 'startup_sec' in the compare config .*valid choices: .*startup_ms/,
    ],
    [
      'a bad threshold in the config',
      () => ['compare', base, base, '--config', config('{"threshold": "0.0"}')],
      /bad value '0\.0' for "threshold" in .*: expected a percentage/,
    ],
    [
      'a config that is not JSON',
      () => ['compare', base, base, '--config', config('threshold: 5%')],
      /cannot read the compare config .*expected a JSON file/,
    ],
    [
      'an unknown flag',
      () => ['compare', base, base, '--treshold', '5%'],
      /'--treshold'.*valid flags: --threshold, --config, --json, --markdown/,
    ],
  ])('%s', async (_what, args, message) => {
    const r = await isobench(args());
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
  });
});
