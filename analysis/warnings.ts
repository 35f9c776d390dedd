// Run-level warnings derived from the record, as data: what was found, about which cell, and what to do (reports/shared/warning-text.ts words them).
import { pct, signedPct } from '../lib/numbers.js';
import { caseEnvKey, type CaseEnvKey } from '../model/ids.js';
import type { RunRecord } from '../model/record.js';
import { findWorkload } from '../workloads/index.js';
import type { TrapEnv } from '../workloads/types.js';
import { emulationOf } from './emulation.js';
import { mad, median } from './stats.js';
import { analyse, type Analysis, type Entry } from './verdict-analysis.js';
import { MIN_TRIALS } from './verdict.js';

/** CV (across samples or between trials) above which results are called noisy. */
export const CV_LIMIT = 0.05;
/** A first trial further than this (or 3 robust SDs of the others, whichever is larger) from the rest is flagged. */
export const FIRST_TRIAL_LIMIT = 0.05;

/**
 * What a warning is about: how the run went (`run`), an emulated environment (`emulation`),
 * unequal budgets (`parity`), unequal syscall filtering (`security`), a workload's trap (`trap`),
 * noise or too few trials (`noise`), a first trial far from the rest (`settling`).
 */
export type WarningKind = 'run' | 'emulation' | 'parity' | 'security' | 'trap' | 'noise' | 'settling';

/** One warning, as data. */
export interface Warning {
  /** What it is about, for grouping. */
  kind: WarningKind;
  /** The case it is about (its display label), or null when it is about the run or a whole environment. */
  caseLabel: string | null;
  /** The environment it is about (`env:engine`), or null when it is about the run or a case everywhere. */
  env: string | null;
  /**
   * What was found. With a case it reads after `<case>[ on <env>]: `; without one it is a whole
   * clause that names its subject (`vm:qemu ran emulated …`).
   */
  finding: string;
  /** What to do about it, or null when there is nothing to do. */
  advice: string | null;
}

/** Warnings about how the run went (unavailable environments, failures, fallbacks), traps and noise. */
export function runWarnings(record: RunRecord, analysis: Analysis = analyse(record)): Warning[] {
  return [
    ...runLevel(record, analysis),
    ...emulation(record),
    ...parity(record, analysis),
    ...securityParity(record, analysis),
    ...traps(record, analysis),
    ...noise(record, analysis),
  ];
}

/** A warning about the run as a whole, or about one environment (`env`) when given. */
const about = (kind: WarningKind, env: string | null, finding: string, advice: string | null = null): Warning => ({
  kind,
  caseLabel: null,
  env,
  finding,
  advice,
});

function runLevel(record: RunRecord, a: Analysis): Warning[] {
  const out: Warning[] = [];
  for (const p of record.probes) {
    if (!p.ok)
      out.push(
        about('run', p.id, `${p.id} was unavailable and its trials were skipped: ${p.reason ?? 'no reason given'}.`),
      );
    else if (p.reason) out.push(about('run', p.id, `${p.id}: ${p.reason}`));
  }
  const errored = record.results.filter((r) => r.status === 'errored');
  if (errored.length > 0) {
    out.push(
      about(
        'run',
        null,
        `${errored.length} trial(s) errored; their error messages and log tails are in run.json.`,
        'Fix the cause and re-run, or read the results as incomplete.',
      ),
    );
  }
  if (record.interrupted)
    out.push(about('run', null, 'The run was interrupted: results cover only the trials that finished.'));
  if (a.baselineNote !== null)
    out.push(
      about(
        'run',
        null,
        `Baseline: ${a.baselineNote}.`,
        'Add bare metal (--env bare,…) to measure overhead against the host itself.',
      ),
    );
  return out;
}

function emulation(record: RunRecord): Warning[] {
  return record.probes
    .filter((p) => emulationOf(record, p.id) !== null)
    .map(({ id }) =>
      about(
        'emulation',
        id,
        `${id} ran emulated (TCG): not representative of KVM — it measures the emulator, not hardware virtualization.`,
        'Make /dev/kvm usable (kvm module loaded, virtualization enabled in firmware or nested ' +
          'virtualization) and re-run with --vm-accel kvm.',
      ),
    );
}

/**
 * Parity labels and how far apart their values may be (fraction). A guest's memory is what its
 * kernel reports (MemTotal, a few % under the RAM it was given), a container's is its cgroup limit:
 * within 10 % they are the same budget. CPUs must match exactly.
 */
export const PARITY_TOLERANCE: Record<string, number> = { effective_cpus: 0, effective_memory_MiB: 0.1 };

function parity(record: RunRecord, a: Analysis): Warning[] {
  const out: Warning[] = [];
  for (const [label, tolerance] of Object.entries(PARITY_TOLERANCE)) {
    const byEnv = [...a.index.labelValues(label)]
      .filter(([id]) => id !== a.baselineId)
      .sort(([x], [y]) => x.localeCompare(y));
    const distinct = [...new Set(byEnv.flatMap(([, v]) => [...v]))].filter((v) => v !== 'unknown');
    const numbers = distinct.map(Number).filter((n) => Number.isFinite(n) && n > 0);
    const apart =
      numbers.length === distinct.length
        ? Math.max(...numbers) / Math.min(...numbers) - 1 > tolerance
        : distinct.length > 1;
    if (byEnv.length > 0 && distinct.length > 1 && apart) {
      const list = byEnv.map(([id, v]) => `${id}=${[...v].sort().join('/')}`).join(', ');
      out.push(
        about(
          'parity',
          null,
          `Parity mismatch between isolated environments: ${label} differs (${list}).`,
          'Give every isolated environment the same budget (--cpus N, --memory SIZE) or the comparison ' +
            'mixes isolation cost with resource differences.',
        ),
      );
    }
  }
  return out;
}

