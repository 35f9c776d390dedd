// The core data model: samples, trial outcomes and the run record written to run.json.
import type { LIFECYCLE_WORKLOAD, MetricInfo } from './metrics.js';
import type { RunnerOptions } from './options.js';
import type { Fraction } from '../lib/numbers.js';
import type { Unit } from './units.js';

/**
 * Version of the run.json format this isobench writes and reads (2: typed runner options and
 * margin; 3: each metric declares its quantity, each probe whether its environment is emulated;
 * 4: an interrupted run says by which signal and in which phase; 5: `plan.margin` is a fraction,
 * 0.02 for ±2 %, where formats 2–4 wrote the percentage, 2).
 */
export const RECORD_SCHEMA_VERSION = 5;

/**
 * Formats this isobench reads: a format-4 record is a format-5 one whose `plan.margin` is in
 * percent, a format-3 one a format-4 one without `interruption`. Reading upgrades them to the
 * current format (model/schema.ts, `upgradeRecord`), so a parsed record is always format 5.
 */
export const READABLE_SCHEMA_VERSIONS = [3, 4, RECORD_SCHEMA_VERSION] as const;

/** How a run was interrupted. */
export interface Interruption {
  /** The signal that interrupted it (`SIGINT`, `SIGTERM`). */
  signal: string;
  /** What the run was doing when the signal came (e.g. `probing vm:qemu`, `trial 3 (bare:host cpu) at run`, `report`). */
  phase: string;
  /** ISO time the signal arrived. */
  at: string;
}

/** A parameter value of a workload (sysbench option). */
export type ParamValue = string | number | boolean;

/** Workload parameters, keyed by parameter name. */
export type Params = Record<string, ParamValue>;

/** Whether a sample comes from a warm-up iteration (never summarised) or a measured one. */
export type Phase = 'warmup' | 'measure';

/** Fields every sample has: the flat record that becomes one CSV row. */
interface SampleBase {
  /** Metric name with its unit in the name, e.g. `events_per_s`, `read_MiBps`, `startup_ms`. */
  metric: string;
  /** The measured value, in `unit`. */
  value: number;
  /** Unit of `value`, e.g. `events/s`, `MiB/s`, `ms`. */
  unit: Unit;
  /** Environment kind the sample was measured in: `bare`, `container`, `vm`, `fake`. */
  env: string;
  /** Engine within the environment: `host`, `runc`, `docker`, `qemu-tcg`, … */
  engine: string;
  /** Workload parameters of the cell this sample belongs to (empty for lifecycle samples). */
  params: Params;
  /** Trial index within its cell (env × workload × params), from 1. */
  trial: number;
  /** Run-wide unique trial number: the unit of replication for statistics. */
  trialId: number;
  /** Warm-up or measured. */
  phase: Phase;
  /** ISO-8601 time the value was taken. */
  timestamp: string;
  /** Per-instance facts (image digest, binary hash, accelerator, limits, …). */
  labels: Record<string, string>;
}

/** A value a workload printed in one iteration. */
export interface WorkloadSample extends SampleBase {
  /** Discriminant. */
  kind: 'workload';
  /** Workload name (`cpu`, `memory`, `fileio`). */
  workload: string;
  /** Iteration within the trial, from 1; warm-ups count too. */
  iteration: number;
}

/** A lifecycle value of the instance a trial ran in: startup and teardown times, its memory. */
export interface LifecycleSample extends SampleBase {
  /** Discriminant. */
  kind: 'lifecycle';
  /** Always the lifecycle case name, so that startup is analysed as a case of its own. */
  workload: typeof LIFECYCLE_WORKLOAD;
  /** Always 0: lifecycle values are not iterations. */
  iteration: 0;
  /** The workload the instance was started for. */
  during: string;
}

/** One measured value. */
export type Sample = WorkloadSample | LifecycleSample;

/** Identifies a trial: one instance lifetime of one env running one workload cell. */
export interface TrialKey {
  /** Run-wide unique trial number, in execution order, from 1. */
  trialId: number;
  /** Environment kind. */
  env: string;
  /** Engine within the environment. */
  engine: string;
  /** Workload name. */
  workload: string;
  /** Workload parameters. */
  params: Params;
  /** Trial index within its cell, from 1. */
  trial: number;
}

