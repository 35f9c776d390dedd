// Benchmark (not a test): sysbench cpu run directly vs through `isobench run --env bare`,
// interleaved in pairs; prints the median events/s ratio (target: within 1 % of 1.0).
// Usage: node dist/perf/harness.js [pairs=7] [seconds=5]
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { cpu } from '../workloads/cpu.js';
import { describe } from '../analysis/stats.js';
import type { RunRecord } from '../model/record.js';

const pairs = Number(process.argv[2] ?? 7);
const seconds = Number(process.argv[3] ?? 5);
const cli = fileURLToPath(new URL('../bench/cli.js', import.meta.url));
const params = { threads: 1, 'max-prime': 10000, time: seconds };

async function direct(): Promise<number> {
  const r = await execa('sysbench', cpu.steps(params).run.slice(1));
  return cpu.parse(r.stdout, params).find((m) => m.metric === 'events_per_s')?.value ?? Number.NaN;
}

async function viaIsobench(): Promise<number> {
  const out = await mkdtemp(join(tmpdir(), 'isobench-harness-'));
  try {
    await execa('node', [
      cli,
      'run',
      '--env',
      'bare',
      '--workload',
      'cpu',
      '--set',
      `cpu.time=${seconds}`,
      '--trials',
      '1',
      '--runs',
      '1',
      '--warmup',
      '0',
      '--no-report',
      '--out',
      out,
    ]);
    const [dir] = await readdir(out);
    const rec = JSON.parse(await readFile(join(out, dir as string, 'run.json'), 'utf8')) as RunRecord;
    return rec.results.flatMap((t) => t.samples).find((s) => s.metric === 'events_per_s')?.value ?? Number.NaN;
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

const ratios: number[] = [];
for (let i = 0; i < pairs; i++) {
  // Alternate which goes first so drift does not favour one side.
  let d: number;
  let v: number;
  if (i % 2 === 0) {
    d = await direct();
    v = await viaIsobench();
  } else {
    v = await viaIsobench();
    d = await direct();
  }
  ratios.push(v / d);
  console.log(
    `pair ${i + 1}: direct ${d.toFixed(2)} events/s, isobench ${v.toFixed(2)} events/s, ratio ${(v / d).toFixed(4)}`,
  );
}
const s = describe(ratios);
console.log(
  `\nisobench/direct events/s ratio over ${pairs} interleaved pairs (${seconds} s each): median ` +
    `${s.median.toFixed(4)}, min ${s.min.toFixed(4)}, max ${s.max.toFixed(4)}, MAD ` +
    `${s.mad.toFixed(4)}`,
);
console.log(Math.abs(s.median - 1) <= 0.01 ? 'PASS: median within 1 % of 1.0' : 'FAIL: median outside 1 % of 1.0');
