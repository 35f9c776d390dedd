// Flags naming host resources are checked against this host before any probe or trial: exit 2
// with the bad value and the valid range, and nothing measured or probed.
import { mkdirSync, readdirSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, isobench, tempDir } from '../helpers/cli.js';
import { titled, unmet } from '../helpers/requires.js';

function expectRefusedBeforeProbing(r: { code: number | undefined; stderr: string }, message: RegExp): void {
  expect(r.stderr).toMatch(message);
  expect(r.code).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/probing/);
}

describe('run flags checked against the host', () => {
  const cpus = availableParallelism();
  const hostMiB = Math.floor(totalmem() / 2 ** 20);

  it('--pin naming CPUs the host does not have', async () => {
    const out = tempDir();
    const r = await isobench(['run', '--env', 'bare', '--pin', `${cpus + 7}-99`, '--out', out]);
    expectRefusedBeforeProbing(
      r,
      new RegExp(`bad value '${cpus + 7}-99' for --pin: this host has no CPU ${cpus + 7}-99 .*valid CPUs: 0`),
    );
    expect(readdirSync(out)).toEqual([]);
  });

  it.skipIf(cpus < 2)('--pin naming a CPU outside this process affinity', async () => {
    const out = tempDir();
    const r = await execa('taskset', ['-c', '0', 'node', CLI, 'run', '--env', 'bare', '--pin', '1', '--out', out], {
      reject: false,
    });
    expectRefusedBeforeProbing(
      { code: r.exitCode, stderr: String(r.stderr) },
      /bad value '1' for --pin: CPU 1 is outside this process's affinity \(allowed: 0\); valid CPUs: 0$/m,
    );
  });

  it('--memory larger than the host', async () => {
    const r = await isobench(['run', '--env', 'bare', '--memory', `${hostMiB + 1024}M`, '--out', tempDir()]);
    expectRefusedBeforeProbing(
      r,
      new RegExp(
        `bad value '${hostMiB + 1024}M' for --memory: larger than this host's memory \\(${hostMiB} ` +
          `MiB\\); valid: 1M to ${hostMiB}M`,
      ),
    );
  });

  it('--out that cannot be created', async () => {
    const r = await isobench(['run', '--env', 'bare', '--out', '/proc/isobench-out']);
    expectRefusedBeforeProbing(r, /bad value '\/proc\/isobench-out' for --out: isobench cannot create the directory/);
  });
});

const why = await unmet(['root']);
describe.skipIf(why !== null)(titled('output directories on special filesystems', why), () => {
  const mounts: string[] = [];
  afterAll(async () => {
    for (const m of mounts.reverse()) await execa('umount', [m], { reject: false });
  });

  it('--out on a read-only mount', async () => {
    const base = tempDir();
    const ro = join(base, 'ro');
    mkdirSync(ro);
    await execa('mount', ['--bind', base, ro]);
    mounts.push(ro);
    await execa('mount', ['-o', 'remount,bind,ro', ro]);
    const r = await isobench(['run', '--env', 'bare', '--out', join(ro, 'results')]);
    expectRefusedBeforeProbing(
      r,
      /for --out: isobench cannot create the directory '.*\/ro\/results': read-only file system \(EROFS\)/,
    );
  });

  it('--disk-cache none for guests with --out on a filesystem without O_DIRECT (ramfs)', async () => {
    // tmpfs has O_DIRECT since Linux 6.6; ramfs still refuses it.
    const base = tempDir();
    const ram = join(base, 'ram');
    mkdirSync(ram);
    await execa('mount', ['-t', 'ramfs', 'ramfs', ram]);
    mounts.push(ram);
    const r = await isobench(['run', '--env', 'vm', '--disk-cache', 'none', '--out', ram]);
    expectRefusedBeforeProbing(
      r,
      /bad value 'none' for --disk-cache with --out '.*\/ram': needs O_DIRECT, .*; valid here: writeback, writethrough, unsafe/,
    );
    expect(readdirSync(ram)).toEqual([]);
  });
});
