// What the container engine tests share: a run context, a CLI trial, isolation checks, a tampered image, a run interrupted mid-trial.
import { appendFile, mkdtemp, readFile, readdir, readlink } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { expect } from 'vitest';
import { DEFAULT_RUNNER_OPTIONS } from '../../model/options.js';
import type { RunRecord, Sample } from '../../model/record.js';
import { imageFor } from '../../runners/image/build.js';
import { sha256File } from '../../lib/hash.js';
import { which } from '../../lib/which.js';
import type { ExecResult, Instance, RunContext } from '../../runners/types.js';
import { CLI, isobench, runDir, tempDir } from './cli.js';
import { cgroupsNamed, processesMentioning } from './host.js';

/** The image cache the tests share (the image is built once). */
export const CACHE = process.env['ISOBENCH_CACHE'] ?? join(tmpdir(), 'isobench-cache');

/** A run context with a fresh run id, 1 CPU and 256 MiB. */
export function testContext(scratchRoot: string, cacheDir = CACHE): RunContext {
  return {
    runId: `test-${process.pid}-${Date.now().toString(36)}`,
    scratchRoot,
    cacheDir,
    limits: { cpus: 1, memoryMiB: 256 },
    cpuset: null,
    options: DEFAULT_RUNNER_OPTIONS,
    log: () => undefined,
  };
}

/**
 * Runs one cpu trial (1 warm-up and 2 measured runs, 1 CPU, 256 MiB) in a container of `engine`
 * through the CLI and checks what every engine's samples carry: the host's sysbench, the budget,
 * the container's name, the image digest, startup, memory and teardown. Returns the record and
 * the measured samples for the engine's own checks.
 */
export async function runCpuTrial(
  engine: string,
  engineArgs = ['--engine', engine],
): Promise<{ record: RunRecord; measured: Sample[] }> {
  const out = tempDir();
  const r = await isobench([
    'run',
    '--env',
    'container',
    ...engineArgs,
    '--workload',
    'cpu',
    '--set',
    'cpu.time=1',
    '--trials',
    '1',
    '--runs',
    '2',
    '--warmup',
    '1',
    '--cpus',
    '1',
    '--memory',
    '256M',
    '--no-report',
    '--out',
    out,
  ]);
  expect(r.stderr).toContain(`container:${engine} cpu trial 1: completed`);
  expect(r.code).toBe(0);
  const record = JSON.parse(await readFile(join(runDir(out), 'run.json'), 'utf8')) as RunRecord;
  const samples = record.results.flatMap((t) => t.samples);
  const measured = samples.filter((s) => s.metric === 'events_per_s' && s.phase === 'measure');
  expect(measured).toHaveLength(2);
  const hostSha = await sha256File((await which('sysbench')) as string);
  for (const s of measured) {
    expect(s.value).toBeGreaterThan(100);
    expect([s.env, s.engine]).toEqual(['container', engine]);
    expect(s.labels).toMatchObject({
      sysbench_sha256: hostSha,
      effective_cpus: '1',
      effective_memory_MiB: '256',
      container_name: `isobench-${record.runId}-t1`,
    });
    expect(s.labels['image_digest']).toMatch(/^[0-9a-f]{64}$/);
  }
  const startup = samples.find((s) => s.metric === 'startup_ms');
  expect(startup?.value).toBeGreaterThan(1);
  expect(startup?.value).toBeLessThan(10_000);
  expect(samples.find((s) => s.metric === 'instance_memory_MiB')?.unit).toBe('MiB');
  expect(samples.some((s) => s.metric === 'teardown_ms')).toBe(true);
  return { record, measured };
}

/** A shell script run in the instance (in /scratch when `inScratch`). */
export const shIn =
  (inst: Instance) =>
  (script: string, inScratch = false): Promise<ExecResult> =>
    inst.exec({ argv: ['sh', '-c', script], inScratch, timeoutMs: 20_000 });

/**
 * Checks from inside a started container: its own pid and network namespaces, hostname
 * `isobench`, loopback only, a read-only root, a writable /scratch that is `scratch` on the host,
 * no effective capabilities.
 */
export async function expectIsolated(inst: Instance, scratch: string): Promise<void> {
  const sh = shIn(inst);
  const ns = await sh('readlink /proc/self/ns/pid; readlink /proc/self/ns/net; hostname');
  expect(ns.exitCode, ns.stderr).toBe(0);
  const [pidNs, netNs, name] = ns.stdout.trim().split('\n');
  expect(pidNs).toMatch(/^pid:\[\d+\]$/);
  expect(pidNs).not.toBe(await readlink('/proc/self/ns/pid'));
  expect(netNs).not.toBe(await readlink('/proc/self/ns/net'));
  expect(name).toBe('isobench');
  expect(name).not.toBe(hostname());
  expect((await sh('ls /sys/class/net')).stdout.trim()).toBe('lo');
  expect((await sh('touch /etc/x')).exitCode).not.toBe(0);
  const w = await sh('echo hi > f && pwd', true);
  expect(w.stdout.trim(), w.stderr).toBe('/scratch');
  expect(await readFile(join(scratch, 'f'), 'utf8')).toBe('hi\n');
  expect((await sh('grep CapEff /proc/self/status')).stdout).toMatch(/CapEff:\s+0+$/m);
}

