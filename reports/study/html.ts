// The study's report.html: one self-contained page with every host side by side (no scripts, no fetching).
import type { Study } from '../../model/study.js';
import type { ChartSpec } from '../run/chart-configs.js';
import { CHART_SIZE } from '../shared/chart-render.js';
import { escapeHtml as h } from '../shared/format.js';
import { shellCommand as shellQuote } from '../../lib/text.js';
import { verdictText } from '../shared/verdict-text.js';
import { hostTable } from '../run/html-sections.js';
import { STYLE } from '../shared/html-style.js';
import { htmlPage, htmlSection, pageHeader } from '../shared/page.js';
import { cellText, hostsByType, resultOf, spreadText, studyColumns, typeText } from './view.js';

function hostsSection(study: Study): string {
  const typeOf = new Map(study.hostTypes.map((t) => [t.key, t]));
  const rows = study.hosts.map((x) => {
    if (x.status === 'missing')
      return `<tr><td>${h(x.label)}</td><td class="v-worse">missing</td><td colspan="6">${h(x.reason)}</td></tr>`;
    const t = typeOf.get(x.hostType);
    const revs = [...new Set(x.runs.map((r) => `${r.toolVersion} (${r.gitDescribe ?? 'unknown'})`))].join(', ');
    const digests = [...new Set(x.runs.flatMap((r) => r.imageDigests.map((d) => d.slice(0, 12))))].join(', ') || '–';
    return (
      `<tr><td>${h(x.label)}</td><td>ok</td><td>${h(t?.name ?? '')}</td><td>` +
      `${h(x.fingerprint.cpuModel.value ?? 'unknown')}</td><td>` +
      `${h(x.fingerprint.kernel.value ?? 'unknown')}</td><td>` +
      `${x.runs.map((r) => `<code>${h(r.runId)}</code> (plan ${r.planGroup})`).join('<br>')}</td><td>` +
      `${h(revs)}</td><td><code>${h(digests)}</code></td></tr>`
    );
  });
  return (
    `<table ` +
    `class="hosts"><thead><tr><th>host</th><th>status</th><th>type</th><th>CPU</th><th>kernel</th><th>runs</th><th>isobench</th><th>image ` +
    `digest</th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`
  );
}

function planSection(study: Study, planGroup: number): string {
  const g = study.planGroups[planGroup];
  if (!g) return '';
  const cols = studyColumns(study, planGroup);
  const head = `<tr><th>host</th>${cols.map((c) => `<th>${h(c.title)}</th>`).join('')}</tr>`;
  const body: string[] = [];
  for (const { type, hosts } of hostsByType(study, planGroup)) {
    body.push(`<tr class="type"><th colspan="${cols.length + 1}">${h(typeText(type))}</th></tr>`);
    for (const host of hosts) {
      body.push(
        `<tr><td>${h(host)}</td>` +
          `${cols
            .map((c) => {
              const r = resultOf(c.comparison, host);
              const kind = c.comparison.isBaseline ? 'baseline' : (r?.verdict.kind ?? 'no-data');
              return `<td class="num v-${h(kind)}" title="${h(r ? verdictText(r) : 'not measured on this host')}">${h(cellText(c.comparison, r))}</td>`;
            })
            .join('')}` +
          `</tr>`,
      );
    }
  }
  const spreadRow = (name: string, scope: string) =>
    `<tr class="spread"><th>${h(name)}</th>` +
    `${cols.map((c) => `<td class="num">${h(spreadText(c.comparison, scope))}</td>`).join('')}</tr>`;
  body.push(spreadRow('all hosts', 'all'));
  if (study.hostTypes.length > 1) for (const t of study.hostTypes) body.push(spreadRow(t.name, t.key));
  return `<h3>Plan ${g.id}: ${g.hosts.length} host(s)</h3><pre>${h(shellQuote(['isobench', 'run', ...g.request.args]))}</pre><p class="note">seed ${g.request.seed}, ${g.request.trials} trial(s) × ${g.request.runs} run(s) after ${g.request.warmup} warm-up(s), ${h(g.request.order)} order</p>
<div class="wide"><table class="side-by-side"><thead>${head}</thead><tbody>\n${body.join('\n')}\n</tbody></table></div>`;
}

