// Every report file of a study, rendered purely from study.json (file name → contents).
import type { Study } from '../../model/study.js';
import { renderChart } from '../shared/chart-render.js';
import { hostsChart } from './chart.js';
import { hostsCsv, spreadCsv, studySummaryCsv } from './csv.js';
import { studyHtml } from './html.js';
import { studyMarkdown } from './md.js';
import { studyTable } from './table.js';

/** Renders the study's reports. Pure apart from `generatedAt` (default: now). */
export async function renderStudyReports(
  study: Study,
  opts: { generatedAt?: string } = {},
): Promise<Map<string, string | Buffer>> {
  const chart = hostsChart(study);
  const png = chart ? await renderChart(chart) : undefined;
  const files = new Map<string, string | Buffer>();
  files.set('hosts.csv', hostsCsv(study));
  files.set('summary.csv', studySummaryCsv(study));
  files.set('spread.csv', spreadCsv(study));
  files.set('summary.md', studyMarkdown(study));
  files.set('summary.txt', `${studyTable(study)}\n`);
  if (chart && png) files.set(chart.file, png);
  files.set('report.html', studyHtml(study, chart, png, opts.generatedAt ?? new Date().toISOString()));
  return files;
}
