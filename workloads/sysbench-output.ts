// Pure helpers that read values out of sysbench 1.0.x text output.
import { ParseError } from '../model/errors.js';

/** Returns the number after `label` on its line (e.g. `events per second:  3194.14`). */
export function numberAfter(text: string, label: string, what: string): number {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`${escaped}\\s*([0-9]+(?:\\.[0-9]+)?)`).exec(text);
  if (!m?.[1]) throw new ParseError(`sysbench output has no '${label}' (${what})`, text);
  const v = Number(m[1]);
  if (!Number.isFinite(v)) throw new ParseError(`sysbench '${label}' is not a number`, text);
  return v;
}

/** sysbench prints its version on the first line: `sysbench 1.0.20 (using …)`. */
export function sysbenchVersion(text: string): string | null {
  return /^sysbench ([0-9][^\s]*)/m.exec(text)?.[1] ?? null;
}

/** Checks the run reached its final statistics, so a truncated output is never half-read. */
export function requireComplete(text: string): void {
  if (!/General statistics:/.test(text) || !/total time:\s*[0-9.]+s/.test(text)) {
    throw new ParseError('sysbench output is incomplete (no "General statistics" with total time)', text);
  }
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
