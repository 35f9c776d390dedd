// Runs one trial: start an instance, prepare, warm-ups then measured iterations, clean up, stop.
import { ParseError, causeChain } from '../../model/errors.js';
import { sysbenchVersion } from '../../workloads/sysbench-output.js';
import type { Workload } from '../../workloads/types.js';
import type { ErrorInfo, PlanCell, Sample, TrialResult } from '../../model/record.js';
import { LIFECYCLE_WORKLOAD, type Measurement } from '../../model/metrics.js';
import type { ExecResult, Instance, RunContext, Runner } from '../../runners/types.js';
import { LogTailError } from '../../model/log-error.js';
import { tail } from '../../model/text.js';

/** Everything one trial needs. */
export interface TrialInput {
  runner: Runner;
  ctx: RunContext;
  cell: PlanCell;
  workload: Workload;
  trialId: number;
  trial: number;
  warmup: number;
  runs: number;
  /** Labels every sample of this trial carries besides the instance's own (engine version, limits). */
  labels: Record<string, string>;
  /** Set when the run is being interrupted: no new iteration starts. */
  aborted: () => boolean;
}

/** A failure at a named stage, with the tool's output tail. */
class StageError extends Error {
  constructor(readonly stage: string, message: string, readonly logTail?: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

function checkExit(stage: string, r: ExecResult): void {
  if (r.timedOut) throw new StageError(stage, `${stage} timed out after ${Math.round(r.durationMs)} ms`, tail(r.stdout + r.stderr));
  if (r.exitCode !== 0) throw new StageError(stage, `${stage} exited with ${String(r.exitCode)}: ${tail(r.stderr.trim(), 300)}`, tail(r.stdout + r.stderr));
}

function errorInfo(err: unknown, stage: string): ErrorInfo {
  const info: ErrorInfo = { message: err instanceof Error ? err.message : String(err), stage, causes: causeChain(err).slice(1) };
  if (err instanceof StageError) {
    info.stage = err.stage;
    if (err.logTail !== undefined) info.logTail = err.logTail;
  } else if (err instanceof ParseError) {
    info.stage = 'parse';
    info.logTail = tail(err.text);
  } else if (err instanceof LogTailError) {
    info.logTail = err.logTail;
  }
  return info;
}

/** Runs one trial; never throws: failures become an `errored` result with the samples so far. */
export async function runTrial(input: TrialInput): Promise<TrialResult> {
  const { runner, ctx, cell, workload } = input;
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const samples: Sample[] = [];
  const notes: string[] = [];
  const labels: Record<string, string> = { ...input.labels };
  const key = { trialId: input.trialId, env: cell.env, engine: cell.engine, workload: cell.workload, params: cell.params, trial: input.trial };
  const lifecycle = (values: Measurement[]) => {
    for (const m of values) {
      samples.push({ ...m, kind: 'lifecycle', env: cell.env, engine: cell.engine, workload: LIFECYCLE_WORKLOAD, during: cell.workload, params: {}, trial: input.trial, trialId: input.trialId, iteration: 0, phase: 'measure', timestamp: new Date().toISOString(), labels: { ...labels } });
    }
  };
  const steps = workload.steps(cell.params);
  let instance: Instance | undefined;
  let prepared = false;
  let error: ErrorInfo | undefined;
  let stage = 'start';
  try {
    instance = await runner.start(ctx, { tag: `${ctx.runId}-t${input.trialId}`, scratchMiB: workload.scratchMiB(cell.params) });
    Object.assign(labels, instance.labels);
    lifecycle(instance.startup);
    const exec = (argv: string[], timeoutMs: number) => (instance as Instance).exec({ argv, inScratch: workload.usesScratch, timeoutMs });
    if (steps.prepare) {
      stage = 'prepare';
      prepared = true;
      checkExit('prepare', await exec(steps.prepare, workload.timeoutMs(cell.params)));
    }
    const total = input.warmup + input.runs;
    for (let i = 1; i <= total; i++) {
      if (input.aborted()) throw new StageError('run', 'interrupted by signal');
      stage = 'run';
      const r = await exec(steps.run, workload.timeoutMs(cell.params));
      checkExit('run', r);
      stage = 'parse';
      const measured = workload.parse(r.stdout, cell.params);
      const version = sysbenchVersion(r.stdout);
      if (version !== null) labels['sysbench_version'] = version;
      const phase = i <= input.warmup ? 'warmup' : 'measure';
      for (const m of measured) {
        samples.push({ ...m, kind: 'workload', env: cell.env, engine: cell.engine, workload: cell.workload, params: cell.params, trial: input.trial, trialId: input.trialId, iteration: i, phase, timestamp: new Date().toISOString(), labels: { ...labels } });
      }
    }
  } catch (err) {
    error = errorInfo(err, stage);
  } finally {
    if (instance !== undefined) {
      if (prepared && steps.cleanup) {
        try {
          const r = await instance.exec({ argv: steps.cleanup, inScratch: workload.usesScratch, timeoutMs: 120_000 });
          if (r.exitCode !== 0) notes.push(`cleanup step exited ${String(r.exitCode)}: ${tail(r.stderr, 300)}`);
        } catch (err) {
          notes.push(`cleanup step failed: ${causeChain(err).join(': ')}`);
        }
      }
      try {
        lifecycle(await instance.stop());
      } catch (err) {
        error ??= errorInfo(err, 'stop');
        notes.push(`stop failed: ${causeChain(err).join(': ')}`);
      }
    }
  }
  const finishedAt = new Date().toISOString();
  const durationMs = performance.now() - t0;
  return error === undefined
    ? { ...key, status: 'completed', startedAt, finishedAt, durationMs, samples, notes }
    : { ...key, status: 'errored', startedAt, finishedAt, durationMs, samples, notes, error };
}
