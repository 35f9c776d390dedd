// The interface every environment implements: probe → start → exec×N → stop.
import type { Measurement } from '../model/metrics.js';
import type { RunnerOptions, RunnerTestHooks } from '../model/options.js';
import type { Emulation, Limits } from '../model/record.js';

/** What a runner needs to know about the run when it starts an instance. */
export interface RunContext {
  /** Run identifier; instance names are derived from it so cleanup never matches broadly. */
  runId: string;
  /** Directory this run owns for scratch files (same host filesystem for every environment). */
  scratchRoot: string;
  /** Directory for cached build products (the workload image). */
  cacheDir: string;
  /** Limits applied to the isolated environment. */
  limits: Limits;
  /** CPU list to pin to (e.g. `0` or `0-1`), when pinning was asked for. */
  cpuset: string | null;
  /** Runner options from the CLI, per concern. */
  options: RunnerOptions;
  /** Test-only hooks (never set by the CLI). */
  hooks?: RunnerTestHooks;
  /** Progress/diagnostic lines go here (stderr). */
  log: (line: string) => void;
  /**
   * Aborted when the run is interrupted (SIGINT/SIGTERM): every wait of a probe, a start or an
   * exec gives up and kills what it spawned. Teardown (stop, cleanup) never takes it: it must finish.
   */
  signal?: AbortSignal;
}

/**
 * The outcome of a probe: never thrown, always a value. `emulation` is set when the environment
 * will run emulated (its numbers do not represent the real thing), with why; absent otherwise.
 */
export type ProbeResult =
  | { ok: true; version: string; details: Record<string, string>; note?: string; emulation?: Emulation | null }
  | { ok: false; reason: string; details: Record<string, string> };

/** A command to run inside an instance. */
export interface ExecRequest {
  /** Program and arguments, resolved inside the environment (e.g. `sysbench cpu run`). */
  argv: string[];
  /** Run in the instance's scratch directory (needed by fileio). */
  inScratch: boolean;
  /** Give up after this long; the instance is then considered broken. */
  timeoutMs: number;
}

/** The outcome of one command. */
export interface ExecResult {
  /** Captured standard output. */
  stdout: string;
  /** Captured standard error. */
  stderr: string;
  /** Exit status; null when killed by a signal or timed out. */
  exitCode: number | null;
  /** Host-side wall time of the command in milliseconds. */
  durationMs: number;
  /** True when the command was killed for exceeding `timeoutMs`. */
  timedOut: boolean;
}

/** What one instance is for. */
export interface InstanceSpec {
  /** Unique name of the instance within the run (`<runId>-t<trialId>`): names containers, dirs. */
  tag: string;
  /** Scratch space the workload needs, in MiB (0 = none; guests size their disk from it). */
  scratchMiB: number;
}

/** A started environment instance. */
export interface Instance {
  /** Facts copied onto every sample of this instance (image digest, binary sha256, limits…). */
  readonly labels: Record<string, string>;
  /** Startup phase timings measured host-side (spawn → ready), plus guest-clock readings. */
  readonly startup: Measurement[];
  /**
   * When the payload announced it is ready, on this process's monotonic clock
   * (`performance.now()`): a burst of starts times each instance from the burst's own start.
   */
  readonly readyAt: number;
  /**
   * The engine's own accounting of this instance's memory now (container: its cgroup's usage;
   * guest: the hypervisor process's PSS), with what it is; absent when the instance holds nothing
   * between commands (a bare process).
   */
  readonly memory?: InstanceMemory;
  /** Runs one command inside the instance. Never throws for a non-zero exit. */
  exec(req: ExecRequest): Promise<ExecResult>;
  /**
   * Stops the instance and removes what it created. Idempotent; returns teardown timings
   * (empty on repeated calls).
   */
  stop(): Promise<Measurement[]>;
}

/** How an instance's memory is read host-side. */
export interface InstanceMemory {
  /** What is read, for the record (`cgroup v1 memory.usage_in_bytes`, `qemu PSS (smaps_rollup)`). */
  method: string;
  /** Bytes now, or null when unreadable (the instance is gone). */
  bytes(): number | null;
}

/** One environment (with one engine) isobench can run workloads in. */
export interface Runner {
  /** Environment kind: `bare`, `container`, `vm`, `fake`. */
  readonly env: string;
  /** Engine: `host`, `runc`, `docker`, `podman`, `crun`, `lxc`, `lxd`, `openvz`, `virtuozzo`, `qemu`, `fake`. */
  readonly engine: string;
  /** One-line description for `isobench list`. */
  readonly description: string;
  /** Checks whether this environment can run here; never throws. */
  probe(ctx: RunContext): Promise<ProbeResult>;
  /**
   * Starts one instance. Throws (with `cause`) when the instance cannot be started;
   * the executor records that as an errored trial.
   */
  start(ctx: RunContext, spec: InstanceSpec): Promise<Instance>;
  /**
   * Removes everything this runner created for the run (all instances), even after a crash
   * or signal. Idempotent; called once at the end of a run and from signal handlers.
   */
  cleanup(ctx: RunContext): Promise<void>;
}
