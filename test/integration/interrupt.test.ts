// Interrupts real bare + runc + qemu runs of the CLI at a seeded series of points across every phase
// (probing, image and initramfs builds, the KVM proof boot, container and guest starts, measuring,
// teardown, reports) and checks that nothing of the run is left and that run.json keeps what finished.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRunRecord } from '../../model/schema.js';
import { rng } from '../../analysis/rng.js';
import { CLI, tempDir } from '../helpers/cli.js';
import { CACHE } from '../helpers/container.js';
import { cgroupsNamed, processesMentioning } from '../helpers/host.js';
import { titled, unmet } from '../helpers/requires.js';

/** One interruption: wait for `after` on stderr, then `delayMs`, then `signal` (and a second SIGINT `againMs` later). */
interface Point {
  after: string;
  delayMs: number;
  signal: 'SIGINT' | 'SIGTERM';
  againMs: number | null;
  /** Build the image and initramfs in a cache of its own (to interrupt the builds). */
  freshCache: boolean;
  /** Signal the CLI's whole process group, as a terminal's Ctrl-C does (qemu gets it too). */
  group?: boolean;
  /** --vm-accel (auto runs the KVM proof boot during the vm probe). */
  accel: 'auto' | 'tcg';
}

const SEED = Number(process.env['ISOBENCH_INTERRUPT_SEED'] ?? 20261123);
const rand = rng(SEED);
const between = (lo: number, hi: number) => Math.round(lo + rand() * (hi - lo));

/** Where to interrupt: [marker, lowest delay, highest delay, fresh cache, accel]. */
const WHERE: [string, number, number, boolean, 'auto' | 'tcg'][] = [
  ['probing bare:host', 0, 150, false, 'tcg'],
  ['building workload image', 0, 400, true, 'tcg'],
  ['probing container:runc', 0, 250, false, 'tcg'],
  ['probing container:runc', 100, 600, false, 'tcg'],
  ['building guest initramfs', 0, 600, true, 'tcg'],
  ['probing vm:qemu', 0, 300, false, 'tcg'],
  ['probing vm:qemu', 300, 2500, false, 'auto'], // the KVM proof boot
  ['probing vm:qemu', 2500, 6000, false, 'auto'],
  ['TCG forced by --vm-accel tcg: software', 0, 900, false, 'tcg'], // the bare trial
  ['[1/3]', 0, 60, false, 'tcg'], // second trial's start
  ['[1/3]', 60, 1500, false, 'tcg'],
  ['[1/3]', 1500, 4000, false, 'tcg'],
  ['[2/3]', 0, 80, false, 'tcg'],
  ['[2/3]', 80, 1500, false, 'tcg'],
  ['[2/3]', 1500, 5000, false, 'tcg'], // a guest's boot and measurement
  ['[3/3]', 0, 100, false, 'tcg'], // teardown
  ['[3/3]', 100, 600, false, 'tcg'], // reports
];

/** Every marker twice (different delays, SIGINT and SIGTERM), a third of them with a second SIGINT during cleanup. */
const POINTS: Point[] = [...WHERE, ...WHERE].map(([after, lo, hi, freshCache, accel], i) => ({
  after,
  delayMs: between(lo, hi),
  freshCache,
  accel,
  signal: i % 2 === 0 ? 'SIGINT' : 'SIGTERM',
  againMs: rand() < 0.35 ? between(20, 400) : null,
}));
// Ctrl-C at a terminal: SIGINT to the whole foreground process group, during a container and a guest trial.
POINTS.push(
  {
    after: '[1/3]',
    delayMs: between(300, 1200),
    signal: 'SIGINT',
    againMs: null,
    freshCache: false,
    accel: 'tcg',
    group: true,
  },
  {
    after: '[2/3]',
    delayMs: between(800, 3000),
    signal: 'SIGINT',
    againMs: between(100, 400),
    freshCache: false,
    accel: 'tcg',
    group: true,
  },
);

