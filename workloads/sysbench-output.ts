// Pure helpers that read values out of sysbench text output (the 1.0.x and 1.1 report layouts).
import { ParseError } from '../model/errors.js';

/**
 * The end-of-run report layouts isobench reads. `1.0`: "General statistics: total time" (sysbench
 * 1.0.0–1.0.20). `1.1`: "Throughput: events/s (eps) … time elapsed" or, for fileio, "Throughput:
 * read: IOPS=…" without General statistics (sysbench built from the 1.1 development branch).
 */
export type ReportLayout = '1.0' | '1.1';

/** Returns the number after `label` on its line (e.g. `events per second:  3194.14`). */
export function numberAfter(text: string, label: string, what: string): number {
  const v = maybeNumberAfter(text, label);
  if (v === null) throw new ParseError(`sysbench output has no '${label}' (${what})`, text);
  return v;
}

/** Like `numberAfter`, but null when the label is absent. */
export function maybeNumberAfter(text: string, label: string): number | null {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // The number must be a whole token: '1e308', '0x1F', '1,234.5' or '3.1.4' are not read as their first digits.
  const m = new RegExp(`${escaped}\\s*([0-9]+(?:\\.[0-9]+)?)(?![0-9.]|,[0-9]|[eE][+-]?[0-9]|[xX][0-9a-fA-F])`).exec(
    text,
  );
  if (!m?.[1]) return null;
  const v = Number(m[1]);
  return Number.isFinite(v) ? v : null;
}

/** sysbench prints its version on the first line: `sysbench 1.0.20 (using …)`. */
export function sysbenchVersion(text: string): string | null {
  return /^sysbench ([0-9][^\s:]*)/m.exec(text)?.[1] ?? null;
}

/** The end of a finished report, complete up to its newline: "Threads fairness … execution time a/b". */
const FAIRNESS_END =
  /Threads fairness:[^\n]*\n[^\n]*\n\s*execution time \(avg\/stddev\):\s*[0-9.]+\/[0-9.]+[ \t]*\r?\n/;
/**
 * The last line of the latency block, complete up to its newline. Every value isobench reads comes
 * before it, so a report that reaches it cannot be half-read (1.1 fileio prints nothing after it).
 */
const LATENCY_END = /Latency \(ms\):(?:[^\n]*\n)*?\s*sum:\s*[0-9.]+[ \t]*\r?\n/;
/** Markers of a finished report in a layout isobench does not read (0.4/0.5 and unknown ones). */
const OTHER_LAYOUT = /Test execution summary:|Operations performed:|per-request statistics:/;

/**
 * Which report layout the output has. Throws ParseError "unsupported sysbench output format"
 * when the report is finished but laid out in a way isobench does not read, and "output is
 * incomplete" only when the run was really cut short, so that nothing is ever half-read.
 */
export function reportLayout(text: string): ReportLayout {
  const version = sysbenchVersion(text);
  const general = /General statistics:/.test(text) && /total time:\s*[0-9.]+s/.test(text);
  const throughput11 =
    /Throughput:/.test(text) &&
    ((/events\/s \(eps\):/.test(text) && /time elapsed:\s*[0-9.]+s/.test(text)) ||
      /^\s*(read|write):\s+IOPS=/m.test(text));
  const fairness = FAIRNESS_END.test(text);
  const complete = fairness || LATENCY_END.test(text);
  if (general) {
    if (complete) return '1.0';
  } else if (throughput11) {
    if (complete) return '1.1';
  } else if (complete || OTHER_LAYOUT.test(text)) {
    throw new ParseError(
      `unsupported sysbench output format${version === null ? '' : ` (sysbench ${version})`}: the ` +
        `report is complete but has neither "General statistics: total time" (sysbench 1.0) nor ` +
        `"Throughput: events/s (eps), time elapsed" (1.1); isobench reads sysbench 1.0.x and 1.1 reports`,
      text,
    );
  }
  throw new ParseError(
    "sysbench output is incomplete: it stops before its final statistics (the latency block's " +
      '"sum:" line); the run was cut short',
    text,
  );
}

/** Run time in seconds: "total time:" (1.0) or "time elapsed:" (1.1), or null (1.1 fileio prints neither). */
export function totalTimeS(text: string): number | null {
  return maybeNumberAfter(text, 'total time:') ?? maybeNumberAfter(text, 'time elapsed:');
}

/** Latency figures (ms) from the `Latency (ms):` block. */
export function latency(text: string): { avg: number; p95: number; max: number } {
  const block = text.split('Latency (ms):')[1];
  if (block === undefined) throw new ParseError('sysbench output has no latency block', text);
  return {
    avg: numberAfter(block, 'avg:', 'latency'),
    p95: numberAfter(block, '95th percentile:', 'latency'),
    max: numberAfter(block, 'max:', 'latency'),
  };
}
