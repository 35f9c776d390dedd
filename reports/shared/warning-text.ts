// The one place warnings become sentences: `<case>[ on <env>]: <finding> <advice>`.
import type { Warning } from '../../analysis/warnings.js';

/** A warning as one line of text. */
export function warningText(w: Warning): string {
  return `${warningLine(w)}${w.advice === null ? '' : ` ${w.advice}`}`;
}

/** A warning's finding with the cell it is about, without its advice (grouped warnings say the advice once). */
export function warningLine(w: Warning): string {
  const where = w.caseLabel === null ? '' : `${w.caseLabel}${w.env === null ? '' : ` on ${w.env}`}: `;
  return `${where}${w.finding}`;
}

/**
 * A warning stored in run.json as text (the run rendered it) that the current checks do not
 * derive again: shown as it was written.
 */
export function storedWarning(text: string): Warning {
  return { kind: 'run', caseLabel: null, env: null, finding: text, advice: null };
}
