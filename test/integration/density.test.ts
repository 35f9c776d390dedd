// Density sweeps and startup bursts for real: 10 runc containers and 2 TCG guests swept through the CLI, memory read both ways;
// bursts of 1 and 5 runc containers and bare processes; and nothing left behind — also after SIGINT mid-sweep or mid-burst,
// and after a burst in which one container never became ready.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { PlanCell, RunRecord, Sample } from '../../model/record.js';
import { runBurst } from '../../bench/run/burst.js';
import { containerEngines } from '../../runners/container/engines.js';
import type { Runner } from '../../runners/types.js';
import { startup } from '../../workloads/startup.js';
import { CLI, isobench, readRun, runDir, tempDir } from '../helpers/cli.js';
import { CACHE, testContext } from '../helpers/container.js';
import { cgroupsNamed, mountsUnder, processesMentioning } from '../helpers/host.js';
import { titled, unmet } from '../helpers/requires.js';

const runcNames = async (id: string) =>
  (await execa('runc', ['list', '-q'])).stdout.split('\n').filter((n) => n.includes(id));
const byMetric = (samples: Sample[], metric: string) => samples.filter((s) => s.metric === metric);

/** Nothing of the run is left: no container, cgroup, process, mount, scratch or temp dir. */
async function expectNothingLeft(out: string, runId: string, containers: boolean): Promise<void> {
  if (containers) expect(await runcNames(runId)).toEqual([]);
  expect(await cgroupsNamed(runId)).toEqual([]);
  expect(await processesMentioning(runId)).toEqual([]);
  expect(await mountsUnder(join(out, runId))).toEqual([]);
  expect(existsSync(join(out, runId, 'scratch'))).toBe(false);
  expect((await readdir(tmpdir())).filter((e) => e.includes(runId))).toEqual([]);
}

/** How `interruptedRun` waits and what it does before the signal. */
interface InterruptAt {
  /** Text of stderr that says the run is where the signal should land. */
  marker: string;
  /** How often stderr is looked at, ms. */
  pollMs: number;
  /** Pause after the marker before the signal, ms (0: none). */
  afterMs?: number;
  /** Checks on the live run just before the signal. */
  beforeSignal?: (runId: string, stderr: string) => Promise<void>;
}

/**
 * Runs the CLI with `args` (runc containers), sends SIGINT once stderr shows `at.marker` (2 min at
 * most), and checks what every interrupted run must give: exit 130, nothing of the run left
 * behind, a record saying it was interrupted. Returns that record's samples of its first trial.
 */
async function interruptedRun(args: readonly string[], at: InterruptAt): Promise<Sample[]> {
  const out = tempDir();
  const child = execa('node', [CLI, ...args, '--out', out], { reject: false });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += String(d);
  });
  const deadline = Date.now() + 120_000;
  while (!stderr.includes(at.marker) && Date.now() < deadline) await new Promise((res) => setTimeout(res, at.pollMs));
  const runId = (await readdir(out))[0] ?? '';
  await at.beforeSignal?.(runId, stderr);
  if ((at.afterMs ?? 0) > 0) await new Promise((res) => setTimeout(res, at.afterMs));
  child.kill('SIGINT');
  const res = await child;
  expect(res.exitCode, stderr).toBe(130);
  await expectNothingLeft(out, runId, true);
  const record = JSON.parse(await readFile(join(out, runId, 'run.json'), 'utf8')) as RunRecord;
  expect(record.interrupted).toBe(true);
  return record.results[0]?.samples ?? [];
}

