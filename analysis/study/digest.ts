// What a study keeps of one run (or of one host's pooled runs): its facts and its analysed rows, no samples.
import type { HostFingerprint, RunRecord, TrialResult } from '../../model/record.js';
import type { JudgedValue, PlanRequest, StudyRowKey } from '../../model/study.js';
import { analyse } from '../verdict-analysis.js';
import { shiftTrialIds } from '../run-index.js';
import { percentOf } from '../../lib/numbers.js';

/** One case × metric × environment of one host, from the run analysis. */
export interface DigestRow extends StudyRowKey, JudgedValue {}

/** The facts of one run a study needs, without its samples. */
export interface RunDigest {
  /** Host label (`hostLabel`, else host name, else run id). */
  label: string;
  /** Run id. */
  runId: string;
  /** The fingerprint. */
  fingerprint: HostFingerprint;
  /** The plan as compared across hosts. */
  request: PlanRequest;
  /** Canonical key of `request`. */
  planKey: string;
  /** isobench version. */
  toolVersion: string;
  /** git describe, null when unknown. */
  gitDescribe: string | null;
  /** sysbench version on the host. */
  sysbenchVersion: string | null;
  /** Image digests in its samples, sorted. */
  imageDigests: string[];
  /** Accelerators its guests ran under (sample label `accelerator`), sorted. */
  accelerators: string[];
  /** Case keys it measured, sorted (host-dependent defaults can make them differ). */
  caseKeys: string[];
  /** Trial outcomes counted. */
  trials: { completed: number; errored: number; skipped: number };
  /** ISO start time. */
  startedAt: string;
  /** Whether it was interrupted. */
  interrupted: boolean;
  /** Equivalence margin (fraction). */
  margin: number;
  /** The analysed rows. */
  rows: DigestRow[];
}

/** Flags whose value is host-local and never part of the compared plan. */
const HOST_LOCAL_FLAGS = new Set(['--out', '--host-label', '--cache-dir']);
const HOST_LOCAL_SWITCHES = new Set(['--no-report']);

/** `isobench run` arguments without the host-local ones (output folder, host label, cache, report switch). */
export function comparedArgs(argv: readonly string[]): string[] {
  const args = argv[0] === 'isobench' && argv[1] === 'run' ? argv.slice(2) : [...argv];
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const name = a.split('=')[0] as string;
    if (HOST_LOCAL_SWITCHES.has(a)) continue;
    if (HOST_LOCAL_FLAGS.has(name)) {
      if (!a.includes('=')) i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

/** The plan fields compared across hosts. */
export function planRequest(record: RunRecord): PlanRequest {
  const p = record.plan;
  // study.json (format 1) keeps the margin in percent, as typed; the record carries a fraction.
  return {
    args: comparedArgs(p.argv),
    envs: [...p.envs],
    workloads: [...p.workloads],
    trials: p.trials,
    runs: p.runs,
    warmup: p.warmup,
    seed: p.seed,
    order: p.order,
    quick: p.quick,
    runner: p.runner,
    margin: percentOf(p.margin),
  };
}

/** Canonical JSON of a plan request (key order fixed by `planRequest`). */
export const planKey = (r: PlanRequest): string => JSON.stringify(r);

/** The fields in which two plan requests differ, as `field (a vs b)` texts. */
export function planDifferences(a: PlanRequest, b: PlanRequest): string[] {
  const out: string[] = [];
  for (const k of Object.keys(a) as (keyof PlanRequest)[]) {
    const x = JSON.stringify(a[k]);
    const y = JSON.stringify(b[k]);
    if (x !== y)
      out.push(
        `${k} (${k === 'args' ? a.args.join(' ') || 'none' : x} vs ${k === 'args' ? b.args.join(' ') || 'none' : y})`,
      );
  }
  return out;
}

/** The host's name in a study. */
export function hostLabelOf(record: RunRecord): string {
  return record.hostLabel ?? record.host.hostname.value ?? record.runId;
}

const count = (rs: readonly TrialResult[], s: TrialResult['status']) => rs.filter((r) => r.status === s).length;

/** Analyses one record (one run, or a host's pooled runs) and keeps what the study needs. */
export function digestRun(record: RunRecord): RunDigest {
  const a = analyse(record, { medianIntervals: false });
  const everywhere = (label: string) => new Set([...a.index.labelValues(label).values()].flatMap((vs) => [...vs]));
  const digests = everywhere('image_digest');
  const accels = everywhere('accelerator');
  const request = planRequest(record);
  const rows: DigestRow[] = a.entries.map((e) => ({
    caseKey: e.case.key,
    caseLabel: e.case.label,
    workload: e.case.workload,
    params: e.case.params,
    metric: e.metric,
    headline: e.metric === e.case.headline,
    unit: e.info.unit,
    better: e.info.better,
    envId: e.stats.envId,
    baselineId: a.baselineId,
    isBaseline: e.isBaseline,
    trials: e.stats.summary.trials,
    trialMedian: e.stats.summary.trialMedian,
    ratio: e.comparison?.ratio ?? null,
    ratioCi: e.comparison?.ratioCi ?? null,
    change: e.comparison?.change ?? null,
    changeCi: e.comparison?.changeCi ?? null,
    verdict: e.verdict,
    caveats: e.caveats,
  }));
  return {
    label: hostLabelOf(record),
    runId: record.runId,
    fingerprint: record.host,
    request,
    planKey: planKey(request),
    toolVersion: record.toolVersion,
    gitDescribe: record.gitDescribe.value,
    sysbenchVersion: record.host.tools['sysbench']?.value ?? null,
    imageDigests: [...digests].sort(),
    accelerators: [...accels].sort(),
    caseKeys: a.cases.map((c) => c.key).sort(),
    trials: {
      completed: count(record.results, 'completed'),
      errored: count(record.results, 'errored'),
      skipped: count(record.results, 'skipped'),
    },
    startedAt: record.startedAt,
    interrupted: record.interrupted,
    margin: a.margin,
    rows,
  };
}

/**
 * One record from several runs of one host and one plan: their trials side by side (trial ids
 * renumbered so they stay unique), the first run's plan and fingerprint. The trial stays the unit
 * of replication, so a host's intervals narrow with every run merged.
 */
export function poolRuns(records: readonly RunRecord[]): RunRecord {
  const [first, ...rest] = records;
  if (first === undefined) throw new Error('poolRuns needs at least one record');
  if (rest.length === 0) return first;
  let offset = 0;
  const results: TrialResult[] = [];
  for (const r of records) {
    const shift = offset;
    for (const t of r.results) results.push(shiftTrialIds(t, shift));
    offset += Math.max(0, ...r.results.map((t) => t.trialId));
  }
  return {
    ...first,
    runId: records.map((r) => r.runId).join('+'),
    results,
    interrupted: records.some((r) => r.interrupted),
  };
}
