// Runs one startup-burst trial: per iteration, launch startup.burst instances at once, time each to ready, stop them all.
import { getMaxListeners, setMaxListeners } from 'node:events';
import { causeChain } from '../../model/errors.js';
import type { ErrorInfo, Phase, Sample, TrialResult } from '../../model/record.js';
import type { Measurement } from '../../model/metrics.js';
import type { Instance } from '../../runners/types.js';
import { num } from '../../workloads/types.js';
import { burstFigures } from '../../workloads/startup.js';
import { ownInstancesResult, workloadSample, type OwnInstancesInput } from './trial.js';

/** Stops every instance at once; failures become notes, never a throw. */
async function stopAll(instances: readonly Instance[], notes: string[]): Promise<Measurement[][]> {
  const stopped = await Promise.allSettled(instances.map((i) => i.stop()));
  return stopped.map((r) => {
    if (r.status === 'fulfilled') return r.value;
    notes.push(`stop failed: ${causeChain(r.reason).join(': ')}`);
    return [];
  });
}

/**
 * Runs the warm-up and measured bursts of a startup case; never throws. Each iteration launches
 * `burst` instances together (one `runner.start` each, all issued before any is awaited) and
 * records per instance its time-to-ready since the burst was launched (`burst_ready_ms`) with its
 * own start phases (startup_ms, OCI create/start/ready, guest kernel output), per burst the p50
 * and p95 of those times and the launches per second, then stops them all before the next burst.
 * A start that fails errors the trial (its finished bursts are kept); every instance started is
 * stopped in `finally`, also when another start failed, timed out or the run was interrupted.
 */
export async function runBurst(input: OwnInstancesInput): Promise<TrialResult> {
  const { runner, ctx, cell } = input;
  const size = num(cell.params, 'burst');
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const samples: Sample[] = [];
  const notes: string[] = [];
  const live = new Set<Instance>();
  let error: ErrorInfo | undefined;
  const total = input.warmup + input.runs;
  // Every start in flight watches the run's abort signal (its spawn, `runc start`…): not a leak.
  if (ctx.signal !== undefined) setMaxListeners(Math.max(getMaxListeners(ctx.signal), 10 + 3 * size), ctx.signal);
  try {
    for (let i = 1; i <= total; i++) {
      if (input.aborted()) throw new Error('interrupted by signal');
      input.onStage?.(`burst ${i} of ${total} (${size} instances)`);
      const phase: Phase = i <= input.warmup ? 'warmup' : 'measure';
      const push = (m: Measurement, labels: Record<string, string>) => {
        const at = { cell, trial: input.trial, trialId: input.trialId, iteration: i, phase };
        samples.push(workloadSample(m, at, { ...input.labels, ...labels, burst_size: String(size) }));
      };
      const launchedAt = performance.now();
      const starts = Array.from({ length: size }, (_, k) =>
        runner.start(ctx, { tag: `${ctx.runId}-t${input.trialId}-b${i}-i${k + 1}`, scratchMiB: 0 }).then((inst) => {
          live.add(inst);
          return inst;
        }),
      );
      const settled = await Promise.allSettled(starts);
      const failed = settled.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed.length > 0) {
        const first = failed[0] as PromiseRejectedResult;
        throw new Error(
          `${failed.length} of ${size} starts of burst ${i} failed: ${causeChain(first.reason).join(': ')}`,
          { cause: first.reason },
        );
      }
      const instances = settled.map((r) => (r as PromiseFulfilledResult<Instance>).value);
      const readyMs = instances.map((inst) => inst.readyAt - launchedAt);
      for (const [k, inst] of instances.entries()) {
        push({ metric: 'burst_ready_ms', value: readyMs[k] as number, unit: 'ms' }, inst.labels);
        for (const m of inst.startup) if (m.unit === 'ms') push(m, inst.labels);
      }
      const fig = burstFigures(readyMs);
      const shared = instances[0]?.labels ?? {};
      if (fig !== null) {
        push({ metric: 'burst_ready_p50_ms', value: fig.p50Ms, unit: 'ms' }, shared);
        push({ metric: 'burst_ready_p95_ms', value: fig.p95Ms, unit: 'ms' }, shared);
        if (fig.launchesPerS !== null)
          push({ metric: 'burst_launches_per_s', value: fig.launchesPerS, unit: 'launches/s' }, shared);
        ctx.log(
          `  burst ${i}: ${size} ready, p50 ${fig.p50Ms.toFixed(0)} ms, p95 ${fig.p95Ms.toFixed(0)} ms, ` +
            `${fig.launchesPerS?.toFixed(1) ?? '–'} launches/s`,
        );
      }
      input.onStage?.(`stopping burst ${i}`);
      const teardown = await stopAll(instances, notes);
      for (const [k, inst] of instances.entries()) {
        live.delete(inst);
        for (const m of teardown[k] ?? []) push(m, inst.labels);
      }
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    error = {
      message: input.aborted() && !message.startsWith('interrupted') ? `interrupted at start: ${message}` : message,
      stage: 'start',
      causes: causeChain(err).slice(1),
    };
  } finally {
    // Whatever happened, every instance that did start is removed (the others removed themselves).
    if (live.size > 0) await stopAll([...live], notes);
    live.clear();
  }
  return ownInstancesResult(input, startedAt, t0, samples, notes, error);
}