/** A failure, kept as data. */
export interface ErrorInfo {
  /** Human-readable message. */
  message: string;
  /** Where it failed: `start`, `verify`, `prepare`, `run`, `parse`, `stop`, … */
  stage: string;
  /** Messages of the error's causes, outermost first. */
  causes: string[];
  /** Tail of a relevant log (console, stderr), if any. */
  logTail?: string;
}

/** Common fields of every trial outcome. */
interface TrialBase extends TrialKey {
  /** ISO time the trial began. */
  startedAt: string;
  /** ISO time the trial ended. */
  finishedAt: string;
  /** Wall time of the whole trial in milliseconds. */
  durationMs: number;
  /** Samples measured before the trial ended (all of them when completed). */
  samples: Sample[];
  /** Non-fatal remarks raised during the trial. */
  notes: string[];
}

/** A trial that ran all its iterations. */
export interface CompletedTrial extends TrialBase {
  /** Discriminant. */
  status: 'completed';
}

/** A trial that failed; the samples taken before the failure are kept. */
export interface ErroredTrial extends TrialBase {
  /** Discriminant. */
  status: 'errored';
  /** What went wrong. */
  error: ErrorInfo;
}

/** A trial that was not attempted, with why. */
export interface SkippedTrial extends TrialKey {
  /** Discriminant. */
  status: 'skipped';
  /** Why it did not run (usually the runner probe's reason). */
  reason: string;
  /** ISO time it was skipped. */
  startedAt: string;
  /** Always empty: kept so that every outcome has `samples`. */
  samples: Sample[];
}

/** Outcome of one trial. */
export type TrialResult = CompletedTrial | ErroredTrial | SkippedTrial;

/** A value read from the host, or null with the reason it could not be read. */
export type Known<T> = { value: T; reason?: undefined } | { value: null; reason: string };

/** The host, described once per run. */
export interface HostFingerprint {
  /** Host name. */
  hostname: Known<string>;
  /** CPU model string. */
  cpuModel: Known<string>;
  /** Logical CPU count. */
  cpuCount: Known<number>;
  /** Last-level cache size in bytes. */
  llcBytes: Known<number>;
  /** Total memory in bytes. */
  memoryBytes: Known<number>;
  /** OS distribution and release. */
  os: Known<string>;
  /** Kernel release (`uname -r`). */
  kernel: Known<string>;
  /** Whether the host itself is virtualized, as systeminformation sees it. */
  virtualization: Known<string>;
  /** cgroup layout: `v1`, `v2` or `hybrid`. */
  cgroup: Known<'v1' | 'v2' | 'hybrid'>;
  /** Whether `/dev/kvm` exists. */
  kvmDevice: Known<boolean>;
  /** Loaded KVM module (`kvm_intel`, `kvm_amd`, `kvm_pvm`, …). */
  kvmModule: Known<string>;
  /** Versions of tools found on PATH, keyed by tool name. */
  tools: Record<string, Known<string>>;
}

/** Limits applied to every isolated environment (and to bare metal pinning when asked). */
export interface Limits {
  /** CPUs given to a container / vCPUs of a guest; null = no limit. */
  cpus: number | null;
  /** Memory limit / guest RAM in MiB; null = engine default. */
  memoryMiB: number | null;
}

/** One cell of the plan: an environment running a workload with one parameter set. */
export interface PlanCell {
  /** Environment kind. */
  env: string;
  /** Engine within the environment. */
  engine: string;
  /** Workload name. */
  workload: string;
  /** Parameters. */
  params: Params;
}

/** What the run was asked to do, resolved. */
export interface Plan {
  /** Environments with engines, as `env:engine`. */
  envs: string[];
  /** Workload names. */
  workloads: string[];
  /** Trials (instances) per cell. */
  trials: number;
  /** Measured iterations per trial. */
  runs: number;
  /** Warm-up iterations per trial (recorded, never summarised). */
  warmup: number;
  /** Seed of the schedule and of the bootstrap. */
  seed: number;
  /** Trial order. */
  order: 'interleaved' | 'grouped';
  /** Whether quick (short) workload settings were used. */
  quick: boolean;
  /** Resource limits for isolated environments. */
  limits: Limits;
  /** Options that reached the runners, per concern. */
  runner: RunnerOptions;
  /** Equivalence margin of verdicts as a fraction (0.02 = ±2 %; `--margin 2`). Formats before 5 wrote the percentage. */
  margin: Fraction;
  /** The `--out` directory as given (the run directory is `<out>/<runId>`). */
  out: string;
  /** The cells, in declaration order. */
  cells: PlanCell[];
  /** The exact command line that produced this run. */
  argv: string[];
}

