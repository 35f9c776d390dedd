// `isobench merge` end to end on records written by real `isobench run` (fake env): files, kept runs, exit codes.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../model/record.js';
import { parseStudy } from '../../model/study-schema.js';
import { isobench, runDir, tempDir } from '../helpers/cli.js';

let dirs: Record<string, string> = {};

beforeAll(async () => {
  dirs = {};
  for (const [label, seed] of [
    ['alpha', '3'],
    ['beta', '3'],
    ['gamma', '4'],
  ] as const) {
    const out = tempDir();
    const r = await isobench([
      'run',
      '--env',
      'fake',
      '--engine',
      'fake,slow',
      '--workload',
      'cpu',
      '--quick',
      '--trials',
      '3',
      '--runs',
      '1',
      '--seed',
      seed,
      '--host-label',
      label,
      '--no-report',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    dirs[label] = runDir(out);
  }
}, 120_000);

describe('isobench merge', () => {
  it('merges runs of the same plan, keeps each run.json byte for byte, and exits 0', async () => {
    const out = join(tempDir(), 'study');
    const r = await isobench([
      'merge',
      dirs['alpha'] as string,
      join(dirs['beta'] as string, 'run.json'),
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/hosts: 2 measured \(alpha, beta\)/);
    expect(r.stdout).toMatch(/fake:slow\s+0\.900 \[0\.900, 0\.900\], range 0\.0 % \(2 hosts\)/);
    const study = parseStudy(readFileSync(join(out, 'study.json'), 'utf8'), 'study.json');
    expect(study.flags).toEqual([]);
    for (const h of study.hosts) {
      if (h.status !== 'ok') throw new Error('unexpected missing host');
      const kept = join(out, h.runs[0]?.path as string);
      const source = join(h.label === 'alpha' ? (dirs['alpha'] as string) : (dirs['beta'] as string), 'run.json');
      expect(readFileSync(kept, 'utf8')).toBe(readFileSync(source, 'utf8'));
    }
    expect(readdirSync(out).sort()).toEqual([
      'hosts.csv',
      'overhead-hosts.png',
      'report.html',
      'runs',
      'spread.csv',
      'study.json',
      'summary.csv',
      'summary.md',
      'summary.txt',
    ]);
  });

  it('flags a different plan and a missing host, writes the study all the same, and exits 1', async () => {
    const out = join(tempDir(), 'study');
    const r = await isobench([
      'merge',
      dirs['alpha'] as string,
      dirs['gamma'] as string,
      '--out',
      out,
      '--missing',
      'delta=unreachable: no route to host',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/flag \(missing-host\): delta is missing from the study: unreachable: no route to host/);
    expect(r.stderr).toMatch(/flag \(plan-mismatch\): gamma ran a different plan .*seed \(3 vs 4\)/);
    const md = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(md).toMatch(/### Plan 1/);
    // Re-merging into the same study directory replaces it.
    const again = await isobench(['merge', dirs['alpha'] as string, '--out', out]);
    expect(again.code, again.stderr).toBe(0);
    expect(readdirSync(join(out, 'runs'))).toEqual(['alpha']);
  });

  it('keeps two different machines with the same label apart and flags the conflict', async () => {
    const record = JSON.parse(readFileSync(join(dirs['beta'] as string, 'run.json'), 'utf8')) as RunRecord;
    const other = join(tempDir(), 'other');
    mkdirSync(other);
    writeFileSync(
      join(other, 'run.json'),
      JSON.stringify({
        ...record,
        runId: 'other-run',
        hostLabel: 'alpha',
        host: { ...record.host, hostname: { value: 'another-machine' } },
      }),
    );
    const out = join(tempDir(), 'study');
    const r = await isobench(['merge', dirs['alpha'] as string, other, '--out', out]);
    expect(r.code).toBe(1);
    const study = parseStudy(readFileSync(join(out, 'study.json'), 'utf8'), 'study.json');
    expect(study.hosts.map((h) => h.label)).toEqual(['alpha', 'alpha~2']);
    expect(study.flags.map((f) => f.kind)).toEqual(['label-conflict']);
  });

  it.each([
    [['merge'], /merge needs at least one run directory/],
    [['merge', '/nonexistent/run', '--out', 'OUT'], /cannot read '\/nonexistent\/run\/run.json' \(no such file\)/],
    [['merge', 'RUN', 'RUN', '--out', 'OUT'], /given twice/],
    [['merge', 'RUN'], /merge needs --out/],
    [
      ['merge', 'RUN', '--out', 'OUT', '--missing', 'no-equals-sign'],
      /bad value 'no-equals-sign' for --missing: expected LABEL=REASON/,
    ],
    [['merge', 'RUN', '--out', 'NOTSTUDY'], /exists and is not a study directory/],
    [['merge', 'RUN', '--frobnicate'], /'--frobnicate'.*valid flags: --out, --missing/],
  ])('bad input %j exits 2 with a message', async (args, message) => {
    const notStudy = tempDir();
    writeFileSync(join(notStudy, 'precious.txt'), 'keep me');
    const argv = args.map((a) =>
      a === 'RUN'
        ? (dirs['alpha'] as string)
        : a === 'OUT'
          ? join(tempDir(), 'study')
          : a === 'NOTSTUDY'
            ? notStudy
            : a,
    );
    const r = await isobench(argv);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
    expect(readFileSync(join(notStudy, 'precious.txt'), 'utf8')).toBe('keep me');
  });
});
