// Run-level warnings derived from the record, each saying what to do about it.
import { blockAboveCache } from '../workloads/memory.js';
import { sizeOrNull } from '../model/units.js';
import { envId } from '../model/ids.js';
import { mad, median } from './stats.js';
import type { RunRecord } from '../model/record.js';
import { analyse, type Analysis, type Entry } from './verdict-analysis.js';
import { emulationOf } from './emulation.js';
import { MIN_TRIALS } from './verdict.js';
import { pct, signedPct } from '../model/numbers.js';

/** CV (across samples or between trials) above which results are called noisy. */
export const CV_LIMIT = 0.05;
/** A first trial further than this (or 3 robust SDs of the others, whichever is larger) from the rest is flagged. */
export const FIRST_TRIAL_LIMIT = 0.05;
/** Clock ceiling of the sysbench cpu plausibility bound: no core retires its loop faster than 1 iteration per cycle at 6 GHz. */
export const CPU_CEILING_HZ = 6e9;
/** An environment's cpu events/s more than this factor above the baseline's is implausible. */
export const CPU_ABOVE_BASELINE = 1.2;

/** Warnings about how the run went (unavailable environments, failures, fallbacks), traps and noise. */
export function runWarnings(record: RunRecord, analysis: Analysis = analyse(record)): string[] {
  return [...runLevel(record, analysis), ...emulation(record), ...parity(record, analysis), ...traps(record, analysis), ...noise(record, analysis)];
}

function runLevel(record: RunRecord, a: Analysis): string[] {
  const out: string[] = [];
  for (const p of record.probes) {
    if (!p.ok) out.push(`${p.id} was unavailable and its trials were skipped: ${p.reason ?? 'no reason given'}.`);
    else if (p.reason) out.push(`${p.id}: ${p.reason}`);
  }
  const errored = record.results.filter((r) => r.status === 'errored');
  if (errored.length > 0) {
    out.push(`${errored.length} trial(s) errored; their error messages and log tails are in run.json. Fix the cause and re-run, or read the results as incomplete.`);
  }
  if (record.interrupted) out.push('The run was interrupted: results cover only the trials that finished.');
  if (a.baselineNote !== null) out.push(`Baseline: ${a.baselineNote}. Add bare metal (--env bare,…) to measure overhead against the host itself.`);
  return out;
}

/** Every distinct value of a label per `env:engine`, over all samples. */
function labelValues(record: RunRecord, label: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const r of record.results) {
    for (const s of r.samples) {
      const v = s.labels[label];
      if (v === undefined) continue;
      const id = envId(s);
      out.set(id, (out.get(id) ?? new Set()).add(v));
    }
  }
  return out;
}

function emulation(record: RunRecord): string[] {
  return record.probes.filter((p) => emulationOf(record, p.id) !== null).map(({ id }) =>
    `${id} ran emulated (TCG): not representative of KVM — it measures the emulator, not hardware virtualization. Make /dev/kvm usable (kvm module loaded, virtualization enabled in firmware or nested virtualization) and re-run with --vm-accel kvm.`);
}

/**
 * Parity labels and how far apart their values may be (fraction). A guest's memory is what its
 * kernel reports (MemTotal, a few % under the RAM it was given), a container's is its cgroup limit:
 * within 10 % they are the same budget. CPUs must match exactly.
 */
export const PARITY_TOLERANCE: Record<string, number> = { effective_cpus: 0, effective_memory_MiB: 0.1 };

function parity(record: RunRecord, a: Analysis): string[] {
  const out: string[] = [];
  for (const [label, tolerance] of Object.entries(PARITY_TOLERANCE)) {
    const byEnv = [...labelValues(record, label)].filter(([id]) => id !== a.baselineId).sort(([x], [y]) => x.localeCompare(y));
    const distinct = [...new Set(byEnv.flatMap(([, v]) => [...v]))].filter((v) => v !== 'unknown');
    const numbers = distinct.map(Number).filter((n) => Number.isFinite(n) && n > 0);
    const apart = numbers.length === distinct.length ? Math.max(...numbers) / Math.min(...numbers) - 1 > tolerance : distinct.length > 1;
    if (byEnv.length > 0 && distinct.length > 1 && apart) {
      const list = byEnv.map(([id, v]) => `${id}=${[...v].sort().join('/')}`).join(', ');
      out.push(`Parity mismatch between isolated environments: ${label} differs (${list}). Give every isolated environment the same budget (--cpus N, --memory SIZE) or the comparison mixes isolation cost with resource differences.`);
    }
  }
  return out;
}

/** Inner-loop iterations (one 64-bit modulo each) of one sysbench cpu event for `maxPrime`. */
export function primeLoopIterations(maxPrime: number): number {
  const limit = Math.min(Math.floor(maxPrime), 200_000);
  let ops = 0;
  for (let c = 3; c < limit; c++) {
    const t = Math.sqrt(c);
    let l = 2;
    for (; l <= t; l++) {
      ops++;
      if (c % l === 0) break;
    }
  }
  return limit === maxPrime ? ops : ops * (maxPrime / limit) ** 1.5;
}

function bytesText(b: number): string {
  return b >= 1024 ** 3 ? `${(b / 1024 ** 3).toFixed(1)} GiB` : `${(b / 1024 ** 2).toFixed(b >= 1024 ** 2 ? 0 : 2)} MiB`;
}