/**
 * Engines confine system calls differently by default (Docker and LXD load a seccomp filter, the
 * runc bundle and the LXC config none). isobench keeps each engine's default and labels it; this
 * says so when the compared environments differ.
 */
function securityParity(record: RunRecord, a: Analysis): Warning[] {
  const byEnv = [...a.index.labelValues('seccomp')]
    .filter(([id]) => id !== a.baselineId)
    .sort(([x], [y]) => x.localeCompare(y));
  const distinct = new Set(byEnv.flatMap(([, v]) => [...v]));
  if (distinct.size < 2) return [];
  const list = byEnv.map(([id, v]) => `${id}=${[...v].sort().join('/')}`).join(', ');
  return [
    about(
      'security',
      null,
      `Security parity: seccomp differs between isolated environments (${list}).`,
      'A seccomp filter runs on every system call, so syscall-heavy workloads (fileio, startup) ' +
        'include its cost in some environments and not in others; each engine keeps its default, ' +
        'labelled seccomp and seccomp_profile on every sample.',
    ),
  ];
}

/** The trap input's view of a case's entries: per environment (first-seen order), per metric. */
function trapEnvs(entries: readonly Entry[]): TrapEnv[] {
  const out = new Map<string, TrapEnv>();
  for (const e of entries) {
    const env = out.get(e.stats.envId) ?? { envId: e.stats.envId, metrics: {} };
    const c = e.comparison;
    env.metrics[e.metric] = {
      trials: e.stats.summary.trials,
      max: e.stats.summary.max,
      vsBaseline: c === null ? null : { ratio: c.ratio, baselineId: c.baselineId },
    };
    out.set(e.stats.envId, env);
  }
  return [...out.values()];
}

/** Every case's traps, as its workload declares them. */
function traps(record: RunRecord, a: Analysis): Warning[] {
  const host = { llcBytes: record.host.llcBytes.value, memoryBytes: record.host.memoryBytes.value };
  return a.cases.flatMap((c) => {
    const workload = findWorkload(c.workload);
    if (workload === undefined) return [];
    return workload
      .traps({ params: c.params, host, envs: trapEnvs(a.entries.filter((e) => e.case === c)) })
      .map((t): Warning => ({ kind: 'trap', caseLabel: c.label, env: t.env, finding: t.finding, advice: t.advice }));
  });
}

/** Groups entries by case × environment, keeping first-seen order. */
function byCaseEnv(entries: readonly Entry[]): Entry[][] {
  const groups = new Map<CaseEnvKey, Entry[]>();
  for (const e of entries) {
    const k = caseEnvKey(e.case.key, e.stats.envId);
    groups.set(k, [...(groups.get(k) ?? []), e]);
  }
  return [...groups.values()];
}

function noise(record: RunRecord, a: Analysis): Warning[] {
  const out: Warning[] = [];
  const unavailable = new Set(record.probes.filter((p) => !p.ok).map((p) => p.id));
  for (const group of byCaseEnv(a.entries)) {
    const first = group[0] as Entry;
    if (unavailable.has(first.stats.envId)) continue;
    const at = (kind: WarningKind, finding: string, advice: string): Warning => ({
      kind,
      caseLabel: first.case.label,
      env: first.stats.envId,
      finding,
      advice,
    });
    const trials = Math.max(...group.map((e) => e.stats.summary.trials));
    if (trials < MIN_TRIALS) {
      out.push(
        at(
          'noise',
          `${trials} measured trial(s), fewer than ${MIN_TRIALS}: no interval and no verdict.`,
          `Raise --trials${trials === 0 ? ' and fix the errors of its trials (see run.json)' : ''}.`,
        ),
      );
      continue;
    }
    const noisy = group
      .filter((e) => e.stats.summary.cv > CV_LIMIT || e.stats.summary.trialCv > CV_LIMIT)
      .map(
        (e) =>
          `${e.metric} ${pct(e.stats.summary.cv)} % across samples, ${pct(e.stats.summary.trialCv)} % between trials`,
      );
    if (noisy.length > 0) {
      out.push(
        at(
          'noise',
          `CV above ${pct(CV_LIMIT)} % (${noisy.join('; ')}).`,
          'The host is noisy: stop other load, pin CPUs (--pin), add warm-ups (--warmup) and trials ' +
            '(--trials); until then read its verdicts as less certain.',
        ),
      );
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
      out.push(
        at(
          'settling',
          `the first trial is far from the others (${settling.join('; ')} against their median).`,
          'The host or instance was probably still settling (CPU frequency, caches, image pull); it is ' +
            'kept, not dropped. Add warm-ups (--warmup) or a throw-away first round.',
        ),
      );
    }
  }
  return out;
}
