// The README's GitHub Actions job, read from the README and run locally: the fake environment, then real bare metal.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';
import { titled, unmet } from '../helpers/requires.js';

const ROOT = new URL('../..', import.meta.url).pathname;

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}

/** The job between the ci-example markers of README.md. */
function readmeJob(): Step[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = /<!-- ci-example:begin -->\s*```yaml\n([\s\S]*?)```\s*<!-- ci-example:end -->/.exec(readme)?.[1];
  if (block === undefined) throw new Error('README.md has no ci-example block');
  const doc = parse(block) as { jobs: Record<string, { steps: Step[] }> };
  const [job] = Object.values(doc.jobs);
  if (job === undefined) throw new Error('the ci-example has no job');
  return job.steps;
}

/**
 * The job's shell steps after the set-up (bin/setup installs packages and builds; the test suite's
 * global set-up has built dist/ already). `sudo` is dropped: the tests run as root.
 */
function commands(steps: readonly Step[]): string[] {
  const setup = steps.findIndex((s) => s.run?.includes('bin/setup'));
  expect(setup, 'the job runs bin/setup').toBeGreaterThanOrEqual(0);
  return steps
    .slice(setup + 1)
    .flatMap((s) => (s.run === undefined ? [] : [s.run.replace(/\bsudo (--preserve-env=\S+ )?/g, '').trim()]));
}

/** A work directory shaped like the job's checkout: dist/ and node_modules/ linked, the baseline and thresholds in .github/isobench. */
function checkout(): string {
  const dir = tempDir('isobench-ci-');
  symlinkSync(join(ROOT, 'dist'), join(dir, 'dist'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  symlinkSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  mkdirSync(join(dir, '.github/isobench'), { recursive: true });
  writeFileSync(
    join(dir, '.github/isobench/thresholds.json'),
    '{"threshold": "5%", "metrics": {"startup_ms": "20%"}}\n',
  );
  return dir;
}

/** Runs one command of the job with extra run flags (the last value of a flag wins). */
async function step(dir: string, command: string, runFlags: string, summary: string) {
  const cmd = command.includes(' run ') ? `${command} ${runFlags}` : command;
  return execa('bash', ['-euo', 'pipefail', '-c', cmd], {
    cwd: dir,
    reject: false,
    env: { ...process.env, GITHUB_STEP_SUMMARY: summary },
    timeout: 600_000,
  });
}

/** Runs the job: the run step once to make the baseline, then every command as the job does. */
async function runJob(runFlags: string) {
  const steps = readmeJob();
  expect(steps.some((s) => s.uses?.startsWith('actions/upload-artifact') && s.with?.['path'] === 'results/')).toBe(
    true,
  );
  const cmds = commands(steps);
  expect(cmds.map((c) => / (run|compare) /.exec(c)?.[1])).toEqual(['run', 'compare']);
  const dir = checkout();
  const summary = join(dir, 'step-summary.md');
  writeFileSync(summary, '# earlier steps\n');
  // The stored baseline: the same run step, earlier.
  const first = await step(dir, cmds[0] as string, runFlags, join(dir, 'baseline-summary.md'));
  expect(first.exitCode, String(first.stderr)).toBe(0);
  const [made] = readdirSync(join(dir, 'results'));
  mkdirSync(join(dir, '.github/isobench/baseline'), { recursive: true });
  cpSync(join(dir, 'results', made as string, 'run.json'), join(dir, '.github/isobench/baseline/run.json'));
  // The job itself, on a checkout whose results/ is empty.
  rmSync(join(dir, 'results'), { recursive: true });
  const outcomes = [];
  for (const c of cmds) outcomes.push(await step(dir, c, runFlags, summary));
  return { dir, outcomes, summary: readFileSync(summary, 'utf8') };
}

const need = await unmet(['sysbench']);

describe('the README CI job, run locally', () => {
  it(
    'with the fake environment: run, then compare against the stored baseline passes and both append ' +
      'to the job summary',
    async () => {
      const { dir, outcomes, summary } = await runJob('--env fake --engine fake --trials 3 --runs 1 --warmup 0');
      const [run, compare] = outcomes;
      expect(run?.exitCode, String(run?.stderr)).toBe(0);
      expect(existsSync(join(dir, 'results'))).toBe(true);
      expect(compare?.exitCode, `${String(compare?.stdout)}\n${String(compare?.stderr)}`).toBe(0);
      expect(String(compare?.stdout)).toMatch(/0 regression\(s\)/);
      expect(summary.startsWith('# earlier steps\n')).toBe(true);
      expect(summary).toMatch(/## isobench run [\s\S]*## isobench compare: ✅ no regression/);
    },
  );

  it.skipIf(need !== null)(
    titled('on real bare metal (small settings): the compare step judges and exits 0 or 1, never 2', need),
    async () => {
      const { outcomes, summary } = await runJob(
        '--env bare --workload cpu --set cpu.time=1 --trials 3 --runs 1 --warmup 0',
      );
      const [run, compare] = outcomes;
      expect(run?.exitCode, String(run?.stderr)).toBe(0);
      // Two real runs on a shared, loaded host may differ by more than 5 %: a regression is a
      // possible, honest outcome here; bad input or a crash (2, 3) is not.
      expect([0, 1], `${String(compare?.stdout)}\n${String(compare?.stderr)}`).toContain(compare?.exitCode);
      expect(String(compare?.stdout)).toMatch(/cpu · events_per_s · bare:host/);
      expect(summary).toMatch(/## isobench run [\s\S]*## isobench compare: /);
    },
  );
});
