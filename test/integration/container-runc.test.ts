// runc for real: the cpu workload through the CLI, isolation seen from inside, the binary check,
// and nothing left behind after SIGINT/SIGTERM in the middle of a trial.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { containerEngines } from '../../runners/container/engines.js';
import {
  expectCleanInterrupt,
  expectIsolated,
  interruptMidTrial,
  runCpuTrial,
  shIn,
  tamperedCache,
  testContext,
} from '../helpers/container.js';
import { alive, cgroupsNamed, processesMentioning } from '../helpers/host.js';
import { titled, unmet } from '../helpers/requires.js';
import { runTrial } from '../../bench/run/trial.js';
import { findWorkload } from '../../workloads/index.js';
import type { Workload } from '../../workloads/types.js';

const needs = await unmet(['root', 'runc', 'sysbench']);
const cleanupDirs: string[] = [];
afterAll(async () => {
  for (const d of cleanupDirs) await rm(d, { recursive: true, force: true });
});

const runcNames = async () => (await execa('runc', ['list', '-q'])).stdout.split('\n').filter(Boolean);

describe.skipIf(needs !== null)(titled('runc container runner', needs), () => {
  it('runs sysbench cpu in a container through the CLI, labelled with image, binary, engine and limits', async () => {
    const { record, measured } = await runCpuTrial('runc', []); // runc is the default engine
    expect(record.probes).toEqual([
      expect.objectContaining({ id: 'container:runc', ok: true, version: expect.stringMatching(/runc version/) }),
    ]);
    for (const s of measured) {
      expect(s.labels).toMatchObject({
        limit_cpus: '1',
        limit_memory_MiB: '256',
        engine_version: expect.stringMatching(/^runc version/),
        cgroup_version: expect.stringMatching(/^v[12]$/),
        sysbench_version: '1.0.20',
      });
    }
  });

  it(
    'isolates: its own pid, network and uts namespaces, a read-only root, a writable /scratch; stop ' +
      'removes it all',
    async () => {
      const ctx = testContext(await mkdtemp(join(tmpdir(), 'isobench-runc-')));
      cleanupDirs.push(ctx.scratchRoot);
      const runner = containerEngines.runc();
      const inst = await runner.start(ctx, { tag: `${ctx.runId}-t1`, scratchMiB: 0 });
      try {
        await expectIsolated(inst, join(ctx.scratchRoot, `${ctx.runId}-t1`));
        expect((await shIn(inst)('echo $$')).stdout.trim()).not.toBe('');
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
    },
  );

  it('refuses to measure when the sysbench inside differs from the image, and leaves no container', async () => {
    const cacheDir = await tamperedCache();
    cleanupDirs.push(cacheDir);
    const ctx = testContext(await mkdtemp(join(tmpdir(), 'isobench-runc-')), cacheDir);
    cleanupDirs.push(ctx.scratchRoot);
    const runner = containerEngines.runc();
    await expect(runner.start(ctx, { tag: `${ctx.runId}-t1`, scratchMiB: 0 })).rejects.toThrow(
      /sysbench inside container .* has sha256 [0-9a-f]{64}, but the image's is/,
    );
    expect((await runcNames()).filter((n) => n.includes(ctx.runId))).toEqual([]);
    expect(await cgroupsNamed(ctx.runId)).toEqual([]);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'leaves no container, cgroup, process or directory after %s mid-trial, and keeps finished trials',
    async (signal) => {
      // Trial 2's container exists and runs sysbench: its init pid.
      const run = await interruptMidTrial('runc', signal, async (runId) => {
        const state = await execa('runc', ['state', `isobench-${runId}-t2`], { reject: false });
        if (state.exitCode !== 0 || (await processesMentioning(`isobench-${runId}-t2 /usr/bin/sysbench`)).length === 0)
          return null;
        return (JSON.parse(state.stdout) as { pid: number }).pid;
      });
      await expectCleanInterrupt(run);
      expect((await runcNames()).filter((n) => n.includes(run.runId))).toEqual([]);
      expect(await alive(run.pid)).toBe(false);
    },
  );

  it(
    'a container that never announces ready becomes an errored trial at the timeout, with its ' +
      'output, and leaves nothing',
    async () => {
      const ctx = {
        ...testContext(await mkdtemp(join(tmpdir(), 'isobench-runc-'))),
        hooks: { containerHangBeforeReady: true, containerReadyTimeoutMs: 3_000 },
      };
      cleanupDirs.push(ctx.scratchRoot);
      const runner = containerEngines.runc();
      const workload = findWorkload('cpu') as Workload;
      const cell = {
        env: 'container',
        engine: 'runc',
        workload: 'cpu',
        params: { ...workload.defaults(true, { llcBytes: null, freeMemoryBytes: 2 ** 30 }), time: 1 },
      };
      const t0 = performance.now();
      const result = await runTrial({
        runner,
        ctx,
        cell,
        workload,
        trialId: 1,
        trial: 1,
        warmup: 0,
        runs: 1,
        labels: {},
        aborted: () => false,
      });
      expect(performance.now() - t0).toBeLessThan(30_000);
      expect(result.status).toBe('errored');
      if (result.status !== 'errored') return;
      expect(result.error.stage).toBe('start');
      expect(result.error.message).toMatch(/runc did not report ready within 3000 ms/);
      expect(result.error.logTail).toContain('test hook: hanging before ready');
      expect((await runcNames()).filter((n) => n.includes(ctx.runId))).toEqual([]);
      expect(await cgroupsNamed(ctx.runId)).toEqual([]);
      expect(await processesMentioning(ctx.runId)).toEqual([]);
      expect(await readdir(ctx.scratchRoot)).toEqual([]);
      await runner.cleanup(ctx);
    },
  );
});
