// The HTML report's density section: what the sweeps show (charts, a table per environment and batch) and how to read it.
import { KNEE_NOISE_UNITS, type DensitySummary } from '../../analysis/density.js';
import { fmtNum } from '../../lib/numbers.js';
import { escapeHtml as h } from '../shared/format.js';
import { sweepLabel } from './density-charts.js';

/** Steps the knee rule needs before it can find a knee (analysis/density.ts). */
const KNEE_MIN_STEPS = 6;

const cell = (v: number | null, unit = '') =>
  `<td class="num">${v === null || !Number.isFinite(v) ? '–' : h(`${fmtNum(v)}${unit}`)}</td>`;

/** A knee in words: `ready time climbs from 6 instances`, `none`, or `none: too few steps (2 < 6)`. */
export function kneeWords(at: number | null, steps: number, what: string): string {
  if (at !== null) return `${what} climbs from ${at} instances`;
  return steps < KNEE_MIN_STEPS ? `none: too few steps (${steps} < ${KNEE_MIN_STEPS})` : 'none';
}

/** Steps each knee was judged on: ready times per step, and marginal memory (one fewer than the memory readings). */
export function kneeSteps(d: DensitySummary): { ready: number; memory: number } {
  return {
    ready: d.points.filter((p) => p.readyMs !== null).length,
    memory: Math.max(0, d.points.filter((p) => p.hostDropMiB !== null).length - 1),
  };
}

const kneeCell = (at: number | null, steps: number, what: string) => `<td>${h(kneeWords(at, steps, what))}</td>`;

/** The table: one row per environment and batch size. */
export function densityTable(all: readonly DensitySummary[]): string {
  const rows = all.map((d) => {
    const { ready: readySteps, memory: memSteps } = kneeSteps(d);
    const engine =
      d.engineMedianMiB === null ? '<td>–</td>' : `<td>${h(`${fmtNum(d.engineMedianMiB)} MiB (${d.accounting})`)}</td>`;
    return (
      `<tr><td>${h(d.envId)}</td><td class="num">${d.batch}</td><td class="num">${d.sweeps}</td><td ` +
      `class="num">${d.instances}</td><td>${h(d.stop ?? 'not recorded')}</td>` +
      `${cell(d.slopeMiB, ' MiB')}${cell(d.instancesPerGiB)}${engine}${cell(d.readyMedianMs, ' ms')}` +
      `${cell(d.readyP95Ms, ' ms')}${kneeCell(d.readyKnee, readySteps, 'ready time')}` +
      `${kneeCell(d.memoryKnee, memSteps, 'marginal memory')}</tr>`
    );
  });
  return (
    `<table class="density" ` +
    `id="density-table"><thead><tr><th>environment</th><th>batch</th><th>sweeps</th><th>instances ` +
    `reached</th><th>stopped because</th><th>marginal memory per instance (slope of MemAvailable ` +
    `drop)</th><th>instances per GiB</th><th>engine accounting per instance (median)</th><th>ready ` +
    `median</th><th>ready p95</th><th>knee: ready time</th><th>knee: ` +
    `memory</th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`
  );
}

/** Notes a reader needs beside the figures: emulation, missing accounting, a slope that is not positive, memory sharing. */
export function densityNotes(all: readonly DensitySummary[]): string[] {
  const notes: string[] = [];
  const tcg = all.filter((d) => d.accelerator === 'tcg' || /\bTCG\b/.test(d.accounting));
  if (tcg.length > 0) {
    notes.push(
      `${[...new Set(tcg.map((d) => d.envId))].join(', ')} ran under TCG (software emulation): the ` +
        `engine accounting is qemu's PSS, which includes TCG's translation cache (the guest code it has ` +
        `translated), memory a KVM guest does not hold. Both memory figures and the ready times describe ` +
        `an emulated guest, not a KVM one.`,
    );
  }
  const none = all.filter((d) => d.engineMedianMiB === null);
  if (none.length > 0) {
    notes.push(
      `${[...new Set(none.map((d) => d.envId))].join(', ')}: no engine accounting — ` +
        `${[...new Set(none.map((d) => d.accounting))].join('; ')}; only the host's MemAvailable drop is ` +
        `shown. Where the instance holds no process (bare metal), that drop is the host's own drift ` +
        `during a sweep: read the other environments' figures against it.`,
    );
  }
  const flat = all.filter((d) => d.slopeMiB !== null && !(d.slopeMiB > 0));
  if (flat.length > 0) {
    notes.push(
      `${flat.map((d) => sweepLabel(d, all)).join(', ')}: the MemAvailable drop did not grow with the ` +
        `instances (slope ≤ 0), so no instances per GiB: other processes on the host moved MemAvailable ` +
        `more than these instances did. Measure on a quiet host, or sweep more instances (density.max).`,
    );
  }
  const sharing = [...new Set(all.map((d) => `KSM ${d.ksm}, THP ${d.thp}`))];
  notes.push(
    `Memory sharing during the sweeps: ${sharing.join('; ')} (KSM merges identical pages across ` +
      `instances and lowers the drop; THP can raise it).`,
  );
  return notes;
}

/** The density section's body: reading, charts (already rendered figures), table and notes; a hint when the run has no sweep. */
export function densitySection(all: readonly DensitySummary[], figures: string): string {
  if (all.length === 0) {
    return (
      '<p>No density sweep in this run. <code>isobench run --env … --workload density</code> starts ' +
      'idle instances step by step until <code>density.max</code>, a host MemAvailable floor ' +
      '(<code>density.floor</code>) or a ready-time limit, and this section then shows instances per ' +
      'GiB, the marginal memory per instance, ready time against the instance count and the knee where ' +
      'either starts to climb.</p>'
    );
  }
  const notes = densityNotes(all)
    .map((n) => `<li>${h(n)}</li>`)
    .join('\n');
  return (
    `<p>Each sweep starts idle instances (<em>batch</em> at a time) and after each step reads the ` +
    `new instances' host-side ready time, their memory by the engine's own accounting (cgroup usage ` +
    `for containers, the hypervisor process's PSS for guests) and the host's MemAvailable drop since ` +
    `the sweep began (which also sees shims, page tables and kernel memory). The <strong>marginal ` +
    `memory per instance</strong> is the least-squares slope of that drop against the instances ` +
    `running; <strong>instances per GiB</strong> is 1024 ÷ that slope. The <strong>knee</strong> is ` +
    `the first instance count from which two steps in a row lie above twice the median of the ` +
    `sweep's first third (ready time per step; marginal memory per step: the drop's increase ÷ the ` +
    `instances added) and above it by more than ${KNEE_NOISE_UNITS} × the series' noise (the scaled ` +
    `MAD of its step-to-step differences, so a flat series of noise has no knee); it needs at least ` +
    `${KNEE_MIN_STEPS} steps. Sweeps of one environment and batch size are pooled step by step ` +
    `(medians). The same figures: <code>density.csv</code>, and rows of ` +
    [`<code>summary.csv</code>.</p>`, figures, densityTable(all), `<ul class="notes">${notes}</ul>`].join('\n')
  );
}
