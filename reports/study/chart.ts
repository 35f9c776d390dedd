// The study's chart: every host's change against its own bare metal per headline row, coloured by host type.
import type { Study } from '../../model/study.js';
import type { ChartSpec } from '../run/chart-configs.js';
import { studyColumns } from './view.js';
import { timesStarts } from '../../model/cases.js';
import { caseShape } from '../../workloads/index.js';
import { marginText } from '../shared/verdict-text.js';
import { percentOf } from '../../lib/numbers.js';

const TYPE_COLOURS = [
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

/** Category label as a point's x (Chart.js reads strings on a category axis; its type says number). */
const category = (label: string) => label as unknown as number;

/** A column's title without its middle part (the axis and the text alternative name it shorter). */
const label = (t: string) => t.replace(/ · [^·]+ · /, ' · ');

/** One column's spread across hosts, for the chart's text alternative. */
function spreadText(c: ReturnType<typeof studyColumns>[number]): string {
  const s = c.comparison.ratioSpread;
  const range = ((s?.range ?? 0) * 100).toFixed(1);
  return `${label(c.title)}: median ratio ${s?.median.toFixed(3)} over ${s?.hosts} hosts, range ${range} %`;
}

/** Strip chart of plan group 0's non-baseline headline workload rows: one dot per host, the median across hosts as a line. */
export function hostsChart(study: Study, planGroup = 0): ChartSpec | null {
  // Lifecycle rows stay out, as in a run's overhead chart: a guest's startup under TCG (hundreds of
  // times bare metal's) would flatten every workload's dots.
  const cols = studyColumns(study, planGroup).filter(
    (c) =>
      !c.comparison.isBaseline &&
      c.comparison.ratioSpread !== null &&
      !timesStarts(caseShape('workload', c.comparison.workload)),
  );
  if (cols.length === 0) return null;
  const values = cols.flatMap((c) => c.comparison.hosts.flatMap((h) => (h.change === null ? [] : [h.change * 100])));
  const m = percentOf(study.margin);
  const lo = Math.min(...values, -m);
  const hi = Math.max(...values, m);
  const pad = (hi - lo) * 0.08 || 1;
  const hostsIn = study.planGroups[planGroup]?.hosts.length ?? 0;
  const t =
    `Cost against each host's own bare metal, ${hostsIn} host${hostsIn === 1 ? '' : 's'} (%, ` +
    `positive = slower/worse)`;
  const datasets = study.hostTypes
    .map((type, i) => ({
      type: 'scatter' as const,
      label: type.name,
      data: cols.flatMap((c) =>
        c.comparison.hosts
          .filter((h) => h.hostType === type.key && h.change !== null)
          .map((h) => ({ x: category(label(c.title)), y: (h.change as number) * 100 })),
      ),
      backgroundColor: `${TYPE_COLOURS[i % TYPE_COLOURS.length] as string}cc`,
      pointRadius: 4,
      order: 2,
    }))
    .filter((d) => d.data.length > 0);
  const medians = cols.map((c) => ({
    x: category(label(c.title)),
    y: (1 - (c.comparison.ratioSpread?.median ?? 1)) * (c.comparison.better === 'higher' ? 100 : -100),
  }));
  return {
    file: 'overhead-hosts.png',
    title: t,
    alt:
      `Strip chart: for each workload and environment, one dot per host at its change against its own ` +
      `bare metal, coloured by host type, with the median across hosts as a line. ` +
      `${cols.map(spreadText).join('; ')}` +
      `.`,
    section: 'overhead',
    config: {
      type: 'bar',
      data: {
        labels: cols.map((c) => label(c.title)),
        datasets: [
          ...datasets,
          {
            type: 'scatter',
            label: 'median across hosts',
            data: medians,
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
        animation: false,
        responsive: false,
        devicePixelRatio: 1,
        scales: {
          x: { type: 'category', offset: true },
          y: {
            suggestedMin: lo - pad,
            suggestedMax: hi + pad,
            title: { display: true, text: "% against the host's bare metal (positive = slower / worse)" },
          },
        },
        plugins: {
          title: { display: true, text: t, font: { size: 16 } },
          subtitle: {
            display: true,
            text:
              `dots: hosts (colour: host type); line: median across hosts; band: ${marginText(study.margin)} ` +
              `equivalence margin`,
            padding: { bottom: 8 },
          },
          legend: { display: true, position: 'bottom' },
          isobenchWhiskers: {
            intervals: [],
            color: '#222222',
            band: { from: -m, to: m, color: 'rgba(78,121,167,0.15)' },
          },
        },
      },
    },
  };
}
