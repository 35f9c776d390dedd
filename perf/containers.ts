// Benchmark (not a test): (a) runc container vs bare metal on sysbench cpu events/s, (b) container
// startup through isobench's runc runner vs `runc run -d` of the same bundle timed directly.
// Rounds are interleaved (order alternates each round). Needs root and runc.
// Usage: node dist/perf/containers.js [rounds=7] [cpu-seconds=5] [startups-per-round=10]
import { DEFAULT_RUNNER_OPTIONS } from '../model/options.js';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { bareRunner } from '../runners/bare.js';
import { containerEngines } from '../runners/container/engines.js';
import { ociSpec } from '../runners/container/oci-spec.js';
import { IDLE_PAYLOAD } from '../runners/container/family.js';
import { imageFor } from '../runners/image/build.js';
import { READY_MARKER } from '../runners/image/files.js';
import { runProcess } from '../runners/host/process.js';
import type { RunContext, Runner } from '../runners/types.js';
import { cpu } from '../workloads/cpu.js';
import { describe } from '../analysis/stats.js';

const rounds = Math.max(5, Number(process.argv[2] ?? 7));
const seconds = Number(process.argv[3] ?? 5);
const startups = Number(process.argv[4] ?? 10);
const params = { threads: 1, 'max-prime': 10000, time: seconds };
const runId = `perf-${process.pid}`;
const root = await mkdtemp(join(tmpdir(), `isobench-${runId}-`));
const ctx: RunContext = {
  runId,
  scratchRoot: join(root, 'scratch'),
  cacheDir: process.env['ISOBENCH_CACHE'] ?? join(tmpdir(), 'isobench-cache'),
  limits: { cpus: availableParallelism(), memoryMiB: 2048 },
  cpuset: null,
  options: DEFAULT_RUNNER_OPTIONS,
  log: (l) => console.error(l),
};
await mkdir(ctx.scratchRoot, { recursive: true });
const image = await imageFor(ctx.cacheDir, ctx.log);
const bare = bareRunner();
const runc = containerEngines.runc();
let seq = 0;

/** events/s of one sysbench cpu run in a fresh instance of `runner`. */
async function eventsPerS(runner: Runner): Promise<number> {
  const inst = await runner.start(ctx, { tag: `${runId}-${runner.engine}-${++seq}`, scratchMiB: 0 });
  try {
    const r = await inst.exec({ argv: cpu.steps(params).run, inScratch: false, timeoutMs: (seconds + 30) * 1000 });
    if (r.exitCode !== 0) throw new Error(`sysbench in ${runner.engine} exited ${String(r.exitCode)}: ${r.stderr}`);
    return cpu.parse(r.stdout, params).find((m) => m.metric === 'events_per_s')?.value ?? Number.NaN;
  } finally {
    await inst.stop();
  }
}

/**
 * Host-side ms of isobench's whole runner.start() (bundle, spawn, ready, hash check, cgroup facts),
 * and the startup_ms it records (spawn → ready marker).
 */
async function viaRunner(): Promise<{ wall: number; recorded: number }> {
  const t0 = performance.now();
  const inst = await runc.start(ctx, { tag: `${runId}-s${++seq}`, scratchMiB: 0 });
  const wall = performance.now() - t0;
  await inst.stop();
  return { wall, recorded: inst.startup.find((t) => t.metric === 'startup_ms')?.value ?? Number.NaN };
}

/** The same container started with `runc run -d` on a prepared bundle, spawn → ready marker. */
async function direct(bundle: string): Promise<number> {
  const name = `isobench-${runId}-d${++seq}`;
  const ms = await new Promise<number>((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('runc', ['run', '-d', '--bundle', bundle, name], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    let readyAt: number | null = null;
    let exited = false;
    const done = () => {
      if (readyAt !== null && exited) {
        child.stdout.destroy();
        resolve(readyAt - t0);
      }
    };
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (readyAt === null && out.includes(READY_MARKER)) {
        readyAt = performance.now();
        done();
      }
    });
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`runc run exited ${String(code)}`));
      exited = true;
      done();
    });
  });
  await runProcess(['runc', 'delete', '-f', name], { timeoutMs: 30_000 });
  return ms;
}

const fmt = (xs: number[], digits: number) => {
  const s = describe(xs);
  return (
    `median ${s.median.toFixed(digits)}, MAD ${s.mad.toFixed(digits)}, min ${s.min.toFixed(digits)}, ` +
    `max ${s.max.toFixed(digits)} (n=${s.n})`
  );
};

try {
  const bundle = join(root, 'direct-bundle');
  await mkdir(join(bundle, 'scratch'), { recursive: true });
  const spec = ociSpec({
    rootfs: image.rootfs,
    scratch: join(bundle, 'scratch'),
    args: IDLE_PAYLOAD,
    cgroupsPath: `/isobench-${runId}-direct`,
    hostname: 'isobench',
    limits: ctx.limits,
    cpuset: null,
  });
  await writeFile(join(bundle, 'config.json'), JSON.stringify(spec));
  await direct(bundle); // warm the page cache and runc's binary once for both sides
  await viaRunner();

  const ratios: number[] = [];
  const bareEps: number[] = [];
  const contEps: number[] = [];
  const runnerMs: number[] = [];
  const recordedMs: number[] = [];
  const directMs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    let b: number;
    let c: number;
    if (i % 2 === 0) {
      b = await eventsPerS(bare);
      c = await eventsPerS(runc);
    } else {
      c = await eventsPerS(runc);
      b = await eventsPerS(bare);
    }
    bareEps.push(b);
    contEps.push(c);
    ratios.push(c / b);
    for (let k = 0; k < startups; k++) {
      const runnerFirst = (i + k) % 2 === 0;
      if (!runnerFirst) directMs.push(await direct(bundle));
      const v = await viaRunner();
      runnerMs.push(v.wall);
      recordedMs.push(v.recorded);
      if (runnerFirst) directMs.push(await direct(bundle));
    }
    console.log(
      `round ${i + 1}: bare ${b.toFixed(2)} events/s, container ${c.toFixed(2)} events/s, ratio ` +
        `${(c / b).toFixed(4)}; startup runner ${describe(runnerMs.slice(-startups)).median.toFixed(1)} ` +
        `ms, direct ${describe(directMs.slice(-startups)).median.toFixed(1)} ms`,
    );
  }
  const added = describe(runnerMs).median - describe(directMs).median;
  const paired = runnerMs.map((r, j) => r - (directMs[j] as number));
  console.log(
    `\n(a) container/bare sysbench cpu events/s over ${rounds} interleaved rounds (${seconds} s ` +
      `each): ratio ${fmt(ratios, 4)}`,
  );
  console.log(`    bare ${fmt(bareEps, 1)} events/s; container ${fmt(contEps, 1)} events/s`);
  console.log(
    `(b) startup to ready, ${runnerMs.length} each: isobench runc runner start() ${fmt(runnerMs, 1)} ` +
      `ms; runc run -d direct ${fmt(directMs, 1)} ms`,
  );
  console.log(`    startup_ms recorded by the runner (spawn → ready) ${fmt(recordedMs, 1)} ms`);
  console.log(`    runner − direct, adjacent pairs: ${fmt(paired, 1)} ms`);
  console.log(
    `    isobench adds ${added.toFixed(1)} ms at the median (${describe(paired).median.toFixed(1)} ` +
      `ms paired): ${added <= 5 ? 'PASS (≤ 5 ms)' : 'FAIL (> 5 ms)'}`,
  );
} finally {
  await bare.cleanup(ctx);
  await runc.cleanup(ctx);
  await rm(root, { recursive: true, force: true });
}
