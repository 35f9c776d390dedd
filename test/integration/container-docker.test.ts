// docker for real: a private dockerd started here (own sockets, dirs and cgroup parent), the cpu
// workload compared across runc and docker through the CLI, then dockerd stopped by its pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, open, readFile, readdir, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../model/record.js';
import { isobench, runDir, tempDir } from '../helpers/cli.js';
import { cliFamily, imageTag } from '../../runners/container/cli-engine.js';
import { imageFor, imageTar } from '../../runners/image/build.js';
import { CACHE, expectCleanInterrupt, interruptMidTrial } from '../helpers/container.js';
import { alive, processesMentioning } from '../helpers/host.js';
import { titled, unmet } from '../helpers/requires.js';

const needs = await unmet(['root', 'docker', 'runc', 'sysbench']);

describe.skipIf(needs !== null)(titled('docker container runner', needs), () => {
  let dir = '';
  let dockerd: ChildProcess | undefined;
  let env: Record<string, string> = {};
  const cgroupParent = `isobench-test-dockerd-${process.pid}`;
  const logTail = async () => (await readFile(join(dir, 'dockerd.log'), 'utf8').catch(() => '')).slice(-3000);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'isobench-dockerd-'));
    env = { DOCKER_HOST: `unix://${dir}/docker.sock` };
    const log = await open(join(dir, 'dockerd.log'), 'w');
    dockerd = spawn(
      'dockerd',
      [
        '--iptables=false',
        '--bridge=none',
        '--data-root',
        join(dir, 'data'),
        '--exec-root',
        join(dir, 'exec'),
        '--pidfile',
        join(dir, 'dockerd.pid'),
        '-H',
        env['DOCKER_HOST'] as string,
        '--cgroup-parent',
        `/${cgroupParent}`,
      ],
      { stdio: ['ignore', log.fd, log.fd] },
    );
    await log.close();
    const deadline = Date.now() + 60_000;
    for (;;) {
      const v = await execa('docker', ['version', '--format', '{{.Server.Version}}'], {
        env,
        reject: false,
        timeout: 10_000,
      });
      if (v.exitCode === 0) break;
      if (dockerd.exitCode !== null || Date.now() > deadline)
        throw new Error(`dockerd did not come up: ${v.stderr}\n${await logTail()}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  });

  afterAll(async () => {
    if (dockerd?.pid !== undefined && dockerd.exitCode === null) {
      const exited = new Promise((r) => dockerd?.once('exit', r));
      process.kill(dockerd.pid, 'SIGTERM');
      const timer = setTimeout(() => {
        if (dockerd?.pid !== undefined) process.kill(dockerd.pid, 'SIGKILL');
      }, 30_000);
      await exited;
      clearTimeout(timer);
    }
    // The cgroup parent dockerd created for this test only, in every hierarchy.
    for (const h of await readdir('/sys/fs/cgroup').catch(() => [] as string[])) {
      await rmdir(join('/sys/fs/cgroup', h, cgroupParent)).catch(() => undefined);
    }
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('compares runc and docker on sysbench cpu; both labelled with the same image and binary hash', async () => {
    const out = tempDir();
    try {
      const r = await isobench(
        [
          'run',
          '--env',
          'container',
          '--engine',
          'runc,docker',
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
          '--no-report',
          '--out',
          out,
        ],
        { env },
      );
      expect(r.code, `${r.stderr}\n${await logTail()}`).toBe(0);
      const record = JSON.parse(await readFile(join(runDir(out), 'run.json'), 'utf8')) as RunRecord;
      expect(record.probes.map((p) => [p.id, p.ok])).toEqual([
        ['container:runc', true],
        ['container:docker', true],
      ]);
      const measured = record.results.flatMap((t) => t.samples).filter((s) => s.metric === 'events_per_s');
      expect(measured.map((s) => s.engine).sort()).toEqual(['docker', 'runc']);
      const [a, b] = measured;
      expect(a?.labels['image_digest']).toMatch(/^[0-9a-f]{64}$/);
      expect(a?.labels['image_digest']).toBe(b?.labels['image_digest']);
      expect(a?.labels['sysbench_sha256']).toBe(b?.labels['sysbench_sha256']);
      const docker = measured.find((s) => s.engine === 'docker');
      expect(docker?.value).toBeGreaterThan(100);
      expect(docker?.labels).toMatchObject({
        engine_version: expect.stringMatching(/^docker \d+\./),
        container_name: `isobench-${record.runId}-t${docker?.trialId}`,
        effective_cpus: '1',
        effective_memory_MiB: '512',
        network: 'none',
        engine_image: expect.stringMatching(/^isobench-workload:[0-9a-f]{16}$/),
      });
      expect(
        record.results.flatMap((t) => t.samples).some((s) => s.engine === 'docker' && s.metric === 'startup_ms'),
      ).toBe(true);
      const left = await execa(
        'docker',
        ['ps', '-a', '--filter', `label=isobench.run=${record.runId}`, '--format', '{{.Names}}'],
        { env },
      );
      expect(left.stdout.trim()).toBe('');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'leaves no docker container, process or directory after %s mid-trial, and keeps finished trials',
    async (signal) => {
      // Trial 2's container exists and a `docker exec` in it runs sysbench: the container's init pid.
      const run = await interruptMidTrial(
        'docker',
        signal,
        async (runId) => {
          const r = await execa('docker', ['inspect', '--format', '{{.State.Pid}}', `isobench-${runId}-t2`], {
            env,
            reject: false,
          });
          const pid = Number(r.stdout.trim());
          if (
            r.exitCode !== 0 ||
            !(pid > 0) ||
            (await processesMentioning(`isobench-${runId}-t2 /usr/bin/sysbench`)).length === 0
          )
            return null;
          return pid;
        },
        env,
      );
      await expectCleanInterrupt(run);
      const left = await execa('docker', ['ps', '-aq', '--filter', `label=isobench.run=${run.runId}`], {
        env,
        reject: false,
      });
      expect(left.exitCode, left.stderr).toBe(0);
      expect(left.stdout.trim()).toBe('');
      expect(await alive(run.pid)).toBe(false);
    },
  );

  it('an abort mid-import kills the docker client and rejects; an import cut short is never used', async () => {
    const saved = process.env['DOCKER_HOST'];
    process.env['DOCKER_HOST'] = env['DOCKER_HOST']; // the family is called directly here
    try {
      const image = await imageFor(CACHE);
      const tar = await imageTar(image);
      const tag = imageTag(image);
      const whole = JSON.stringify([`sha256:${(await readFile(`${tar}.sha256`, 'utf8')).trim()}`]);
      const layers = async () => {
        const r = await execa('docker', ['image', 'inspect', '--format', '{{json .RootFS.Layers}}', tag], {
          env,
          reject: false,
        });
        return r.exitCode === 0 ? r.stdout.trim() : null;
      };
      const docker = { binary: 'docker', description: 'docker', aptPackage: 'docker.io', family: cliFamily };
      await execa('docker', ['image', 'rm', '--force', tag], { env, reject: false }); // an earlier test imported it

      const abort = new AbortController();
      let settled = false;
      const outcome = cliFamily(docker)
        .ensureImage(image, abort.signal)
        .then(
          () => null,
          (e: unknown) => e,
        )
        .finally(() => (settled = true));
      let clients: number[] = [];
      while (clients.length === 0 && !settled) {
        await new Promise((r) => setTimeout(r, 10));
        clients = (await processesMentioning(`import ${tar} ${tag}`)).map((l) => Number(l.split(':')[0]));
      }
      expect(clients, 'the import finished before the test could abort it').not.toEqual([]);
      abort.abort(new Error('test abort'));
      const err = await outcome;
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toBe('test abort');
      for (const pid of clients) expect(await alive(pid), `docker import ${pid} left running`).toBe(false);
      // The daemon may have finished a whole upload after the client died, never kept a partial one.
      expect([null, whole]).toContain(await layers());

      // An import cut short at a file boundary is a valid but partial tar the daemon tags: replaced, not used.
      const part = join(tempDir(), 'part.tar');
      await execa('tar', ['-C', image.rootfs, '-cf', part, './isobench']);
      await execa('docker', ['import', part, tag], { env });
      expect(await layers()).not.toBe(whole);
      await cliFamily(docker).ensureImage(image);
      expect(await layers()).toBe(whole);
    } finally {
      if (saved === undefined) delete process.env['DOCKER_HOST'];
      else process.env['DOCKER_HOST'] = saved;
    }
  });

  it('is reported unavailable, with the reason, when its daemon cannot be reached', async () => {
    const out = tempDir();
    try {
      const r = await isobench(
        [
          'run',
          '--env',
          'container',
          '--engine',
          'docker',
          '--workload',
          'cpu',
          '--set',
          'cpu.time=1',
          '--trials',
          '1',
          '--runs',
          '1',
          '--no-report',
          '--out',
          out,
        ],
        { env: { DOCKER_HOST: `unix://${dir}/nothing.sock` } },
      );
      expect(r.code).toBe(0);
      const record = JSON.parse(await readFile(join(runDir(out), 'run.json'), 'utf8')) as RunRecord;
      expect(record.probes[0]).toMatchObject({
        id: 'container:docker',
        ok: false,
        reason: expect.stringMatching(/docker is not usable: .*nothing\.sock.*DOCKER_HOST/),
      });
      expect(record.results.map((t) => t.status)).toEqual(['skipped']);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
