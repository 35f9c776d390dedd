// Drives a run: probe environments, schedule trials, run each, save the record after every trial.
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { freemem } from 'node:os';
import { join, resolve } from 'node:path';
import { envId } from '../../model/ids.js';
import { fingerprint } from '../../runners/host/fingerprint.js';
import type { RunContext, Runner } from '../../runners/types.js';
import { gitDescribe, toolVersion } from './version.js';
import { writeRecord } from './record.js';
import { makeDir, outputError } from './atomic.js';
import { schedule, unitCells, type InstancePer, type ScheduledUnit } from './schedule.js';
import { runUnit, type UnitCell } from './trial.js';
import { runSweep } from './sweep.js';
import { runBurst } from './burst.js';
import { Progress, type ProgressSink } from './progress.js';
import { RunAbort } from './abort.js';
import { untilConclusive, type UntilSettings } from './until.js';
import { findWorkload, metricCatalogue } from '../../workloads/index.js';
import { paramMatrix } from '../params.js';
import type { HostFacts, OwnInstancesWorkload } from '../../workloads/types.js';
import type { RunnerOptions, RunnerTestHooks } from '../../model/options.js';
import {
  RECORD_SCHEMA_VERSION,
  type EnvProbe,
  type ParamValue,
  type Plan,
  type PlanCell,
  type RunRecord,
  type TrialResult,
} from '../../model/record.js';
import { runWarnings } from '../../analysis/warnings.js';
import { warningText } from '../../reports/shared/warning-text.js';

/** What `isobench run` was asked for, validated; the fields it shares with the plan mean the same there. */
export interface RunOptions extends Pick<
  Plan,
  'workloads' | 'trials' | 'runs' | 'warmup' | 'seed' | 'order' | 'quick' | 'limits' | 'margin' | 'out' | 'argv'
> {
  /** One runner per environment and engine, in plan order. */
  runners: Runner[];
  /** `--set` overrides: workload → parameter → values (a matrix). */
  overrides: Map<string, Map<string, ParamValue[]>>;
  /** CPU list to pin to (`--pin`), or null. */
  cpuset: string | null;
  /** Options for the runners, per concern. */
  runnerOptions: RunnerOptions;
  /** Test-only runner hooks (never set by the CLI). */
  hooks?: RunnerTestHooks;
  /** Absolute directory the run directory is created in. */
  outRoot: string;
  /** Cache directory of the workload image and guest initramfs. */
  cacheDir: string;
  /** Progress and diagnostic lines go here (stderr). */
  log: (line: string) => void;
  /** The host's name in a multi-host study (--host-label); null: its host name. */
  hostLabel: string | null;
  /** One instance per workload cell and trial (`workload`, the old behaviour) or one per environment and trial running every workload (`trial`, default). */
  instancePer?: InstancePer;
  /** Where the progress line with elapsed time and ETA goes; null or absent: nowhere. */
  progress?: ProgressSink | null;
  /** The command's interruption (signal handlers installed by the caller); absent: one that no signal reaches. */
  abort?: RunAbort;
  /** `--until-conclusive`: add rounds for imprecise cells after the planned trials; absent: no rounds. */
  untilConclusive?: UntilSettings;
}

/**
 * A new run id: UTC time plus random suffix, safe as a directory and container-name prefix.
 * Container names and cgroups are host-wide, so runs into different --out directories started in
 * the same second must not share one: 32 random bits.
 */
