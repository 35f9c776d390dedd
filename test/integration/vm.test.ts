// Real qemu guests: a guest runs the workloads and proves it is a guest; hangs and cleanup leave nothing behind.
// Each TCG boot takes ~5–10 s here; the `auto` probe adds one KVM proof boot (15 s timeout where KVM hangs).
import { DEFAULT_RUNNER_OPTIONS, type RunnerTestHooks, type VmAccel } from '../../model/options.js';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cpu } from '../../workloads/cpu.js';
import { fileio } from '../../workloads/fileio.js';
import { sha256File } from '../../lib/hash.js';
import { which } from '../../lib/which.js';
import { vmRunner } from '../../runners/vm/runner.js';
import { threadAffinities } from '../../runners/vm/pinning.js';
import type { Instance, ProbeResult, RunContext } from '../../runners/types.js';
import { isobench, readRun, runDir, tempDir } from '../helpers/cli.js';
import { titled, unmet } from '../helpers/requires.js';

const CPUS = 1;
const MEMORY_MIB = 768;
/**
 * MemTotal is guest RAM minus what the kernel keeps for itself (its image, struct pages ≈ 1.6 %,
 * firmware holes): measured 206/256, 709/768, 1967/2048, 3915/4096 MiB here (pc, Debian 6.1).
 * Accepted: 0 < RAM − MemTotal ≤ 48 MiB + 8 % of RAM.
 */
const memToleranceMiB = (ram: number) => 48 + 0.08 * ram;

const needs = await unmet(['qemu', 'guest-kernel', 'sysbench']);
const cacheDir = process.env['ISOBENCH_CACHE'] ?? join(tmpdir(), 'isobench-cache');

const scratchRoots: string[] = [];
afterAll(() => {
  for (const d of scratchRoots) rmSync(d, { recursive: true, force: true });
});

function context(hooks: RunnerTestHooks = {}, accel: VmAccel = 'tcg', cpuset: string | null = null): RunContext {
  const scratchRoot = tempDir('isobench-vm-scratch-');
  scratchRoots.push(scratchRoot);
  return {
    runId: `vmtest${Math.random().toString(16).slice(2, 8)}`,
    scratchRoot,
    cacheDir,
    cpuset,
    limits: { cpus: CPUS, memoryMiB: MEMORY_MIB },
    options: { vm: { ...DEFAULT_RUNNER_OPTIONS.vm, accel } },
    hooks,
    log: () => undefined,
  };
}

/** The `-name` argument of an instance's qemu, as it appears in /proc/<pid>/cmdline. */
const nameArg = (tag: string) => `-name\0${tag},debug-threads=on\0`;

