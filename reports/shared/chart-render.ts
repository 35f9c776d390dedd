// Renders chart configurations to PNG with one reused ChartJSNodeCanvas and an inline whisker plugin.
import { ChartJSNodeCanvas } from 'chartjs-node-canvas';
import type { Chart, ChartConfiguration, Plugin } from 'chart.js';
import type { ChartSpec, WhiskerOptions } from '../run/chart-configs.js';

/** Width and height of every chart, in pixels. */
export const CHART_SIZE = { width: 960, height: 480 } as const;

/** Draws interval whiskers (from plugin options) on bars/points and an optional band on the value axis. */
export const whiskerPlugin: Plugin = {
  id: 'isobenchWhiskers',
  beforeDatasetsDraw(chart: Chart, _args, opts: Partial<WhiskerOptions>) {
    if (!opts.band) return;
    const horizontal = chart.options.indexAxis === 'y';
    const scale = horizontal ? chart.scales['x'] : chart.scales['y'];
    if (!scale) return;
    const { ctx, chartArea: area } = chart;
    const a = scale.getPixelForValue(opts.band.from);
    const b = scale.getPixelForValue(opts.band.to);
    ctx.save();
    ctx.beginPath();
    ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
    ctx.clip();
    ctx.fillStyle = opts.band.color;
    if (horizontal) ctx.fillRect(Math.min(a, b), area.top, Math.abs(b - a), area.bottom - area.top);
    else ctx.fillRect(area.left, Math.min(a, b), area.right - area.left, Math.abs(b - a));
    ctx.restore();
  },
  afterDatasetsDraw(chart: Chart, _args, opts: Partial<WhiskerOptions>) {
    const horizontal = chart.options.indexAxis === 'y';
    const { ctx, chartArea: area } = chart;
    ctx.save();
    ctx.beginPath();
    ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
    ctx.clip();
    ctx.strokeStyle = opts.color ?? '#000000';
    ctx.lineWidth = 1.5;
    (opts.intervals ?? []).forEach((intervals, d) => {
      const meta = chart.getDatasetMeta(d);
      const scale = meta.vScale;
      if (!scale || meta.hidden) return;
      intervals.forEach((iv, i) => {
        const el = meta.data[i];
        if (!iv || !el) return;
        const centre = horizontal ? el.y : el.x;
        const [p, q] = [scale.getPixelForValue(iv[0]), scale.getPixelForValue(iv[1])];
        const cap = 6;
        ctx.beginPath();
        if (horizontal) {
          ctx.moveTo(p, centre);
          ctx.lineTo(q, centre);
          ctx.moveTo(p, centre - cap);
          ctx.lineTo(p, centre + cap);
          ctx.moveTo(q, centre - cap);
          ctx.lineTo(q, centre + cap);
        } else {
          ctx.moveTo(centre, p);
          ctx.lineTo(centre, q);
          ctx.moveTo(centre - cap, p);
          ctx.lineTo(centre + cap, p);
          ctx.moveTo(centre - cap, q);
          ctx.lineTo(centre + cap, q);
        }
        ctx.stroke();
      });
    });
    ctx.restore();
  },
};

let canvas: ChartJSNodeCanvas | null = null;

/** The one ChartJSNodeCanvas of the process (created on first use; fonts from the system, nothing fetched). */
function renderer(): ChartJSNodeCanvas {
  canvas ??= new ChartJSNodeCanvas({
    ...CHART_SIZE,
    backgroundColour: 'white',
    chartCallback: (ChartJS) => {
      ChartJS.defaults.font.family = 'DejaVu Sans';
      ChartJS.defaults.color = '#222222';
    },
  });
  return canvas;
}

/** Renders one chart to PNG bytes. */
export async function renderChart(spec: ChartSpec): Promise<Buffer> {
  const config: ChartConfiguration = { ...spec.config, plugins: [whiskerPlugin] };
  return renderer().renderToBuffer(config as Parameters<ChartJSNodeCanvas['renderToBuffer']>[0], 'image/png');
}

/** Renders every chart (sequentially: one canvas) to file name → PNG bytes. */
export async function renderCharts(specs: readonly ChartSpec[]): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const s of specs) out.set(s.file, await renderChart(s));
  return out;
}
