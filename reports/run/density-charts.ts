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

/** The style of each sweep: its environment's colour, its batch size's point shape. */
function styles(all: readonly DensitySummary[], colours: ReadonlyMap<string, string>): (d: DensitySummary) => Style {
  const envs = [...new Set(all.map((d) => d.envId))];
  const batches = [...new Set(all.map((d) => d.batch))].sort((a, b) => a - b);
  const cycle = <T>(xs: readonly T[], i: number): T | undefined => xs[i % xs.length];
  return (d) => ({
    colour: colours.get(d.envId) ?? cycle(PALETTE, envs.indexOf(d.envId)) ?? 'grey',
    pointStyle: cycle(BATCH_POINTS, batches.indexOf(d.batch)) ?? 'circle',
  });
}

/** One plotted point: instances running, value. */
interface Pt {
  x: number;
  y: number;
}
type Line = ChartDataset<'scatter', Pt[]>;

function line(label: string, data: Pt[], s: Style, dashed: boolean): Line {
  return {
    label,
    data,
    showLine: true,
    borderColor: s.colour,
    backgroundColor: s.colour,
    pointStyle: s.pointStyle,
    pointRadius: 3,
    borderWidth: 2,
    ...(dashed ? { borderDash: [6, 4] } : {}),
  };
}

/** A dotted vertical line at the knee, over the chart's value range. */
function kneeLine(label: string, at: number, [lo, hi]: [number, number], s: Style): Line {
  return {
    label,
    data: [
      { x: at, y: lo },
      { x: at, y: hi },
    ],
    showLine: true,
    borderColor: s.colour,
    backgroundColor: s.colour,
    borderDash: [2, 3],
    borderWidth: 2,
    pointRadius: 0,
  };
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
  return {
    log,
    range: [lo, hi],
    axis: {
      type: log ? 'logarithmic' : 'linear',
      ...(log ? {} : { beginAtZero: lo >= 0 }),
      title: { display: true, text: `${unit}${log ? ' (log scale)' : ''}` },
    },
  };
}

function chart(file: string, title: string, subtitle: string, alt: string, datasets: Line[], axis: object): ChartSpec {
  const config: ChartConfiguration<'scatter', Pt[]> = {
    type: 'scatter',
    data: { datasets },
    options: {
      ...common,
      scales: {
        x: {
          type: 'linear',
          beginAtZero: true,
          ticks: { precision: 0 },
          title: { display: true, text: 'instances running' },
        },
        y: axis,
      },
      plugins: {
        title: { display: true, text: title, font: { size: 16 } },
        subtitle: { display: true, text: subtitle, padding: { bottom: 8 } },
        legend: { display: true, position: 'bottom' },
      },
    },
  };
  return { file, title, alt, section: 'density', config: config as unknown as ChartConfiguration };
}

/** A series' first and last point in words (`at` names the unit), or what to say when it is empty. */
function ends(xs: readonly Pt[], unit: string, none: string): { first: string; last: string } {
  const [a, z] = [xs.at(0), xs.at(-1)];
  return a === undefined || z === undefined
    ? { first: none, last: none }
    : { first: `${fmt(a.y)} ${unit} at ${a.x}`, last: `${fmt(z.y)} ${unit} at ${z.x} instances` };
}

