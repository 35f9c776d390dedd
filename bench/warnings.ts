// Run-level warnings derived from the record, each saying what to do about it.
import type { RunRecord } from './types.js';

/** Warnings about how the run went (unavailable environments, failures, fallbacks). */
export function runWarnings(record: RunRecord): string[] {
  const out: string[] = [];
  for (const p of record.probes) {
    if (!p.ok) out.push(`${p.id} was unavailable and its trials were skipped: ${p.reason ?? 'no reason given'}.`);
    else if (p.reason) out.push(`${p.id}: ${p.reason}`);
  }
  const errored = record.results.filter((r) => r.status === 'errored');
  if (errored.length > 0) {
    out.push(`${errored.length} trial(s) errored; their error messages and log tails are in run.json. Fix the cause and re-run, or read the results as incomplete.`);
  }
  if (record.interrupted) out.push('The run was interrupted: results cover only the trials that finished.');
  return out;
}
