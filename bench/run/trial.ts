// Runs one instance lifetime: start, then each of its workload cells (prepare, warm-ups, measured iterations, cleanup), stop.
import { ParseError, causeChain } from '../../model/errors.js';
import { sysbenchVersion } from '../../workloads/sysbench-output.js';
import type { OwnInstancesWorkload, Workload } from '../../workloads/types.js';
import type { ErrorInfo, Phase, PlanCell, Sample, TrialResult, WorkloadSample } from '../../model/record.js';
import { LIFECYCLE_WORKLOAD, type Measurement } from '../../model/metrics.js';
import type { ExecResult, Instance, RunContext, Runner } from '../../runners/types.js';
import { LogTailError } from '../../model/log-error.js';
import { tail } from '../../lib/text.js';
import { at } from '../../lib/arrays.js';

/** One cell an instance runs, with its run-wide trial number. */
export interface UnitCell {
  cell: PlanCell;
  workload: Workload;
  trialId: number;
}

/** Everything one unit needs: one instance that runs its cells one after another. */
export interface UnitInput {
  runner: Runner;
  ctx: RunContext;
  /** The cells, in the order the instance runs them (one with an instance per workload). */
  cells: UnitCell[];
  trial: number;
  warmup: number;
  runs: number;
  /** Labels every sample of this trial carries besides the instance's own (engine version, limits). */
  labels: Record<string, string>;
  /** Set when the run is being interrupted: no new iteration starts. */
  aborted: () => boolean;
  /** Told each stage as it begins (start, prepare, run, cleanup, stop): what an interruption interrupted. */
  onStage?: (stage: string) => void;
}

/** Everything one trial of one cell needs: `W` is its workload's declaration. */
interface OneCellInput<W> extends Omit<UnitInput, 'cells'> {
  cell: PlanCell;
  workload: W;
  trialId: number;
}

/** A trial that runs a workload's commands in an instance of its own. */
export type TrialInput = OneCellInput<Workload>;

/** A trial that starts its own instances (a density sweep, a startup burst). */
export type OwnInstancesInput = OneCellInput<OwnInstancesWorkload>;

/** A workload sample of `cell`'s trial: one measurement of one iteration (a sweep's: instances running), taken now. */
export function workloadSample(
  m: Measurement,
  at: { cell: PlanCell; trial: number; trialId: number; iteration: number; phase: Phase },
  labels: Record<string, string>,
): WorkloadSample {
  const { cell } = at;
  return {
    ...m,
    kind: 'workload',
    env: cell.env,
    engine: cell.engine,
    workload: cell.workload,
    params: cell.params,
    trial: at.trial,
    trialId: at.trialId,
    iteration: at.iteration,
    phase: at.phase,
    timestamp: new Date().toISOString(),
    labels,
  };
}

/** The outcome of a trial that starts its own instances (a density sweep, a startup burst), begun at `startedAt` / `t0` (performance.now()). */
export function ownInstancesResult(
  input: OwnInstancesInput,
  startedAt: string,
  t0: number,
  samples: Sample[],
  notes: string[],
  error: ErrorInfo | undefined,
): TrialResult {
  const { cell } = input;
  const base = {
    trialId: input.trialId,
    env: cell.env,
    engine: cell.engine,
    workload: cell.workload,
    params: cell.params,
    trial: input.trial,
    startedAt,
    finishedAt: new Date().toISOString(),
    durationMs: performance.now() - t0,
    samples,
    notes,
  };
  return error === undefined ? { ...base, status: 'completed' } : { ...base, status: 'errored', error };
}