const runcNeeds = await unmet(['root', 'runc', 'sysbench']);
describe.skipIf(runcNeeds !== null)(titled('density sweep of runc containers', runcNeeds), () => {
  it(
    'starts 10 idle containers one at a time, reads cgroup usage and the MemAvailable drop after ' +
      'each, then removes them all',
    async () => {
      const out = tempDir();
      const r = await isobench([
        'run',
        '--env',
        'container',
        '--engine',
        'runc',
        '--workload',
        'density',
        '--set',
        'density.max=10',
        '--set',
        'density.settle-ms=100',
        '--trials',
        '1',
        '--runs',
        '1',
        '--warmup',
        '0',
        '--no-report',
        '--cache-dir',
        CACHE,
        '--out',
        out,
      ]);
      expect(r.code, r.stderr).toBe(0);
      const dir = runDir(out);
      const { record } = readRun(dir);
      const t = record.results[0];
      expect(t?.status).toBe('completed');
      const samples = t?.samples ?? [];
      expect(byMetric(samples, 'density_ready_ms').map((s) => s.iteration)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(byMetric(samples, 'density_engine_memory_MiB')).toHaveLength(10);
      for (const s of byMetric(samples, 'density_engine_memory_MiB')) expect(s.value).toBeGreaterThan(0);
      expect(byMetric(samples, 'density_drop_per_instance_MiB')).toHaveLength(10);
      expect(samples[0]?.labels).toMatchObject({
        memory_accounting: expect.stringMatching(/^cgroup v[12] memory\.(usage_in_bytes|current)$/),
        ksm: expect.stringMatching(/^(on|off|unmerge|unknown)$/),
        thp: expect.any(String),
      });
      expect(t?.status === 'completed' && t.notes).toContain('stopped: reached density.max (10 instances)');
      await expectNothingLeft(out, record.runId, true);
    },
  );

  it('SIGINT mid-sweep: exit 130, the steps so far kept, every container removed', async () => {
    const samples = await interruptedRun(
      [
        'run',
        '--env',
        'container',
        '--engine',
        'runc',
        '--workload',
        'density',
        '--set',
        'density.max=40',
        '--set',
        'density.settle-ms=100',
        '--trials',
        '1',
        '--runs',
        '1',
        '--warmup',
        '0',
        '--no-report',
        '--cache-dir',
        CACHE,
      ],
      {
        marker: 'density step 4:',
        pollMs: 50,
        beforeSignal: async (runId, stderr) => {
          expect(await runcNames(runId), stderr).not.toEqual([]);
        }, // containers are running now
      },
    );
    expect(byMetric(samples, 'density_ready_ms').length).toBeGreaterThanOrEqual(4);
    expect(byMetric(samples, 'density_ready_ms').length).toBeLessThan(40);
  });
});

describe.skipIf(runcNeeds !== null)(titled('startup bursts of runc containers and bare processes', runcNeeds), () => {
  it(
    'launches bursts of 1 and 5 at once: per instance its time-to-ready and phases, per burst ' +
      'p50/p95 and launches/s; nothing left',
    async () => {
      const out = tempDir();
      const r = await isobench([
        'run',
        '--env',
        'bare,container',
        '--engine',
        'runc',
        '--workload',
        'startup',
        '--set',
        'startup.burst=1,5',
        '--trials',
        '1',
        '--runs',
        '2',
        '--warmup',
        '0',
        '--no-report',
        '--cache-dir',
        CACHE,
        '--out',
        out,
      ]);
      expect(r.code, r.stderr).toBe(0);
      const { record } = readRun(runDir(out));
      expect(record.results.map((t) => [t.env, t.params['burst'], t.status]).sort()).toEqual([
        ['bare', 1, 'completed'],
        ['bare', 5, 'completed'],
        ['container', 1, 'completed'],
        ['container', 5, 'completed'],
      ]);
      for (const t of record.results) {
        const size = Number(t.params['burst']);
        const ready = byMetric(t.samples, 'burst_ready_ms');
        expect(ready.map((s) => s.iteration).sort()).toEqual([
          ...Array<number>(size).fill(1),
          ...Array<number>(size).fill(2),
        ]);
        for (const iteration of [1, 2]) {
          const times = ready
            .filter((s) => s.iteration === iteration)
            .map((s) => s.value)
            .sort((a, b) => a - b);
          const at = (m: string) => byMetric(t.samples, m).find((s) => s.iteration === iteration)?.value;
          expect(times[0]).toBeGreaterThan(0);
          expect(at('burst_ready_p50_ms')).toBeGreaterThanOrEqual(times[0] as number);
          expect(at('burst_ready_p95_ms')).toBeLessThanOrEqual(times[size - 1] as number);
          expect(at('burst_launches_per_s')).toBeCloseTo(size / ((times[size - 1] as number) / 1000), 6);
        }
        // Each instance's own start: spawn → ready never exceeds its time since the burst began.
        const own = byMetric(t.samples, 'startup_ms');
        expect(own).toHaveLength(2 * size);
        if (t.env === 'container') {
          expect(new Set(ready.map((s) => s.labels['container_name'])).size).toBe(2 * size);
          for (const phase of ['oci_create_ms', 'oci_start_ms', 'oci_start_to_ready_ms']) {
            expect(byMetric(t.samples, phase), phase).toHaveLength(2 * size);
            for (const s of byMetric(t.samples, phase)) expect(s.value, phase).toBeGreaterThan(0);
          }
          for (const s of own) {
            const create = t.samples.find(
              (x) => x.metric === 'oci_create_ms' && x.labels['container_name'] === s.labels['container_name'],
            );
            expect(s.value).toBeGreaterThan(create?.value ?? Infinity);
          }
        }
      }
      await expectNothingLeft(out, record.runId, true);
    },
  );

  it('SIGINT mid-burst: exit 130, the finished bursts kept, every container removed', async () => {
    // 40 ms after burst 3 is reported: into the next burst's starts.
    const samples = await interruptedRun(
      [
        'run',
        '--env',
        'container',
        '--engine',
        'runc',
        '--workload',
        'startup',
        '--set',
        'startup.burst=8',
        '--trials',
        '1',
        '--runs',
        '40',
        '--warmup',
        '0',
        '--no-report',
        '--cache-dir',
        CACHE,
      ],
      { marker: 'burst 3:', pollMs: 20, afterMs: 40 },
    );
    const p50 = byMetric(samples, 'burst_ready_p50_ms');
    expect(p50.length).toBeGreaterThanOrEqual(3);
    expect(p50.length).toBeLessThan(40);
  });

  it('a burst in which one container never becomes ready errors at start and removes the four that did', async () => {
    const scratch = await mkdtemp(join(tmpdir(), 'isobench-burst-'));
    const ctx = testContext(scratch);
    const real = containerEngines.runc();
    let n = 0;
    // The third start of the burst runs a payload that never prints ready, with a short ready timeout.
    const runner: Runner = {
      ...real,
      start: (c, spec) =>
        real.start(
          ++n === 3 ? { ...c, hooks: { containerHangBeforeReady: true, containerReadyTimeoutMs: 3000 } } : c,
          spec,
        ),
    };
    const cell: PlanCell = { env: 'container', engine: 'runc', workload: 'startup', params: { burst: 5 } };
    try {
      const r = await runBurst({
        runner,
        ctx,
        cell,
        workload: startup,
        trialId: 1,
        trial: 1,
        warmup: 0,
        runs: 1,
        labels: {},
        aborted: () => false,
      });
      expect(r.status === 'errored' && r.error).toMatchObject({
        stage: 'start',
        message: expect.stringMatching(
          /^1 of 5 starts of burst 1 failed: .*did not report ready within 3000 ms/,
        ) as string,
      });
      expect(await runcNames(ctx.runId)).toEqual([]);
      expect(await cgroupsNamed(ctx.runId)).toEqual([]);
      expect(await processesMentioning(ctx.runId)).toEqual([]);
      expect(await readdir(scratch)).toEqual([]);
    } finally {
      await real.cleanup(ctx);
      await rm(scratch, { recursive: true, force: true });
    }
  });
});

const vmNeeds = await unmet(['qemu', 'guest-kernel', 'sysbench']);
describe.skipIf(vmNeeds !== null)(titled('density sweep of TCG guests', vmNeeds), () => {
  it('boots 2 idle guests, reads qemu PSS (TCG cache said) and the MemAvailable drop, and leaves no qemu', async () => {
    const out = tempDir();
    const r = await isobench(
      [
        'run',
        '--env',
        'vm',
        '--vm-accel',
        'tcg',
        '--memory',
        '256M',
        '--workload',
        'density',
        '--set',
        'density.max=2',
        '--trials',
        '1',
        '--runs',
        '1',
        '--warmup',
        '0',
        '--no-report',
        '--cache-dir',
        CACHE,
        '--out',
        out,
      ],
      { timeoutMs: 400_000 },
    );
    expect(r.code, r.stderr).toBe(0);
    const { record } = readRun(runDir(out));
    const samples = record.results[0]?.samples ?? [];
    expect(byMetric(samples, 'density_ready_ms')).toHaveLength(2);
    for (const s of byMetric(samples, 'density_engine_memory_MiB')) expect(s.value).toBeGreaterThan(16);
    expect(samples[0]?.labels['memory_accounting']).toBe(
      'qemu PSS (/proc/<pid>/smaps_rollup), TCG translation cache included',
    );
    await expectNothingLeft(out, record.runId, false);
  });

  it('boots a burst of 2 guests at once: per guest spawn → kernel output → ready, and leaves no qemu', async () => {
    const out = tempDir();
    const r = await isobench(
      [
        'run',
        '--env',
        'vm',
        '--vm-accel',
        'tcg',
        '--memory',
        '256M',
        '--workload',
        'startup',
        '--set',
        'startup.burst=2',
        '--trials',
        '1',
        '--runs',
        '1',
        '--warmup',
        '0',
        '--no-report',
        '--cache-dir',
        CACHE,
        '--out',
        out,
      ],
      { timeoutMs: 400_000 },
    );
    expect(r.code, r.stderr).toBe(0);
    const { record } = readRun(runDir(out));
    const samples = record.results[0]?.samples ?? [];
    const ready = byMetric(samples, 'burst_ready_ms');
    expect(ready).toHaveLength(2);
    const kernel = byMetric(samples, 'kernel_up_ms');
    expect(kernel).toHaveLength(2);
    for (const [i, s] of byMetric(samples, 'startup_ms').entries()) {
      expect(s.value).toBeGreaterThan(kernel[i]?.value ?? Infinity);
      expect(s.value).toBeLessThanOrEqual((ready[i]?.value ?? 0) + 1e-6);
    }
    expect(byMetric(samples, 'burst_launches_per_s')[0]?.value).toBeCloseTo(
      2 / (Math.max(...ready.map((s) => s.value)) / 1000),
      6,
    );
    expect(samples[0]?.labels['accelerator']).toBe('tcg');
    await expectNothingLeft(out, record.runId, false);
  });
});