function traps(record: RunRecord, a: Analysis): string[] {
  const out: string[] = [];
  const llc = record.host?.llcBytes?.value ?? null;
  const mem = record.host?.memoryBytes?.value ?? null;
  for (const c of a.cases) {
    if (c.workload === 'memory') {
      const block = sizeOrNull(String(c.params['block-size']));
      if (llc !== null && block !== null && block <= llc) {
        out.push(`${c.label}: block-size ${String(c.params['block-size'])} is within the host's last-level cache (${bytesText(llc)}), so it measures cache, not RAM. Use a block above the LLC, e.g. --set memory.block-size=${blockAboveCache({ llcBytes: llc, freeMemoryBytes: null })} (the default does this).`);
      }
    }
    if (c.workload === 'fileio') {
      const direct = c.params['direct'] === true || c.params['direct'] === 'true';
      const files = sizeOrNull(String(c.params['file-total-size']));
      if (!direct && files !== null && (mem === null || files < mem)) {
        out.push(`${c.label}: without direct I/O on ${bytesText(files)} of files${mem === null ? '' : `, less than this host's ${bytesText(mem)} of RAM`}, it measures the page cache, not storage. Use --set fileio.direct=true, or files larger than RAM (--set fileio.file-total-size=…).`);
      }
    }
    if (c.workload === 'cpu') out.push(...cpuPlausibility(a.entries.filter((e) => e.case === c && e.metric === 'events_per_s')));
  }
  return out;
}

function cpuPlausibility(entries: Entry[]): string[] {
  const out: string[] = [];
  for (const e of entries) {
    if (e.stats.summary.trials === 0) continue;
    const threads = Number(e.case.params['threads']) || 1;
    const maxPrime = Number(e.case.params['max-prime']) || 10000;
    const ceiling = CPU_CEILING_HZ / primeLoopIterations(maxPrime);
    const perThread = e.stats.summary.max / threads;
    if (perThread > ceiling) {
      out.push(`${e.case.label} on ${e.stats.envId}: ${Math.round(perThread)} events/s per thread is physically implausible for max-prime ${maxPrime} (ceiling ${Math.round(ceiling)}: ${Math.round(primeLoopIterations(maxPrime))} modulo steps per event at one per cycle at 6 GHz). The instance's clock is probably wrong or sysbench did not run as configured; check its clocksource and sysbench version before trusting any cpu result.`);
    } else if (e.comparison !== null && e.comparison.ratio > CPU_ABOVE_BASELINE) {
      out.push(`${e.case.label} on ${e.stats.envId}: events/s is ${pct(e.comparison.ratio - 1)} % above ${e.comparison.baselineId} — more than an isolation layer can give the same binary on the same host. Suspect the instance's clock (a slow guest clock stretches the time-bounded run) or different CPU limits; check its clocksource and --cpus.`);
    }
  }
  return out;
}

/** Groups entries by case × environment, keeping first-seen order. */
function byCaseEnv(entries: readonly Entry[]): Entry[][] {
  const groups = new Map<string, Entry[]>();
  for (const e of entries) {
    const k = `${e.case.key}\u0000${e.stats.envId}`;
    groups.set(k, [...(groups.get(k) ?? []), e]);
  }
  return [...groups.values()];
}

function noise(record: RunRecord, a: Analysis): string[] {
  const out: string[] = [];
  const unavailable = new Set(record.probes.filter((p) => !p.ok).map((p) => p.id));
  for (const group of byCaseEnv(a.entries)) {
    const first = group[0] as Entry;
    const where = `${first.case.label} on ${first.stats.envId}`;
    if (unavailable.has(first.stats.envId)) continue;
    const trials = Math.max(...group.map((e) => e.stats.summary.trials));
    if (trials < MIN_TRIALS) {
      out.push(`${where}: ${trials} measured trial(s), fewer than ${MIN_TRIALS}: no interval and no verdict. Raise --trials${trials === 0 ? ' and fix the errors of its trials (see run.json)' : ''}.`);
      continue;
    }
    const noisy = group.filter((e) => e.stats.summary.cv > CV_LIMIT || e.stats.summary.trialCv > CV_LIMIT)
      .map((e) => `${e.metric} ${pct(e.stats.summary.cv)} % across samples, ${pct(e.stats.summary.trialCv)} % between trials`);
    if (noisy.length > 0) {
      out.push(`${where}: CV above ${pct(CV_LIMIT)} % (${noisy.join('; ')}). The host is noisy: stop other load, pin CPUs (--pin), add warm-ups (--warmup) and trials (--trials); until then read its verdicts as less certain.`);
    }
    const settling = group.flatMap((e) => {
      const [head, ...rest] = e.stats.summary.trialMedians;
      const m = median(rest);
      if (head === undefined || rest.length < 2 || m === 0) return [];
      const off = Math.abs(head / m - 1);
      const spread = (1.4826 * mad(rest)) / Math.abs(m);
      return off > Math.max(FIRST_TRIAL_LIMIT, 3 * spread) ? [`${e.metric} ${signedPct(head / m - 1)} %`] : [];
    });
    if (settling.length > 0) {
      out.push(`${where}: the first trial is far from the others (${settling.join('; ')} against their median). The host or instance was probably still settling (CPU frequency, caches, image pull); it is kept, not dropped. Add warm-ups (--warmup) or a throw-away first round.`);
    }
  }
  return out;
}
