// The HTML report's sections as escaped HTML strings (every string from the record goes through escapeHtml).
import { envId } from '../../model/ids.js';
import type { HostFingerprint, Known, RunRecord } from '../../model/record.js';
import type { Analysis, Entry } from '../../analysis/verdict-analysis.js';
import { escapeHtml as h, type EnvConfig } from '../shared/format.js';
import { shellCommand } from '../../lib/text.js';
import { fmtNum, pct } from '../../lib/numbers.js';
import { verdictText } from '../shared/verdict-text.js';

const num = (v: number) => `<td class="num">${h(fmtNum(v))}</td>`;
const pctCell = (v: number) => `<td class="num">${Number.isFinite(v) ? h(pct(v)) : '–'}</td>`;
const ci = (lo: number, hi: number, f: (x: number) => string) => `[${f(lo)}, ${f(hi)}]`;

function ratioCells(e: Entry): string {
  const c = e.comparison;
  if (c === null) return '<td class="num">–</td><td class="num">–</td>';
  const r = `${c.ratio.toFixed(3)}${c.ratioCi ? ` ${ci(c.ratioCi.lo, c.ratioCi.hi, (x) => x.toFixed(3))}` : ''}`;
  const d = `${pct(c.change)} %${c.changeCi ? ` ${ci(c.changeCi.lo, c.changeCi.hi, pct)}` : ''}`;
  return `<td class="num">${h(r)}</td><td class="num">${h(d)}</td>`;
}

/** The verdict table: one row per case × metric × environment. */
export function verdictTable(a: Analysis): string {
  const rows = a.entries.map((e) => {
    const median =
      e.stats.summary.trials === 0
        ? '<td class="num">–</td>'
        : `<td class="num">${h(`${fmtNum(e.stats.summary.trialMedian)} ${e.info.unit}`)}</td>`;
    return (
      `<tr class="${e.metric === e.case.headline ? 'headline' : 'other'}"><td>${h(e.case.label)}` +
      `</td><td title="${h(e.info.description)}">${h(e.metric)}</td><td>${h(e.stats.envId)}</td><td ` +
      `class="num">${e.stats.summary.trials}</td>${median}${ratioCells(e)}<td class="v-` +
      `${e.verdict.kind}">${h(verdictText(e))}</td></tr>`
    );
  });
  return (
    `<table class="verdicts" ` +
    `id="verdict-table"><thead><tr><th>workload</th><th>metric</th><th>environment</th><th>trials</th><th>median ` +
    `of trials</th><th>ratio [95 % CI]</th><th>change % [95 % CI] (+ = ` +
    `worse)</th><th>verdict</th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`
  );
}

/** Every descriptive statistic per case × metric × environment. */
export function statisticsTable(a: Analysis): string {
  const rows = a.entries.map((e) => {
    const s = e.stats.summary;
    const m = e.stats.medianCi;
    return (
      `<tr><td>${h(e.case.label)}</td><td>${h(e.metric)}</td><td>${h(e.info.unit)}</td><td>` +
      `${h(e.stats.envId)}</td><td class="num">${s.n}</td><td class="num">${s.trials}</td>` +
      `${num(s.trialMedian)}${num(s.median)}${num(s.mean)}${num(s.mad)}${pctCell(s.cv)}${num(s.min)}` +
      `${num(s.max)}${num(s.p95)}${pctCell(s.trialCv)}<td class="num">` +
      `${m ? h(ci(m.lo, m.hi, fmtNum)) : '–'}</td></tr>`
    );
  });
  return (
    `<table ` +
    `class="statistics"><thead><tr><th>workload</th><th>metric</th><th>unit</th><th>environment</th><th>samples</th><th>trials</th><th>median ` +
    `of trials</th><th>median of samples</th><th>mean</th><th>MAD</th><th>CV ` +
    `%</th><th>min</th><th>max</th><th>p95</th><th>CV between trials %</th><th>median 95 % CI ` +
    `(trials)</th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`
  );
}

const many = (v: string[]) => (v.length > 4 ? `${v.slice(0, 3).join(', ')} … (${v.length} values)` : v.join(', '));

