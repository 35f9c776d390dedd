// Every report file of a run, rendered purely from its record (file name → contents).
import type { RunRecord } from '../../model/record.js';
import { analyse } from '../../analysis/verdict-analysis.js';
import { runWarnings, type Warning } from '../../analysis/warnings.js';
import { chartSpecs, envColours } from './chart-configs.js';
import { densityCharts } from './density-charts.js';
import { illustrativePlan } from '../plan/html.js';
import { renderCharts } from '../shared/chart-render.js';
import { checkClaims, claimContext } from '../../analysis/claims.js';
import { envConfigs } from '../shared/format.js';
import { reportHtml } from './html.js';
import { samplesCsv } from './samples-csv.js';
import { summaryCsv } from './summary-csv.js';
import { densityCsv } from './density-csv.js';
import { densitySummaries } from '../../analysis/density.js';
import { summaryMarkdown } from './summary-md.js';
import { summaryTable } from './table.js';
import { storedWarning, warningText } from '../shared/warning-text.js';

/** Options of `renderReports`. */
export interface RenderOptions {
  /** The generated-at line of report.html (default: now). The only non-deterministic text. */
  generatedAt?: string;
  /** Receives the warnings the reports show (so a command can print them too). */
  onWarnings?: (warnings: readonly Warning[]) => void;
}

/**
 * The warnings a report shows: those stored in the record (as text; as data again where the
 * current checks derive the same sentence), then any the current checks add. Each sentence once.
 */
export function reportWarnings(record: RunRecord, derived: readonly Warning[]): Warning[] {
  const byText = new Map<string, Warning>();
  for (const w of derived) if (!byText.has(warningText(w))) byText.set(warningText(w), w);
  const out = new Map<string, Warning>();
  for (const text of record.warnings) if (!out.has(text)) out.set(text, byText.get(text) ?? storedWarning(text));
  for (const [text, w] of byText) if (!out.has(text)) out.set(text, w);
  return [...out.values()];
}

/**
 * Renders all reports of a run. Pure apart from `generatedAt`: the same record gives the same
 * files, PNGs included.
 */
export async function renderReports(
  record: RunRecord,
  opts: RenderOptions = {},
): Promise<Map<string, string | Buffer>> {
  const analysis = analyse(record);
  const warnings = reportWarnings(record, runWarnings(record, analysis));
  opts.onWarnings?.(warnings);
  const sweeps = densitySummaries(analysis.index);
  const charts = [...chartSpecs(analysis), ...densityCharts(sweeps, envColours(analysis))];
  const pngs = await renderCharts(charts);
  const files = new Map<string, string | Buffer>();
  files.set('samples.csv', samplesCsv(analysis.index.samples));
  files.set('summary.csv', summaryCsv(analysis, sweeps));
  const density = densityCsv(sweeps);
  if (density !== '') files.set('density.csv', density);
  files.set('summary.md', summaryMarkdown(record, analysis, warnings));
  files.set('summary.txt', `${summaryTable(record, analysis)}\n`);
  for (const [name, png] of pngs) files.set(name, png);
  files.set(
    'report.html',
    reportHtml({
      record,
      analysis,
      warnings,
      charts,
      pngs,
      claims: checkClaims(analysis, claimContext(record)),
      envs: envConfigs(analysis.index),
      density: sweeps,
      plan: illustrativePlan(record, analysis),
      generatedAt: opts.generatedAt ?? new Date().toISOString(),
    }),
  );
  return files;
}