/** Pids (with their start time) that descend from `root`, collected while it runs. */
async function descendants(root: number, seen: Map<number, string>): Promise<void> {
  const parent = new Map<number, number>();
  const start = new Map<number, string>();
  for (const p of await readdir('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    const stat = await readFile(`/proc/${p}/stat`, 'utf8').catch(() => null);
    if (stat === null) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    parent.set(Number(p), Number(fields[1]));
    start.set(Number(p), fields[19] ?? '');
  }
  for (const [pid, ppid] of parent) {
    for (let up = ppid, hops = 0; up > 1 && hops < 20; up = parent.get(up) ?? 0, hops++) {
      if (up === root) {
        seen.set(pid, start.get(pid) ?? '');
        break;
      }
    }
  }
}

/** Pids of `seen` still alive as the same process (same start time), not zombies. */
async function stillAlive(seen: Map<number, string>): Promise<string[]> {
  const left: string[] = [];
  for (const [pid, started] of seen) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
    if (stat === null) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] !== 'Z' && fields[19] === started)
      left.push(`${pid}: ${(await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replace(/\0/g, ' ')}`);
  }
  return left;
}

const phasesSeen: string[] = [];
const outcomes: string[] = [];

const needs = await unmet(['root', 'sysbench', 'runc', 'qemu', 'guest-kernel']);

