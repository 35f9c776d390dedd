// Capacity planning: how many instances of an app fit on a host in each measured environment, from
// the per-instance memory and the CPU overhead a run measured. Pure: figures in, answer out.
import type { RunRecord } from '../model/record.js';
import type { EnvId } from '../model/cases.js';
import { asEnvId, isBaselineKind, metricName } from '../model/ids.js';
import { findWorkload } from '../workloads/index.js';
import type { RunIndex } from './run-index.js';
import { median } from './stats.js';
import { analyse, type Analysis, type Entry } from './verdict-analysis.js';
import { densitySummaries } from './density.js';
import type { Fraction } from '../lib/numbers.js';

/** A measured figure and where it came from. */
export interface Figure {
  value: number;
  /** A range the figure may lie in (its 95 % interval, or the spread across hosts); null when none. */
  range: [number, number] | null;
  /** Which measurement it is, in words a reader can find in the run's report. */
  source: string;
  /** Why it may mislead, when it may (emulation, a lower bound); empty otherwise. */
  caveats: string[];
}

/** What one environment costs per instance, measured. */
export interface EnvCost {
  envId: string;
  /** Host memory one idle instance holds, MiB (the isolation layer's own cost, without the app). */
  idleMemoryMiB: Figure;
  /** CPU throughput in this environment ÷ on bare metal (sysbench cpu events/s); below 1: the app needs 1/ratio times the CPU. */
  cpuRatio: Figure;
}

/** The app and the host a plan is for. */
export interface PlanRequest {
  hostCpus: number;
  hostMemoryMiB: number;
  appCpus: number;
  appMemoryMiB: number;
  /** Fraction of the host kept free (0.1 = 10 %). */
  headroom: Fraction;
}

/** How many instances fit in one environment. */
export interface EnvFit {
  envId: string;
  /** CPUs one instance needs: app CPUs ÷ CPU ratio. */
  cpusPerInstance: number;
  /** Memory one instance needs: app memory + idle instance memory, MiB. */
  memoryPerInstanceMiB: number;
  /** Instances the CPUs allow, the memory allows, and the smaller of the two. */
  byCpu: number;
  byMemory: number;
  fit: number;
  /** Which resource runs out first. */
  limit: 'cpu' | 'memory';
  /** The fit with each measured figure at the unfavourable and favourable end of its range. */
  fitRange: [number, number];
  cost: EnvCost;
}

/** Measured figures missing for an environment: the plan refuses to guess them. */
export interface MissingFigure {
  envId: string;
  what: string;
  hint: string;
}

const IDLE_METRIC = metricName('instance_memory_MiB');

/** Per-trial medians of the idle instance memory of one environment (the lifecycle case's), measured values only. */
function idleMemoryPerTrial(index: RunIndex, envId: EnvId): number[] {
  return [...index.cases.values()]
    .filter((c) => c.shape === 'lifecycle')
    .flatMap((c) => index.trialValues(c.key, IDLE_METRIC, envId).map((t) => median(t.values)));
}

/** The workload whose ratio against bare metal is the CPU cost, and its metric (declared by the workload). */
function cpuCostOf(e: Entry): boolean {
  const w = findWorkload(e.case.workload);
  return w?.shape === 'throughput' && w.capacity?.resource === 'cpu' && w.capacity.metric === e.metric;
}

/**
 * The measured costs of every environment of a run other than the baseline, or what is missing.
 * Idle memory: the density sweep's marginal host MemAvailable drop per instance (its least-squares
 * slope; median over sweeps) — shims, page tables and kernel memory included; without a
 * sweep, the one idle instance every trial starts (cgroup usage or qemu PSS), stated as a lower
 * bound. CPU: the cpu workload's events/s ratio against bare metal with its 95 % interval.
 * `analysis`: the record's analysis when the caller has it (the ratio intervals are seeded per cell, so they are the same).
 */
