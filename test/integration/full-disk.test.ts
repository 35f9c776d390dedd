// Atomic records and reports on a real full disk (a small tmpfs) and a real read-only mount:
// the command fails with one line naming the directory, the previous run.json is byte for byte
// what it was, and no temporary file is left behind.
import { copyFileSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutputError } from '../../model/errors.js';
import { writeRecord } from '../../bench/run/record.js';
import { parseRunRecord } from '../../model/schema.js';
import { isobench, tempDir } from '../helpers/cli.js';
import { titled, unmet } from '../helpers/requires.js';

const FIXTURE = new URL('../fixtures/records/fake-run.json', import.meta.url).pathname;
const why = await unmet(['root']);

/** Files whose name marks them as an unfinished atomic write. */
function tmpFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(
    (f) => f.endsWith('.tmp') || f.includes('.tmp-'),
  );
}

/** Fills the filesystem of `dir` until the next write fails with ENOSPC. */
function fill(dir: string): void {
  const chunk = Buffer.alloc(64 * 1024, 1);
  for (let i = 0; ; i++) {
    try {
      writeFileSync(join(dir, `filler-${i}`), chunk);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      break;
    }
  }
  // Small files can still land in a partly used page; fill the rest byte-wise.
  for (let i = 0; ; i++) {
    try {
      writeFileSync(join(dir, `crumb-${i}`), Buffer.alloc(512, 1));
    } catch {
      break;
    }
  }
}

describe.skipIf(why !== null)(titled('outputs on a full or read-only filesystem', why), () => {
  const mounts: string[] = [];
  let base = '';
  let disk = '';
  let ro = '';

  beforeAll(async () => {
    base = tempDir('isobench-fulldisk-');
    disk = join(base, 'disk');
    ro = join(base, 'ro');
    mkdirSync(disk);
    mkdirSync(ro);
    // 4 MiB: room for a record and its reports, small enough to fill in a moment.
    await execa('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', disk]);
    mounts.push(disk);
    const run = join(disk, 'run');
    mkdirSync(run);
    copyFileSync(FIXTURE, join(run, 'run.json'));
    const rw = join(base, 'rw-src');
    mkdirSync(rw);
    copyFileSync(FIXTURE, join(rw, 'run.json'));
    await execa('mount', ['--bind', rw, ro]);
    mounts.push(ro);
    await execa('mount', ['-o', 'remount,bind,ro', ro]);
  });

  afterAll(async () => {
    for (const m of mounts.reverse()) await execa('umount', [m], { reject: false });
  });

  it(
    'report on a full disk: exit 1, one line naming the directory, reports and run.json unchanged, ' + 'no temp files',
    async () => {
      const run = join(disk, 'run');
      const first = await isobench(['report', run]);
      expect(first.code).toBe(0);
      const before = readFileSync(join(run, 'run.json'));
      const htmlBefore = readFileSync(join(run, 'report.html'));
      // A new record makes every report differ, so the next report must really rewrite each file.
      const rec = parseRunRecord(before.toString('utf8'), 'fixture');
      rec.hostLabel = 'relabelled-host-with-a-longer-name';
      fill(disk);
      const r = await isobench(['report', run]);
      expect(r.code).toBe(1);
      const lines = r.stderr
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('isobench:'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`'${run}'`);
      expect(lines[0]).toMatch(/no space left on device \(ENOSPC\)/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(readFileSync(join(run, 'run.json')).equals(before)).toBe(true);
      expect(readFileSync(join(run, 'report.html')).equals(htmlBefore)).toBe(true);
      expect(tmpFiles(disk)).toEqual([]);

      // The record writer of `run` on the same full disk: an OutputError, run.json as it was.
      const err = await writeRecord(run, rec).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OutputError);
      expect((err as OutputError).exitCode).toBe(1);
      expect(readFileSync(join(run, 'run.json')).equals(before)).toBe(true);
      expect(tmpFiles(disk)).toEqual([]);
    },
  );

  it('report into a read-only directory: exit 2, one line naming it, run.json unchanged', async () => {
    const before = readFileSync(join(ro, 'run.json'));
    const r = await isobench(['report', ro]);
    expect(r.code).toBe(2);
    const lines = r.stderr
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('isobench:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`'${ro}'`);
    expect(lines[0]).toMatch(/read-only file system \(EROFS\)/);
    expect(readFileSync(join(ro, 'run.json')).equals(before)).toBe(true);
    expect(tmpFiles(ro)).toEqual([]);
  });

  it('merge into a read-only directory: exit 2 naming it', async () => {
    const r = await isobench(['merge', join(base, 'rw-src'), '--out', join(ro, 'study')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`'${join(ro, 'study')}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(statSync(ro).isDirectory()).toBe(true);
  });
});
