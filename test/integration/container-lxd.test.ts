// LXD for real: a private lxd started here (own LXD_DIR, storage pool in a temp dir), probed before and after
// it is initialised, the cpu workload beside runc through the CLI, isolation, cleanup after SIGINT, the VM probe.
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerEngines } from '../../runners/container/engines.js';
import { lxdAlias, lxdFingerprint, lxdImporter } from '../../runners/container/lxd-client.js';
import { imageFor, imageTar } from '../../runners/image/build.js';
import type { RunRecord } from '../../model/record.js';
import { isobench, runDir, tempDir } from '../helpers/cli.js';
import {
  CACHE,
  expectCgroupBudget,
  expectCleanInterrupt,
  expectIsolated,
  interruptMidTrial,
  shIn,
  tamperedCache,
  testContext,
} from '../helpers/container.js';
import { alive, cgroupsNamed, processesMentioning } from '../helpers/host.js';
import { startLxd, type LxdDaemon } from '../helpers/lxd-daemon.js';
import { titled, unmet } from '../helpers/requires.js';

const needs = await unmet(['root', 'lxd', 'runc', 'sysbench']);
const readRecord = async (dir: string) => JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as RunRecord;
const cpuArgs = [
  '--workload',
  'cpu',
  '--set',
  'cpu.time=1',
  '--trials',
  '1',
  '--runs',
  '1',
  '--warmup',
  '0',
  '--cpus',
  '1',
  '--memory',
  '512M',
];

