// The HTML report's capacity-plan section: `isobench plan`'s answer for an illustrative app on this run's host, or which measurements it lacks.
import { measuredCosts, plan, type EnvFit, type MissingFigure, type PlanRequest } from '../../analysis/plan.js';
import type { RunRecord } from '../../model/record.js';
import type { Analysis } from '../../analysis/verdict-analysis.js';
import { fmtNum, wholePct } from '../../lib/numbers.js';
import { shellCommand } from '../../lib/text.js';
import { DENSITY_CLAIM, missingText, planText, runPlanTitle } from './text.js';
import { escapeHtml as h } from '../shared/format.js';

/** The app the report plans for: illustrative, not anyone's real app. */
export const ILLUSTRATIVE_APP = { cpus: 0.5, memoryMiB: 512, headroom: 0.1 } as const;
/** The host planned for when the record does not say how many CPUs and how much memory its host has (the README's example). */
export const EXAMPLE_HOST = { cpus: 64, memoryMiB: 256 * 1024 } as const;

const MiB = 2 ** 20;

/** The plan a report shows, derived from the record alone. */
export interface IllustrativePlan {
  /** The host, app and headroom planned for. */
  request: PlanRequest;
  /** Where the host's CPUs and memory came from, in words. */
  hostSource: string;
  /** Instances per host in each environment with every figure measured. */
  fits: EnvFit[];
  /** Environments left out, and the measurement each lacks. */
  missing: MissingFigure[];
  /** The `isobench plan` command that prints this plan; a reader swaps in their own numbers. */
  command: string;
  /** The plan's heading (host label, CPU, kernel). */
  title: string;
}

/** This run's host (when its fingerprint has CPUs and memory), the illustrative app, 10 % headroom; `analysis`: the record's, when the caller has it. */
export function illustrativePlan(record: RunRecord, analysis?: Analysis): IllustrativePlan {
  const cpus = record.host.cpuCount.value;
  const bytes = record.host.memoryBytes.value;
  const memMiB = bytes === null ? Number.NaN : Math.floor(bytes / MiB);
  const known = cpus !== null && Number.isSafeInteger(cpus) && cpus > 0 && Number.isSafeInteger(memMiB) && memMiB > 0;
  const request: PlanRequest = {
    hostCpus: known ? cpus : EXAMPLE_HOST.cpus,
    hostMemoryMiB: known ? memMiB : EXAMPLE_HOST.memoryMiB,
    appCpus: ILLUSTRATIVE_APP.cpus,
    appMemoryMiB: ILLUSTRATIVE_APP.memoryMiB,
    headroom: ILLUSTRATIVE_APP.headroom,
  };
  const { costs, missing } = measuredCosts(record, analysis);
  const command = shellCommand([
    'isobench',
    'plan',
    '--from',
    `${record.plan.out}/${record.runId}`,
    '--host-cpus',
    String(request.hostCpus),
    '--host-memory',
    `${request.hostMemoryMiB}MiB`,
    '--app-cpus',
    String(request.appCpus),
    '--app-memory',
    `${request.appMemoryMiB}MiB`,
    '--headroom',
    `${wholePct(request.headroom)}%`,
  ]);
  return {
    request,
    hostSource: known
      ? "this run's host, from its fingerprint"
      : "an example host: the record does not give this host's CPUs and memory",
    fits: plan(request, costs),
    missing,
    command,
    title: runPlanTitle(record),
  };
}

const mib = (v: number) => (v >= 10240 ? `${(v / 1024).toFixed(1)} GiB` : `${fmtNum(v).replace(/\.0+$/, '')} MiB`);
const range = (r: [number, number] | null, f: (x: number) => string) =>
  r === null || f(r[0]) === f(r[1]) ? '' : ` [${f(r[0])}, ${f(r[1])}]`;

function fitsTable(p: IllustrativePlan): string {
  const rows = p.fits.map(
    (f) =>
      `<tr><td>${h(f.envId)}</td><td class="num">${h(`${f.fit} [${f.fitRange[0]}, ${f.fitRange[1]}]`)}` +
      `</td><td>${f.limit === 'cpu' ? 'CPU' : 'memory'}</td><td class="num">${f.byCpu}</td><td ` +
      `class="num">${f.byMemory}</td><td class="num">${h(f.cpusPerInstance.toFixed(3))}</td><td ` +
      `class="num">${h(mib(f.memoryPerInstanceMiB))}</td><td class="num">` +
      `${h(`${f.cost.cpuRatio.value.toFixed(3)}${range(f.cost.cpuRatio.range, (x) => x.toFixed(3))}`)}` +
      `</td><td class="num">` +
      `${h(`${mib(f.cost.idleMemoryMiB.value)}${range(f.cost.idleMemoryMiB.range, mib)}`)}</td><td>` +
      `${h(f.cost.idleMemoryMiB.source)}</td></tr>`,
  );
  return (
    `<table class="plan" id="plan-table"><thead><tr><th>environment</th><th>instances per host ` +
    `[range]</th><th>runs out first</th><th>CPU allows</th><th>memory allows</th><th>CPUs per ` +
    `instance</th><th>memory per instance</th><th>CPU ratio against the baseline [95 % ` +
    `CI]</th><th>idle instance memory [range]</th><th>idle memory measured ` +
    `by</th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`
  );
}

/** The plan section's body. */
export function planSection(p: IllustrativePlan): string {
  const r = p.request;
  if (p.fits.length === 0 && p.missing.length === 0) {
    return (
      '<p>Nothing to plan: the run measured no environment besides its baseline. <code>isobench ' +
      'plan</code> compares isolated environments (containers, guests) against bare metal: run ' +
      '<code>--env bare,container,vm --workload cpu,density</code>.</p>'
    );
  }
  const parts = [
    `<p>How many instances of an app fit on one host in each environment this run measured, from its ` +
      `measured idle-instance memory and CPU ratio against bare metal — what <code>isobench ` +
      `plan</code> prints. <strong>The app and host here are illustrative</strong>: ` +
      `${h(`${r.hostCpus} CPUs and ${mib(r.hostMemoryMiB)}`)} (${h(p.hostSource)}), an app that needs ` +
      `${h(String(r.appCpus))} CPU and ${h(mib(r.appMemoryMiB))} per instance, ${wholePct(r.headroom)} ` +
      `% of the host kept free. Put your own app and host into the same command:</p>`,
    `<pre>${h(p.command)}</pre>`,
  ];
  if (p.fits.length > 0) {
    parts.push(fitsTable(p));
    const caveats = [
      ...new Set(
        p.fits.flatMap((f) =>
          [...f.cost.cpuRatio.caveats, ...f.cost.idleMemoryMiB.caveats].map((c) => `${f.envId}: ${c}`),
        ),
      ),
    ];
    if (caveats.length > 0) parts.push(`<ul class="notes">${caveats.map((c) => `<li>${h(c)}</li>`).join('\n')}</ul>`);
    if (p.fits.length < 2)
      parts.push(
        `<p class="note">` +
          `${h(`Published: "${DENSITY_CLAIM.text}" Not answered here: measure a container and a VM environment side by side.`)}` +
          `</p>`,
      );
  }
  if (p.missing.length > 0)
    parts.push(
      `<p><strong>Not planned</strong> — measurements missing, not guessed: ${h(missingText(p.missing))}.</p>`,
    );
  if (p.fits.length > 0)
    parts.push(
      `<details><summary>The plan as <code>isobench plan</code> prints it (sources, ` +
        `assumptions)</summary><pre>${h(planText(p.title, r, p.fits).join('\n'))}</pre></details>`,
    );
  return parts.join('\n');
}
