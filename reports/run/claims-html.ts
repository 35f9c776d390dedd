// The report's published-claims table: each claim's kind, source (and how far it was checked), method, and this run's measurements.
import type { ClaimMeasurement, ClaimResult, ClaimStatus } from '../../analysis/claims.js';
import type { ClaimKind, ClaimMethod, SourceStatus } from '../../model/claims.js';
import { escapeHtml as h } from '../shared/format.js';

/** How a status reads in the report. */
export const STATUS_TEXT: Record<ClaimStatus, string> = {
  agrees: 'agrees',
  disagrees: 'disagrees',
  undecided: 'undecided',
  'not-comparable': 'not comparable',
  'method-differs': 'method differs',
};
const KIND_TEXT: Record<ClaimKind, string> = {
  measurement: 'measurement',
  'vendor-assertion': 'vendor assertion',
  marketing: 'marketing',
  illustration: 'illustration',
};
const SOURCE_TEXT: Record<SourceStatus, string> = {
  verified: 'source verified',
  cited: 'source cited; figures not re-read in it',
  unverified: 'unverified source',
};

/** The claim's method in one line: workload; threads; IO depth; block size; isolation; hardware. */
export function methodText(m: ClaimMethod): string {
  const parts: [string, string | undefined][] = [
    ['', m.workload],
    ['threads: ', m.threads],
    ['IO depth: ', m.ioDepth],
    ['block size: ', m.blockSize],
    ['', m.hypervisor],
    ['hardware: ', m.hardware],
  ];
  return parts
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}${String(v)}`)
    .join('; ');
}

/** One measurement in words: what the claim says, what was measured, where, and the judgement (with why it was not judged). */
export function measurementText(m: ClaimMeasurement): string {
  const judged = m.reason === null ? STATUS_TEXT[m.status] : m.reason;
  return `${m.says} — measured ${m.measured} (${m.where}): ${judged}`;
}

function measurementHtml(m: ClaimMeasurement): string {
  const why = m.reason === null ? '' : ` — ${h(m.reason.replace(/^(not comparable|method differs): /, ''))}`;
  return (
    `<li>${h(m.says)} — measured ${h(m.measured)} (${h(m.where)}): <span class="s-${m.status}">` +
    `${h(STATUS_TEXT[m.status])}</span>${why}</li>`
  );
}

/** Published claims next to this run's measurements. */
export function claimsTable(results: readonly ClaimResult[]): string {
  const rows = results.map((r) => {
    const c = r.claim;
    const measured =
      r.notMeasured !== null
        ? `<span class="v-no-data">${h(r.notMeasured)}</span>`
        : `<ul>${r.measurements.map(measurementHtml).join('')}</ul>`;
    const note = c.note === undefined ? '' : `<p class="note">${h(c.note)}</p>`;
    const sourceNote = c.source.note === undefined ? '' : `<p class="note">${h(c.source.note)}</p>`;
    const url = c.source.url === undefined ? '' : ` <code>${h(c.source.url)}</code>`;
    return (
      `<tr id="claim-${h(c.id)}"><td>${h(c.claim)}<p class="note">${h(KIND_TEXT[c.kind])} · <code>` +
      `${h(c.id)}</code></p></td>` +
      (`<td>${h(c.source.cite)}${url}<p class="src-${c.source.status}">` +
        `${h(SOURCE_TEXT[c.source.status])}</p>${sourceNote}</td>`) +
      `<td>${h(methodText(c.method))}</td><td>${measured}${note}</td></tr>`
    );
  });
  return (
    `<table class="claims"><thead><tr><th>claim</th><th>source</th><th>method</th><th>this ` +
    `run</th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`
  );
}

/** The sentence above the table: how claims are judged. */
export const CLAIMS_READING =
  '<p class="note">A claim is judged only like for like: <em>agrees</em> or <em>disagrees</em> ' +
  "when this run's 95 % interval lies inside or outside the claimed range, <em>undecided</em> " +
  "when it crosses a bound; <em>method differs</em> when the case did not follow the claim's " +
  'method (threads, IO depth, block size, IO mode), and <em>not comparable</em> when the ' +
  'environment ran under emulation (TCG) while the claim is about hardware virtualization. Each ' +
  'claim says what kind it is and how far its source was checked.</p>';
