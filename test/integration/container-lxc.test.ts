// Classic LXC for real: the cpu workload through the CLI, isolation and limits seen from inside and from
// the host, the binary check, and nothing left behind after SIGINT/SIGTERM in the middle of a trial.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { containerEngines } from '../../runners/container/engines.js';
import {
  expectCgroupBudget,
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

const needs = await unmet(['root', 'lxc', 'sysbench']);
const cleanupDirs: string[] = [];
afterAll(async () => {
  for (const d of cleanupDirs) await rm(d, { recursive: true, force: true });
});

/** The `lxc-start` monitors of containers whose name contains `id`, as pids. */
const monitors = async (id: string) =>
  (await processesMentioning(id))
    .filter((p) => / lxc-start /.test(` ${p.split(': ')[1] ?? ''}`))
    .map((p) => Number(p.split(':')[0]));

describe.skipIf(needs !== null)(titled('lxc container runner', needs), () => {
  it(
    'runs sysbench cpu in an LXC container through the CLI, labelled with image, binary, engine, ' +
      'limits and seccomp',
    async () => {
      const { record, measured } = await runCpuTrial('lxc');
      expect(record.probes).toEqual([
        expect.objectContaining({ id: 'container:lxc', ok: true, version: expect.stringMatching(/^lxc \d+\.\d+/) }),
      ]);
      for (const s of measured) {
        expect(s.labels).toMatchObject({
          engine_version: expect.stringMatching(/^lxc /),
          engine_limits: expect.stringMatching(/cpu.*=100000.*memory.*=268435456/),
          capabilities: 'none',
          rootfs: 'read-only',
          network: 'loopback only',
          seccomp: 'none',
          seccomp_profile: expect.stringMatching(/^none/),
          apparmor: expect.any(String),
        });
      }
      expect(await cgroupsNamed(record.runId)).toEqual([]);
      expect(await monitors(record.runId)).toEqual([]);
    },
  );

  it(
    'isolates: own pid, network and uts namespaces, read-only root, writable /scratch, no ' +
      'capabilities, its limits in its own cgroup; stop removes it all',
    async () => {
      const ctx = testContext(await mkdtemp(join(tmpdir(), 'isobench-lxc-')));
      cleanupDirs.push(ctx.scratchRoot);
      const runner = containerEngines.lxc();
      const inst = await runner.start(ctx, { tag: `${ctx.runId}-t1`, scratchMiB: 0 });
      const [monitor] = await monitors(ctx.runId);
      try {
        await expectIsolated(inst, join(ctx.scratchRoot, `${ctx.runId}-t1`));
        const sh = shIn(inst);
        expect((await sh('touch /tmp/x')).exitCode).toBe(0);
        const status = (await sh('cat /proc/self/status')).stdout;
        expect(status).toMatch(/CapBnd:\s+0+$/m);
        expect(status).toMatch(/NoNewPrivs:\s+1$/m);
        await expectCgroupBudget(`isobench-${ctx.runId}-t1`, 256);
        expect(monitor).toBeGreaterThan(0);
      } finally {
        const timings = await inst.stop();
        expect(timings.map((t) => t.metric)).toEqual(['teardown_ms']);
        expect(await inst.stop()).toEqual([]);
      }
      expect(await alive(monitor as number)).toBe(false);
      expect(await cgroupsNamed(ctx.runId)).toEqual([]);
      expect(await processesMentioning(ctx.runId)).toEqual([]);
      expect(await readdir(ctx.scratchRoot)).toEqual([]);
      await runner.cleanup(ctx);
    },
  );

  it('refuses to measure when the sysbench inside differs from the image, and leaves no container', async () => {
    const cacheDir = await tamperedCache();
    cleanupDirs.push(cacheDir);
    const ctx = testContext(await mkdtemp(join(tmpdir(), 'isobench-lxc-')), cacheDir);
    cleanupDirs.push(ctx.scratchRoot);
    await expect(containerEngines.lxc().start(ctx, { tag: `${ctx.runId}-t1`, scratchMiB: 0 })).rejects.toThrow(
      /sysbench inside container .* has sha256 [0-9a-f]{64}, but the image's is/,
    );
    expect(await cgroupsNamed(ctx.runId)).toEqual([]);
    expect(await processesMentioning(ctx.runId)).toEqual([]);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'leaves no container, monitor, cgroup, process or directory after %s mid-trial, and keeps finished trials',
    async (signal) => {
      // Trial 2's container runs sysbench through lxc-attach: its monitor (and the container's init, its child).
      let init = 0;
      const run = await interruptMidTrial('lxc', signal, async (runId) => {
        const t2 = await processesMentioning(`isobench-${runId}-t2`);
        if (!t2.some((p) => p.includes('lxc-attach') && p.includes('/usr/bin/sysbench'))) return null;
        const monitor = (await monitors(`isobench-${runId}-t2`))[0];
        if (monitor === undefined) return null;
        init = Number((await readFile(`/proc/${monitor}/task/${monitor}/children`, 'utf8')).trim().split(/\s+/)[0]);
        return monitor;
      });
      await expectCleanInterrupt(run);
      expect(await alive(run.pid)).toBe(false);
      expect(init).toBeGreaterThan(0);
      expect(await alive(init)).toBe(false);
    },
  );
});
