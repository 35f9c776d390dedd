// samples.csv: one row per raw sample — fixed columns (`during`: the workload a lifecycle sample's instance ran), then sorted param and label columns.
import { csvText } from '../shared/csv.js';
import type { Sample } from '../../model/record.js';

/** The fixed leading columns, in order. */
export const FIXED_COLUMNS = [
  'metric',
  'value',
  'unit',
  'env',
  'engine',
  'workload',
  'during',
  'trial',
  'trial_id',
  'iteration',
  'phase',
  'timestamp',
] as const;

/** Renders samples as CSV text (header included). */
export function samplesCsv(samples: readonly Sample[]): string {
  const paramCols = [...new Set(samples.flatMap((s) => Object.keys(s.params)))].sort();
  const labelCols = [...new Set(samples.flatMap((s) => Object.keys(s.labels)))].sort();
  const header = [...FIXED_COLUMNS, ...paramCols.map((p) => `param.${p}`), ...labelCols.map((l) => `label.${l}`)];
  const rows = samples.map((s) => [
    s.metric,
    s.value,
    s.unit,
    s.env,
    s.engine,
    s.workload,
    s.kind === 'lifecycle' ? s.during : '',
    s.trial,
    s.trialId,
    s.iteration,
    s.phase,
    s.timestamp,
    ...paramCols.map((p) => (p in s.params ? String(s.params[p]) : '')),
    ...labelCols.map((l) => s.labels[l] ?? ''),
  ]);
  return csvText([header, ...rows]);
}