/** Pids of live (non-zombie) processes whose command line contains `text`. */
function processesWith(text: string): number[] {
  const out: number[] = [];
  for (const p of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      if (
        readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(text) &&
        !/ Z /.test(readFileSync(`/proc/${p}/stat`, 'utf8'))
      )
        out.push(Number(p));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

// The auto probe proves KVM by booting (or says why it cannot); KVM-only tests skip with its reason.
let autoProbe: ProbeResult | null = null;
if (needs === null) {
  const ctx = context({}, 'auto');
  autoProbe = await vmRunner().probe(ctx);
}
const kvmSkip =
  needs ??
  (autoProbe?.ok && autoProbe.details['accelerator'] === 'kvm'
    ? null
    : `KVM not usable here: ${autoProbe?.ok ? autoProbe.note : autoProbe?.reason}`);
if (needs === null && kvmSkip !== null) process.stderr.write(`[skip] ${kvmSkip}\n`);

describe('vm runner (qemu)', () => {
  it.skipIf(needs !== null)(
    titled('auto decides the accelerator by booting a guest and explains a TCG fallback', needs),
    () => {
      const p = autoProbe as ProbeResult;
      expect(p.ok).toBe(true);
      if (!p.ok) return;
      expect(['kvm', 'tcg']).toContain(p.details['accelerator']);
      if (p.details['accelerator'] === 'tcg') {
        expect(p.note).toMatch(/KVM unusable, guests run under TCG/);
        if (existsSync('/dev/kvm')) {
          expect(p.note).toMatch(/no guest booted to ready under -accel kvm/);
          expect(p.note).toContain(p.details['kvm_module'] ?? 'missing kvm_module detail');
        }
      }
    },
  );

  it.skipIf(needs !== null)(
    titled('boots a guest that runs cpu and fileio and proves it is a guest with the given vCPUs and RAM', needs),
    async () => {
      const ctx = context();
      const runner = vmRunner();
      const spec = { tag: `${ctx.runId}-t1`, scratchMiB: 16 };
      const inst: Instance = await runner.start(ctx, spec);
      try {
        const l = inst.labels;
        for (const k of [
          'accelerator',
          'machine',
          'qemu_version',
          'guest_kernel',
          'qemu_cmdline',
          'disk_cache',
          'image_digest',
          'sysbench_sha256',
          'effective_cpus',
          'effective_memory_MiB',
        ])
          expect(l[k], k).toBeTruthy();
        expect(l['accelerator']).toBe('tcg');
        expect(l['emulated']).toBe('true');
        expect(l['emulation_note']).toBe('TCG software emulation: not representative of KVM');
        expect(l['disk_cache']).toBe('none');
        expect(l['qemu_cmdline']).toMatch(/ -nic none /);
        expect(l['qemu_cmdline']).toContain(`isobench.run=${ctx.runId}`);
        const hostSha = await sha256File((await which('sysbench')) as string);
        expect(l['sysbench_sha256']).toBe(hostSha);
        expect(l['effective_cpus']).toBe(String(CPUS));
        const mem = Number(l['effective_memory_MiB']);
        expect(mem).toBeLessThan(MEMORY_MIB);
        expect(MEMORY_MIB - mem).toBeLessThanOrEqual(memToleranceMiB(MEMORY_MIB));
        const t = Object.fromEntries(inst.startup.map((s) => [s.metric, s.value]));
        expect(t['kernel_up_ms']).toBeGreaterThan(0);
        expect(t['kernel_up_ms']).toBeLessThan(t['startup_ms'] as number);
        expect(t['guest_uptime_at_ready_ms']).toBeGreaterThan(0);
        expect(t['instance_memory_MiB']).toBeGreaterThan(16);

        // Inside, it is a guest: our kernel command line, our vCPU count and RAM, the image's sysbench.
        const sh = async (script: string, inScratch = false) =>
          inst.exec({ argv: ['sh', '-c', script], inScratch, timeoutMs: 60_000 });
        expect((await sh('cat /proc/cmdline')).stdout.split(' ').map((s) => s.trim())).toContain(
          `isobench.run=${ctx.runId}`,
        );
        expect((await sh('nproc')).stdout.trim()).toBe(String(CPUS));
        const memKiB = Number(/MemTotal:\s+(\d+)/.exec((await sh('cat /proc/meminfo')).stdout)?.[1]);
        expect(Math.round(memKiB / 1024)).toBe(mem);
        expect((await sh('sha256sum /usr/bin/sysbench')).stdout.split(' ')[0]).toBe(hostSha);
        expect((await sh('mount')).stdout).toMatch(/^\/dev\/vda on \/scratch type ext4/m);
        expect(existsSync(join(ctx.scratchRoot, spec.tag, 'scratch.raw'))).toBe(true);

        // Output and status come back exactly, even output that looks like the framing.
        expect(await sh("printf 'out\\nisobench-end x 0\\n'; echo err >&2; exit 3")).toMatchObject({
          stdout: 'out\nisobench-end x 0\n',
          stderr: 'err\n',
          exitCode: 3,
          timedOut: false,
        });
        expect((await sh('pwd', true)).stdout).toBe('/scratch\n');

        const cpuParams = { threads: 1, 'max-prime': 2000, time: 1 };
        const c = await inst.exec({ argv: cpu.steps(cpuParams).run, inScratch: false, timeoutMs: 60_000 });
        expect(c.exitCode, c.stderr).toBe(0);
        expect(cpu.parse(c.stdout, cpuParams).find((m) => m.metric === 'events_per_s')?.value).toBeGreaterThan(0);

        const fio = {
          mode: 'rndrw',
          'file-total-size': '8M',
          'file-num': 2,
          'block-size': '16K',
          direct: true,
          threads: 1,
          time: 1,
        };
        const steps = fileio.steps(fio);
        for (const argv of [steps.prepare, steps.run]) {
          const r = await inst.exec({ argv: argv as string[], inScratch: true, timeoutMs: 120_000 });
          expect(r.exitCode, r.stderr).toBe(0);
          if (argv === steps.run)
            expect(fileio.parse(r.stdout, fio).find((m) => m.metric === 'read_iops')?.value).toBeGreaterThan(0);
        }

        // A command that overruns its timeout gets the guest killed; the instance is then dead.
        const pids = processesWith(nameArg(spec.tag));
        expect(pids).toHaveLength(1);
        const slow = await inst.exec({ argv: ['sleep', '60'], inScratch: false, timeoutMs: 1500 });
        expect(slow).toMatchObject({ timedOut: true, exitCode: null });
        expect(processesWith(nameArg(spec.tag))).toEqual([]);
        await expect(inst.exec({ argv: ['true'], inScratch: false, timeoutMs: 5000 })).rejects.toThrow(/not running/);
      } finally {
        const teardown = await inst.stop();
        expect(teardown.map((x) => x.metric)).toEqual(['teardown_ms']);
        expect(await inst.stop()).toEqual([]);
        await runner.cleanup(ctx);
      }
      expect(existsSync(join(ctx.scratchRoot, spec.tag))).toBe(false);
    },
  );

  it.skipIf(needs !== null)(
    titled('a guest that never announces ready is killed at the timeout and leaves no process, disk or dir', needs),
    async () => {
      const ctx = context({ vmHangBeforeReady: true, vmReadyTimeoutMs: 12_000 });
      const runner = vmRunner();
      const spec = { tag: `${ctx.runId}-t1`, scratchMiB: 16 };
      const err = await runner.start(ctx, spec).then(
        () => null,
        (e: unknown) => e as Error & { logTail?: string },
      );
      expect(err?.message).toMatch(
        /the kernel started .* but the guest did not announce ready within 12\.0 s.*qemu \(pid \d+\) killed/,
      );
      expect(err?.logTail).toMatch(/test hook isobench\.hang=ready/);
      expect(processesWith(nameArg(spec.tag))).toEqual([]);
      expect(readdirSync(ctx.scratchRoot)).toEqual([]);
      await runner.cleanup(ctx);
    },
  );

  it.skipIf(needs !== null)(
    titled("cleanup(ctx) kills this run's running guests and removes their disks, and nothing else", needs),
    async () => {
      const ctx = context();
      const runner = vmRunner();
      const other = join(ctx.scratchRoot, `${ctx.runId}-t99`); // another runner's scratch dir of the same run
      mkdirSync(other);
      const spec = { tag: `${ctx.runId}-t1`, scratchMiB: 16 };
      await runner.start(ctx, spec);
      expect(processesWith(nameArg(spec.tag))).toHaveLength(1);
      await runner.cleanup(ctx);
      expect(processesWith(nameArg(spec.tag))).toEqual([]);
      expect(readdirSync(ctx.scratchRoot)).toEqual([`${ctx.runId}-t99`]);
    },
  );

  it.skipIf(needs !== null)(
    titled('--pin confines every qemu thread (vCPUs and I/O workers) to the pinned CPUs and labels it', needs),
    async () => {
      const pin = String(availableParallelism() - 1); // the last CPU: not the default everything-allowed mask
      const ctx = context({}, 'tcg', pin);
      const runner = vmRunner();
      const spec = { tag: `${ctx.runId}-t1`, scratchMiB: 16 };
      const inst = await runner.start(ctx, spec);
      try {
        expect(inst.labels['cpuset']).toBe(pin);
        expect(inst.labels['vcpu_pinning']).toMatch(
          new RegExp(`^CPU 0/TCG→${pin}; all \\d+ qemu threads \\(main loop and I/O workers too\\) on ${pin}$`),
        );
        // Direct I/O on the scratch disk makes qemu start its I/O worker threads after the pinning.
        const io = await inst.exec({
          argv: ['dd', 'if=/dev/zero', 'of=/scratch/x', 'bs=1M', 'count=8', 'oflag=direct'],
          inScratch: true,
          timeoutMs: 60_000,
        });
        expect(io.exitCode, io.stderr).toBe(0);
        const [pid] = processesWith(nameArg(spec.tag));
        const threads = await threadAffinities(pid as number);
        expect(threads.length).toBeGreaterThan(2);
        expect(threads.filter((t) => t.name === 'CPU 0/TCG')).toHaveLength(1);
        for (const t of threads) expect(`${t.name}: ${t.cpus.join(',')}`).toBe(`${t.name}: ${pin}`);
      } finally {
        await inst.stop();
        await runner.cleanup(ctx);
      }
      expect(processesWith(nameArg(spec.tag))).toEqual([]);
    },
  );

  it.skipIf(kvmSkip !== null)(titled('boots under KVM with -cpu host when KVM works', kvmSkip), async () => {
    const ctx = context({}, 'kvm');
    const runner = vmRunner();
    const inst = await runner.start(ctx, { tag: `${ctx.runId}-t1`, scratchMiB: 0 });
    try {
      expect(inst.labels).toMatchObject({ accelerator: 'kvm', emulated: 'false', effective_cpus: String(CPUS) });
      expect(inst.labels['emulation_note']).toBeUndefined();
    } finally {
      await inst.stop();
      await runner.cleanup(ctx);
    }
  });

  it.skipIf(needs !== null)(
    titled('isobench run --env vm records the accelerator decision and the guest size on every sample', needs),
    async () => {
      const out = tempDir();
      scratchRoots.push(out);
      const r = await isobench([
        'run',
        '--env',
        'vm',
        '--workload',
        'cpu',
        '--quick',
        '--set',
        'cpu.time=1',
        '--trials',
        '1',
        '--runs',
        '1',
        '--warmup',
        '0',
        '--cpus',
        String(CPUS),
        '--memory',
        `${MEMORY_MIB}M`,
        '--no-report',
        '--out',
        out,
      ]);
      expect(r.code, r.stderr).toBe(0);
      const { record } = readRun(runDir(out));
      const probe = record.probes.find((p) => p.id === 'vm:qemu');
      expect(probe?.ok).toBe(true);
      const accel = probe?.details['accelerator'];
      if (accel === 'tcg') expect(record.warnings.join('\n')).toMatch(/vm:qemu: KVM unusable/);
      const trial = record.results[0];
      expect(trial?.status).toBe('completed');
      const s = trial?.samples.find((x) => x.metric === 'events_per_s');
      expect(s?.labels).toMatchObject({
        accelerator: accel,
        effective_cpus: String(CPUS),
        vm_vcpus: String(CPUS),
        vm_memory_MiB: String(MEMORY_MIB),
        emulated: String(accel === 'tcg'),
      });
      expect(probe?.emulation).toEqual(accel === 'tcg' ? { note: s?.labels['emulation_note'] } : null);
      expect(
        trial?.samples
          .filter((x) => x.workload === 'startup')
          .map((x) => x.metric)
          .sort(),
      ).toEqual(['guest_uptime_at_ready_ms', 'instance_memory_MiB', 'kernel_up_ms', 'startup_ms', 'teardown_ms']);
      expect(processesWith(record.runId)).toEqual([]);
    },
  );
});