/** Each environment's configuration: probe, engine version, labels (accelerator, limits, digests…). */
export function environmentsSection(envs: readonly EnvConfig[]): string {
  return (
    `<div class="envs">` +
    `${envs
      .map((e) => {
        const rows: [string, string][] = [
          ['probe', e.ok ? 'available' : 'unavailable'],
          ...(e.version ? [['version', e.version] as [string, string]] : []),
          ...(e.note ? [['note', e.note] as [string, string]] : []),
          ...e.details.map(([k, v]): [string, string] => [`probe.${k}`, v]),
          ...e.labels.map(([k, v]): [string, string] => [k, many(v)]),
        ];
        return `<div><h3>${h(e.id)}</h3><table>${rows.map(([k, v]) => `<tr><th>${h(k)}</th><td>${h(v)}</td></tr>`).join('')}</table></div>`;
      })
      .join('\n')}` +
    `</div>`
  );
}

const known = (k: Known<unknown> | undefined): string =>
  k === undefined ? 'not recorded' : k.value === null ? `unknown (${k.reason})` : String(k.value);

/** The host fingerprint of a run. */
export function hostSection(record: RunRecord): string {
  return hostTable(record.host);
}

/** A host fingerprint as a table (also used per host in study reports). */
export function hostTable(host: HostFingerprint | undefined): string {
  if (!host) return '<p>no host fingerprint in the record</p>';
  const rows: [string, string][] = [
    ['host name', known(host.hostname)],
    ['CPU', known(host.cpuModel)],
    ['logical CPUs', known(host.cpuCount)],
    [
      'last-level cache',
      host.llcBytes?.value ? `${(host.llcBytes.value / 1024 ** 2).toFixed(1)} MiB` : known(host.llcBytes),
    ],
    [
      'memory',
      host.memoryBytes?.value ? `${(host.memoryBytes.value / 1024 ** 3).toFixed(1)} GiB` : known(host.memoryBytes),
    ],
    ['OS', known(host.os)],
    ['kernel', known(host.kernel)],
    ['host virtualization', known(host.virtualization)],
    ['cgroup layout', known(host.cgroup)],
    ['/dev/kvm', known(host.kvmDevice)],
    ['KVM module', known(host.kvmModule)],
    ...Object.entries(host.tools ?? {})
      .sort(([x], [y]) => x.localeCompare(y))
      .map(([t, v]): [string, string] => [`tool: ${t}`, known(v)]),
  ];
  return `<table class="host">${rows.map(([k, v]) => `<tr><th>${h(k)}</th><td>${h(v)}</td></tr>`).join('')}</table>`;
}

/** Trials that errored or were skipped, with why. */
export function failuresSection(record: RunRecord): string {
  const bad = record.results.filter((r) => r.status !== 'completed');
  if (bad.length === 0) return '<p>Every trial completed.</p>';
  const rows = bad.map((r) => {
    const why = r.status === 'skipped' ? r.reason : `${r.error.stage}: ${r.error.message}`;
    return (
      `<tr><td class="num">${r.trialId}</td><td>${h(envId(r))}</td><td>${h(r.workload)}</td><td>` +
      `${h(r.status)}</td><td>${h(why)}</td></tr>`
    );
  });
  return (
    `<details><summary>${bad.length} trial(s) did not ` +
    `complete</summary><table><thead><tr><th>trial</th><th>environment</th><th>workload</th><th>status</th><th>why</th></tr></thead><tbody>` +
    `${rows.join('')}</tbody></table></details>`
  );
}

/** How to reproduce the run and regenerate this report. */
export function reproduceSection(record: RunRecord): string {
  const p = record.plan;
  const dir = `${p.out}/${record.runId}`;
  return (
    `<p>The exact command (seed ${h(String(p.seed))}, ${h(p.order)} order, ${p.trials} trial(s) × ` +
    `${p.runs} measured run(s) after ${p.warmup} warm-up(s)):</p><pre>` +
    `${h(shellCommand(p.argv))}</pre><p>Regenerate this report without measuring again: <code>` +
    `${h(shellCommand(['isobench', 'report', dir]))}</code> (it reads only <code>run.json</code>). ` +
    `Raw samples: <code>samples.csv</code>; statistics: <code>summary.csv</code>.</p>`
  );
}
