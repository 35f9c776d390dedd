// What a workload is: a declarative object with parameters, commands, a pure output parser and its own traps.
import type { Measurement, MetricInfo } from '../model/metrics.js';
import type { MeasuredMethod } from '../model/method.js';
import type { WorkloadShape } from '../model/cases.js';
import type { Params, ParamValue } from '../model/record.js';

/** Facts about the host that choose defaults (e.g. memory block size above the LLC). */
export interface HostFacts {
  /** Last-level cache size in bytes, or null when unknown. */
  llcBytes: number | null;
  /** Free memory in bytes, or null when unknown. */
  freeMemoryBytes: number | null;
}

/** The declaration of one parameter. */
export interface ParamSpec {
  /** Name as used in `--set workload.name=value`. */
  name: string;
  /** Kind of value and how it is validated. */
  kind: 'int' | 'size' | 'enum' | 'bool';
  /** Valid values for `enum`. */
  choices?: readonly string[];
  /** One sentence for `isobench list`. */
  description: string;
}

/** The commands of one trial; prepare and cleanup run once per instance around the iterations. */
export interface WorkloadSteps {
  /** Runs once before the iterations (e.g. `sysbench fileio prepare`). */
  prepare?: string[];
  /** Runs once per iteration; its output is parsed. */
  run: string[];
  /** Runs once after the iterations, also after a failure. */
  cleanup?: string[];
}

/** One metric of one environment in a case, summarised over its trials: what a trap may judge. */
export interface TrapMetricStats {
  /** Measured trials. */
  trials: number;
  /** Largest measured value over all measured samples (NaN without trials). */
  max: number;
  /** Environment ÷ baseline (medians of per-trial medians) and the baseline's `env:engine`; null for the baseline itself or when nothing was compared. */
  vsBaseline: { ratio: number; baselineId: string } | null;
}

/** One environment that ran the case. */
export interface TrapEnv {
  /** `env:engine`. */
  envId: string;
  /** Statistics per metric name (only the metrics it measured). */
  metrics: Record<string, TrapMetricStats>;
}

/** What a workload's traps look at: one case of a run. */
export interface TrapInput {
  /** The case's parameters. */
  params: Params;
  /** Host facts from the run's fingerprint (null when unknown). */
  host: { llcBytes: number | null; memoryBytes: number | null };
  /** The environments that ran the case, baseline first. */
  envs: TrapEnv[];
}

/** A way a case's numbers may not mean what they seem, with what to do about it. */
export interface Trap {
  /** The environment it is about, or null when it is about the case's parameters everywhere. */
  env: string | null;
  /** What was found (reads after `<case>[ on <env>]: `). */
  finding: string;
  /** What to do about it. */
  advice: string;
}

/** A named parameter set that follows a published method (`--profile NAME`), so a claim can be checked like for like. */
export interface WorkloadProfile {
  /** Whose method it follows and how closely. */
  description: string;
  /** Parameters it sets (over the defaults; `--set` still overrides them). */
  params: Params;
}

/** What every workload declares, whatever its shape. */
interface WorkloadBase {
  /** Name used on the command line. */
  name: string;
  /** One line for `isobench list`. */
  description: string;
  /** Declared parameters. */
  params: readonly ParamSpec[];
  /** Metrics this workload can produce. */
  metrics: Record<string, MetricInfo>;
  /** Default parameters (quick = short runs for CI and demos). */
  defaults(quick: boolean, host: HostFacts): Params;
  /** Published methods this workload can follow, by profile name. */
  profiles?: Record<string, WorkloadProfile>;
  /** How a case with these parameters measures (threads, IO depth, block size…), for comparing methods. */
  method(params: Params): MeasuredMethod;
  /** The traps this case fell into (cache instead of RAM, page cache instead of storage, a wrong clock…); empty when none. */
  traps(input: TrapInput): Trap[];
}

/** What a workload's figures feed in a capacity plan (`isobench plan`). */
export interface CapacityRole {
  /** The host resource the workload's ratio against bare metal measures the cost of. */
  resource: 'cpu';
  /** The metric whose ratio is that cost. */
  metric: string;
}

/**
 * A workload whose command runs inside one instance per trial and whose output is parsed each
 * iteration (shape `throughput`: cpu, memory, fileio).
 */
export interface Workload extends WorkloadBase {
  /** Discriminant. */
  shape: 'throughput';
  /** Whether the commands need the instance's scratch directory as working directory. */
  usesScratch: boolean;
  /** Scratch space a trial needs, in MiB (0 when none). */
  scratchMiB(params: Params): number;
  /** The commands for these parameters. */
  steps(params: Params): WorkloadSteps;
  /** Reads measurements from the run step's stdout; throws ParseError on bad output. */
  parse(stdout: string, params: Params): Measurement[];
  /** Upper bound for one run step, in ms. */
  timeoutMs(params: Params): number;
  /** Set when this workload's ratio against bare metal is a cost `isobench plan` uses. */
  capacity?: CapacityRole;
}

/**
 * A workload whose trial starts its own instances and runs no command in them: `sweep`, idle
 * instances step by step (density, bench/run/sweep.ts); `burst`, many launched at once per
 * iteration (startup, bench/run/burst.ts).
 */
export interface OwnInstancesWorkload extends WorkloadBase {
  /** Discriminant. */
  shape: Extract<WorkloadShape, 'sweep' | 'burst'>;
}

/** Any workload declaration, discriminated by its shape. */
export type AnyWorkload = Workload | OwnInstancesWorkload;

/** Reads a parameter as a number (it was validated when the plan was built). */
export function num(params: Params, name: string): number {
  const v: ParamValue | undefined = params[name];
  return typeof v === 'number' ? v : Number(v);
}

/** Reads a parameter as a string. */
export function str(params: Params, name: string): string {
  return String(params[name]);
}
