// The study record (study.json): many hosts' runs merged, each host's fingerprint and analysed rows kept; pure data.
// analysis/study/ builds it, model/study-schema.ts validates it where it is read.
import type { RunnerOptions } from './options.js';
import type { HostFingerprint, Params } from './record.js';
import type { Caveat, Verdict } from './verdict.js';
import type { Unit } from './units.js';

/** Record format version of study.json. */
export const STUDY_SCHEMA = 1;

/** One run of a host, kept unchanged under the study directory. */
export interface StudyRun {
  /** The run's id. */
  runId: string;
  /** Path of the kept run.json, relative to the study directory (`runs/<host>/<run-id>/run.json`). */
  path: string;
  /** Where it was read from, as given to `isobench merge`. */
  source: string;
  /** Index into `Study.planGroups` of the plan this run followed. */
  planGroup: number;
  /** isobench version that measured it. */
  toolVersion: string;
  /** `git describe` of that isobench, null when unknown. */
  gitDescribe: string | null;
  /** sysbench version on the host (first line of `sysbench --version`), null when unknown. */
  sysbenchVersion: string | null;
  /** Every workload image digest in its samples (label `image_digest`), sorted. */
  imageDigests: string[];
  /** Trial outcomes counted. */
  trials: { completed: number; errored: number; skipped: number };
  /** ISO start time of the run. */
  startedAt: string;
  /** Whether the run was interrupted. */
  interrupted: boolean;
}

/** A host whose runs were merged. */
export interface MeasuredHost {
  /** The host's name in the study (`--host-label`, else its host name). */
  label: string;
  /** Discriminant. */
  status: 'ok';
  /** The host fingerprint of its first run (all its runs are checked to agree). */
  fingerprint: HostFingerprint;
  /** Key of its host type (see `HostType`). */
  hostType: string;
  /** Its runs, oldest first. */
  runs: StudyRun[];
}

/** A host that was expected but has no run (unreachable, failed, or never run). */
export interface MissingHost {
  /** The host's name in the study. */
  label: string;
  /** Discriminant. */
  status: 'missing';
  /** Why it has no run, as the caller (e.g. the Ansible playbook) reported it. */
  reason: string;
}

/** A host in the study. */
export type StudyHost = MeasuredHost | MissingHost;

/** Hosts that share a CPU model, kernel and accelerator: what `plan --from <study>` plans per. */
export interface HostType {
  /** Stable key: `cpu | kernel | accelerator`. */
  key: string;
  /** Short display name (`type 1`, `type 2`, … in order of first appearance). */
  name: string;
  /** CPU model string. */
  cpuModel: string;
  /** Kernel release. */
  kernel: string;
  /** KVM module and the accelerator guests ran under, e.g. `kvm_intel; guests: kvm`. */
  accelerator: string;
  /** Labels of its hosts. */
  hosts: string[];
}

/** The resolved plan fields that must be equal for runs to be compared side by side. */
export interface PlanRequest {
  /** The `isobench run` arguments without host-local ones (`--out`, `--host-label`, `--cache-dir`, `--no-report`). */
  args: string[];
  /** Environments as `env:engine`. */
  envs: string[];
  /** Workloads. */
  workloads: string[];
  /** Trials per cell. */
  trials: number;
  /** Measured iterations per trial. */
  runs: number;
  /** Warm-ups per trial. */
  warmup: number;
  /** Seed. */
  seed: number;
  /** Trial order. */
  order: string;
  /** Quick settings. */
  quick: boolean;
  /** Options that reached the runners (accelerator choice, machine, disk cache, …). */
  runner: RunnerOptions;
  /** Equivalence margin of the verdicts, in percent. */
  margin: number;
}

/** Runs that followed the same plan. */
export interface PlanGroup {
  /** Index (0 = the plan most hosts ran). */
  id: number;
  /** Stable key (canonical JSON of `request`). */
  key: string;
  /** The plan. */
  request: PlanRequest;
  /** Labels of the hosts with a run of this plan. */
  hosts: string[];
}

