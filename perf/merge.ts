// Benchmark (not a test): `isobench merge` of N synthetic hosts' records (1000 samples each): time and peak memory.
// Usage: npm run build && node dist/perf/merge.js [hosts,hosts,…=25,50,100] [samples per host=1000] [repeats=3]
// (PERF_NODE_ARGS adds node flags to the merging process, e.g. --cpu-prof.)
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { rng } from '../analysis/rng.js';
import type { HostFingerprint, Params, RunRecord } from '../model/record.js';
import { writeRecord } from '../bench/run/record.js';
import { noisyTrials, syntheticRecord, type SynthCell } from '../test/factories/synthetic.js';

const CASES: { workload: string; params: Params; metric: string; mean: number; runs: number }[] = [
  {
    workload: 'cpu',
    params: { threads: 1, 'max-prime': 10000, time: 10 },
    metric: 'events_per_s',
    mean: 1200,
    runs: 10,
  },
  {
    workload: 'cpu',
    params: { threads: 1, 'max-prime': 10000, time: 10 },
    metric: 'latency_avg_ms',
    mean: 0.83,
    runs: 10,
  },
  {
    workload: 'memory',
    params: { threads: 1, 'block-size': '64M', oper: 'read' },
    metric: 'transfer_MiBps',
    mean: 9000,
    runs: 10,
  },
  {
    workload: 'fileio',
    params: { mode: 'rndrw', direct: true, 'file-total-size': '2G' },
    metric: 'read_MiBps',
    mean: 90,
    runs: 10,
  },
  {
    workload: 'fileio',
    params: { mode: 'rndrw', direct: true, 'file-total-size': '2G' },
    metric: 'written_MiBps',
    mean: 60,
    runs: 10,
  },
  { workload: 'startup', params: {}, metric: 'startup_ms', mean: 300, runs: 1 },
];
const ENVS = [
  { env: 'bare', engine: 'host', cost: 1 },
  { env: 'container', engine: 'runc', cost: 0.98 },
  { env: 'vm', engine: 'qemu', cost: 0.9 },
];
const TYPES: Partial<HostFingerprint>[] = [
  { cpuModel: { value: 'Synthetic Xeon A' }, kernel: { value: '6.1.0-synthetic' }, kvmModule: { value: 'kvm_intel' } },
  { cpuModel: { value: 'Synthetic Xeon A' }, kernel: { value: '6.8.0-synthetic' }, kvmModule: { value: 'kvm_intel' } },
  { cpuModel: { value: 'Synthetic EPYC B' }, kernel: { value: '6.1.0-synthetic' }, kvmModule: { value: 'kvm_amd' } },
];

/** One synthetic host's record of about `samples` samples (3 environments, 6 metrics, bare metal baseline). */
function hostRecord(i: number, samples: number): RunRecord {
  const rand = rng(1000 + i);
  const perRound = ENVS.length * CASES.reduce((n, c) => n + c.runs, 0);
  const trials = Math.max(3, Math.round(samples / perRound));
  const speed = 0.9 + 0.2 * rand();
  const cells: SynthCell[] = ENVS.flatMap((e) =>
    CASES.map((c) => ({
      env: e.env,
      engine: e.engine,
      workload: c.workload,
      params: c.params,
      metric: c.metric,
      trials: noisyTrials(
        c.mean * speed * (c.metric.endsWith('_ms') ? 1 / e.cost : e.cost),
        0.02,
        trials,
        c.runs,
        rand,
      ),
      labels: { image_digest: 'f'.repeat(64) },
    })),
  );
  const label = `host-${String(i + 1).padStart(3, '0')}`;
  const r = syntheticRecord(cells, { seed: 42, host: { hostname: { value: label }, ...TYPES[i % TYPES.length] } });
  return { ...r, runId: `synthetic-${label}`, hostLabel: label };
}

/** Child mode: merge the runs under `dir` into `out`, then report time and peak memory to `result`. */
async function child(dirs: string[], out: string, result: string): Promise<void> {
  const { mergeCommand } = await import('../bench/commands/merge.js');
  const { writeFileSync } = await import('node:fs');
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const code = await mergeCommand([...dirs, '--out', out], () => undefined);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  writeFileSync(
    result,
    JSON.stringify({
      code,
      ms,
      cpuMs: (cpu.user + cpu.system) / 1000,
      maxRssMiB: process.resourceUsage().maxRSS / 1024,
      heapMiB: process.memoryUsage().heapUsed / 1024 ** 2,
    }),
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? Number.NaN;

async function main(): Promise<void> {
  if (process.argv[2] === '--child') {
    const [out, result, ...dirs] = process.argv.slice(3);
    await child(dirs, out as string, result as string);
    return;
  }
  const counts = (process.argv[2] ?? '25,50,100').split(',').map(Number);
  const samples = Number(process.argv[3] ?? 1000);
  const repeats = Number(process.argv[4] ?? 3);
  const self = fileURLToPath(import.meta.url);
  // e.g. PERF_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the merging process.
  const childNodeArgs = (process.env['PERF_NODE_ARGS'] ?? '').split(' ').filter((a) => a !== '');
  for (const hosts of counts) {
    const root = mkdtempSync(join(tmpdir(), 'isobench-perf-merge-'));
    try {
      const dirs: string[] = [];
      let total = 0;
      let bytes = 0;
      for (let i = 0; i < hosts; i++) {
        const r = hostRecord(i, samples);
        total += r.results.reduce((n, t) => n + t.samples.length, 0);
        const dir = join(root, 'runs', r.hostLabel as string, r.runId);
        await writeRecord(dir, r);
        bytes += statSync(join(dir, 'run.json')).size;
        dirs.push(dir);
      }
      const runs: { code: number; ms: number; cpuMs: number; maxRssMiB: number; heapMiB: number }[] = [];
      for (let k = 0; k < repeats; k++) {
        const out = join(root, `study-${k}`);
        const result = join(root, `result-${k}.json`);
        await execa('node', [...childNodeArgs, self, '--child', out, result, ...dirs], {
          stdout: 'ignore',
          stderr: 'inherit',
        });
        runs.push(JSON.parse(readFileSync(result, 'utf8')) as (typeof runs)[number]);
      }
      const ms = runs.map((r) => r.ms);
      const load = loadavg()[0]?.toFixed(1);
      console.log(
        `${hosts} hosts, ${total} samples, ${(bytes / 1024 ** 2).toFixed(1)} MiB of run.json: merge + ` +
          `render median ${median(ms).toFixed(0)} ms (min ${Math.min(...ms).toFixed(0)}, max ` +
          `${Math.max(...ms).toFixed(0)}; ${repeats} runs, each in a fresh process, exit ${runs[0]?.code}, ` +
          `load average ${load} on ${availableParallelism()} CPUs); CPU time (all threads) median ` +
          `${median(runs.map((r) => r.cpuMs)).toFixed(0)} ms; peak RSS ` +
          `${Math.max(...runs.map((r) => r.maxRssMiB)).toFixed(0)} MiB, heap after ` +
          `${median(runs.map((r) => r.heapMiB)).toFixed(0)} MiB`,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
}

await main();