/** Ready time of each step's new instances (median over the step and the pooled sweeps) against the instances running. */
export function densityReadyChart(
  all: readonly DensitySummary[],
  colours: ReadonlyMap<string, string> = new Map(),
): ChartSpec | null {
  const styleOf = styles(all, colours);
  const sweeps = all.map((d) => ({
    d,
    s: styleOf(d),
    name: sweepLabel(d, all),
    ready: series(d.points, (p) => p.readyMs),
  }));
  const values = sweeps.flatMap((w) => w.ready.map((p) => p.y));
  if (values.length === 0) return null;
  const { range, axis } = valueAxis(values, 'ms');
  const datasets: Line[] = sweeps.map((w) => line(w.name, w.ready, w.s, false));
  for (const { d, s: st, name } of sweeps) {
    if (d.readyKnee !== null)
      datasets.push(kneeLine(`knee: ${name} ready time climbs from ${d.readyKnee} instances`, d.readyKnee, range, st));
  }
  const alt = `Line chart of ready time (ms) against instances running. ${sweeps
    .map(({ d, name, ready }) => {
      const e = ends(ready, 'ms', '');
      return ready.length === 0
        ? `${name}: no ready times`
        : `${name}: ${e.first} to ${e.last}, ${d.readyKnee === null ? 'no knee' : `knee at ${d.readyKnee}`}`;
    })
    .join('; ')}.`;
  return chart(
    'density-ready.png',
    'Ready time versus instances running (ms)',
    "median host-side ready time of each step's new instances; dotted vertical line: the knee, where " +
      'it starts to climb',
    alt,
    datasets,
    axis,
  );
}

/** Memory per instance against the instances running, both ways: the host's MemAvailable drop ÷ instances (solid) and the engine's own accounting (dashed). */
export function densityMemoryChart(
  all: readonly DensitySummary[],
  colours: ReadonlyMap<string, string> = new Map(),
): ChartSpec | null {
  const styleOf = styles(all, colours);
  const sweeps = all.map((d) => ({
    d,
    s: styleOf(d),
    name: sweepLabel(d, all),
    drop: series(d.points, (p) => (p.hostDropMiB === null ? null : p.hostDropMiB / p.count)),
    engine: series(d.points, (p) => p.engineMiB),
  }));
  const values = sweeps.flatMap((w) => [...w.drop, ...w.engine]).map((p) => p.y);
  if (values.length === 0) return null;
  const { range, axis } = valueAxis(values, 'MiB per instance');
  const datasets: Line[] = [];
  for (const { d, s: st, name, drop, engine } of sweeps) {
    if (drop.length > 0)
      datasets.push(
        line(
          `${name}: MemAvailable drop ÷ instances` +
            `${d.slopeMiB === null ? '' : ` (slope ${fmt(d.slopeMiB)} MiB/instance)`}`,
          drop,
          st,
          false,
        ),
      );
    if (engine.length > 0) datasets.push(line(`${name}: engine accounting`, engine, st, true));
  }
  for (const { d, s: st, name } of sweeps) {
    if (d.memoryKnee !== null)
      datasets.push(
        kneeLine(`knee: ${name} marginal memory climbs from ${d.memoryKnee} instances`, d.memoryKnee, range, st),
      );
  }
  const alt =
    `Line chart of memory per instance (MiB) against instances running, the host's MemAvailable drop ` +
    `divided by the instances (solid) and the engine's own accounting (dashed). ` +
    `${sweeps
      .map(({ d, name, drop, engine }) => {
        const last = (xs: Pt[]) => ends(xs, 'MiB', 'not measured').last;
        const marginal = d.slopeMiB === null ? 'unknown' : `${fmt(d.slopeMiB)} MiB per instance`;
        const knee = d.memoryKnee === null ? 'no knee' : `knee at ${d.memoryKnee}`;
        return `${name}: drop ÷ instances ${last(drop)}, engine accounting ${last(engine)}, marginal ${marginal}, ${knee}`;
      })
      .join('; ')}` +
    `.`;
  return chart(
    'density-memory.png',
    'Memory per instance versus instances running (MiB)',
    'solid: host MemAvailable drop ÷ instances running; dashed: engine accounting (cgroup usage, ' +
      'qemu PSS); dotted vertical line: the knee',
    alt,
    datasets,
    axis,
  );
}

/** The density charts of a run, in report order; none without a sweep. */
export function densityCharts(
  all: readonly DensitySummary[],
  colours: ReadonlyMap<string, string> = new Map(),
): ChartSpec[] {
  return [densityReadyChart(all, colours), densityMemoryChart(all, colours)].filter((c): c is ChartSpec => c !== null);
}
