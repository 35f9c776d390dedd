// Benchmark (not a test): time to render every report of a synthetic run of 10 000 samples.
// Usage: npm run build && node dist/perf/reports.js [samples] [repeats]
import { analyse } from '../analysis/verdict-analysis.js';
import { runWarnings } from '../analysis/warnings.js';
import { chartSpecs } from '../reports/run/chart-configs.js';
import { renderCharts } from '../reports/shared/chart-render.js';
import { renderReports } from '../reports/run/index.js';
import { syntheticLargeRun } from '../test/factories/synthetic.js';

const samples = Number(process.argv[2] ?? 10_000);
const repeats = Number(process.argv[3] ?? 5);
const record = syntheticLargeRun(samples);
const total = record.results.reduce((n, r) => n + r.samples.length, 0);
const ms = (t0: number) => performance.now() - t0;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? Number.NaN;

// The first render pays for module loading, font discovery and canvas creation: report it apart.
let t0 = performance.now();
const files = await renderReports(record, { generatedAt: 'bench' });
const cold = ms(t0);

const whole: number[] = [];
const stages = { analyse: [] as number[], warnings: [] as number[], charts: [] as number[] };
for (let i = 0; i < repeats; i++) {
  t0 = performance.now();
  await renderReports(record, { generatedAt: 'bench' });
  whole.push(ms(t0));
  t0 = performance.now();
  const a = analyse(record);
  stages.analyse.push(ms(t0));
  t0 = performance.now();
  runWarnings(record, a);
  stages.warnings.push(ms(t0));
  t0 = performance.now();
  await renderCharts(chartSpecs(a));
  stages.charts.push(ms(t0));
}
const bytes = [...files.values()].reduce((n, c) => n + Buffer.byteLength(c), 0);
console.log(
  `synthetic run: ${total} samples (${record.results.length} trials, ${record.plan.envs.length} ` +
    `environments), ${files.size} files, ${(bytes / 1024).toFixed(0)} KiB`,
);
console.log(
  `renderReports: first (cold) ${cold.toFixed(0)} ms; warm median ${median(whole).toFixed(0)} ms ` +
    `over ${repeats} (min ${Math.min(...whole).toFixed(0)}, max ${Math.max(...whole).toFixed(0)})`,
);
console.log(
  `  of which analyse ${median(stages.analyse).toFixed(0)} ms, warnings ` +
    `${median(stages.warnings).toFixed(0)} ms, charts ${median(stages.charts).toFixed(0)} ms ` +
    `(medians)`,
);
