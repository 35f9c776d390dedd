// Chart configurations as pure data (snapshot-tested): environment bars, overhead, startup distributions.
import { timesStarts } from '../../model/cases.js';
import type { ChartConfiguration, ChartType } from 'chart.js';
import type { Analysis, Entry } from '../../analysis/verdict-analysis.js';
import type { VerdictKind } from '../../analysis/verdict.js';
import { baselineName } from './answer.js';
import { marginText, verdictText } from '../shared/verdict-text.js';
import { percentOf } from '../../lib/numbers.js';

/** Options of the inline whisker plugin (see chart-render.ts). */
export interface WhiskerOptions {
  /** Per dataset, per data point: [lo, hi] on the value axis, or null for none. */
  intervals: ([number, number] | null)[][];
  /** Whisker colour. */
  color: string;
  /** A shaded band on the value axis (e.g. the equivalence margin). */
  band?: { from: number; to: number; color: string };
}

declare module 'chart.js' {
  interface PluginOptionsByType<TType extends ChartType> {
    /** Interval whiskers and margin band, drawn by the inline plugin. */
    isobenchWhiskers?: WhiskerOptions & { _type?: TType };
  }
}

/** One chart to render: file name, title, alt text and configuration. */
export interface ChartSpec {
  /** PNG file name (`[a-z0-9-_.]` only). */
  file: string;
  /** Title, also the HTML caption. */
  title: string;
  /** Alt text describing what the chart shows. */
  alt: string;
  /** Where the chart belongs in the report. */
  section: 'overhead' | 'case' | 'startup' | 'density';
  /** The Chart.js configuration. */
  config: ChartConfiguration;
}

/** Colours of non-baseline environments, in order. */
export const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
];
const BASELINE_COLOUR = '#9e9e9e';
const VERDICT_COLOUR: Record<VerdictKind, string> = {
  worse: '#e15759',
  better: '#59a14f',
  equivalent: '#4e79a7',
  inconclusive: '#bab0ac',
  baseline: BASELINE_COLOUR,
  'no-data': '#dddddd',
};

/** Stable colour per environment: baseline grey, others from the palette in analysis order. */
export function envColours(a: Analysis): Map<string, string> {
  const ids = [...new Set(a.entries.map((e) => e.stats.envId))];
  const out = new Map<string, string>();
  let i = 0;
  for (const id of ids) out.set(id, id === a.baselineId ? BASELINE_COLOUR : (PALETTE[i++ % PALETTE.length] as string));
  return out;
}

const fileSafe = (s: string) => s.replace(/[^A-Za-z0-9_-]+/g, '-');
const common = { animation: false as const, responsive: false, devicePixelRatio: 1 };
const title = (text: string, sub: string) => ({
  title: { display: true, text, font: { size: 16 } },
  subtitle: { display: true, text: sub, padding: { bottom: 8 } },
});

/** Environments side by side for one case × metric: bars at the median, whiskers the 95 % interval. */
export function envBarsChart(a: Analysis, rows: readonly Entry[]): ChartSpec | null {
  const withData = rows.filter((e) => e.stats.summary.trials > 0);
  const first = withData[0];
  if (first === undefined) return null;
  const colours = envColours(a);
  const t = `${first.case.label} — ${first.metric} (${first.info.unit}, ${first.info.better} is better)`;
  return {
    file: `chart-${first.case.slug}-${fileSafe(first.metric)}.png`,
    title: t,
    alt:
      `Bar chart: median ${first.metric} per environment for ${first.case.label}, with 95 % interval ` +
      `whiskers. ` +
      `${withData.map((e) => `${e.stats.envId}: ${e.stats.summary.trialMedian.toPrecision(4)} ${e.info.unit}`).join('; ')}` +
      `.`,
    section: 'case',
    config: {
      type: 'bar',
      data: {
        labels: withData.map((e) => e.stats.envId),
        datasets: [
          {
            label: `${first.metric} (${first.info.unit})`,
            data: withData.map((e) => e.stats.summary.trialMedian),
            backgroundColor: withData.map((e) => colours.get(e.stats.envId) ?? BASELINE_COLOUR),
          },
        ],
      },
      options: {
        ...common,
        scales: {
          y: {
            beginAtZero: true,
            suggestedMax: Math.max(...withData.map((e) => e.stats.medianCi?.hi ?? e.stats.summary.trialMedian)),
            title: { display: true, text: first.info.unit },
          },
        },
        plugins: {
          ...title(
            t,
            `median of per-trial medians; whiskers: 95 % bootstrap interval over trials (n = ` +
              `${withData.map((e) => e.stats.summary.trials).join(', ')} trials)`,
          ),
          legend: { display: false },
          isobenchWhiskers: {
            intervals: [withData.map((e) => (e.stats.medianCi ? [e.stats.medianCi.lo, e.stats.medianCi.hi] : null))],
            color: '#222222',
          },
        },
      },
    },
  };
}