export function measuredCosts(
  record: RunRecord,
  analysis: Analysis = analyse(record, { medianIntervals: false }),
): { costs: EnvCost[]; missing: MissingFigure[] } {
  const { index } = analysis;
  const envIds = record.plan.envs
    .map(asEnvId)
    .filter((e) => !isBaselineKind(e) && record.probes.some((p) => p.id === e && p.ok));
  const costs: EnvCost[] = [];
  const missing: MissingFigure[] = [];
  for (const envId of envIds) {
    const emulation = record.probes.find((p) => p.id === envId)?.emulation ?? null;
    const emulated =
      emulation === null
        ? []
        : [
            `measured emulated (${emulation.note}): hardware virtualization costs differently, and an ` +
              `emulator's memory includes its translation cache`,
          ];
    let idle: Figure | null = null;
    // The marginal cost of one more instance: the least-squares slope of the host's MemAvailable drop
    // against the instance count (a drop ÷ count is thrown about by other processes on a shared host).
    const sweeps = densitySummaries(index).filter((d) => d.envId === envId && d.slopeMiB !== null && d.slopeMiB > 0);
    const slopes = sweeps.map((d) => d.slopeMiB as number);
    if (slopes.length > 0) {
      idle = {
        value: median(slopes),
        range: [Math.min(...slopes), Math.max(...slopes)],
        source:
          `density sweep: marginal MemAvailable drop per idle instance (least-squares slope; ` +
          `${sweeps.map((d) => `${d.instances} instances`).join(', ')})`,
        caveats: emulated,
      };
    } else {
      const one = idleMemoryPerTrial(index, envId);
      if (one.length > 0) {
        idle = {
          value: median(one),
          range: [Math.min(...one), Math.max(...one)],
          source:
            `${IDLE_METRIC}: one idle instance per trial by the engine's own accounting (median of ` +
            `${one.length} trials)`,
          caveats: [
            ...emulated,
            'a lower bound: the engine accounting leaves out shims, page tables and kernel memory; run ' +
              "--workload density for the host's view",
          ],
        };
      } else {
        missing.push({
          envId,
          what: 'per-instance memory',
          hint: 'run with --workload density (or any workload: every trial records instance_memory_MiB)',
        });
      }
    }
    const cpu = analysis.entries.find((e: Entry) => cpuCostOf(e) && e.stats.envId === envId && e.comparison !== null);
    let cpuRatio: Figure | null = null;
    if (cpu?.comparison) {
      const ci = cpu.comparison.ratioCi;
      cpuRatio = {
        value: cpu.comparison.ratio,
        range: ci ? [ci.lo, ci.hi] : null,
        source:
          `${cpu.case.workload} ${cpu.metric} against ${cpu.comparison.baselineId} (${cpu.case.label}): ` +
          `median of trial medians, 95 % interval`,
        caveats: emulated,
      };
    } else {
      missing.push({ envId, what: 'CPU overhead', hint: 'run with --workload cpu and bare metal (--env bare,…)' });
    }
    if (idle !== null && cpuRatio !== null) costs.push({ envId, idleMemoryMiB: idle, cpuRatio });
  }
  return { costs, missing };
}

/** The same environment's costs across several hosts (a host type): medians, with the spread as the range. */
export function pooledCosts(perHost: readonly EnvCost[][]): EnvCost[] {
  const ids = [...new Set(perHost.flat().map((c) => c.envId))];
  return ids.map((envId) => {
    const all = perHost.map((h) => h.find((c) => c.envId === envId)).filter((c): c is EnvCost => c !== undefined);
    const pool = (get: (c: EnvCost) => Figure): Figure => {
      const figs = all.map(get);
      const vals = figs.map((f) => f.value);
      const lows = figs.map((f) => f.range?.[0] ?? f.value);
      const highs = figs.map((f) => f.range?.[1] ?? f.value);
      return {
        value: median(vals),
        range: [Math.min(...lows), Math.max(...highs)],
        source:
          all.length === 1
            ? (figs[0] as Figure).source
            : `median over ${all.length} hosts of ${(figs[0] as Figure).source}; range: lowest to highest across hosts`,
        caveats: [...new Set(figs.flatMap((f) => f.caveats))],
      };
    };
    return { envId, idleMemoryMiB: pool((c) => c.idleMemoryMiB), cpuRatio: pool((c) => c.cpuRatio) };
  });
}

function fitWith(
  req: PlanRequest,
  idleMiB: number,
  ratio: number,
): { cpusPer: number; memPer: number; byCpu: number; byMemory: number } {
  const cpusPer = req.appCpus / ratio;
  const memPer = req.appMemoryMiB + idleMiB;
  const usable = 1 - req.headroom;
  // A small epsilon so that 64 × 0.9 / 0.5 = 115.2 is not floored to 115 by binary rounding of an exact case.
  const floor = (x: number) => Math.floor(x + 1e-9);
  return {
    cpusPer,
    memPer,
    byCpu: floor((req.hostCpus * usable) / cpusPer),
    byMemory: floor((req.hostMemoryMiB * usable) / memPer),
  };
}

/**
 * How many instances fit per environment. An instance needs the app's CPUs divided by the
 * environment's CPU ratio (a 0.9 ratio: 11 % more CPU for the same work) and the app's memory
 * plus the idle instance's memory; the host keeps `headroom` of both free.
 */
export function plan(req: PlanRequest, costs: readonly EnvCost[]): EnvFit[] {
  return costs.map((cost) => {
    const mid = fitWith(req, cost.idleMemoryMiB.value, cost.cpuRatio.value);
    const [memLo, memHi] = cost.idleMemoryMiB.range ?? [cost.idleMemoryMiB.value, cost.idleMemoryMiB.value];
    const [cpuLo, cpuHi] = cost.cpuRatio.range ?? [cost.cpuRatio.value, cost.cpuRatio.value];
    const worst = fitWith(req, memHi, cpuLo);
    const best = fitWith(req, memLo, cpuHi);
    const fit = Math.min(mid.byCpu, mid.byMemory);
    return {
      envId: cost.envId,
      cpusPerInstance: mid.cpusPer,
      memoryPerInstanceMiB: mid.memPer,
      byCpu: mid.byCpu,
      byMemory: mid.byMemory,
      fit,
      limit: mid.byCpu <= mid.byMemory ? 'cpu' : 'memory',
      fitRange: [Math.min(worst.byCpu, worst.byMemory), Math.min(best.byCpu, best.byMemory)],
      cost,
    };
  });
}
