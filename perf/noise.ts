// Benchmark analysis (not a test): where the noise of a run comes from, from its run.json records.
// For each case × metric × environment it prints, as log-scale standard deviations (≈ CV):
//   within  — between the measured runs inside one instance (pooled over trials),
//   between — between instances (trials) beyond what the within-run noise explains,
//   warm-up — how far the warm-up run lies from its trial's measured median (mean, signed),
// and for each environment against bare metal the correlation of the per-trial medians of the
// same round (drift shared in time) and the 95 % interval width of the ratio two ways: unpaired
// (today's bootstrap over trials) and paired (bootstrap of the median per-round ratio).
// Usage: node dist/perf/noise.js <run dir>...
import { readRecord } from '../bench/run/record.js';
import { ratioInterval, seedFor, medianInterval } from '../analysis/bootstrap.js';
import { median, mean } from '../analysis/stats.js';
import type { RunRecord, WorkloadSample } from '../model/record.js';

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  process.stderr.write('usage: node dist/perf/noise.js <run dir>...\n');
  process.exit(2);
}

const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
const sd = (xs: readonly number[]) => {
  if (xs.length < 2) return Number.NaN;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
};
function corr(a: readonly number[], b: readonly number[]): number {
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += ((a[i] as number) - ma) * ((b[i] as number) - mb);
    saa += ((a[i] as number) - ma) ** 2;
    sbb += ((b[i] as number) - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** Per trial: the measured values and the warm-up values, keyed by case|metric|env, then trial index. */
function trialsOf(record: RunRecord) {
  const out = new Map<string, Map<number, { measure: number[]; warmup: number[] }>>();
  for (const r of record.results) {
    for (const s of r.samples) {
      if (s.kind !== 'workload') continue;
      const w = s as WorkloadSample;
      const main = record.metrics[w.metric];
      if (main === undefined) continue;
      const k = `${w.workload}|${w.metric}|${w.env}:${w.engine}`;
      const m = out.get(k) ?? new Map<number, { measure: number[]; warmup: number[] }>();
      const t = m.get(w.trial) ?? { measure: [], warmup: [] };
      (w.phase === 'measure' ? t.measure : t.warmup).push(w.value);
      m.set(w.trial, t);
      out.set(k, m);
    }
  }
  return out;
}

const HEADLINE = new Set(['events_per_s', 'transfer_MiBps', 'read_MiBps', 'write_MiBps']);
for (const dir of dirs) {
  const record = await readRecord(dir);
  const trials = trialsOf(record);
  console.log(`\n${dir}  (${record.plan.argv.slice(2).join(' ')}; ${record.results.length} trials)`);
  console.log(
    'case|metric|env'.padEnd(44) +
      'within'.padStart(9) +
      'between'.padStart(9) +
      'warm-up'.padStart(9) +
      '   vs bare: r(rounds)  unpaired width  paired width',
  );
  for (const [k, m] of [...trials].sort()) {
    const [workload, metric, env] = k.split('|') as [string, string, string];
    if (!HEADLINE.has(metric)) continue;
    const ts = [...m.entries()].sort((a, b) => a[0] - b[0]);
    const within = Math.sqrt(mean(ts.map(([, t]) => sd(t.measure.map(Math.log)) ** 2).filter(Number.isFinite)));
    const logMedians = ts.map(([, t]) => Math.log(median(t.measure)));
    const runsPer = mean(ts.map(([, t]) => t.measure.length));
    const betweenTotal = sd(logMedians);
    // Variance of a trial median beyond the within-run noise (median of n ≈ mean's variance × π/2 for small n; keep it simple: /n).
    const between = Math.sqrt(Math.max(0, betweenTotal ** 2 - within ** 2 / runsPer));
    const warm = mean(
      ts.filter(([, t]) => t.warmup.length > 0).map(([, t]) => Math.log((t.warmup[0] as number) / median(t.measure))),
    );
    let cmp = '';
    if (!env.startsWith('bare:')) {
      const bare = [...trials].find(([bk]) => bk.startsWith(`${workload}|${metric}|bare:`))?.[1];
      if (bare) {
        const rounds = ts.map(([t]) => t).filter((t) => bare.has(t));
        const b = rounds.map((t) => median((bare.get(t) as { measure: number[] }).measure));
        const e = rounds.map((t) => median((m.get(t) as { measure: number[] }).measure));
        const seed = seedFor(record.plan.seed, k);
        const unpaired = ratioInterval(b, e, { seed });
        const perPair = rounds.map((_, i) => (e[i] as number) / (b[i] as number));
        const paired = medianInterval(perPair, { seed });
        const ratio = median(e) / median(b);
        const w = (ci: { lo: number; hi: number } | null) => (ci === null ? 'n/a' : pct((ci.hi - ci.lo) / ratio));
        cmp =
          `   ${corr(b.map(Math.log), e.map(Math.log)).toFixed(2).padStart(12)}  ` +
          `${w(unpaired).padStart(14)}  ${w(paired).padStart(12)}`;
      }
    }
    console.log(k.padEnd(44) + pct(within).padStart(9) + pct(between).padStart(9) + pct(warm).padStart(9) + cmp);
  }
}
