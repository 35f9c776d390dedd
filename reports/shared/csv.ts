// CSV output shared by every report: csv-stringify's quoting, plus neutralised formula cells.
import { stringify } from 'csv-stringify/sync';

/** A plain decimal number, sign and exponent allowed: numeric, never a formula. */
const PLAIN_NUMBER = /^[-+]?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/;

/**
 * CSV formula injection: a spreadsheet evaluates a cell starting with `=`, `+`, `-` or `@` (and
 * tab or carriage return, which some strip first) as a formula, so a host name or label like
 * `=HYPERLINK(…)` from a record would run on opening. Such a text cell gets a leading `'`
 * (OWASP's advice: shown as text, the quote itself hidden by spreadsheets). Numbers — negative
 * ones included, whether passed as numbers or as numeric strings — stay as they are, so numeric
 * columns still read as numbers.
 */
export function neutraliseCell(cell: unknown): unknown {
  if (typeof cell !== 'string' || !/^[=+\-@\t\r]/.test(cell) || PLAIN_NUMBER.test(cell)) return cell;
  return `'${cell}`;
}

/** Renders rows (header first) as CSV text with formula cells neutralised. */
export function csvText(rows: readonly (readonly unknown[])[]): string {
  return stringify(rows.map((r) => r.map(neutraliseCell)));
}

/** The trailing columns of every CSV row that compares an environment with a baseline: ratio, change and verdict. */
export const COMPARISON_COLUMNS = [
  'ratio',
  'ratio_ci_lo',
  'ratio_ci_hi',
  'change_pct',
  'change_ci_lo_pct',
  'change_ci_hi_pct',
  'verdict_kind',
  'verdict',
] as const;
