// Assembles a study from many hosts' run digests: plan groups, host types, side-by-side rows, spreads.
import {
  STUDY_SCHEMA,
  type HostType,
  type MeasuredHost,
  type PlanGroup,
  type Spread,
  type Study,
  type StudyComparison,
  type StudyFlag,
  type StudyHost,
  type StudyRun,
} from '../../model/study.js';
import { median } from '../stats.js';
import type { DigestRow, RunDigest } from './digest.js';
import { studyFlags } from './flags.js';
import { DEFAULT_MARGIN } from '../../model/options.js';

/** One run of a host as the merge command read it. */
export interface RunInput {
  /** Its digest. */
  digest: RunDigest;
  /** Where the study keeps its record, relative to the study directory. */
  path: string;
  /** Where it came from. */
  source: string;
}

/** One host: its runs and its analysed rows per plan (pooled over its runs of that plan). */
export interface HostInput {
  /** Label. */
  label: string;
  /** Its runs, in the order given. */
  runs: RunInput[];
  /** Plan key → analysed rows of this host's runs of that plan. */
  rowsByPlan: Map<string, DigestRow[]>;
}

/** Everything `assembleStudy` needs. */
export interface StudyInput {
  /** Measured hosts, in the order first given. */
  hosts: HostInput[];
  /** Hosts with no run, and why. */
  missing: { label: string; reason: string }[];
  /** Flags found while reading (label conflicts). */
  extraFlags: StudyFlag[];
  /** ISO time of the merge. */
  createdAt: string;
  /** isobench version merging. */
  toolVersion: string;
}

/** The accelerator part of a host type: the KVM module and what guests ran under. */
export function acceleratorOf(d: RunDigest): string {
  const mod = d.fingerprint.kvmModule.value ?? 'no KVM module';
  return d.accelerators.length > 0 ? `${mod}; guests: ${d.accelerators.join(', ')}` : mod;
}

/** Host type key and parts of a host, from its first run. */
export function hostTypeParts(d: RunDigest): { key: string; cpuModel: string; kernel: string; accelerator: string } {
  const cpuModel = d.fingerprint.cpuModel.value ?? 'unknown CPU';
  const kernel = d.fingerprint.kernel.value ?? 'unknown kernel';
  const accelerator = acceleratorOf(d);
  return { key: `${cpuModel} | ${kernel} | ${accelerator}`, cpuModel, kernel, accelerator };
}

/** Min, median, max and relative range of values; null when there are none. */
export function spreadOf(values: readonly number[]): Spread | null {
  const xs = values.filter((v) => Number.isFinite(v));
  if (xs.length === 0) return null;
  const m = median(xs);
  const min = Math.min(...xs);
  const max = Math.max(...xs);
  return { hosts: xs.length, min, median: m, max, range: m === 0 ? 0 : (max - min) / Math.abs(m) };
}

function planGroups(hosts: readonly HostInput[]): PlanGroup[] {
  const byKey = new Map<string, { request: RunDigest['request']; hosts: string[]; first: number }>();
  hosts.forEach((h, i) => {
    for (const r of h.runs) {
      const g = byKey.get(r.digest.planKey) ?? { request: r.digest.request, hosts: [], first: i };
      if (!g.hosts.includes(h.label)) g.hosts.push(h.label);
      byKey.set(r.digest.planKey, g);
    }
  });
  return [...byKey.entries()]
    .sort(([, a], [, b]) => b.hosts.length - a.hosts.length || a.first - b.first)
    .map(([key, g], id) => ({ id, key, request: g.request, hosts: g.hosts }));
}

function hostTypes(hosts: readonly HostInput[]): HostType[] {
  const types = new Map<string, HostType>();
  for (const h of hosts) {
    const first = h.runs[0];
    if (!first) continue;
    const parts = hostTypeParts(first.digest);
    const t = types.get(parts.key) ?? { ...parts, name: `type ${types.size + 1}`, hosts: [] };
    t.hosts.push(h.label);
    types.set(parts.key, t);
  }
  return [...types.values()];
}

