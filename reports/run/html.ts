// report.html: one self-contained page (inline styles, charts as data: URIs, a CSP that forbids fetching).
import type { RunRecord } from '../../model/record.js';
import type { Analysis } from '../../analysis/verdict-analysis.js';
import { engineMatrices } from '../../analysis/engine-comparison.js';
import { answers, baselineName } from './answer.js';
import type { ChartSpec } from './chart-configs.js';
import { CHART_SIZE } from '../shared/chart-render.js';
import { enginesHtml } from './engines.js';
import type { ClaimResult } from '../../analysis/claims.js';
import { escapeHtml as h, type EnvConfig } from '../shared/format.js';
import {
  environmentsSection,
  failuresSection,
  hostSection,
  reproduceSection,
  statisticsTable,
  verdictTable,
} from './html-sections.js';
import { STYLE } from '../shared/html-style.js';
import { htmlPage, htmlSection, pageHeader } from '../shared/page.js';
import { marginText } from '../shared/verdict-text.js';
import { warningsHeading, warningsHtml } from '../shared/warning-groups.js';
import type { Warning } from '../../analysis/warnings.js';
import { CLAIMS_READING, claimsTable } from './claims-html.js';
import { untilHtml } from './until-text.js';
import type { DensitySummary } from '../../analysis/density.js';
import { densitySection } from './density-html.js';
import { planSection, type IllustrativePlan } from '../plan/html.js';

/** Everything the page shows, already derived from the record. */
export interface HtmlInput {
  record: RunRecord;
  analysis: Analysis;
  warnings: readonly Warning[];
  charts: readonly ChartSpec[];
  pngs: ReadonlyMap<string, Buffer>;
  claims: readonly ClaimResult[];
  envs: readonly EnvConfig[];
  /** The run's density sweeps (none: the section says how to run one). */
  density: readonly DensitySummary[];
  /** The capacity plan for an illustrative app on this host. */
  plan: IllustrativePlan;
  /** The one line that differs between regenerations. */
  generatedAt: string;
}

function figure(spec: ChartSpec, png: Buffer | undefined): string {
  if (!png) return '';
  return (
    `<figure><img src="data:image/png;base64,${png.toString('base64')}" width="${CHART_SIZE.width}" ` +
    `height="${CHART_SIZE.height}" alt="${h(spec.alt)}"><figcaption>${h(spec.title)} — <code>` +
    `${h(spec.file)}</code></figcaption></figure>`
  );
}

const READING =
  `<p>Each environment ran the same workload binary in several <em>trials</em> (fresh instances), ` +
  `interleaved with the others. A trial's value is the median of its measured runs (warm-ups are ` +
  `recorded but never summarised). The <strong>ratio</strong> is the environment's median of ` +
  `per-trial values divided by the baseline's; the <strong>change</strong> turns it into "% ` +
  `slower" (positive) or "% faster" (negative) in the metric's own direction: for rates (events/s, ` +
  `MiB/s) 0.90× is 10 % slower, for times (ms) 1.10× is 10 % slower. The 95 % interval comes from ` +
  `a seeded bootstrap that resamples <em>trials</em> of both sides. <strong>Verdicts</strong>: ` +
  `<em>equivalent</em> when the whole interval lies inside the margin; <em>slower/faster by X % ` +
  `[lo, hi]</em> when the interval excludes zero; <em>inconclusive</em> with fewer than 3 trials ` +
  `or when the interval contains zero but reaches past the margin (too noisy to call). Read ` +
  `warnings before trusting a number.</p>`;

/** Renders the page. Deterministic apart from the generated-at line. */
export function reportHtml(input: HtmlInput): string {
  const { record, analysis: a } = input;
  const ans = answers(a);
  const byId = (section: ChartSpec['section']) =>
    input.charts
      .filter((c) => c.section === section)
      .map((c) => figure(c, input.pngs.get(c.file)))
      .join('\n');
  const engines = enginesHtml(engineMatrices(record, a));
  const enginesPart = engines === '' ? '' : `${htmlSection('engines', 'Engines side by side', engines)}\n`;
  const warnings = warningsHtml(input.warnings);
  const meta = [
    `run <code>${h(record.runId)}</code>`,
    `isobench ${h(record.toolVersion)} (${h(record.gitDescribe.value ?? 'unknown build')})`,
    `${h(record.startedAt)} → ${h(record.finishedAt ?? 'unfinished')}`,
    ...(record.interrupted ? ['<strong>interrupted</strong>'] : []),
    `host ${h(record.host.cpuModel.value ?? 'unknown CPU')}, kernel ${h(record.host.kernel.value ?? 'unknown')}`,
  ].join(' · ');
  const answerList =
    ans.length > 0
      ? `<ul class="answers">${ans.map((s) => `<li>${h(s)}</li>`).join('\n')}</ul>`
      : '<p>Nothing to compare: the run has a single environment or no measured trials.</p>';
  const note = [
    `Baseline: ${h(baselineName(a))}${a.baselineNote ? ` — ${h(a.baselineNote)}` : ''}.`,
    `Equivalence margin ${h(marginText(a.margin))}.`,
    input.warnings.length > 0 ? `<a href="#warnings">${input.warnings.length} warning(s)</a> below.` : 'No warnings.',
  ].join(' ');
  const startup = input.charts.some((c) => c.section === 'startup')
    ? `<h3>Startup and lifecycle</h3>\n${byId('startup')}`
    : '';
  return htmlPage(`isobench report ${h(record.runId)}`, STYLE, [
    pageHeader('What isolation costs on this host', [
      ['meta', meta],
      ['generated', `Generated at ${h(input.generatedAt)}`],
    ]),
    htmlSection('answer', 'The answer', answerList, `<p class="note">${note}</p>`),
    htmlSection('verdicts', 'Verdicts', verdictTable(a)),
    untilHtml(record) +
      enginesPart +
      htmlSection('warnings', `Warnings (${h(warningsHeading(input.warnings))})`, warnings),
    htmlSection('charts', 'Charts', byId('overhead'), byId('case'), startup),
    htmlSection('density', 'Density: instances, memory and ready time', densitySection(input.density, byId('density'))),
    htmlSection('plan', 'Capacity plan (illustrative)', planSection(input.plan)),
    htmlSection('claims', 'Published claims next to this run', CLAIMS_READING, claimsTable(input.claims)),
    htmlSection('environments', 'Environments', environmentsSection(input.envs)),
    htmlSection('host', 'Host', hostSection(record)),
    htmlSection('statistics', 'All statistics', statisticsTable(a), failuresSection(record)),
    htmlSection('reproduce', 'How to reproduce', reproduceSection(record)),
    htmlSection('reading', 'How to read this report', READING),
  ]);
}
