// runc for real: the cpu workload through the CLI, isolation seen from inside, the binary check,
// and nothing left behind after SIGINT/SIGTERM in the middle of a trial.
import { DEFAULT_RUNNER_OPTIONS } from '../../model/options.js';
import { appendFile, mkdtemp, readFile, readdir, readlink, rm, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { containerEngines } from '../../runners/container/engines.js';
import { imageFor } from '../../runners/image/build.js';
import { sha256File, which } from '../../runners/image/identity.js';
import type { RunContext } from '../../runners/types.js';
import type { RunRecord } from '../../model/record.js';
import { CLI, isobench, runDir, tempDir } from '../helpers/cli.js';
import { titled, unmet } from '../helpers/requires.js';

const needs = await unmet(['root', 'runc', 'sysbench']);
const CACHE = process.env['ISOBENCH_CACHE'] ?? join(tmpdir(), 'isobench-cache');
const cleanupDirs: string[] = [];
afterAll(async () => {
  for (const d of cleanupDirs) await rm(d, { recursive: true, force: true });
});

/** Host cgroup directories whose name contains `id`, in every mounted hierarchy. */
async function cgroupsNamed(id: string): Promise<string[]> {
  const out: string[] = [];
  for (const h of await readdir('/sys/fs/cgroup')) {
    const dir = join('/sys/fs/cgroup', h);
    const entries = await readdir(dir).catch(() => [] as string[]);
    out.push(...entries.filter((e) => e.includes(id)).map((e) => join(dir, e)));
  }
  return out;
}

/** Pids whose command line mentions `id` (runc exec, runc run … of this run). */
async function processesMentioning(id: string): Promise<string[]> {
  const out: string[] = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    const cmd = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replace(/\0/g, ' ');
    if (cmd.includes(id)) out.push(`${pid}: ${cmd}`);
  }
  return out;
}