/** The budget of 1 CPU and `memoryMiB`, read host-side in the cgroup named `name` (v1 or v2). */
export async function expectCgroupBudget(name: string, memoryMiB: number): Promise<void> {
  const cpu = await readFile(`/sys/fs/cgroup/cpu/${name}/cpu.cfs_quota_us`, 'utf8').catch(() =>
    readFile(`/sys/fs/cgroup/${name}/cpu.max`, 'utf8'),
  );
  expect(cpu.trim()).toMatch(/^100000( 100000)?$/);
  const mem = await readFile(`/sys/fs/cgroup/memory/${name}/memory.limit_in_bytes`, 'utf8').catch(() =>
    readFile(`/sys/fs/cgroup/${name}/memory.max`, 'utf8'),
  );
  expect(mem.trim()).toBe(String(memoryMiB * 2 ** 20));
}

/** A private image cache (the caller removes it) whose sysbench was altered after the image was built. */
export async function tamperedCache(): Promise<string> {
  const cacheDir = await mkdtemp(join(tmpdir(), 'isobench-tampered-'));
  const image = await imageFor(cacheDir);
  await appendFile(join(image.rootfs, 'usr/bin/sysbench'), Buffer.from([0]));
  return cacheDir;
}

/** A CLI run stopped by a signal while its second trial ran. */
export interface Interrupted {
  /** The --out directory. */
  out: string;
  /** The run's id (its directory under `out`). */
  runId: string;
  /** The pid `running` found (a process of trial 2). */
  pid: number;
  /** The CLI's exit code. */
  exitCode: number | undefined;
  /** What the CLI printed on stderr. */
  stderr: string;
  /** The signal it got. */
  signal: NodeJS.Signals;
}

/**
 * Runs 3 cpu trials on `engine` through the CLI, waits until trial 1 completed and `running(runId)`
 * finds a process of trial 2 measuring (its pid), then sends `signal`.
 */
export async function interruptMidTrial(
  engine: string,
  signal: NodeJS.Signals,
  running: (runId: string) => Promise<number | null>,
  env?: Record<string, string>,
): Promise<Interrupted> {
  const out = tempDir();
  const child = execa(
    'node',
    [
      CLI,
      'run',
      '--env',
      'container',
      '--engine',
      engine,
      '--workload',
      'cpu',
      '--set',
      'cpu.time=3',
      '--trials',
      '3',
      '--runs',
      '1',
      '--warmup',
      '0',
      '--no-report',
      '--out',
      out,
    ],
    { reject: false, ...(env ? { env } : {}) },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += String(d);
  });
  const deadline = Date.now() + 180_000;
  let runId = '';
  let pid: number | null = null;
  while (Date.now() < deadline && pid === null) {
    if (stderr.includes(`[1/3] container:${engine} cpu trial 1: completed`) && existsSync(out)) {
      runId = (await readdir(out))[0] ?? '';
      pid = await running(runId);
    }
    if (pid === null) await new Promise((r) => setTimeout(r, 50));
  }
  if (pid === null) child.kill('SIGKILL');
  expect(pid, `trial 2 never ran; stderr:\n${stderr}`).toBeGreaterThan(0);
  await new Promise((r) => setTimeout(r, 300));
  process.kill(child.pid as number, signal); // not execa's kill(): it sends SIGKILL after 5 s of cleanup
  const res = await child;
  return { out, runId, pid: pid as number, exitCode: res.exitCode, stderr, signal };
}

/** What an interrupted run must leave: exit 130 (SIGINT) or 143 (SIGTERM), no cgroup, process, scratch or temp dir of the run, the finished trial kept. */
export async function expectCleanInterrupt(run: Interrupted): Promise<void> {
  expect(run.exitCode, run.stderr).toBe(run.signal === 'SIGTERM' ? 143 : 130);
  expect(await cgroupsNamed(run.runId)).toEqual([]);
  expect(await processesMentioning(run.runId)).toEqual([]);
  expect(existsSync(join(run.out, run.runId, 'scratch'))).toBe(false);
  expect((await readdir(tmpdir())).filter((e) => e.includes(run.runId))).toEqual([]);
  const record = JSON.parse(await readFile(join(run.out, run.runId, 'run.json'), 'utf8')) as RunRecord;
  expect(record.interrupted).toBe(true);
  expect(record.interruption).toMatchObject({ signal: run.signal, phase: expect.stringMatching(/^trial 2 /) });
  expect(record.results[0]).toMatchObject({ status: 'completed', trial: 1 });
  expect(record.results[0]?.samples.some((s) => s.metric === 'events_per_s')).toBe(true);
  expect(record.results.filter((t) => t.status === 'completed')).toHaveLength(1);
}
