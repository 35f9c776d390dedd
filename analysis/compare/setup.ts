// How two runs' hosts and set-ups differ: what makes a comparison of their numbers not like for like.
import { indexOf, type Indexable, type RunIndex } from '../run-index.js';
import type { Known, RunRecord } from '../../model/record.js';

/** What kind of thing differs: the host itself, a tool's or engine's version, the workload image, the run's settings. */
export type SetupArea = 'host' | 'version' | 'image' | 'plan';

/** One fact that differs between the baseline run and the current one. */
export interface SetupDifference {
  /** What kind of fact it is. */
  area: SetupArea;
  /** What differs, e.g. `CPU model`, `kernel`, `container:runc engine version`. */
  what: string;
  /** The baseline run's value (`unknown` when it was not read). */
  baseline: string;
  /** The current run's value. */
  current: string;
}

const known = (k: Known<unknown> | undefined): string =>
  k === undefined || k.value === null ? 'unknown' : String(k.value);

/** Labels of samples that describe an environment's set-up (the same in every sample of one run, normally). */
const SETUP_LABELS: { label: string; area: SetupArea; what: string }[] = [
  { label: 'accelerator', area: 'host', what: 'accelerator' },
  { label: 'emulated', area: 'host', what: 'emulated' },
  { label: 'engine_version', area: 'version', what: 'engine version' },
  { label: 'sysbench_version', area: 'version', what: 'sysbench version' },
  { label: 'image_digest', area: 'image', what: 'workload image digest' },
  { label: 'sysbench_sha256', area: 'image', what: 'sysbench binary sha256' },
];

/** Distinct values of each set-up label, per environment (`env:engine` → label → sorted values). */
function envLabels(index: RunIndex): Map<string, Map<string, string>> {
  const values = (byLabel: ReadonlyMap<string, ReadonlySet<string>>) =>
    new Map(
      SETUP_LABELS.flatMap(({ label }): [string, string][] => {
        const vs = byLabel.get(label);
        return vs === undefined ? [] : [[label, [...vs].sort().join(', ')]];
      }),
    );
  return new Map([...index.labels].map(([id, byLabel]) => [id, values(byLabel)]));
}

/** The plan settings that change what a number means (trial count does not: it only narrows intervals). */
function planFacts(r: RunRecord): Record<string, string> {
  const p = r.plan;
  return {
    'quick settings': String(p.quick),
    'measured iterations per trial (--runs)': String(p.runs),
    'warm-ups per trial (--warmup)': String(p.warmup),
    'CPU limit (--cpus)': String(p.limits?.cpus ?? 'none'),
    'memory limit (--memory)':
      p.limits?.memoryMiB === null || p.limits?.memoryMiB === undefined ? 'none' : `${p.limits.memoryMiB} MiB`,
    'runner options': JSON.stringify(p.runner ?? {}),
  };
}

/**
 * The facts that differ between the two runs: the host (CPU model and count, memory, kernel, OS,
 * virtualization, KVM), isobench's and tools' versions, each environment's engine version,
 * accelerator and emulation, the workload image, and plan settings that change what a number
 * means. Environments measured in one run only are not compared here (their cells are listed
 * as one-sided).
 */
export function setupDifferences(baselineRun: Indexable, currentRun: Indexable): SetupDifference[] {
  const [b, c] = [indexOf(baselineRun), indexOf(currentRun)];
  const [baseline, current] = [b.record, c.record];
  const out: SetupDifference[] = [];
  const add = (area: SetupArea, what: string, b: string, c: string) => {
    if (b !== c) out.push({ area, what, baseline: b, current: c });
  };
  const hb = baseline.host;
  const hc = current.host;
  add('host', 'CPU model', known(hb.cpuModel), known(hc.cpuModel));
  add('host', 'CPU count', known(hb.cpuCount), known(hc.cpuCount));
  add('host', 'memory (bytes)', known(hb.memoryBytes), known(hc.memoryBytes));
  add('host', 'kernel', known(hb.kernel), known(hc.kernel));
  add('host', 'OS', known(hb.os), known(hc.os));
  add('host', 'host virtualization', known(hb.virtualization), known(hc.virtualization));
  add('host', 'KVM module', known(hb.kvmModule), known(hc.kvmModule));
  add('host', '/dev/kvm', known(hb.kvmDevice), known(hc.kvmDevice));
  add('host', 'cgroup layout', known(hb.cgroup), known(hc.cgroup));
  add(
    'version',
    'isobench version',
    `${baseline.toolVersion} (${known(baseline.gitDescribe)})`,
    `${current.toolVersion} (${known(current.gitDescribe)})`,
  );
  for (const tool of [...new Set([...Object.keys(hb.tools ?? {}), ...Object.keys(hc.tools ?? {})])].sort()) {
    add('version', `${tool} version`, known(hb.tools?.[tool]), known(hc.tools?.[tool]));
  }
  const probesB = new Map(baseline.probes.map((p) => [p.id, p]));
  const labelsB = envLabels(b);
  const labelsC = envLabels(c);
  for (const p of current.probes) {
    const b = probesB.get(p.id);
    if (b === undefined || !b.ok || !p.ok) continue;
    add('version', `${p.id} engine version`, b.version ?? 'unknown', p.version ?? 'unknown');
    add('host', `${p.id} emulation`, b.emulation?.note ?? 'none', p.emulation?.note ?? 'none');
  }
  for (const [id, lc] of labelsC) {
    const lb = labelsB.get(id);
    if (lb === undefined) continue;
    for (const { label, area, what } of SETUP_LABELS) {
      if (lb.has(label) || lc.has(label))
        add(area, `${id} ${what}`, lb.get(label) ?? 'unknown', lc.get(label) ?? 'unknown');
    }
  }
  const pb = planFacts(baseline);
  const pc = planFacts(current);
  for (const k of Object.keys(pc)) add('plan', k, pb[k] ?? 'unknown', pc[k] ?? 'unknown');
  return out;
}
