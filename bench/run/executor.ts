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
import { schedule, type InstancePer, type ScheduledUnit } from './schedule.js';
import { runUnit } from './trial.js';
import { Progress, type ProgressSink } from './progress.js';
import { findWorkload, metricCatalogue } from '../../workloads/index.js';
import { paramMatrix } from '../params.js';
import type { HostFacts, Workload } from '../../workloads/types.js';
import type { RunnerOptions, RunnerTestHooks } from '../../model/options.js';
import { RECORD_SCHEMA_VERSION, type EnvProbe, type ParamValue, type Plan, type PlanCell, type RunRecord, type TrialResult } from '../../model/record.js';
import { runWarnings } from '../../analysis/warnings.js';
import { warningText } from '../../reports/warning-text.js';

/** What `isobench run` was asked for, validated; the fields it shares with the plan mean the same there. */
export interface RunOptions extends Pick<Plan, 'workloads' | 'trials' | 'runs' | 'warmup' | 'seed' | 'order' | 'quick' | 'limits' | 'margin' | 'out' | 'argv'> {
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
}

/** A new run id: UTC time plus random suffix, safe as a directory and container-name prefix. */
export function newRunId(now = new Date()): string {
  const t = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${t}-${randomBytes(2).toString('hex')}`;
}


/** Runs everything; returns the record (also on disk) and the directory it is in. */
export async function run(opts: RunOptions): Promise<{ record: RunRecord; dir: string }> {
  const runId = newRunId();
  const dir = resolve(opts.outRoot, runId);
  const scratchRoot = join(dir, 'scratch');
  await mkdir(scratchRoot, { recursive: true });
  const host = await fingerprint();
  const facts: HostFacts = { llcBytes: host.llcBytes.value, freeMemoryBytes: freemem() };
  const ctx: RunContext = { runId, scratchRoot, cacheDir: opts.cacheDir, limits: opts.limits, cpuset: opts.cpuset, options: opts.runnerOptions, ...(opts.hooks ? { hooks: opts.hooks } : {}), log: opts.log };

  const cells: PlanCell[] = [];
  for (const name of opts.workloads) {
    const w = findWorkload(name);
    if (!w) continue;
    for (const params of paramMatrix(w.defaults(opts.quick, facts), opts.overrides.get(name))) {
      for (const r of opts.runners) cells.push({ env: r.env, engine: r.engine, workload: name, params });
    }
  }
  const plan: Plan = {
    envs: opts.runners.map(envId), workloads: opts.workloads, trials: opts.trials, runs: opts.runs,
    warmup: opts.warmup, seed: opts.seed, order: opts.order, quick: opts.quick, limits: opts.limits,
    runner: opts.runnerOptions, margin: opts.margin, out: opts.out, cells, argv: opts.argv,
  };

  const probes: EnvProbe[] = [];
  for (const r of opts.runners) {
    opts.log(`probing ${envId(r)} …`);
    const p = await r.probe(ctx);
    const probe: EnvProbe = p.ok
      ? { id: envId(r), ok: true, version: p.version, details: p.details, emulation: p.emulation ?? null, ...(p.note ? { reason: p.note } : {}) }
      : { id: envId(r), ok: false, reason: p.reason, details: p.details, emulation: null };
    probes.push(probe);
    opts.log(`  ${probe.ok ? 'ok' : 'unavailable'}${probe.version ? ` (${probe.version})` : ''}${probe.reason ? `: ${probe.reason}` : ''}`);
  }

  const record: RunRecord = {
    schema: RECORD_SCHEMA_VERSION, runId, toolVersion: await toolVersion(), gitDescribe: await gitDescribe(), host, plan, probes,
    hostLabel: opts.hostLabel ?? host.hostname.value ?? runId,
    metrics: metricCatalogue(), results: [], warnings: [], startedAt: new Date().toISOString(), finishedAt: null, interrupted: false,
  };
  await writeRecord(dir, record);

  let aborted = false;
  const onSignal = (sig: NodeJS.Signals) => {
    if (aborted) process.exit(sig === 'SIGINT' ? 130 : 143);
    aborted = true;
    record.interrupted = true;
    opts.log(`received ${sig}: stopping the current instance and saving what was measured`);
    for (const r of opts.runners) void r.cleanup(ctx).catch(() => undefined);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const units = schedule(cells, opts.trials, opts.order, opts.seed, opts.instancePer);
  const totalTrials = units.reduce((n, u) => n + u.cells.length, 0);
  const progress = new Progress(units.map((u) => progressGroup(u, cells)), opts.progress ?? null);
  const log = progress.wrap(opts.log);
  ctx.log = log;
  let nextTrialId = 1;
  try {
    for (const unit of units) {
      if (aborted) break;
      const first = cells[unit.cells[0] as number] as PlanCell;
      const runner = opts.runners.find((r) => r.env === first.env && r.engine === first.engine) as Runner;
      const probe = probes.find((p) => p.id === envId(runner)) as EnvProbe;
      const members = unit.cells.map((i) => ({ cell: cells[i] as PlanCell, workload: findWorkload((cells[i] as PlanCell).workload), trialId: nextTrialId++ }));
      let results: TrialResult[];
      if (!probe.ok || members.some((m) => m.workload === undefined)) {
        results = members.map(({ cell, trialId }) => ({ trialId, env: cell.env, engine: cell.engine, workload: cell.workload, params: cell.params, trial: unit.trial, status: 'skipped', reason: probe.reason ?? 'unavailable', startedAt: new Date().toISOString(), samples: [] }));
      } else {
        const labels: Record<string, string> = { engine_version: probe.version ?? 'unknown', limit_cpus: String(opts.limits.cpus ?? 'none'), limit_memory_MiB: String(opts.limits.memoryMiB ?? 'none') };
        results = await runUnit({ runner, ctx, cells: members.map((m) => ({ ...m, workload: m.workload as Workload })), trial: unit.trial, warmup: opts.warmup, runs: opts.runs, labels, aborted: () => aborted });
      }
      record.results.push(...results);
      await writeRecord(dir, record);
      for (const r of results) log(`[${r.trialId}/${totalTrials}] ${envId(runner)} ${r.workload} trial ${r.trial}: ${describeOutcome(r)}`);
      progress.finished(progressGroup(unit, cells), results.reduce((ms, r) => ms + (r.status === 'skipped' ? 0 : r.durationMs), 0));
    }
  } finally {
    progress.stop();
    for (const r of opts.runners) await r.cleanup(ctx).catch((err: unknown) => opts.log(`cleanup of ${envId(r)} failed: ${String(err)}`));
    await rm(scratchRoot, { recursive: true, force: true });
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    record.warnings = runWarnings(record).map(warningText);
    record.finishedAt = aborted ? null : new Date().toISOString();
    await writeRecord(dir, record);
  }
  return { record, dir };
}

/** Units of one environment running the same workloads take about as long as each other. */
function progressGroup(unit: ScheduledUnit, cells: readonly PlanCell[]): string {
  const first = cells[unit.cells[0] as number] as PlanCell;
  return `${first.env}:${first.engine} ${unit.cells.map((i) => (cells[i] as PlanCell).workload).sort().join(',')}`;
}

function describeOutcome(r: TrialResult): string {
  if (r.status === 'skipped') return `skipped (${r.reason})`;
  if (r.status === 'errored') return `errored at ${r.error.stage}: ${r.error.message}`;
  const main = r.samples.find((s) => s.phase === 'measure' && s.kind === 'workload');
  return `completed in ${(r.durationMs / 1000).toFixed(1)} s${main ? ` (${main.metric} ${main.value} …)` : ''}`;
}