describe.skipIf(needs !== null)(titled('interrupting a real bare + runc + vm run', needs), () => {
  afterAll(() => {
    console.log(
      `interruption points (seed ${SEED}): ${outcomes.length} tried, ${phasesSeen.length} interrupted ` +
        `a run\n  ${outcomes.join('\n  ')}`,
    );
  });

  it.each(POINTS.map((p, i) => [i + 1, p] as const))(
    'point %i: %o',
    async (_n, point) => {
      const out = tempDir('isobench-interrupt-');
      const cache = point.freshCache ? await mkdtemp(join(tmpdir(), 'isobench-interrupt-cache-')) : CACHE;
      // The KVM proof's outcome is cached per boot of the machine: forget it, so that an `auto`
      // point really interrupts a proof boot.
      if (point.accel === 'auto') {
        for (const f of await readdir(join(cache, 'vm')).catch(() => [] as string[]))
          if (f.startsWith('kvm-proof-')) await rm(join(cache, 'vm', f), { force: true });
      }
      try {
        const child = execa(
          'node',
          [
            CLI,
            'run',
            '--env',
            'bare,container,vm',
            '--engine',
            'runc',
            '--vm-accel',
            point.accel,
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
            '1',
            '--memory',
            '512M',
            '--seed',
            '1',
            '--order',
            'grouped',
            '--out',
            out,
            '--cache-dir',
            cache,
          ],
          { reject: false, timeout: 240_000, detached: point.group === true },
        );
        const pid = child.pid as number;
        let stderr = '';
        child.stderr?.on('data', (d: Buffer) => {
          stderr += String(d);
        });
        const seen = new Map<number, string>();
        let done = false;
        const watching = (async () => {
          while (!done) {
            await descendants(pid, seen);
            await new Promise((r) => setTimeout(r, 40));
          }
        })();
        const signalling = (async () => {
          while (!stderr.includes(point.after) && !done) await new Promise((r) => setTimeout(r, 10));
          if (done) return false;
          await new Promise((r) => setTimeout(r, point.delayMs));
          if (done) return false;
          const target = point.group === true ? -pid : pid;
          process.kill(target, point.signal); // not execa's kill(): it would send SIGKILL after 5 s of cleanup
          if (point.againMs !== null) {
            await new Promise((r) => setTimeout(r, point.againMs as number));
            if (!done) process.kill(target, 'SIGINT');
          }
          return true;
        })();
        const r = await child;
        done = true;
        const sent = await signalling;
        await watching;

        const runs = await readdir(out);
        expect(runs, stderr).toHaveLength(1);
        const runId = runs[0] as string;
        const dir = join(out, runId);
        const record = parseRunRecord(await readFile(join(dir, 'run.json'), 'utf8'), 'run.json');
        if (!sent) {
          // The run ended before the signal was due: nothing to check but a whole run.
          expect(r.exitCode, stderr).toBe(0);
          expect(record.interrupted).toBe(false);
          outcomes.push(`${point.after} +${point.delayMs} ms ${point.signal}: too late, the run had finished`);
        } else if (!record.interrupted && record.finishedAt !== null && /\nrun record: /.test(String(r.stdout))) {
          // The signal came after everything was saved and removed: it only sets the exit code.
          expect(r.exitCode, stderr).toBe(point.signal === 'SIGINT' ? 130 : 143);
          outcomes.push(
            `${point.after} +${point.delayMs} ms ${point.signal}: after the run had saved everything, exit ` +
              `${String(r.exitCode)}`,
          );
        } else {
          // A second SIGINT that lands while node itself is exiting (everything saved and removed) kills it by that signal.
          const exitedLate =
            r.signal === 'SIGINT' && point.againMs !== null && stderr.includes('interrupted: run record kept');
          if (!exitedLate) expect(r.exitCode, stderr).toBe(point.signal === 'SIGINT' ? 130 : 143);
          expect(record.interrupted).toBe(true);
          expect(record.interruption?.signal).toBe(point.signal);
          // Cut short while probing or in a trial: not finished; in teardown or the reports: every trial ran.
          expect(record.finishedAt === null, record.interruption?.phase).toBe(
            /^(describing|probing|trial)/.test(record.interruption?.phase ?? ''),
          );
          phasesSeen.push(record.interruption?.phase ?? '?');
          outcomes.push(
            `${point.after} +${point.delayMs} ms ${point.signal}` +
              `${point.group === true ? ' to the process group' : ''}` +
              `${point.againMs !== null ? ` +SIGINT ${point.againMs} ms later` : ''} → ` +
              `${record.interruption?.phase ?? '?'}, exit ${String(r.exitCode)}, ` +
              `${record.results.filter((t) => t.status === 'completed').length} trials kept`,
          );
        }
        // Finished trials are intact: their measured sample is there.
        for (const t of record.results.filter((x) => x.status === 'completed')) {
          expect(
            t.samples.some((s) => s.metric === 'events_per_s' && s.phase === 'measure'),
            JSON.stringify(t).slice(0, 500),
          ).toBe(true);
        }
        expect(await stillAlive(seen), stderr).toEqual([]);
        expect(await processesMentioning(runId)).toEqual([]);
        expect(await cgroupsNamed(runId)).toEqual([]);
        const runc = await execa('runc', ['list', '-q'], { reject: false });
        expect(
          String(runc.stdout)
            .split('\n')
            .filter((n) => n.includes(runId)),
        ).toEqual([]);
        const mounts = await readFile('/proc/self/mountinfo', 'utf8');
        expect(mounts.split('\n').filter((l) => l.includes(runId) || l.includes(out))).toEqual([]);
        const loops = await execa('losetup', ['-a'], { reject: false });
        expect(
          String(loops.stdout)
            .split('\n')
            .filter((l) => l.includes(runId) || l.includes(out) || l.includes(cache)),
        ).toEqual([]);
        expect(existsSync(join(dir, 'scratch'))).toBe(false);
        expect((await readdir(tmpdir())).filter((e) => e.includes(runId))).toEqual([]);
        const leftInCache = [
          ...(await readdir(join(cache, 'images')).catch(() => [])),
          ...(await readdir(join(cache, 'vm')).catch(() => [])),
        ];
        expect(leftInCache.filter((e) => /\.tmp-\d+/.test(e))).toEqual([]);
        expect((await readdir(dir)).filter((e) => /\.tmp/.test(e))).toEqual([]);
      } finally {
        if (point.freshCache) await rm(cache, { recursive: true, force: true });
      }
    },
    300_000,
  );

  it('interrupted runs in probing, in trials and after measuring', () => {
    expect(phasesSeen.length).toBeGreaterThanOrEqual(20);
    expect(phasesSeen.some((p) => p.startsWith('probing'))).toBe(true);
    expect(phasesSeen.some((p) => /^trial \d+ .* at (start|run)$/.test(p))).toBe(true);
  });
});
