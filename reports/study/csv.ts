// The study's CSV files: hosts.csv (fingerprints and runs), summary.csv (per host rows), spread.csv (across hosts).
import { COMPARISON_COLUMNS, csvText } from '../shared/csv.js';
import type { Spread, Study } from '../../model/study.js';
import { verdictText } from '../shared/verdict-text.js';

/** A number with 6 significant digits, empty when absent (stable text for diffs). */
const num = (v: number | null | undefined): string =>
  v === undefined || v === null || !Number.isFinite(v) ? '' : String(Number(v.toPrecision(6)));
const pct = (v: number | null | undefined) => num(v === null || v === undefined ? v : v * 100);

/** Columns of hosts.csv. */
export const HOSTS_COLUMNS = [
  'host',
  'status',
  'reason',
  'host_type',
  'cpu_model',
  'cpu_count',
  'memory_bytes',
  'kernel',
  'os',
  'virtualization',
  'kvm_module',
  'accelerator',
  'runs',
  'run_ids',
  'plan_groups',
  'isobench_version',
  'git_describe',
  'sysbench_version',
  'image_digests',
  'flags',
] as const;

/** hosts.csv: one row per host, missing ones included. */
export function hostsCsv(study: Study): string {
  const typeOf = new Map(study.hostTypes.map((t) => [t.key, t]));
  const rows = study.hosts.map((h) => {
    const flags = study.flags
      .filter((f) => f.hosts.includes(h.label))
      .map((f) => f.kind)
      .join(';');
    if (h.status === 'missing')
      return [h.label, 'missing', h.reason, ...Array<string>(HOSTS_COLUMNS.length - 4).fill(''), flags];
    const f = h.fingerprint;
    const t = typeOf.get(h.hostType);
    const uniq = (xs: (string | null)[]) => [...new Set(xs.map((x) => x ?? 'unknown'))].join(';');
    return [
      h.label,
      'ok',
      '',
      t?.name ?? '',
      f.cpuModel.value ?? '',
      f.cpuCount.value ?? '',
      f.memoryBytes.value ?? '',
      f.kernel.value ?? '',
      f.os.value ?? '',
      f.virtualization.value ?? '',
      f.kvmModule.value ?? '',
      t?.accelerator ?? '',
      h.runs.length,
      h.runs.map((r) => r.runId).join(';'),
      uniq(h.runs.map((r) => String(r.planGroup))),
      uniq(h.runs.map((r) => r.toolVersion)),
      uniq(h.runs.map((r) => r.gitDescribe)),
      uniq(h.runs.map((r) => r.sysbenchVersion)),
      [...new Set(h.runs.flatMap((r) => r.imageDigests))].join(';'),
      flags,
    ];
  });
  return csvText([[...HOSTS_COLUMNS], ...rows.map((r) => r.map(String))]);
}

/** Columns of the study's summary.csv. */
export const STUDY_SUMMARY_COLUMNS = [
  'plan_group',
  'workload',
  'case',
  'params',
  'metric',
  'unit',
  'better',
  'environment',
  'baseline',
  'host',
  'host_type',
  'trials',
  'trial_median',
  ...COMPARISON_COLUMNS,
] as const;

const paramsText = (p: Record<string, unknown>) =>
  Object.entries(p)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(';');

/** summary.csv: one row per plan group × case × metric × environment × host. */
export function studySummaryCsv(study: Study): string {
  const typeName = new Map(study.hostTypes.map((t) => [t.key, t.name]));
  const rows = study.comparisons.flatMap((c) =>
    c.hosts.map((h) =>
      [
        c.planGroup,
        c.workload,
        c.caseLabel,
        paramsText(c.params),
        c.metric,
        c.unit,
        c.better,
        c.envId,
        c.baselineId ?? '',
        h.host,
        typeName.get(h.hostType) ?? '',
        h.trials,
        num(h.trialMedian),
        num(h.ratio),
        num(h.ratioCi?.lo),
        num(h.ratioCi?.hi),
        pct(h.change),
        pct(h.changeCi?.lo),
        pct(h.changeCi?.hi),
        h.verdict.kind,
        verdictText(h),
      ].map(String),
    ),
  );
  return csvText([[...STUDY_SUMMARY_COLUMNS], ...rows]);
}

/** Columns of spread.csv. */
export const SPREAD_COLUMNS = [
  'plan_group',
  'workload',
  'case',
  'metric',
  'unit',
  'environment',
  'baseline',
  'scope',
  'hosts',
  'ratio_min',
  'ratio_median',
  'ratio_max',
  'ratio_range_pct',
  'median_min',
  'median_median',
  'median_max',
  'median_range_pct',
] as const;

const spreadCells = (s: Spread | null) => [num(s?.min), num(s?.median), num(s?.max), pct(s?.range)];

/** spread.csv: across all hosts, then per host type, of every comparison row. */
export function spreadCsv(study: Study): string {
  const typeName = new Map(study.hostTypes.map((t) => [t.key, t.name]));
  const rows = study.comparisons.flatMap((c) => {
    const head = [c.planGroup, c.workload, c.caseLabel, c.metric, c.unit, c.envId, c.baselineId ?? ''].map(String);
    const hosts = (r: Spread | null, m: Spread | null) => String(Math.max(r?.hosts ?? 0, m?.hosts ?? 0));
    return [
      [
        ...head,
        'all',
        hosts(c.ratioSpread, c.medianSpread),
        ...spreadCells(c.ratioSpread),
        ...spreadCells(c.medianSpread),
      ],
      ...c.byType.map((t) => [
        ...head,
        typeName.get(t.hostType) ?? t.hostType,
        hosts(t.ratio, t.median),
        ...spreadCells(t.ratio),
        ...spreadCells(t.median),
      ]),
    ];
  });
  return csvText([[...SPREAD_COLUMNS], ...rows]);
}
