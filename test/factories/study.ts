// Studies for tests: hosts' synthetic runs (bare metal and one container) merged as `isobench merge` does.
import type { HostFingerprint, RunRecord } from '../../model/record.js';
import type { Study } from '../../model/study.js';
import { assembleStudy, type HostInput } from '../../analysis/study/assemble.js';
import { digestRun, poolRuns } from '../../analysis/study/digest.js';
import { noisyTrials, syntheticRecord, type SynthCell } from './synthetic.js';
import { rng } from '../../analysis/rng.js';

/** One host of a test study. */
export interface HostSpec {
  /** Host label. */
  label: string;
  /** Container throughput as a fraction of bare metal. */
  factor: number;
  /** Seed of the plan and of the noise (42). */
  seed?: number;
  /** Trials per environment (5). */
  trials?: number;
  /** Workload image digest of every sample ('a' × 64). */
  digest?: string;
  /** `git describe` of the isobench that measured it ('v1.0-abc'). */
  git?: string;
  /** Fingerprint fields that differ from the synthetic host. */
  host?: Partial<HostFingerprint>;
  /** Run id (`run-<label>`). */
  runId?: string;
}

/** The run of one host: bare metal at 1000 events/s and a container at `factor` of it. */
export function hostRecord(h: HostSpec): RunRecord {
  const rand = rng(h.seed ?? 42);
  const trials = h.trials ?? 5;
  const labels = { image_digest: h.digest ?? 'a'.repeat(64) };
  const cells: SynthCell[] = [
    { env: 'bare', engine: 'host', workload: 'cpu', trials: noisyTrials(1000, 0.005, trials, 3, rand), labels },
    {
      env: 'container',
      engine: 'runc',
      workload: 'cpu',
      trials: noisyTrials(1000 * h.factor, 0.005, trials, 3, rand),
      labels,
    },
  ];
  const r = syntheticRecord(cells, { seed: h.seed ?? 42, host: { hostname: { value: h.label }, ...h.host } });
  return { ...r, runId: h.runId ?? `run-${h.label}`, hostLabel: h.label, gitDescribe: { value: h.git ?? 'v1.0-abc' } };
}

/** What `isobench merge` builds before assembling: one HostInput per label, rows pooled per plan. */
export function inputs(records: RunRecord[]): HostInput[] {
  const hosts = new Map<string, { label: string; records: RunRecord[] }>();
  for (const r of records) {
    const h = hosts.get(r.hostLabel as string) ?? { label: r.hostLabel as string, records: [] };
    h.records.push(r);
    hosts.set(h.label, h);
  }
  return [...hosts.values()].map((h) => {
    const runs = h.records.map((r) => ({
      digest: digestRun(r),
      path: `runs/${h.label}/${r.runId}/run.json`,
      source: r.runId,
    }));
    const rowsByPlan = new Map<string, ReturnType<typeof digestRun>['rows']>();
    for (const key of new Set(runs.map((r) => r.digest.planKey))) {
      const same = h.records.filter((_, i) => runs[i]?.digest.planKey === key);
      rowsByPlan.set(key, digestRun(poolRuns(same)).rows);
    }
    return { label: h.label, runs, rowsByPlan };
  });
}

/** The study of these runs, as merged on 2026-01-01. */
export const study = (records: RunRecord[], missing: { label: string; reason: string }[] = []): Study =>
  assembleStudy({
    hosts: inputs(records),
    missing,
    extraFlags: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    toolVersion: '0.1.0',
  });