/**
 * Change against the baseline (%, positive = worse) of each workload case's headline metric, with
 * intervals. Lifecycle (startup) costs are left to their own log-scale charts: a guest's startup
 * is hundreds of times the baseline's and would flatten every workload bar to nothing.
 */
export function overheadChart(a: Analysis): ChartSpec | null {
  const rows = a.entries.filter(
    (e) => e.metric === e.case.headline && e.comparison !== null && !timesStarts(e.case.shape),
  );
  if (rows.length === 0) return null;
  const t = `Cost against ${baselineName(a)} (%, positive = slower/worse)`;
  const bounds = rows.flatMap((e) => [
    (e.comparison?.change ?? 0) * 100,
    ...(e.comparison?.changeCi ? [e.comparison.changeCi.lo * 100, e.comparison.changeCi.hi * 100] : []),
  ]);
  const m = percentOf(a.margin);
  const pad = (Math.max(...bounds, m) - Math.min(...bounds, -m)) * 0.05;
  const axis = { suggestedMin: Math.min(...bounds, -m) - pad, suggestedMax: Math.max(...bounds, m) + pad };
  return {
    file: 'overhead.png',
    title: t,
    alt:
      `Horizontal bar chart of the change against the baseline per case and environment, with 95 % ` +
      `interval whiskers and the ${marginText(a.margin)} equivalence band. ` +
      `${rows.map((e) => `${e.case.label} ${e.stats.envId}: ${verdictText(e)}`).join('; ')}.`,
    section: 'overhead',
    config: {
      type: 'bar',
      data: {
        labels: rows.map(
          (e) => `${e.case.label} · ${e.metric} · ${e.stats.envId}${e.stats.emulation === null ? '' : ' (emulated)'}`,
        ),
        datasets: [
          {
            label: 'change %',
            data: rows.map((e) => (e.comparison?.change ?? 0) * 100),
            backgroundColor: rows.map((e) => VERDICT_COLOUR[e.verdict.kind]),
          },
        ],
      },
      options: {
        ...common,
        indexAxis: 'y',
        scales: { x: { ...axis, title: { display: true, text: '% against baseline (positive = slower / worse)' } } },
        plugins: {
          ...title(
            t,
            `bars: ratio of medians as % change; whiskers: 95 % bootstrap interval; band: ` +
              `${marginText(a.margin)} equivalence margin; colour: verdict`,
          ),
          legend: { display: false },
          isobenchWhiskers: {
            intervals: [
              rows.map((e) =>
                e.comparison?.changeCi ? [e.comparison.changeCi.lo * 100, e.comparison.changeCi.hi * 100] : null,
              ),
            ],
            color: '#222222',
            band: { from: -m, to: m, color: 'rgba(78,121,167,0.15)' },
          },
        },
      },
    },
  };
}

/**
 * A category label as a point's x. Chart.js parses string x values on a category axis (numbers
 * would be read as the point's index in its dataset), but its point type says number.
 */