/** Something a reader must know before trusting the study: it is shown, never silently mixed. */
export interface StudyFlag {
  /** What kind of problem. */
  kind:
    | 'missing-host'
    | 'plan-mismatch'
    | 'tool-version-mismatch'
    | 'image-digest-mismatch'
    | 'label-conflict'
    | 'resolved-params-differ'
    | 'incomplete-run';
  /** Labels of the hosts concerned. */
  hosts: string[];
  /** One sentence saying what differs and what to do. */
  message: string;
}

/** One environment's judged value on one host: its centre, its ratio to the baseline and the verdict. */
export interface JudgedValue {
  /** Measured trials. */
  trials: number;
  /** Median of per-trial medians, in the metric's unit; NaN without trials (written as null in study.json). */
  trialMedian: number;
  /** Environment ÷ baseline; null for the baseline row or without data. */
  ratio: number | null;
  /** 95 % bootstrap interval of the ratio (trials resampled), null when not computable. */
  ratioCi: { lo: number; hi: number } | null;
  /** Signed change, positive = worse; null without a ratio. */
  change: number | null;
  /** Interval of the change. */
  changeCi: { lo: number; hi: number } | null;
  /** The verdict, as data (reports word it). */
  verdict: Verdict;
  /** Caveats of that verdict (emulated environments). */
  caveats: Caveat[];
}

/** One host's judged value (trials pooled over the host's runs of this plan). */
export interface HostResult extends JudgedValue {
  /** Host label. */
  host: string;
  /** Its host type's key. */
  hostType: string;
}

/** How much a value varies across hosts. */
export interface Spread {
  /** Hosts with a value. */
  hosts: number;
  /** Smallest value. */
  min: number;
  /** Median across hosts. */
  median: number;
  /** Largest value. */
  max: number;
  /** (max − min) / |median|: the relative range across hosts (0 with one host). */
  range: number;
}

/** What names one case × metric × environment row of a study (a host's digest row, a plan group's comparison). */
export interface StudyRowKey {
  /** Case key (workload and sorted parameters). */
  caseKey: string;
  /** Case display name. */
  caseLabel: string;
  /** Workload. */
  workload: string;
  /** Parameters. */
  params: Params;
  /** Metric. */
  metric: string;
  /** Whether this metric is the case's headline metric. */
  headline: boolean;
  /** Unit. */
  unit: Unit;
  /** Direction. */
  better: 'higher' | 'lower';
  /** `env:engine`. */
  envId: string;
  /** The baseline `env:engine` the ratios are against. */
  baselineId: string | null;
  /** Whether this row is the baseline itself (its hosts have medians, no ratios). */
  isBaseline: boolean;
}

/** One case × metric × environment of one plan group, with every host side by side. */
export interface StudyComparison extends StudyRowKey {
  /** Plan group index. */
  planGroup: number;
  /** Each host, in study host order. */
  hosts: HostResult[];
  /** Spread of the ratio across hosts (null for the baseline or with no ratio). */
  ratioSpread: Spread | null;
  /** Spread of the median of trials across hosts (absolute performance). */
  medianSpread: Spread | null;
  /** The same spreads per host type, in host type order. */
  byType: { hostType: string; ratio: Spread | null; median: Spread | null }[];
}

/** The whole study: the single source of every study report (and of `plan --from`). */
export interface Study {
  /** Format version. */
  schema: typeof STUDY_SCHEMA;
  /** Discriminant against run records. */
  kind: 'isobench-study';
  /** ISO time the study was merged. */
  createdAt: string;
  /** isobench version that merged it. */
  toolVersion: string;
  /** Equivalence margin (fraction) of plan group 0, used for the study's verdict colours. */
  margin: number;
  /** Every host: measured ones in the order first given, then missing ones. */
  hosts: StudyHost[];
  /** Host types, in order of first appearance. */
  hostTypes: HostType[];
  /** Plans, the most common first. */
  planGroups: PlanGroup[];
  /** Side-by-side rows, by plan group, case, metric, environment (baseline first). */
  comparisons: StudyComparison[];
  /** Everything flagged. Empty = one plan, one revision, one image, every host present. */
  flags: StudyFlag[];
}
