// Runs one density sweep as a trial: start idle instances step by step until a stop condition, read memory after each step, remove them all.
import { setTimeout as sleep } from 'node:timers/promises';
import { causeChain } from '../../model/errors.js';
import type { ErrorInfo, Sample, TrialResult } from '../../model/record.js';
import type { Measurement } from '../../model/metrics.js';
import type { Instance } from '../../runners/types.js';
import { memAvailableBytes, memorySharing } from '../../runners/host/memory.js';
import { nextBatch, stopReason, sweepPlan } from '../../workloads/density.js';
import { ownInstancesResult, workloadSample, type OwnInstancesInput } from './trial.js';

const MiB = 2 ** 20;

/** Test seams: the host's MemAvailable reader (a test lowers it to reach the floor). */
export interface SweepHooks {
  memAvailable?: () => number | null;
}

/**
 * Runs a density sweep; never throws. A start that fails after the first step ends the sweep
 * (recorded in notes as its stop reason) and keeps every step measured; a failure before any
 * instance ran makes the trial errored. Every started instance is stopped in `finally`, newest
 * first, also when the run is interrupted.
 */
export async function runSweep(input: OwnInstancesInput, hooks: SweepHooks = {}): Promise<TrialResult> {
  const { runner, ctx, cell } = input;
  const readAvail = hooks.memAvailable ?? memAvailableBytes;
  const plan = sweepPlan(cell.params);
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const samples: Sample[] = [];
  const notes: string[] = [];
  const sharing = memorySharing();
  const labels: Record<string, string> = {
    ...input.labels,
    ksm: sharing.ksm,
    thp: sharing.thp,
    density_batch: String(plan.batch),
  };
  const running: Instance[] = [];
  const readyMs: number[] = [];
  let error: ErrorInfo | undefined;
  let stop: string | null = null;
  const push = (m: Measurement, count: number, extra: Record<string, string> = {}) => {
    const at = { cell, trial: input.trial, trialId: input.trialId, iteration: count, phase: 'measure' as const };
    samples.push(workloadSample(m, at, { ...labels, ...extra }));
  };
  try {
    await sleep(plan.settleMs);
    const base = readAvail();
    if (base !== null) labels['memavailable_before_MiB'] = (base / MiB).toFixed(0);
    let perInstance: number | null = null;
    for (let step = 1; ; step++) {
      if (input.aborted()) {
        stop = 'interrupted by signal';
        break;
      }
      stop = stopReason(plan, {
        count: running.length,
        memAvailableBytes: readAvail(),
        perInstanceBytes: perInstance,
        readyMs,
      });
      if (stop !== null) break;
      const n = nextBatch(plan, running.length);
      input.onStage?.(`density step ${step} (${running.length + n} instances)`);
      const started = await Promise.allSettled(
        Array.from({ length: n }, (_, i) =>
          runner.start(ctx, { tag: `${ctx.runId}-t${input.trialId}-i${running.length + i + 1}`, scratchMiB: 0 }),
        ),
      );
      const fresh: Instance[] = [];
      for (const r of started) if (r.status === 'fulfilled') fresh.push(r.value);
      running.push(...fresh);
      const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed !== undefined) {
        const why = causeChain(failed.reason).join(': ');
        if (running.length === 0) throw failed.reason;
        stop = `starting instance ${running.length + 1} failed: ${why}`;
      }
      if (fresh.length === 0) break;
      await sleep(plan.settleMs);
      const count = running.length;
      const first = fresh[0] as Instance;
      Object.assign(labels, first.labels);
      if (first.memory) labels['memory_accounting'] = first.memory.method;
      for (const inst of fresh) {
        const ready = inst.startup.find((m) => m.metric === 'startup_ms');
        if (ready) {
          readyMs.push(ready.value);
          push({ metric: 'density_ready_ms', value: ready.value, unit: 'ms' }, count);
        }
      }
      const engine = fresh.map((i) => i.memory?.bytes() ?? null).filter((v): v is number => v !== null);
      if (engine.length > 0)
        push(
          {
            metric: 'density_engine_memory_MiB',
            value: engine.reduce((a, b) => a + b, 0) / engine.length / MiB,
            unit: 'MiB',
          },
          count,
        );
      const avail = readAvail();
      if (base !== null && avail !== null) {
        perInstance = (base - avail) / count;
        push({ metric: 'density_host_drop_MiB', value: (base - avail) / MiB, unit: 'MiB' }, count);
        push({ metric: 'density_drop_per_instance_MiB', value: perInstance / MiB, unit: 'MiB' }, count);
      }
      ctx.log(
        `  density step ${step}: ${count} running, newest ready in ${readyMs
          .slice(-fresh.length)
          .map((v) => v.toFixed(0))
          .join(
            '/',
          )} ms${perInstance !== null ? `, MemAvailable drop ${(perInstance / MiB).toFixed(1)} MiB per instance` : ''}`,
      );
      if (stop !== null) break;
    }
  } catch (err) {
    error = {
      message: err instanceof Error ? err.message : String(err),
      stage: 'start',
      causes: causeChain(err).slice(1),
    };
  } finally {
    // Newest first; every instance is stopped even when one stop fails.
    for (const inst of running.reverse()) {
      try {
        await inst.stop();
      } catch (err) {
        notes.push(`stop failed: ${causeChain(err).join(': ')}`);
      }
    }
  }
  if (stop !== null) {
    notes.push(`stopped: ${stop}`);
    const last = Math.max(...samples.map((x) => x.iteration));
    for (const x of samples) if (x.iteration === last) x.labels['density_stop'] = stop;
  }
  return ownInstancesResult(input, startedAt, t0, samples, notes, error);
}
