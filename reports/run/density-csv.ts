// density.csv: one row per environment's density sweep (marginal memory, instances per GiB, knees, stop reason).
import { csvText } from '../shared/csv.js';
import type { DensitySummary } from '../../analysis/density.js';

/** Columns of density.csv, in order. */
export const DENSITY_COLUMNS = [
  'environment',
  'batch',
  'instances',
  'marginal_MiB_per_instance',
  'instances_per_GiB',
  'engine_memory_median_MiB',
  'memory_accounting',
  'ready_median_ms',
  'ready_knee_at',
  'memory_knee_at',
  'ksm',
  'thp',
  'stopped_because',
] as const;

const num = (v: number | null): string => (v === null || !Number.isFinite(v) ? '' : String(Number(v.toPrecision(4))));

/** Renders density.csv; empty string when the run had no density sweep. */
export function densityCsv(rows: readonly DensitySummary[]): string {
  if (rows.length === 0) return '';
  return csvText([
    [...DENSITY_COLUMNS],
    ...rows.map((d) => [
      d.envId,
      d.batch,
      d.instances,
      num(d.slopeMiB),
      num(d.instancesPerGiB),
      num(d.engineMedianMiB),
      d.accounting,
      num(d.readyMedianMs),
      d.readyKnee ?? '',
      d.memoryKnee ?? '',
      d.ksm,
      d.thp,
      d.stop ?? '',
    ]),
  ]);
}