/** Why an environment's numbers do not represent what it stands for (a guest under TCG instead of KVM). */
export interface Emulation {
  /** One line for readers, e.g. `TCG software emulation: not representative of KVM`. */
  note: string;
}

/** Result of probing one environment before the run. */
export interface EnvProbe {
  /** `env:engine`. */
  id: string;
  /** Whether the environment can run here. */
  ok: boolean;
  /** Engine version when available. */
  version?: string;
  /** Why it cannot run, or remarks about how it will run (e.g. KVM fallback to TCG). */
  reason?: string;
  /** Facts about the environment configuration, shown in reports. */
  details: Record<string, string>;
  /** Set when the environment runs emulated, with why; null when it runs on the real thing or is unavailable. */
  emulation: Emulation | null;
}

/**
 * Why a cell stopped getting trials under `--until-conclusive`: its ratio interval is precise
 * enough (`precise`: hi/lo ≤ 1 + margin, always conclusive), the time budget ran out (`budget`),
 * the round limit was reached (`max-rounds`), the run was interrupted (`interrupted`), or it has
 * no interval to judge (`no-data`: its environment was unavailable or every trial errored).
 */
export type StopReason = 'precise' | 'budget' | 'max-rounds' | 'interrupted' | 'no-data';

/** One cell's state when `--until-conclusive` stopped adding trials. */
export interface ConclusiveStop {
  /** Environment kind. */
  env: string;
  /** Engine. */
  engine: string;
  /** Workload name. */
  workload: string;
  /** Parameters. */
  params: Params;
  /** The case's headline metric the rule looked at. */
  metric: string;
  /** Measured trials of this cell at the end. */
  trials: number;
  /** Measured trials of its baseline cell at the end. */
  baselineTrials: number;
  /** Why it stopped. */
  reason: StopReason;
  /** The 95 % interval of the ratio (cell ÷ baseline) at the end; null when there is none. */
  ratioCi: { lo: number; hi: number } | null;
}

/** What `--until-conclusive` did after the planned trials (absent when it was not asked for). */
export interface UntilConclusive {
  /** Time budget of the added rounds in ms (`--max-time`). */
  maxTimeMs: number;
  /** Most rounds it would add. */
  maxRounds: number;
  /** Rounds of trials it added. */
  rounds: number;
  /** Wall time the added rounds took, ms. */
  elapsedMs: number;
  /** Every compared (non-baseline) cell, with why it stopped. */
  cells: ConclusiveStop[];
}

/** Everything a run produced: the single source of every report. */
export interface RunRecord {
  /** Record format version: always the current one in memory (an older file is upgraded where it is read). */
  schema: typeof RECORD_SCHEMA_VERSION;
  /** Run identifier (also the results directory name). */
  runId: string;
  /** isobench version from package.json. */
  toolVersion: string;
  /** `git describe` of the isobench checkout, or null with reason. */
  gitDescribe: Known<string>;
  /** The host, described once. */
  host: HostFingerprint;
  /**
   * The host's name in a multi-host study (`--host-label`, default its host name). Optional:
   * records written before it existed are named by `host.hostname` when merged.
   */
  hostLabel?: string;
  /** The plan. */
  plan: Plan;
  /** Probe outcome of each environment. */
  probes: EnvProbe[];
  /** Trial outcomes, in execution order. */
  results: TrialResult[];
  /** Unit, direction and meaning of every metric that may appear in the samples. */
  metrics: Record<string, MetricInfo>;
  /** Run-level warnings (parity, configuration) as text with advice. */
  warnings: string[];
  /** ISO start time. */
  startedAt: string;
  /** ISO finish time; null while running or if interrupted. */
  finishedAt: string | null;
  /** Whether the run was interrupted by a signal. */
  interrupted: boolean;
  /** Which signal interrupted the run and in which phase (format 4; absent when not interrupted). */
  interruption?: Interruption;
  /** What `--until-conclusive` added and why each cell stopped (absent when not asked for). */
  untilConclusive?: UntilConclusive;
}

/**
 * A run.json as stored, of any readable format: what the zod schema accepts before the record is
 * upgraded. Its `plan.margin` is in percent when `schema` is below 5.
 */
export type StoredRunRecord = Omit<RunRecord, 'schema'> & { schema: (typeof READABLE_SCHEMA_VERSIONS)[number] };