const category = (label: string) => label as unknown as number;

/** Startup (lifecycle) distribution of one metric: min–max range, every trial, median with interval. */
export function startupChart(a: Analysis, rows: readonly Entry[]): ChartSpec | null {
  const withData = rows.filter((e) => e.stats.summary.trials > 0);
  const first = withData[0];
  if (first === undefined) return null;
  const colours = envColours(a);
  const lo = Math.min(...withData.map((e) => e.stats.summary.min));
  const hi = Math.max(...withData.map((e) => e.stats.summary.max));
  const log = lo > 0 && hi / lo > 50;
  // A burst case (startup burst=10) is named in its charts, apart from the lifecycle case's.
  const burst = first.case.shape === 'burst';
  const t = `${burst ? `${first.case.label}: ` : ''}${first.metric} per environment (${first.info.unit})`;
  return {
    file: `${burst ? first.case.slug : 'startup'}-${fileSafe(first.metric)}.png`,
    title: t,
    alt:
      `Distribution of ${first.metric} per environment: min–max bar, one dot per trial, median line ` +
      `with 95 % interval. ` +
      `${withData.map((e) => `${e.stats.envId}: median ${e.stats.summary.trialMedian.toPrecision(4)} ${e.info.unit} over ${e.stats.summary.trials} trials`).join('; ')}` +
      `.`,
    section: 'startup',
    config: {
      type: 'bar',
      data: {
        labels: withData.map((e) => e.stats.envId),
        datasets: [
          {
            type: 'bar',
            label: 'min–max',
            data: withData.map((e): [number, number] => [e.stats.summary.min, e.stats.summary.max]),
            backgroundColor: withData.map((e) => `${colours.get(e.stats.envId) ?? BASELINE_COLOUR}55`),
            order: 3,
          },
          {
            type: 'scatter',
            label: 'trials',
            data: withData.flatMap((e) =>
              e.stats.summary.trialMedians.map((v) => ({ x: category(e.stats.envId), y: v })),
            ),
            backgroundColor: '#333333aa',
            pointRadius: 2.5,
            order: 2,
          },
          {
            type: 'scatter',
            label: 'median',
            data: withData.map((e) => ({ x: category(e.stats.envId), y: e.stats.summary.trialMedian })),
            pointStyle: 'line',
            pointRadius: 22,
            borderWidth: 3,
            borderColor: '#000000',
            backgroundColor: '#000000',
            order: 1,
          },
        ],
      },
      options: {
        ...common,
        scales: {
          y: {
            type: log ? 'logarithmic' : 'linear',
            title: { display: true, text: `${first.info.unit}${log ? ' (log scale)' : ''}` },
          },
        },
        plugins: {
          ...title(
            t,
            'bar: min–max over trials; dots: each trial; line: median; whiskers: 95 % bootstrap interval of the median',
          ),
          legend: { display: true, position: 'bottom' },
          isobenchWhiskers: {
            intervals: [
              [],
              [],
              withData.map((e) => (e.stats.medianCi ? [e.stats.medianCi.lo, e.stats.medianCi.hi] : null)),
            ],
            color: '#000000',
          },
        },
      },
    },
  };
}

/** Every chart of the run, in report order: overhead, per case × metric, startup. */
export function chartSpecs(a: Analysis): ChartSpec[] {
  const out: ChartSpec[] = [];
  const overhead = overheadChart(a);
  if (overhead) out.push(overhead);
  for (const c of a.cases) {
    const metrics = [...new Set(a.entries.filter((e) => e.case === c).map((e) => e.metric))];
    for (const m of metrics) {
      const rows = a.entries.filter((e) => e.case === c && e.metric === m);
      const spec = timesStarts(c.shape) ? startupChart(a, rows) : envBarsChart(a, rows);
      if (spec) out.push(spec);
    }
  }
  return out;
}