describe.skipIf(needs !== null)(titled('lxd container runner', needs), () => {
  let lxd: LxdDaemon;
  const saved = { LXD_DIR: process.env['LXD_DIR'], LXD_CONF: process.env['LXD_CONF'] };
  const instances = async () =>
    (await lxd.lxc(['list', '--format', 'csv', '-c', 'n'])).stdout.split('\n').filter(Boolean);

  beforeAll(async () => {
    lxd = await startLxd();
    Object.assign(process.env, lxd.env); // runners called directly in this file talk to it too
  });

  afterAll(async () => {
    await lxd?.stop();
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    if (lxd) {
      expect(await processesMentioning(lxd.dir)).toEqual([]);
      expect(existsSync(lxd.dir)).toBe(false);
    }
  });

  it('says when the daemon cannot be reached, naming LXD_DIR', async () => {
    const out = tempDir();
    const r = await isobench(
      ['run', '--env', 'container', '--engine', 'lxd', ...cpuArgs, '--no-report', '--out', out],
      { env: { LXD_DIR: join(lxd.dir, 'nothing'), LXD_CONF: lxd.env['LXD_CONF'] as string } },
    );
    expect(r.code, r.stderr).toBe(0);
    const record = await readRecord(runDir(out));
    expect(record.probes[0]).toMatchObject({
      id: 'container:lxd',
      ok: false,
      reason: expect.stringMatching(/LXD daemon is not reachable through LXD_DIR=.*nothing.*start it/),
    });
    expect(record.results.map((t) => t.status)).toEqual(['skipped']);
  });

  it('says LXD is not initialised, with the exact commands, while it has no storage pool', async () => {
    const out = tempDir();
    const r = await isobench(
      ['run', '--env', 'container', '--engine', 'lxd', ...cpuArgs, '--no-report', '--out', out],
      { env: lxd.env },
    );
    expect(r.code, r.stderr).toBe(0);
    const record = await readRecord(runDir(out));
    expect(record.probes[0]?.reason).toContain(
      'is not initialised: it has no storage pool. Initialise it without a network: lxc storage create ' +
        'default dir && lxc profile device add default root disk path=/ pool=default',
    );
    expect(record.results.map((t) => t.status)).toEqual(['skipped']);
  });

  describe('initialised', () => {
    beforeAll(async () => {
      await lxd.initialise();
    });

    it(
      'compares bare metal, runc and lxd on sysbench cpu; same image and binary, the budget in LXD ' +
        'keys, its seccomp labelled; engines side by side in the report',
      async () => {
        const out = tempDir();
        const r = await isobench(['run', '--env', 'bare,container', '--engine', 'runc,lxd', ...cpuArgs, '--out', out], {
          env: lxd.env,
        });
        expect(r.code, `${r.stderr}\n${await lxd.logTail()}`).toBe(0);
        const dir = runDir(out);
        const record = await readRecord(dir);
        expect(record.probes.map((p) => [p.id, p.ok])).toEqual([
          ['bare:host', true],
          ['container:runc', true],
          ['container:lxd', true],
        ]);
        expect(record.probes[2]).toMatchObject({
          version: expect.stringMatching(/^lxd \d+\./),
          details: { storage_pool: 'isobench-test (dir)' },
        });
        const measured = record.results.flatMap((t) => t.samples).filter((s) => s.metric === 'events_per_s');
        const l = measured.find((s) => s.engine === 'lxd');
        const runc = measured.find((s) => s.engine === 'runc');
        expect(l?.value).toBeGreaterThan(100);
        expect(l?.labels['image_digest']).toMatch(/^[0-9a-f]{64}$/);
        expect(l?.labels['image_digest']).toBe(runc?.labels['image_digest']);
        expect(l?.labels['sysbench_sha256']).toBe(runc?.labels['sysbench_sha256']);
        expect(l?.labels).toMatchObject({
          container_name: `isobench-${record.runId}-t${l?.trialId}`,
          effective_cpus: '1',
          effective_memory_MiB: '512',
          engine_limits: 'limits.cpu.allowance=100ms/100ms,limits.memory=512MiB',
          engine_image: expect.stringMatching(/^isobench-workload-[0-9a-f]{16}$/),
          network: 'none (no NIC; loopback only)',
          capabilities: 'none',
          rootfs: 'read-only',
          seccomp: expect.stringMatching(/^filter/),
          seccomp_profile: 'lxd default',
          user_namespace: expect.stringMatching(/^container root is host uid [1-9]\d*$/),
        });
        expect(runc?.labels['seccomp']).toBe('none');
        expect(
          record.warnings.some((w) =>
            /^Security parity: seccomp differs .*container:lxd=filter.*container:runc=none/.test(w),
          ),
        ).toBe(true);
        expect(
          record.results
            .flatMap((t) => t.samples)
            .some((s) => s.engine === 'lxd' && s.metric === 'startup_ms' && s.value > 0),
        ).toBe(true);
        const md = await readFile(join(dir, 'summary.md'), 'utf8');
        expect(md).toContain('### Engines side by side');
        expect(md).toMatch(/\| container:lxd \|.*\| vs container:runc|vs container:lxd/);
        expect(await instances()).toEqual([]);
        expect((await lxd.lxc(['image', 'list', '--format', 'csv', '-c', 'l'])).stdout).toContain(
          l?.labels['engine_image'] as string,
        );
        expect(await cgroupsNamed(record.runId)).toEqual([]);
      },
    );

    it(
      'isolates: no NIC, read-only root, writable /scratch owned by the mapped root, no capabilities, ' +
        'its budget in its own cgroup; stop removes it',
      async () => {
        const scratchRoot = await mkdtemp(join(tmpdir(), 'isobench-lxd-run-'));
        const ctx = testContext(scratchRoot);
        const runner = containerEngines.lxd();
        const tag = `${ctx.runId}-t1`;
        const inst = await runner.start(ctx, { tag, scratchMiB: 0 });
        try {
          await expectIsolated(inst, join(scratchRoot, tag));
          const sh = shIn(inst);
          expect((await sh('touch /tmp/x')).exitCode).toBe(0);
          expect(String((await stat(join(scratchRoot, tag, 'f'))).uid)).toBe(
            inst.labels['user_namespace']?.replace(/^.* /, ''),
          );
          const status = (await sh('cat /proc/self/status')).stdout;
          expect(status).toMatch(/NoNewPrivs:\s+1$/m);
          expect(status).toMatch(/Seccomp:\s+2$/m);
          const name = `isobench-${tag}`;
          await expectCgroupBudget(name, 256);
          const devices = (await lxd.lxc(['config', 'device', 'list', name])).stdout.split('\n').filter(Boolean).sort();
          expect(devices).toEqual(['root', 'scratch']);
        } finally {
          expect((await inst.stop()).map((t) => t.metric)).toEqual(['teardown_ms']);
        }
        expect(await instances()).toEqual([]);
        expect(await cgroupsNamed(ctx.runId)).toEqual([]);
        expect(await readdir(scratchRoot)).toEqual([]);
        await runner.cleanup(ctx);
        await rm(scratchRoot, { recursive: true, force: true });
      },
    );

    it('refuses to measure when the sysbench inside differs from the image, and leaves no instance', async () => {
      const cacheDir = await tamperedCache();
      const scratchRoot = await mkdtemp(join(tmpdir(), 'isobench-lxd-run-'));
      try {
        // LXD keeps images by digest: drop the good copy so the tampered rootfs is what gets imported.
        await lxd.lxc(['image', 'delete', lxdAlias(await imageFor(cacheDir))]);
        const ctx = testContext(scratchRoot, cacheDir);
        await expect(containerEngines.lxd().start(ctx, { tag: `${ctx.runId}-t1`, scratchMiB: 0 })).rejects.toThrow(
          /sysbench inside container .* has sha256 [0-9a-f]{64}, but the image's is/,
        );
        expect(await instances()).toEqual([]);
        expect(await cgroupsNamed(ctx.runId)).toEqual([]);
      } finally {
        await lxd.lxc(['image', 'delete', lxdAlias(await imageFor(cacheDir))]);
        await rm(cacheDir, { recursive: true, force: true });
        await rm(scratchRoot, { recursive: true, force: true });
      }
    });

    it(
      'leaves no instance, cgroup, process or directory after SIGINT mid-trial, and keeps finished ' + 'trials',
      async () => {
        // Trial 2 runs sysbench through `lxc exec`: that client's pid.
        const run = await interruptMidTrial(
          'lxd',
          'SIGINT',
          async (runId) => {
            const exec = (await processesMentioning(`isobench-${runId}-t2`)).find(
              (p) => p.includes('lxc exec') && p.includes('/usr/bin/sysbench'),
            );
            return exec === undefined ? null : Number(exec.split(':')[0]);
          },
          lxd.env,
        );
        await expectCleanInterrupt(run);
        expect(await instances()).toEqual([]);
      },
    );

    it('an abort mid-import kills the lxc client and rejects; an import cut short is never used', async () => {
      const image = await imageFor(CACHE);
      const alias = lxdAlias(image);
      const meta = join(image.dir, 'lxd-metadata.tar');
      const rootfs = await imageTar(image);
      await lxd.lxc(['image', 'delete', alias]); // an earlier test imported it
      const images = async () => JSON.parse((await lxd.lxc(['query', '/1.0/images'])).stdout) as string[];
      const target = async () => {
        const r = await lxd.lxc(['query', `/1.0/images/aliases/${alias}`]);
        return r.exitCode === 0 ? (JSON.parse(r.stdout) as { target: string }).target : null;
      };

      const abort = new AbortController();
      let settled = false;
      const outcome = lxdImporter()(image, abort.signal)
        .then(
          () => null,
          (e: unknown) => e,
        )
        .finally(() => (settled = true));
      let clients: number[] = [];
      while (clients.length === 0 && !settled) {
        await new Promise((r) => setTimeout(r, 10));
        clients = (await processesMentioning(`image import ${meta}`)).map((l) => Number(l.split(':')[0]));
      }
      expect(clients, 'the import finished before the test could abort it').not.toEqual([]);
      abort.abort(new Error('test abort'));
      const err = await outcome;
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toBe('test abort');
      for (const pid of clients) expect(await alive(pid), `lxc image import ${pid} left running`).toBe(false);
      expect(await target()).toBeNull();
      // LXD dropped the cut upload, or finished a whole one: never an image of other content.
      const want = await lxdFingerprint(meta, rootfs);
      for (const url of await images()) expect(url).toBe(`/1.0/images/${want}`);

      // An import cut short at a file boundary is a valid but partial tar LXD takes: replaced, not used.
      const part = join(tempDir(), 'part.tar');
      await execa('tar', ['-C', image.rootfs, '-cf', part, './isobench']);
      for (const url of await images()) await lxd.lxc(['image', 'delete', url.split('/').pop() as string]);
      const cut = await lxd.lxc(['image', 'import', meta, part, '--alias', alias]);
      expect(cut.exitCode, cut.stderr).toBe(0);
      expect(await target()).not.toBe(want);
      expect(await lxdImporter()(image)).toBe(want);
      expect(await target()).toBe(want);
      expect(await images()).toEqual([`/1.0/images/${want}`]);
    });

    it(
      'probes lxd as a VM engine and says why it cannot run a VM here (or what isobench lacks where it ' + 'can)',
      async () => {
        const out = tempDir();
        const r = await isobench(['run', '--env', 'vm', '--engine', 'lxd', ...cpuArgs, '--no-report', '--out', out], {
          env: lxd.env,
        });
        expect(r.code, r.stderr).toBe(0);
        const record = await readRecord(runDir(out));
        expect(record.probes[0]).toMatchObject({
          id: 'vm:lxd',
          ok: false,
          reason: expect.stringMatching(
            /^LXD \S+ (cannot run virtual machines on this host: .+ \(host KVM module|can start virtual machines here .*not implemented)/,
          ),
        });
        expect(record.results.map((t) => t.status)).toEqual(['skipped']);
        expect(await instances()).toEqual([]);
      },
    );
  });
});
