// What a workload is: a declarative object with parameters, commands and a pure output parser.
import type { Measurement, MetricInfo } from '../model/metrics.js';
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

/** A workload isobench can run in any environment. */
export interface Workload {
  /** Name used on the command line. */
  name: string;
  /** One line for `isobench list`. */
  description: string;
  /** Whether the commands need the instance's scratch directory as working directory. */
  usesScratch: boolean;
  /** Declared parameters. */
  params: readonly ParamSpec[];
  /** Metrics this workload can produce. */
  metrics: Record<string, MetricInfo>;
  /** Default parameters (quick = short runs for CI and demos). */
  defaults(quick: boolean, host: HostFacts): Params;
  /** Scratch space a trial needs, in MiB (0 when none). */
  scratchMiB(params: Params): number;
  /** The commands for these parameters. */
  steps(params: Params): WorkloadSteps;
  /** Reads measurements from the run step's stdout; throws ParseError on bad output. */
  parse(stdout: string, params: Params): Measurement[];
  /** Upper bound for one run step, in ms. */
  timeoutMs(params: Params): number;
}

/** Reads a parameter as a number (it was validated when the plan was built). */
export function num(params: Params, name: string): number {
  const v: ParamValue | undefined = params[name];
  return typeof v === 'number' ? v : Number(v);
}

/** Reads a parameter as a string. */
export function str(params: Params, name: string): string {
  return String(params[name]);
}