function comparisons(
  hosts: readonly HostInput[],
  groups: readonly PlanGroup[],
  typeOf: Map<string, string>,
  typeOrder: readonly string[],
): StudyComparison[] {
  const out: StudyComparison[] = [];
  for (const g of groups) {
    const rows = new Map<string, StudyComparison>();
    for (const h of hosts) {
      for (const r of h.rowsByPlan.get(g.key) ?? []) {
        const k = JSON.stringify([r.caseKey, r.metric, r.envId]);
        const c = rows.get(k) ?? {
          planGroup: g.id,
          caseKey: r.caseKey,
          caseLabel: r.caseLabel,
          workload: r.workload,
          params: r.params,
          metric: r.metric,
          headline: r.headline,
          unit: r.unit,
          better: r.better,
          envId: r.envId,
          baselineId: r.baselineId,
          isBaseline: r.isBaseline,
          hosts: [],
          ratioSpread: null,
          medianSpread: null,
          byType: [],
        };
        c.hosts.push({
          host: h.label,
          hostType: typeOf.get(h.label) ?? '',
          trials: r.trials,
          trialMedian: r.trialMedian,
          ratio: r.ratio,
          ratioCi: r.ratioCi,
          change: r.change,
          changeCi: r.changeCi,
          verdict: r.verdict,
          caveats: r.caveats,
        });
        rows.set(k, c);
      }
    }
    for (const c of rows.values()) {
      const ratios = (hs: typeof c.hosts) => hs.flatMap((x) => (x.ratio === null ? [] : [x.ratio]));
      const medians = (hs: typeof c.hosts) => hs.flatMap((x) => (x.trials > 0 ? [x.trialMedian] : []));
      c.ratioSpread = spreadOf(ratios(c.hosts));
      c.medianSpread = spreadOf(medians(c.hosts));
      c.byType = typeOrder
        .filter((t) => c.hosts.some((x) => x.hostType === t))
        .map((t) => {
          const of = c.hosts.filter((x) => x.hostType === t);
          return { hostType: t, ratio: spreadOf(ratios(of)), median: spreadOf(medians(of)) };
        });
      out.push(c);
    }
  }
  return out;
}

function studyRun(r: RunInput, groups: readonly PlanGroup[]): StudyRun {
  const d = r.digest;
  return {
    runId: d.runId,
    path: r.path,
    source: r.source,
    planGroup: groups.find((g) => g.key === d.planKey)?.id ?? -1,
    toolVersion: d.toolVersion,
    gitDescribe: d.gitDescribe,
    sysbenchVersion: d.sysbenchVersion,
    imageDigests: d.imageDigests,
    trials: d.trials,
    startedAt: d.startedAt,
    interrupted: d.interrupted,
  };
}

/** Builds the study. Pure: the same inputs give the same study. */
export function assembleStudy(input: StudyInput): Study {
  const groups = planGroups(input.hosts);
  const types = hostTypes(input.hosts);
  const typeOf = new Map(types.flatMap((t) => t.hosts.map((h): [string, string] => [h, t.key])));
  const measured: MeasuredHost[] = input.hosts
    .filter((h) => h.runs.length > 0)
    .map((h) => ({
      label: h.label,
      status: 'ok',
      fingerprint: (h.runs[0] as RunInput).digest.fingerprint,
      hostType: typeOf.get(h.label) ?? '',
      runs: h.runs.map((r) => studyRun(r, groups)).sort((a, b) => a.startedAt.localeCompare(b.startedAt)),
    }));
  const missing: StudyHost[] = input.missing
    .filter((m) => !measured.some((h) => h.label === m.label))
    .map((m) => ({ label: m.label, status: 'missing', reason: m.reason }));
  const hosts: StudyHost[] = [...measured, ...missing];
  const firstGroupRun = input.hosts.flatMap((h) => h.runs).find((r) => r.digest.planKey === groups[0]?.key);
  return {
    schema: STUDY_SCHEMA,
    kind: 'isobench-study',
    createdAt: input.createdAt,
    toolVersion: input.toolVersion,
    margin: firstGroupRun?.digest.margin ?? DEFAULT_MARGIN,
    hosts,
    hostTypes: types,
    planGroups: groups,
    comparisons: comparisons(
      input.hosts,
      groups,
      typeOf,
      types.map((t) => t.key),
    ),
    flags: [
      ...input.extraFlags,
      ...studyFlags(
        input.hosts.flatMap((h) => h.runs.map((r) => ({ label: h.label, digest: r.digest }))),
        groups,
        hosts,
      ),
    ],
  };
}