export function newRunId(now = new Date()): string {
  const t = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${t}-${randomBytes(4).toString('hex')}`;
}

/**
 * Creates the directory of a new run under `outRoot`, exclusively: two runs started in the same
 * second with the same random suffix would otherwise share a directory, container names and cgroups.
 */
export async function claimRunDir(outRoot: string): Promise<{ runId: string; dir: string }> {
  await makeDir(outRoot);
  for (;;) {
    const runId = newRunId();
    const dir = resolve(outRoot, runId);
    try {
      await mkdir(dir);
      return { runId, dir };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw outputError(err, outRoot, null);
    }
  }
}

/** Runs everything; returns the record (also on disk) and the directory it is in. */
export async function run(opts: RunOptions): Promise<{ record: RunRecord; dir: string }> {
  const abort = opts.abort ?? new RunAbort(opts.log);
  const { runId, dir } = await claimRunDir(opts.outRoot);
  const scratchRoot = join(dir, 'scratch');
  await mkdir(scratchRoot, { recursive: true });
  const ctx: RunContext = {
    runId,
    scratchRoot,
    cacheDir: opts.cacheDir,
    limits: opts.limits,
    cpuset: opts.cpuset,
    options: opts.runnerOptions,
    ...(opts.hooks ? { hooks: opts.hooks } : {}),
    log: opts.log,
    signal: abort.signal,
  };
  let record: RunRecord | undefined;
  let progress: Progress | undefined;
  let allRan = false;
  try {
    abort.phase = 'describing the host';
    const host = await fingerprint();
    const facts: HostFacts = { llcBytes: host.llcBytes.value, freeMemoryBytes: freemem() };

    const cells: PlanCell[] = [];
    for (const name of opts.workloads) {
      const w = findWorkload(name);
      if (!w) continue;
      for (const params of paramMatrix(w.defaults(opts.quick, facts), opts.overrides.get(name))) {
        for (const r of opts.runners) cells.push({ env: r.env, engine: r.engine, workload: name, params });
      }
    }
    const plan: Plan = {
      envs: opts.runners.map(envId),
      workloads: opts.workloads,
      trials: opts.trials,
      runs: opts.runs,
      warmup: opts.warmup,
      seed: opts.seed,
      order: opts.order,
      quick: opts.quick,
      limits: opts.limits,
      runner: opts.runnerOptions,
      margin: opts.margin,
      out: opts.out,
      cells,
      argv: opts.argv,
    };

    const probes: EnvProbe[] = [];
    const rec: RunRecord = {
      schema: RECORD_SCHEMA_VERSION,
      runId,
      toolVersion: await toolVersion(),
      gitDescribe: await gitDescribe(),
      host,
      plan,
      probes,
      hostLabel: opts.hostLabel ?? host.hostname.value ?? runId,
      metrics: metricCatalogue(),
      results: [],
      warnings: [],
      startedAt: new Date().toISOString(),
      finishedAt: null,
      interrupted: false,
    };
    record = rec;
    for (const r of opts.runners) {
      if (abort.aborted()) {
        probes.push({
          id: envId(r),
          ok: false,
          reason: 'not probed: the run was interrupted',
          details: {},
          emulation: null,
        });
        continue;
      }
      abort.phase = `probing ${envId(r)}`;
      opts.log(`probing ${envId(r)} …`);
      const p = await r.probe(ctx);
      const probe: EnvProbe = p.ok
        ? {
            id: envId(r),
            ok: true,
            version: p.version,
            details: p.details,
            emulation: p.emulation ?? null,
            ...(p.note ? { reason: p.note } : {}),
          }
        : {
            id: envId(r),
            ok: false,
            reason: abort.aborted() ? `probe interrupted (${p.reason})` : p.reason,
            details: p.details,
            emulation: null,
          };
      probes.push(probe);
      opts.log(
        `  ${probe.ok ? 'ok' : 'unavailable'}${probe.version ? ` (${probe.version})` : ''}` +
          `${probe.reason ? `: ${probe.reason}` : ''}`,
      );
    }
    await writeRecord(dir, record);

    const units = schedule(cells, opts.trials, opts.order, opts.seed, opts.instancePer);
    let totalTrials = units.reduce((n, u) => n + u.cells.length, 0);
    const prog = new Progress(
      units.map((u) => progressGroup(u, cells)),
      opts.progress ?? null,
    );
    progress = prog;
    const log = prog.wrap(opts.log);
    ctx.log = log;
    let nextTrialId = 1;
    const runScheduled = async (unit: ScheduledUnit): Promise<void> => {
      const unitPlan = unitCells(unit, cells);
      const first = unitPlan[0];
      const runner = opts.runners.find((r) => r.env === first.env && r.engine === first.engine);
      const probe = probes.find((p) => p.id === envId(first));
      if (runner === undefined || probe === undefined)
        throw new Error(`internal: ${envId(first)} was scheduled but has no runner or probe`);
      const members = unitPlan.map((cell) => ({ cell, workload: findWorkload(cell.workload), trialId: nextTrialId++ }));
      let results: TrialResult[];
      if (!probe.ok || members.some((m) => m.workload === undefined)) {
        results = members.map(({ cell, trialId }) => ({
          trialId,
          env: cell.env,
          engine: cell.engine,
          workload: cell.workload,
          params: cell.params,
          trial: unit.trial,
          status: 'skipped',
          reason: probe.reason ?? 'unavailable',
          startedAt: new Date().toISOString(),
          samples: [],
        }));
      } else {
        const labels: Record<string, string> = {
          engine_version: probe.version ?? 'unknown',
          limit_cpus: String(opts.limits.cpus ?? 'none'),
          limit_memory_MiB: String(opts.limits.memoryMiB ?? 'none'),
        };
        const phase =
          `trial ${members.map((m) => m.trialId).join('+')} (${envId(runner)} ` +
          `${members.map((m) => m.cell.workload).join(',')})`;
        const common = {
          runner,
          ctx,
          trial: unit.trial,
          warmup: opts.warmup,
          runs: opts.runs,
          labels,
          aborted: () => abort.aborted(),
          onStage: (stage: string) => {
            abort.phase = `${phase} at ${stage}`;
          },
        };
        // A sweep (density) or a burst (startup) starts its own instances: it never shares the unit's instance.
        const rest: UnitCell[] = [];
        const own: (Omit<UnitCell, 'workload'> & { workload: OwnInstancesWorkload })[] = [];
        for (const { cell, trialId, workload } of members) {
          if (workload?.shape === 'throughput') rest.push({ cell, trialId, workload });
          else if (workload !== undefined) own.push({ cell, trialId, workload });
        }
        results = rest.length > 0 ? await runUnit({ ...common, cells: rest }) : [];
        for (const m of own)
          results.push(await (m.workload.shape === 'burst' ? runBurst : runSweep)({ ...common, ...m }));
        results.sort((a, b) => a.trialId - b.trialId);
      }
      rec.results.push(...results);
      await writeRecord(dir, rec);
      for (const r of results)
        log(`[${r.trialId}/${totalTrials}] ${envId(runner)} ${r.workload} trial ${r.trial}: ${describeOutcome(r)}`);
      prog.finished(
        progressGroup(unit, cells),
        results.reduce((ms, r) => ms + (r.status === 'skipped' ? 0 : r.durationMs), 0),
      );
    };
    for (const unit of units) {
      if (abort.aborted()) break;
      await runScheduled(unit);
    }
    if (opts.untilConclusive && !abort.aborted()) {
      abort.phase = 'until-conclusive rounds';
      record.untilConclusive = await untilConclusive({
        record,
        cells,
        settings: opts.untilConclusive,
        order: opts.order,
        seed: opts.seed,
        instancePer: opts.instancePer ?? 'workload',
        candidates: cells.flatMap((c, i) => (findWorkload(c.workload)?.shape === 'sweep' ? [] : [i])),
        runUnit: runScheduled,
        planned: (more) => {
          totalTrials += more.reduce((n, u) => n + u.cells.length, 0);
          prog.add(more.map((u) => progressGroup(u, cells)));
        },
        aborted: () => abort.aborted(),
        log,
      });
      await writeRecord(dir, record);
    }
    allRan = !abort.aborted();
  } finally {
    progress?.stop();
    if (!abort.aborted()) abort.phase = 'teardown';
    // Teardown never looks at the abort signal: a second signal must not cut it short.
    for (const r of opts.runners)
      await r.cleanup(ctx).catch((err: unknown) => opts.log(`cleanup of ${envId(r)} failed: ${String(err)}`));
    await rm(scratchRoot, { recursive: true, force: true });
    if (record !== undefined) {
      markInterruption(record, abort);
      record.warnings = runWarnings(record).map(warningText);
      // Finished means every trial ran: a signal during teardown or the reports keeps the time.
      record.finishedAt = allRan ? new Date().toISOString() : null;
      await writeRecord(dir, record);
    }
  }
  return { record: record as RunRecord, dir };
}

/** Notes an interruption (signal and phase) on the record, once. */
export function markInterruption(record: RunRecord, abort: RunAbort): void {
  const i = abort.interruption;
  if (i === null) return;
  record.interrupted = true;
  record.interruption ??= i;
}

/** Units of one environment running the same workloads take about as long as each other. */
function progressGroup(unit: ScheduledUnit, cells: readonly PlanCell[]): string {
  const unitPlan = unitCells(unit, cells);
  return `${envId(unitPlan[0])} ${unitPlan
    .map((c) => c.workload)
    .sort()
    .join(',')}`;
}

function describeOutcome(r: TrialResult): string {
  if (r.status === 'skipped') return `skipped (${r.reason})`;
  if (r.status === 'errored') return `errored at ${r.error.stage}: ${r.error.message}`;
  const main = r.samples.find((s) => s.phase === 'measure' && s.kind === 'workload');
  return `completed in ${(r.durationMs / 1000).toFixed(1)} s${main ? ` (${main.metric} ${main.value} …)` : ''}`;
}
