// Density sweep charts as pure data: ready time and memory per instance against the instances running, one line per environment and batch, knees marked.
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { DensityPoint, DensitySummary } from '../../analysis/density.js';
import { PALETTE, type ChartSpec } from './chart-configs.js';

/** Point styles that tell batch sizes of one environment apart. */
const BATCH_POINTS = ['circle', 'rect', 'triangle', 'rectRot', 'star', 'crossRot'] as const;
const common = { animation: false as const, responsive: false, devicePixelRatio: 1 };
const fmt = (v: number) => String(Number(v.toPrecision(3)));

/** The name of one sweep's line: its environment, and its batch size when the run swept several. */
export function sweepLabel(d: DensitySummary, all: readonly DensitySummary[]): string {
  const batches = new Set(all.filter((o) => o.envId === d.envId).map((o) => o.batch));
  return batches.size > 1 || d.batch !== 1 ? `${d.envId} batch ${d.batch}` : d.envId;
}

interface Style {
  colour: string;
  pointStyle: (typeof BATCH_POINTS)[number];
}

function styles(all: readonly DensitySummary[], colours: ReadonlyMap<string, string>): Style[] {
  const envs = [...new Set(all.map((d) => d.envId))];
  const batches = [...new Set(all.map((d) => d.batch))].sort((a, b) => a - b);
  return all.map((d) => ({
    colour: colours.get(d.envId) ?? (PALETTE[envs.indexOf(d.envId) % PALETTE.length] as string),
    pointStyle: BATCH_POINTS[batches.indexOf(d.batch) % BATCH_POINTS.length] as Style['pointStyle'],
  }));
}

/** One plotted point: instances running, value. */
interface Pt {
  x: number;
  y: number;
}
type Line = ChartDataset<'scatter', Pt[]>;

function line(label: string, data: Pt[], s: Style, dashed: boolean): Line {
  return { label, data, showLine: true, borderColor: s.colour, backgroundColor: s.colour, pointStyle: s.pointStyle, pointRadius: 3, borderWidth: 2, ...(dashed ? { borderDash: [6, 4] } : {}) };
}

/** A dotted vertical line at the knee, over the chart's value range. */
function kneeLine(label: string, at: number, [lo, hi]: [number, number], s: Style): Line {
  return { label, data: [{ x: at, y: lo }, { x: at, y: hi }], showLine: true, borderColor: s.colour, backgroundColor: s.colour, borderDash: [2, 3], borderWidth: 2, pointRadius: 0 };
}

const series = (points: readonly DensityPoint[], get: (p: DensityPoint) => number | null): Pt[] =>
  points.flatMap((p) => {
    const y = get(p);
    return y === null || !Number.isFinite(y) ? [] : [{ x: p.count, y }];
  });

/** Linear or logarithmic value axis: log when every value is positive and they span more than 50×. */
function valueAxis(values: readonly number[], unit: string): { log: boolean; range: [number, number]; axis: object } {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const log = lo > 0 && hi / lo > 50;
  return { log, range: [lo, hi], axis: { type: log ? 'logarithmic' : 'linear', ...(log ? {} : { beginAtZero: lo >= 0 }), title: { display: true, text: `${unit}${log ? ' (log scale)' : ''}` } } };
}

function chart(file: string, title: string, subtitle: string, alt: string, datasets: Line[], axis: object): ChartSpec {
  const config: ChartConfiguration<'scatter', Pt[]> = {
    type: 'scatter',
    data: { datasets },
    options: {
      ...common,
      scales: { x: { type: 'linear', beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'instances running' } }, y: axis },
      plugins: {
        title: { display: true, text: title, font: { size: 16 } },
        subtitle: { display: true, text: subtitle, padding: { bottom: 8 } },
        legend: { display: true, position: 'bottom' },
      },
    },
  };
  return { file, title, alt, section: 'density', config: config as unknown as ChartConfiguration };
}

