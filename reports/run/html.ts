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

const CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

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
  const warnings = warningsHtml(input.warnings);
  return (
    `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta ` +
    `http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" ` +
    `content="width=device-width, initial-scale=1">
<title>isobench report ${h(record.runId)}` +
    `</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>What isolation costs on this ` +
    `host</h1>
<p class="meta">run <code>${h(record.runId)}</code> · isobench ` +
    `${h(record.toolVersion)} (${h(record.gitDescribe.value ?? 'unknown build')}) · ` +
    `${h(record.startedAt)} → ${h(record.finishedAt ?? 'unfinished')}` +
    `${record.interrupted ? ' · <strong>interrupted</strong>' : ''} · host ` +
    `${h(record.host.cpuModel.value ?? 'unknown CPU')}, kernel ` +
    `${h(record.host.kernel.value ?? 'unknown')}</p>
<p class="generated">Generated at ` +
    `${h(input.generatedAt)}</p>
</header>
<section id="answer"><h2>The answer</h2>
` +
    `${ans.length > 0 ? `<ul class="answers">${ans.map((s) => `<li>${h(s)}</li>`).join('\n')}</ul>` : '<p>Nothing to compare: the run has a single environment or no measured trials.</p>'}` +
    `
<p class="note">Baseline: ${h(baselineName(a))}` +
    `${a.baselineNote ? ` — ${h(a.baselineNote)}` : ''}. Equivalence margin ` +
    `${h(marginText(a.margin))}. ` +
    `${input.warnings.length > 0 ? `<a href="#warnings">${input.warnings.length} warning(s)</a> below.` : 'No warnings.'}` +
    `</p>
</section>
<section id="verdicts"><h2>Verdicts</h2>
${verdictTable(a)}
</section>
` +
    `${untilHtml(record)}` +
    `${engines === '' ? '' : `<section id="engines"><h2>Engines side by side</h2>\n${engines}\n</section>\n`}` +
    `<section id="warnings"><h2>Warnings (${h(warningsHeading(input.warnings))})</h2>
${warnings}` +
    `
</section>
<section id="charts"><h2>Charts</h2>
${byId('overhead')}
${byId('case')}
` +
    `${input.charts.some((c) => c.section === 'startup') ? `<h3>Startup and lifecycle</h3>\n${byId('startup')}` : ''}` +
    `
</section>
<section id="density"><h2>Density: instances, memory and ready time</h2>
` +
    `${densitySection(input.density, byId('density'))}
</section>
<section id="plan"><h2>Capacity ` +
    `plan (illustrative)</h2>
${planSection(input.plan)}
</section>
<section ` +
    `id="claims"><h2>Published claims next to this run</h2>
${CLAIMS_READING}
` +
    `${claimsTable(input.claims)}
</section>
<section id="environments"><h2>Environments</h2>
` +
    `${environmentsSection(input.envs)}
</section>
<section id="host"><h2>Host</h2>
` +
    `${hostSection(record)}
</section>
<section id="statistics"><h2>All statistics</h2>
` +
    `${statisticsTable(a)}
${failuresSection(record)}
</section>
<section id="reproduce"><h2>How to ` +
    `reproduce</h2>
${reproduceSection(record)}
</section>
<section id="reading"><h2>How to read ` +
    `this report</h2>
${READING}
</section>
</body>
</html>
`
  );
}
