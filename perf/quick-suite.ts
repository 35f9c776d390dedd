// Benchmark (not a test): `isobench run --quick` as it was (an instance per workload, 2-second
// iterations, 256M of fileio files) against the new quick suite (an instance per trial running
// every workload, its shorter defaults), run alternately; prints each run's wall time, the load,
// and the width of every isolated environment's interval against bare metal.
// Usage: node dist/perf/quick-suite.js [pairs=1] [--env bare,container,vm] [-- more run flags]
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { readRecord } from '../bench/run/record.js';
import { analyse } from '../analysis/verdict-analysis.js';
import { median } from '../analysis/stats.js';

const args = process.argv.slice(2);
const dash = args.indexOf('--');
const extra = dash >= 0 ? args.slice(dash + 1) : [];
const own = dash >= 0 ? args.slice(0, dash) : args;
const pairs = Number(own.find((a) => /^[0-9]+$/.test(a)) ?? 1);
const envAt = own.indexOf('--env');
const envs = envAt >= 0 ? (own[envAt + 1] as string) : 'bare,container,vm';
const cli = fileURLToPath(new URL('../bench/cli.js', import.meta.url));

/** The quick suite before this change: what `--quick` meant then, spelled out. */
const OLD_SETS = ['cpu.time=2', 'memory.time=2', 'fileio.time=2', 'fileio.file-total-size=256M'];
// `-- --workload fileio` narrows both modes: only the chosen workloads' old settings apply (run refuses the others).
const chosen = extra.includes('--workload') ? (extra[extra.indexOf('--workload') + 1] ?? '').split(',') : null;
const OLD_QUICK = [
  '--instance-per',
  'workload',
  ...OLD_SETS.filter((s) => chosen === null || chosen.includes(s.split('.')[0] as string)).flatMap((s) => ['--set', s]),
];
const MODES: Record<string, string[]> = { before: OLD_QUICK, after: [] };

interface Outcome {
  wallS: number;
  load: [number, number];
  widths: Map<string, number>;
}
const results = new Map<string, Outcome[]>();

async function once(mode: string, seed: number): Promise<Outcome> {
  const out = await mkdtemp(join(tmpdir(), 'isobench-quick-suite-'));
  const load0 = loadavg()[0] as number;
  const t0 = performance.now();
  try {
    await execa('node', [
      cli,
      'run',
      '--quick',
      '--env',
      envs,
      '--seed',
      String(seed),
      '--no-report',
      '--out',
      out,
      ...(MODES[mode] as string[]),
      ...extra,
    ]);
    const wallS = (performance.now() - t0) / 1000;
    const [dir] = await readdir(out);
    const record = await readRecord(join(out, dir as string));
    const widths = new Map<string, number>();
    for (const e of analyse(record, { medianIntervals: false }).entries) {
      if (e.case.workload === 'startup' || e.metric !== e.case.headline || e.comparison?.ratioCi == null) continue;
      widths.set(
        `${e.case.workload} ${e.stats.envId}/bare`,
        (e.comparison.ratioCi.hi - e.comparison.ratioCi.lo) / e.comparison.ratio,
      );
    }
    return { wallS, load: [load0, loadavg()[0] as number], widths };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

for (let i = 0; i < pairs; i++) {
  // Alternate which mode goes first so drift does not favour one.
  for (const mode of i % 2 === 0 ? ['after', 'before'] : ['before', 'after']) {
    const o = await once(mode, 1000 + i);
    results.set(mode, [...(results.get(mode) ?? []), o]);
    console.log(
      `pair ${i + 1} ${mode.padEnd(6)}: ${o.wallS.toFixed(0)} s wall, load ${o.load[0].toFixed(1)} → ` +
        `${o.load[1].toFixed(1)}; interval widths ` +
        `${[...o.widths].map(([k, w]) => `${k} ${(100 * w).toFixed(1)} %`).join(', ')}`,
    );
  }
}
const b = results.get('before') as Outcome[];
const a = results.get('after') as Outcome[];
console.log(
  `\nquick suite (--env ${envs}), ${pairs} alternating pair(s): median wall before ` +
    `${median(b.map((o) => o.wallS)).toFixed(0)} s, after ${median(a.map((o) => o.wallS)).toFixed(0)}` +
    ` s, after/before ${(median(a.map((o) => o.wallS)) / median(b.map((o) => o.wallS))).toFixed(2)}`,
);
for (const k of a[0]?.widths.keys() ?? []) {
  const wb = median(b.map((o) => o.widths.get(k) ?? Number.NaN));
  const wa = median(a.map((o) => o.widths.get(k) ?? Number.NaN));
  console.log(
    `  ${k.padEnd(28)} interval width before ${(100 * wb).toFixed(1).padStart(6)} %, after ` +
      `${(100 * wa).toFixed(1).padStart(6)} %, after/before ${(wa / wb).toFixed(2)}`,
  );
}
