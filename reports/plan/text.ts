// Words for a capacity plan: the answer per environment, the assumptions and where each figure came from.
import type { EnvFit, MissingFigure, PlanRequest } from '../../analysis/plan.js';
import type { RunRecord } from '../../model/record.js';
import { wholePct } from '../../lib/numbers.js';

const mib = (v: number) => (v >= 10240 ? `${(v / 1024).toFixed(1)} GiB` : `${v.toFixed(v < 10 ? 1 : 0)} MiB`);
const ratio = (v: number) => v.toFixed(3);

/** The published illustration the plan answers (datasets/claims.ts, id density-4-vs-16). */
export const DENSITY_CLAIM = {
  id: 'density-4-vs-16',
  text: 'On one host: 4 VMs for 4 apps versus 16 containers (4× as many containers).',
};

/** What a plan lacks, in one line: each environment's missing measurement and how to get it. */
export function missingText(missing: readonly MissingFigure[]): string {
  return missing.map((m) => `${m.envId}: no ${m.what} (${m.hint})`).join('; ');
}

/** The heading of a run's plan: its host's label, CPU model and kernel. */
export function runPlanTitle(record: RunRecord): string {
  const label = record.hostLabel ?? record.host.hostname.value ?? record.runId;
  return `${label}: ${record.host.cpuModel.value ?? 'unknown CPU'}, kernel ${record.host.kernel.value ?? 'unknown'}`;
}

/** A plan as lines of text, for one host type (or the one host of a run). */
export function planText(title: string, req: PlanRequest, fits: readonly EnvFit[]): string[] {
  const lines = [
    title,
    `  host: ${req.hostCpus} CPUs, ${mib(req.hostMemoryMiB)}, ${wholePct(req.headroom)} % kept free; ` +
      `app: ${req.appCpus} CPUs, ${mib(req.appMemoryMiB)} per instance`,
  ];
  for (const f of fits) {
    const [lo, hi] = f.fitRange;
    lines.push(
      `  ${f.envId}: ${f.fit} instances per host [${lo}, ${hi}] — ` +
        `${f.limit === 'cpu' ? 'CPU' : 'memory'} runs out first (CPU allows ${f.byCpu}, memory ` +
        `${f.byMemory})`,
      `    per instance: ${f.cpusPerInstance.toFixed(3)} CPUs (app ${req.appCpus} ÷ CPU ratio ` +
        `${ratio(f.cost.cpuRatio.value)}), ${mib(f.memoryPerInstanceMiB)} (app ${mib(req.appMemoryMiB)} ` +
        `+ idle instance ${mib(f.cost.idleMemoryMiB.value)})`,
      `    CPU ratio ${ratio(f.cost.cpuRatio.value)}` +
        `${f.cost.cpuRatio.range ? ` [${ratio(f.cost.cpuRatio.range[0])}, ${ratio(f.cost.cpuRatio.range[1])}]` : ''}` +
        ` from ${f.cost.cpuRatio.source}`,
      `    idle instance ${mib(f.cost.idleMemoryMiB.value)}` +
        `${f.cost.idleMemoryMiB.range ? ` [${mib(f.cost.idleMemoryMiB.range[0])}, ${mib(f.cost.idleMemoryMiB.range[1])}]` : ''}` +
        ` from ${f.cost.idleMemoryMiB.source}`,
      ...[...new Set([...f.cost.cpuRatio.caveats, ...f.cost.idleMemoryMiB.caveats])].map((c) => `    caveat: ${c}`),
    );
  }
  if (fits.length >= 2) {
    const sorted = [...fits].sort((a, b) => a.fit - b.fit);
    const least = sorted[0] as EnvFit;
    const most = sorted[sorted.length - 1] as EnvFit;
    lines.push(
      `  published: "${DENSITY_CLAIM.text}" Here, for this app: ` +
        `${fits.map((f) => `${f.fit} × ${f.envId}`).join(' versus ')}` +
        `${least.fit > 0 ? ` (${(most.fit / least.fit).toFixed(2)}× as many ${most.envId} as ${least.envId})` : ''}` +
        `.`,
    );
  } else {
    lines.push(
      `  published: "${DENSITY_CLAIM.text}" Not answered: this run measured only ` +
        `${fits.map((f) => f.envId).join(', ')}; measure a container and a VM environment side by side.`,
    );
  }
  lines.push(
    "  assumptions: the app's own CPU and memory are the same in every environment; an instance " +
      "needs the app's CPUs divided by the",
    "  measured CPU ratio and the app's memory plus the measured idle-instance memory; CPU is shared " +
      'fractionally (a CFS quota, vCPU',
    '  overcommit); [a, b]: the fit with every measured figure at the unfavourable and the ' +
      'favourable end of its range.',
  );
  return lines;
}