function hostDetails(study: Study): string {
  return study.hosts
    .map((x) => {
      if (x.status === 'missing') return '';
      const runs = x.runs
        .map(
          (r) =>
            `<li><code>${h(r.path)}</code> from <code>${h(r.source)}</code>: ${r.trials.completed} ` +
            `completed, ${r.trials.errored} errored, ${r.trials.skipped} skipped` +
            `${r.interrupted ? ', interrupted' : ''} — full report: <code>` +
            `${h(shellQuote(['isobench', 'report', r.path.replace(/\/run\.json$/, '')]))}</code></li>`,
        )
        .join('');
      return `<details><summary>${h(x.label)}</summary><ul>${runs}</ul>${hostTable(x.fingerprint)}</details>`;
    })
    .join('\n');
}

const READING =
  `<p>Every host ran the same isobench revision with the same arguments and seed (one ` +
  `<em>plan</em>). On each host, a cell is that host's <strong>ratio</strong> against its own bare ` +
  `metal — environment ÷ baseline, medians of per-trial medians — with its 95 % bootstrap interval ` +
  `over trials, coloured by that host's verdict (hover for the text). Baseline columns show the ` +
  `baseline's median itself, so hosts' absolute speed can be compared. <strong>Spread</strong> ` +
  `rows give the median across hosts, the smallest and largest value and the relative range (max − ` +
  `min) ÷ median, over all hosts and per host type (same CPU model, kernel and accelerator). Hosts ` +
  `with different plans, revisions or workload images are <strong>flagged</strong>, never averaged ` +
  `together.</p>`;

/** Renders the study page. Deterministic apart from the generated-at line. */
export function studyHtml(study: Study, chart: ChartSpec | null, png: Buffer | undefined, generatedAt: string): string {
  const ok = study.hosts.filter((x) => x.status === 'ok').length;
  const flags =
    study.flags.length === 0
      ? '<p>No flags: one plan, one revision, one image, every host present.</p>'
      : `<ul class="warnings">` +
        `${study.flags.map((f) => `<li><strong>${h(f.kind)}</strong>: ${h(f.message)}</li>`).join('\n')}` +
        `</ul>`;
  const figure =
    chart && png
      ? `<figure><img src="data:image/png;base64,${png.toString('base64')}" width="${CHART_SIZE.width}" ` +
        `height="${CHART_SIZE.height}" alt="${h(chart.alt)}"><figcaption>${h(chart.title)} — <code>` +
        `${h(chart.file)}</code></figcaption></figure>`
      : '<p>No chart: no environment was compared with a baseline.</p>';
  const style =
    `${STYLE}\n.wide { overflow-x: auto; } tr.type th { text-align: left; background: #eef2f6; } ` +
    'tr.spread th, tr.spread td { background: var(--bg-alt); }';
  const meta =
    `study merged ${h(study.createdAt)} by isobench ${h(study.toolVersion)} · ${study.hosts.length} host(s), ` +
    `${study.hostTypes.length} host type(s), ${study.planGroups.length} plan(s)`;
  const types = study.hostTypes.map((t) => `<li>${h(typeText(t))} — ${h(t.hosts.join(', '))}</li>`).join('');
  return htmlPage(`isobench study: ${ok} hosts`, style, [
    pageHeader(`What isolation costs across ${ok} host${ok === 1 ? '' : 's'}`, [
      ['meta', meta],
      ['generated', `Generated at ${h(generatedAt)}`],
    ]),
    htmlSection('flags', `Flags (${study.flags.length})`, flags),
    htmlSection('hosts', 'Hosts', hostsSection(study), '<h3>Host types</h3>', `<ul>${types}</ul>`),
    htmlSection('side-by-side', 'Hosts side by side', study.planGroups.map((g) => planSection(study, g.id)).join('\n')),
    htmlSection('charts', 'Chart', figure),
    htmlSection('host-details', "Each host's fingerprint and runs", hostDetails(study)),
    htmlSection('reading', 'How to read this study', READING),
  ]);
}