/** Ready time of each step's new instances (median over the step and the pooled sweeps) against the instances running. */
export function densityReadyChart(all: readonly DensitySummary[], colours: ReadonlyMap<string, string> = new Map()): ChartSpec | null {
  const st = styles(all, colours);
  const lines = all.map((d) => series(d.points, (p) => p.readyMs));
  const values = lines.flat().map((p) => p.y);
  if (values.length === 0) return null;
  const { range, axis } = valueAxis(values, 'ms');
  const datasets: Line[] = all.map((d, i) => line(sweepLabel(d, all), lines[i] as Pt[], st[i] as Style, false));
  all.forEach((d, i) => {
    if (d.readyKnee !== null) datasets.push(kneeLine(`knee: ${sweepLabel(d, all)} ready time climbs from ${d.readyKnee} instances`, d.readyKnee, range, st[i] as Style));
  });
  const alt = `Line chart of ready time (ms) against instances running. ${all.map((d, i) => {
    const l = lines[i] as Pt[];
    return l.length === 0 ? `${sweepLabel(d, all)}: no ready times` : `${sweepLabel(d, all)}: ${fmt((l[0] as Pt).y)} ms at ${(l[0] as Pt).x} to ${fmt((l[l.length - 1] as Pt).y)} ms at ${(l[l.length - 1] as Pt).x} instances, ${d.readyKnee === null ? 'no knee' : `knee at ${d.readyKnee}`}`;
  }).join('; ')}.`;
  return chart('density-ready.png', 'Ready time versus instances running (ms)', "median host-side ready time of each step's new instances; dotted vertical line: the knee, where it starts to climb", alt, datasets, axis);
}

/** Memory per instance against the instances running, both ways: the host's MemAvailable drop ÷ instances (solid) and the engine's own accounting (dashed). */
export function densityMemoryChart(all: readonly DensitySummary[], colours: ReadonlyMap<string, string> = new Map()): ChartSpec | null {
  const st = styles(all, colours);
  const drop = all.map((d) => series(d.points, (p) => (p.hostDropMiB === null ? null : p.hostDropMiB / p.count)));
  const engine = all.map((d) => series(d.points, (p) => p.engineMiB));
  const values = [...drop.flat(), ...engine.flat()].map((p) => p.y);
  if (values.length === 0) return null;
  const { range, axis } = valueAxis(values, 'MiB per instance');
  const datasets: Line[] = [];
  all.forEach((d, i) => {
    const s = st[i] as Style;
    const name = sweepLabel(d, all);
    if ((drop[i] as Pt[]).length > 0) datasets.push(line(`${name}: MemAvailable drop ÷ instances${d.slopeMiB === null ? '' : ` (slope ${fmt(d.slopeMiB)} MiB/instance)`}`, drop[i] as Pt[], s, false));
    if ((engine[i] as Pt[]).length > 0) datasets.push(line(`${name}: engine accounting`, engine[i] as Pt[], s, true));
  });
  all.forEach((d, i) => {
    if (d.memoryKnee !== null) datasets.push(kneeLine(`knee: ${sweepLabel(d, all)} marginal memory climbs from ${d.memoryKnee} instances`, d.memoryKnee, range, st[i] as Style));
  });
  const alt = `Line chart of memory per instance (MiB) against instances running, the host's MemAvailable drop divided by the instances (solid) and the engine's own accounting (dashed). ${all.map((d, i) => {
    const last = (xs: Pt[]) => (xs.length === 0 ? 'not measured' : `${fmt((xs[xs.length - 1] as Pt).y)} MiB at ${(xs[xs.length - 1] as Pt).x} instances`);
    return `${sweepLabel(d, all)}: drop ÷ instances ${last(drop[i] as Pt[])}, engine accounting ${last(engine[i] as Pt[])}, marginal ${d.slopeMiB === null ? 'unknown' : `${fmt(d.slopeMiB)} MiB per instance`}, ${d.memoryKnee === null ? 'no knee' : `knee at ${d.memoryKnee}`}`;
  }).join('; ')}.`;
  return chart('density-memory.png', 'Memory per instance versus instances running (MiB)', "solid: host MemAvailable drop ÷ instances running; dashed: engine accounting (cgroup usage, qemu PSS); dotted vertical line: the knee", alt, datasets, axis);
}

/** The density charts of a run, in report order; none without a sweep. */
export function densityCharts(all: readonly DensitySummary[], colours: ReadonlyMap<string, string> = new Map()): ChartSpec[] {
  return [densityReadyChart(all, colours), densityMemoryChart(all, colours)].filter((c): c is ChartSpec => c !== null);
}
