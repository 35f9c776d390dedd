// Benchmark (not a test): a density sweep through the CLI, timed, with isobench's own peak RSS sampled
// from /proc/<pid>/status while it runs; prints per-instance memory (both ways) and ready-time medians.
// Targets: 50 runc containers in ≤ 60 s; isobench < 200 MiB RSS through a 100-instance sweep; ≥ 4 TCG guests within 24 GiB.
// Usage: node dist/perf/density.js [--env container --engine runc | --env vm --vm-accel tcg] [--max 50] [--batch 1] [--memory 2G]
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import type { RunRecord } from '../model/record.js';

const { values } = parseArgs({
  options: {
    env: { type: 'string', default: 'container' },
    engine: { type: 'string', default: 'runc' },
    'vm-accel': { type: 'string', default: 'tcg' },
    max: { type: 'string', default: '50' },
    batch: { type: 'string', default: '1' },
    memory: { type: 'string', default: '2G' },
  },
});
const out = await mkdtemp(join(tmpdir(), 'isobench-perf-density-'));
const cli = new URL('../bench/cli.js', import.meta.url).pathname;
const envArgs =
  values.env === 'vm'
    ? ['--env', 'vm', '--vm-accel', values['vm-accel'] as string]
    : ['--env', values.env as string, '--engine', values.engine as string];
const args = [
  cli,
  'run',
  ...envArgs,
  '--memory',
  values.memory as string,
  '--workload',
  'density',
  '--set',
  `density.max=${values.max}`,
  '--set',
  `density.batch=${values.batch}`,
  '--trials',
  '1',
  '--runs',
  '1',
  '--warmup',
  '0',
  '--no-report',
  '--out',
  out,
];
console.log(`load before: ${(await readFile('/proc/loadavg', 'utf8')).trim()}`);
const t0 = performance.now();
const child = execa('node', args, { reject: false });
let peakKiB = 0;
const timer = setInterval(() => {
  void readFile(`/proc/${child.pid}/status`, 'utf8').then(
    (s) => {
      const kb = Number(/^VmHWM:\s+(\d+) kB/m.exec(s)?.[1] ?? 0);
      peakKiB = Math.max(peakKiB, kb);
    },
    () => undefined,
  );
}, 100);
const r = await child;
clearInterval(timer);
const wallS = (performance.now() - t0) / 1000;
if (r.exitCode !== 0) console.log(String(r.stderr).slice(-2000));
const record = JSON.parse(
  await readFile(join(out, (await readdir(out))[0] as string, 'run.json'), 'utf8'),
) as RunRecord;
const samples = record.results.flatMap((t) => t.samples);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : ((s[(s.length - 1) >> 1] as number) + (s[s.length >> 1] as number)) / 2;
};
const of = (m: string) => samples.filter((s) => s.metric === m);
const drops = of('density_host_drop_MiB');
const n = Math.max(0, ...drops.map((s) => s.iteration));
// Least-squares slope of the MemAvailable drop against the instance count: the marginal MiB per instance.
const xs = drops.map((s) => s.iteration),
  ys = drops.map((s) => s.value);
const mx = xs.reduce((a, b) => a + b, 0) / xs.length,
  my = ys.reduce((a, b) => a + b, 0) / ys.length;
const slope =
  xs.reduce((a, x, i) => a + (x - mx) * ((ys[i] as number) - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
console.log(
  `${envArgs.join(' ')}: ${n} instances in ${wallS.toFixed(1)} s wall (batch ${values.batch}); ` +
    `exit ${String(r.exitCode)}; notes: ` +
    `${record.results.flatMap((t) => (t.status === 'skipped' ? [] : t.notes)).join('; ')}`,
);
console.log(`  ready ms: median ${median(of('density_ready_ms').map((s) => s.value)).toFixed(0)}`);
console.log(
  `  engine accounting MiB/instance: median ` +
    `${median(of('density_engine_memory_MiB').map((s) => s.value)).toFixed(2)} (` +
    `${samples[0]?.labels['memory_accounting'] ?? '?'})`,
);
console.log(
  `  MemAvailable drop MiB/instance: slope ${slope.toFixed(2)}, at the end ` +
    `${(ys.at(-1) ?? Number.NaN / n).toFixed(0)} MiB total`,
);
console.log(
  `  isobench peak RSS (VmHWM): ${(peakKiB / 1024).toFixed(0)} MiB; ksm ` +
    `${samples[0]?.labels['ksm'] ?? '?'}, thp ${samples[0]?.labels['thp'] ?? '?'}`,
);
console.log(`load after: ${(await readFile('/proc/loadavg', 'utf8')).trim()}`);
await rm(out, { recursive: true, force: true });
