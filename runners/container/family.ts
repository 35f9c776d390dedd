// What a container engine is, as data, and what an engine family (OCI bundle, docker-style CLI) must do.
import type { Measurement } from '../../model/metrics.js';
import type { CgroupFacts } from './cgroup.js';
import type { ReadyOutcome } from './ready.js';
import type { WorkloadImage } from '../image/build.js';
import type { ExecResult, RunContext } from '../types.js';

/** The container's pid 1: report readiness (binary hash), then idle until killed. */
export const IDLE_PAYLOAD = ['/bin/sh', '-c', '/isobench/ready && exec sleep 2147483647'];

/** One container engine: a row of the engine table (`engines.ts`); the shared path does the rest. */
export interface EngineDescriptor {
  /** The binary looked up on PATH (the probe fails naming it and `aptPackage` when it is missing). */
  binary: string;
  /** One-line description for `isobench list`. */
  description: string;
  /** Debian package that provides the binary, named when it is missing. */
  aptPackage: string;
  /** How containers of this engine are created, started and removed. */
  family: (engine: EngineDescriptor) => ContainerFamily;
  /** docker-style CLIs: Go template for `version --format` printing the version the probe records. */
  versionFormat?: string;
  /** docker-style CLIs: what to do when the engine does not answer, appended to the probe's reason. */
  unusableHint?: string;
  /** Probe detail name → environment variable recorded under it when set (e.g. the daemon address). */
  envDetails?: Record<string, string>;
}

/** Everything one container owns on the host, removed by `stop` or `cleanup`. */
export interface Container {
  /** Container name (also its cgroup's name); every engine command addresses it by this exact name. */
  name: string;
  /** Scratch directory bind-mounted at /scratch, or null (probe). */
  scratch: string | null;
  /** Other directories the engine family created for it (an OCI bundle), removed after it. */
  dirs: string[];
  /** cgroup directories isobench itself must remove, once known. */
  cgroups: string[];
}

/** The outcome of the engine-specific probe steps before a trial container. */
export type Preflight =
  | { ok: true; version: string; details: Record<string, string> }
  | { ok: false; reason: string; details: Record<string, string> };

/** A container launched until its payload printed the ready marker. */
export interface Launched {
  /** What the engine and payload printed, and the host-side time to ready. */
  ready: ReadyOutcome;
  /** The start's phases, where the engine has separate steps (OCI: create → start → ready); recorded beside startup_ms. */
  phases?: Measurement[];
  /** The container's pid 1 (host pid), its cgroup facts and the family's own labels (read after the binary is verified). */
  inspect(): Promise<{ pid: number; facts: CgroupFacts; labels: Record<string, string> }>;
}

/** What differs between engine families; one instance per runner (it may cache, e.g. imports). */
export interface ContainerFamily {
  /** The command that runs `argv` in the started container `c` (in /scratch when `inScratch`). */
  execArgv(c: Container, argv: readonly string[], inScratch: boolean): string[];
  /** The `capabilities` label: capabilities the container keeps. */
  capabilities: string;
  /** The `network` label: what network the container sees. */
  network: string;
  /** The `seccomp_profile` label: the syscall filter the engine loads, as the engine names it. */
  seccompProfile: string;
  /** Probe details added when a trial container ran. */
  probeFacts: Record<string, string>;
  /** Checks the engine itself (root, daemon, version); never throws for an unusable engine. */
  preflight(path: string, ctx: RunContext): Promise<Preflight>;
  /**
   * Makes the workload image available to the engine (once per runner), if it needs that. An abort
   * of `signal` kills the engine's client and rejects with the signal's reason; an import it cut
   * short is never used later.
   */
  ensureImage(image: WorkloadImage, signal?: AbortSignal): Promise<void>;
  /** Runs `/bin/true` in a throw-away container `c`; null when it worked, else why not. */
  trial(c: Container, image: WorkloadImage, ctx: RunContext): Promise<string | null>;
  /** Starts `c` running IDLE_PAYLOAD and waits for the ready marker. */
  launch(c: Container & { scratch: string }, image: WorkloadImage, ctx: RunContext): Promise<Launched>;
  /** Kills and deletes the container by its exact name; throws if it is still there. */
  remove(name: string): Promise<void>;
}

/** `<binary> exec [cwdFlag /scratch] <name> argv…`: how OCI runtimes and docker-style CLIs run a command in a container. */
export function execIn(binary: string, cwdFlag: string): ContainerFamily['execArgv'] {
  return (c, argv, inScratch) => [binary, 'exec', ...(inScratch ? [cwdFlag, '/scratch'] : []), c.name, ...argv];
}

/** Why an engine command failed, in the last three lines of its output (or that it timed out after `timeoutS`). */
export function failureText(r: ExecResult, timeoutS: number): string {
  const why = r.timedOut
    ? `timed out after ${timeoutS} s`
    : r.stderr.trim() || r.stdout.trim() || `exit ${String(r.exitCode)}`;
  return why.split('\n').slice(-3).join(' ');
}