const readRecord = async (dir: string) => JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as RunRecord;
/** Whether `pid` is a live (not zombie) process, allowing its reaper 2 s to collect it. */
async function alive(pid: number): Promise<boolean> {
  for (let i = 0; i < 40; i++) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
    if (stat === null || /^\d+ \(.*\) Z/.test(stat)) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

const runcNames = async () => (await execa('runc', ['list', '-q'])).stdout.split('\n').filter(Boolean);

function context(scratchRoot: string, cacheDir = CACHE): RunContext {
  return { runId: `test-${process.pid}-${Date.now().toString(36)}`, scratchRoot, cacheDir, limits: { cpus: 1, memoryMiB: 256 }, cpuset: null, options: DEFAULT_RUNNER_OPTIONS, log: () => undefined };
}

describe.skipIf(needs !== null)(titled('runc container runner', needs), () => {
  it('runs sysbench cpu in a container through the CLI, labelled with image, binary, engine and limits', async () => {
    const out = tempDir();
    cleanupDirs.push(out);
    const r = await isobench(['run', '--env', 'container', '--workload', 'cpu', '--set', 'cpu.time=1', '--trials', '1', '--runs', '2', '--warmup', '1', '--cpus', '1', '--memory', '256M', '--no-report', '--out', out]);
    expect(r.stderr).toMatch(/container:runc cpu trial 1: completed/);
    expect(r.code).toBe(0);
    const record = await readRecord(runDir(out));
    expect(record.probes).toEqual([expect.objectContaining({ id: 'container:runc', ok: true, version: expect.stringMatching(/runc version/) })]);
    const samples = record.results.flatMap((t) => t.samples);
    const measured = samples.filter((s) => s.metric === 'events_per_s' && s.phase === 'measure');
    expect(measured).toHaveLength(2);
    const hostSha = await sha256File((await which('sysbench')) as string);
    for (const s of measured) {
      expect(s.value).toBeGreaterThan(100);
      expect([s.env, s.engine]).toEqual(['container', 'runc']);
      expect(s.labels).toMatchObject({
        sysbench_sha256: hostSha,
        effective_cpus: '1',
        effective_memory_MiB: '256',
        limit_cpus: '1',
        limit_memory_MiB: '256',
        container_name: `isobench-${record.runId}-t1`,
        engine_version: expect.stringMatching(/^runc version/),
        cgroup_version: expect.stringMatching(/^v[12]$/),
        sysbench_version: '1.0.20',
      });
      expect(s.labels['image_digest']).toMatch(/^[0-9a-f]{64}$/);
    }
    const startup = samples.find((s) => s.metric === 'startup_ms');
    expect(startup?.value).toBeGreaterThan(1);
    expect(startup?.value).toBeLessThan(10_000);
    expect(samples.find((s) => s.metric === 'instance_memory_MiB')?.unit).toBe('MiB');
    expect(samples.some((s) => s.metric === 'teardown_ms')).toBe(true);
  });

  it('isolates: its own pid, network and uts namespaces, a read-only root, a writable /scratch; stop removes it all', async () => {
    const ctx = context(await mkdtemp(join(tmpdir(), 'isobench-runc-')));
    cleanupDirs.push(ctx.scratchRoot);
    const runner = containerEngines.runc();
    const inst = await runner.start(ctx, { tag: `${ctx.runId}-t1`, scratchMiB: 0 });
    try {
      const sh = (script: string, inScratch = false) => inst.exec({ argv: ['sh', '-c', script], inScratch, timeoutMs: 20_000 });
      const ns = await sh('readlink /proc/self/ns/pid; readlink /proc/self/ns/net; hostname');
      expect(ns.exitCode).toBe(0);
      const [pidNs, netNs, name] = ns.stdout.trim().split('\n');
      expect(pidNs).toMatch(/^pid:\[\d+\]$/);
      expect(pidNs).not.toBe(await readlink('/proc/self/ns/pid'));
      expect(netNs).not.toBe(await readlink('/proc/self/ns/net'));
      expect(name).toBe('isobench');
      expect(name).not.toBe(hostname());
      expect((await sh('ls /sys/class/net')).stdout.trim()).toBe('lo');
      expect((await sh('echo $$')).stdout.trim()).not.toBe('');
      expect((await sh('touch /etc/x')).exitCode).not.toBe(0);
      const w = await sh('echo hi > f && pwd', true);
      expect(w.stdout.trim()).toBe('/scratch');
      expect(await readFile(join(ctx.scratchRoot, `${ctx.runId}-t1`, 'f'), 'utf8')).toBe('hi\n');
      expect((await sh('grep CapEff /proc/self/status')).stdout).toMatch(/CapEff:\s+0+$/m);
      expect(await cgroupsNamed(ctx.runId)).not.toEqual([]);
    } finally {
      const timings = await inst.stop();
      expect(timings.map((t) => t.metric)).toEqual(['teardown_ms']);
      expect(await inst.stop()).toEqual([]);
    }
    expect((await runcNames()).filter((n) => n.includes(ctx.runId))).toEqual([]);
    expect(await cgroupsNamed(ctx.runId)).toEqual([]);
    expect(await readdir(ctx.scratchRoot)).toEqual([]);
    await runner.cleanup(ctx);
  });

  it('refuses to measure when the sysbench inside differs from the image, and leaves no container', async () => {
    // A private image whose sysbench was altered after it was built.
    const cacheDir = await mkdtemp(join(tmpdir(), 'isobench-tampered-'));
    cleanupDirs.push(cacheDir);
    const image = await imageFor(cacheDir);
    await appendFile(join(image.rootfs, 'usr/bin/sysbench'), Buffer.from([0]));
    const ctx = context(await mkdtemp(join(tmpdir(), 'isobench-runc-')), cacheDir);
    cleanupDirs.push(ctx.scratchRoot);
    const runner = containerEngines.runc();
    await expect(runner.start(ctx, { tag: `${ctx.runId}-t1`, scratchMiB: 0 })).rejects.toThrow(/sysbench inside container .* has sha256 [0-9a-f]{64}, but the image's is/);
    expect((await runcNames()).filter((n) => n.includes(ctx.runId))).toEqual([]);
    expect(await cgroupsNamed(ctx.runId)).toEqual([]);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('leaves no container, cgroup, process or directory after %s mid-trial, and keeps finished trials', async (signal) => {
    const out = tempDir();
    cleanupDirs.push(out);
    const child = execa('node', [CLI, 'run', '--env', 'container', '--workload', 'cpu', '--set', 'cpu.time=3', '--trials', '3', '--runs', '1', '--warmup', '0', '--no-report', '--out', out], { reject: false });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => { stderr += String(d); });
    // Wait until trial 1 finished and trial 2's container runs sysbench.
    const deadline = Date.now() + 120_000;
    let runId = '';
    let initPid = 0;
    while (Date.now() < deadline) {
      if (/\[1\/3\] container:runc cpu trial 1: completed/.test(stderr) && existsSync(out)) {
        runId = (await readdir(out))[0] ?? '';
        const state = await execa('runc', ['state', `isobench-${runId}-t2`], { reject: false });
        if (state.exitCode === 0 && (await processesMentioning(`isobench-${runId}-t2 /usr/bin/sysbench`)).length > 0) {
          initPid = (JSON.parse(state.stdout) as { pid: number }).pid;
          break;
        }
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(initPid, `trial 2 never ran; stderr:\n${stderr}`).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 300));
    child.kill(signal);
    const res = await child;
    expect(res.exitCode, stderr).toBe(130);
    expect((await runcNames()).filter((n) => n.includes(runId))).toEqual([]);
    expect(await cgroupsNamed(runId)).toEqual([]);
    expect(await alive(initPid)).toBe(false);
    expect(await processesMentioning(runId)).toEqual([]);
    expect(existsSync(join(out, runId, 'scratch'))).toBe(false);
    expect((await readdir(tmpdir())).filter((e) => e.includes(runId))).toEqual([]);
    const record = await readRecord(join(out, runId));
    expect(record.interrupted).toBe(true);
    expect(record.results[0]).toMatchObject({ status: 'completed', trial: 1 });
    expect(record.results[0]?.samples.some((s) => s.metric === 'events_per_s')).toBe(true);
    expect(record.results.filter((t) => t.status === 'completed')).toHaveLength(1);
    await expect(stat(join(out, runId, 'run.json'))).resolves.toBeTruthy();
  });
});
