// Engines of one isolation kind against each other (runc, docker, lxc, lxd …), beside each one's verdict against bare metal.
import { seedFor } from './bootstrap.js';
import type { RunRecord } from '../model/record.js';
import type { MetricInfo } from '../model/metrics.js';
import { judge, type Analysis, type CaseInfo, type Comparison, type Entry } from './verdict-analysis.js';
import type { Caveat, Verdict } from './verdict.js';

/** One cell of a matrix: the row engine measured against the column engine. */
export interface EnginePair {
  /** The row's `env:engine` (the numerator of the ratio). */
  envId: string;
  /** The column's `env:engine` (the denominator). */
  againstId: string;
  /** Ratio row ÷ column with its interval and change (null when either side has no trials). */
  comparison: Comparison | null;
  /** The verdict of the row against the column. */
  verdict: Verdict;
  /** What to know before trusting it (an emulated side). */
  caveats: Caveat[];
}

/** Several engines of one environment kind on one case's headline metric. */
export interface EngineMatrix {
  /** The case. */
  case: CaseInfo;
  /** Its headline metric. */
  metric: string;
  /** Metric facts. */
  info: MetricInfo;
  /** The environment kind (`container`, `vm`). */
  env: string;
  /** Each engine's verdict-table row (statistics and its verdict against the run's baseline), in plan order. */
  rows: Entry[];
  /** Every ordered pair of different engines, row-major. */
  pairs: EnginePair[];
}

/**
 * The engine-against-engine matrices of a run: one per case and environment kind that has two or
 * more engines with measured trials. The baseline's own kind is left out: its engines are already
 * compared with the baseline engine in the verdict table (a run without bare metal).
 */
export function engineMatrices(record: RunRecord, a: Analysis): EngineMatrix[] {
  const baseKind = a.baselineId?.split(':')[0] ?? null;
  const seed = record.plan.seed;
  const out: EngineMatrix[] = [];
  for (const c of a.cases) {
    const headline = a.entries.filter(
      (e) => e.case.key === c.key && e.metric === c.headline && e.stats.summary.trials > 0,
    );
    const kinds = [...new Set(headline.map((e) => e.stats.env))].filter((k) => k !== baseKind);
    for (const env of kinds) {
      const rows = headline.filter((e) => e.stats.env === env);
      if (rows.length < 2) continue;
      const pairs: EnginePair[] = [];
      for (const row of rows) {
        for (const col of rows) {
          if (row === col) continue;
          const j = judge(
            row.stats.envId,
            row.stats,
            col.stats,
            col.stats.envId,
            row.info,
            a.margin,
            seedFor(seed, `engines|${c.key}|${c.headline}|${row.stats.envId}|${col.stats.envId}`),
            c.headline,
          );
          pairs.push({
            envId: row.stats.envId,
            againstId: col.stats.envId,
            comparison: j.comparison,
            verdict: j.verdict,
            caveats: j.caveats,
          });
        }
      }
      out.push({ case: c, metric: c.headline, info: rows[0]?.info as MetricInfo, env, rows, pairs });
    }
  }
  return out;
}

/** The cell of `m` for row `envId` against column `againstId`. */
export function pairOf(m: EngineMatrix, envId: string, againstId: string): EnginePair | undefined {
  return m.pairs.find((p) => p.envId === envId && p.againstId === againstId);
}