/** A failure at a named stage, with the tool's output tail. */
class StageError extends Error {
  constructor(
    readonly stage: string,
    message: string,
    readonly logTail?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

function checkExit(stage: string, r: ExecResult): void {
  if (r.timedOut)
    throw new StageError(stage, `${stage} timed out after ${Math.round(r.durationMs)} ms`, tail(r.stdout + r.stderr));
  if (r.exitCode !== 0)
    throw new StageError(
      stage,
      `${stage} exited with ${String(r.exitCode)}: ${tail(r.stderr.trim(), 300)}`,
      tail(r.stdout + r.stderr),
    );
}

/** The error of a stage a signal cut short says so first. */
function interrupted(info: ErrorInfo, input: UnitInput): ErrorInfo {
  if (input.aborted() && !info.message.startsWith('interrupted'))
    info.message = `interrupted at ${info.stage}: ${info.message}`;
  return info;
}

function errorInfo(err: unknown, stage: string): ErrorInfo {
  const info: ErrorInfo = {
    message: err instanceof Error ? err.message : String(err),
    stage,
    causes: causeChain(err).slice(1),
  };
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

/** Runs one trial in its own instance; never throws: failures become an `errored` result with the samples so far. */
export async function runTrial(input: TrialInput): Promise<TrialResult> {
  const results = await runUnit({
    ...input,
    cells: [{ cell: input.cell, workload: input.workload, trialId: input.trialId }],
  });
  return at(results, 0, 'result of the trial');
}

/** What one cell of a unit has gathered so far. */
interface CellState {
  startedAt: string;
  t0: number;
  finishedAt?: string;
  durationMs?: number;
  samples: Sample[];
  notes: string[];
  error?: ErrorInfo;
}

/**
 * Runs one instance: start, then each cell in turn (prepare, warm-ups, measured iterations,
 * cleanup), then stop. Returns one result per cell, in input order; never throws. A failing
 * cell does not stop the next one; a failed start fails them all. The instance's lifecycle
 * samples (startup, teardown, memory) are recorded once, in the first cell's result, with
 * `during` naming every workload the instance ran, in order.
 */
export async function runUnit(input: UnitInput): Promise<TrialResult[]> {
  const { runner, ctx, cells } = input;
  const labels: Record<string, string> = { ...input.labels };
  const fresh = (): CellState => ({
    startedAt: new Date().toISOString(),
    t0: performance.now(),
    samples: [],
    notes: [],
  });
  const runs = cells.map((c) => ({ c, st: fresh() }));
  // The first cell holds the instance's lifecycle samples; the last one is finished by its stop.
  const [head, last] = [at(runs, 0, 'cell of the unit'), at(runs, runs.length - 1, 'cell of the unit')];
  const first = head.c;
  const during = cells.map((c) => c.cell.workload).join(',');
  const shared =
    cells.length > 1
      ? `one instance ran trial ${input.trial} of ${during} (trialIds ` +
        `${cells.map((c) => c.trialId).join(', ')}); its lifecycle samples are in trialId ` +
        `${first.trialId}`
      : null;
  const lifecycle = (values: Measurement[]) => {
    for (const m of values) {
      head.st.samples.push({
        ...m,
        kind: 'lifecycle',
        env: first.cell.env,
        engine: first.cell.engine,
        workload: LIFECYCLE_WORKLOAD,
        during,
        params: {},
        trial: input.trial,
        trialId: first.trialId,
        iteration: 0,
        phase: 'measure',
        timestamp: new Date().toISOString(),
        labels: { ...labels },
      });
    }
  };
  const finish = (st: CellState) => {
    st.finishedAt = new Date().toISOString();
    st.durationMs = performance.now() - st.t0;
  };
  let instance: Instance | undefined;
  input.onStage?.('start');
  try {
    instance = await runner.start(ctx, {
      tag: `${ctx.runId}-t${first.trialId}`,
      scratchMiB: Math.max(...cells.map((c) => c.workload.scratchMiB(c.cell.params))),
    });
    Object.assign(labels, instance.labels);
    lifecycle(instance.startup);
  } catch (err) {
    for (const { st } of runs) st.error = interrupted(errorInfo(err, 'start'), input);
  }
  if (instance !== undefined) {
    for (const [i, { c, st }] of runs.entries()) {
      if (i > 0) {
        st.startedAt = new Date().toISOString();
        st.t0 = performance.now();
      }
      await runCell(instance, c, st, input, labels);
      if (i < cells.length - 1) finish(st);
    }
    input.onStage?.('stop');
    try {
      lifecycle(await instance.stop());
    } catch (err) {
      last.st.error ??= errorInfo(err, 'stop');
      last.st.notes.push(`stop failed: ${causeChain(err).join(': ')}`);
    }
  }
  finish(last.st);
  return runs.map(({ c, st }) => {
    const key = {
      trialId: c.trialId,
      env: c.cell.env,
      engine: c.cell.engine,
      workload: c.cell.workload,
      params: c.cell.params,
      trial: input.trial,
    };
    const base = {
      ...key,
      startedAt: st.startedAt,
      finishedAt: st.finishedAt ?? st.startedAt,
      durationMs: st.durationMs ?? 0,
      samples: st.samples,
      notes: shared === null ? st.notes : [shared, ...st.notes],
    };
    return st.error === undefined
      ? { ...base, status: 'completed' as const }
      : { ...base, status: 'errored' as const, error: st.error };
  });
}

/** Whether the unit runs a single cell (stages then need no workload name). */
const cells1 = (input: UnitInput) => input.cells.length === 1;

/** Runs one cell in a started instance: prepare, warm-ups then measured iterations, cleanup; failures land in `st.error`. */
async function runCell(
  instance: Instance,
  c: UnitCell,
  st: CellState,
  input: UnitInput,
  labels: Record<string, string>,
): Promise<void> {
  const { cell, workload } = c;
  const steps = workload.steps(cell.params);
  const exec = (argv: string[], timeoutMs: number) =>
    instance.exec({ argv, inScratch: workload.usesScratch, timeoutMs });
  let prepared = false;
  let stage = 'prepare';
  const enter = (s: string) => {
    stage = s;
    input.onStage?.(cells1(input) ? s : `${s} of ${cell.workload}`);
  };
  try {
    if (steps.prepare) {
      enter('prepare');
      prepared = true;
      checkExit('prepare', await exec(steps.prepare, workload.timeoutMs(cell.params)));
    }
    const total = input.warmup + input.runs;
    for (let i = 1; i <= total; i++) {
      if (input.aborted()) throw new StageError('run', 'interrupted by signal');
      enter('run');
      const r = await exec(steps.run, workload.timeoutMs(cell.params));
      checkExit('run', r);
      stage = 'parse';
      const measured = workload.parse(r.stdout, cell.params);
      const version = sysbenchVersion(r.stdout);
      if (version !== null) labels['sysbench_version'] = version;
      const phase = i <= input.warmup ? 'warmup' : 'measure';
      for (const m of measured) {
        st.samples.push(
          workloadSample(m, { cell, trial: input.trial, trialId: c.trialId, iteration: i, phase }, { ...labels }),
        );
      }
    }
  } catch (err) {
    st.error = interrupted(errorInfo(err, stage), input);
  } finally {
    // After an interruption the instance's removal takes its scratch files with it.
    if (prepared && steps.cleanup && !input.aborted()) {
      enter('cleanup');
      try {
        const r = await exec(steps.cleanup, 120_000);
        if (r.exitCode !== 0) st.notes.push(`cleanup step exited ${String(r.exitCode)}: ${tail(r.stderr, 300)}`);
      } catch (err) {
        st.notes.push(`cleanup step failed: ${causeChain(err).join(': ')}`);
      }
    }
  }
}
