// Sizes with binary suffixes (16K, 256M, 2G, 1T): the one parser for flags, workload parameters and sysfs.

/** Bytes in one unit of each size suffix (binary: 1K = 1024 bytes); B is a plain byte. */
const UNIT_BYTES = { B: 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 } as const;

/** A size unit: `B`yte, `K`iB, `M`iB, `G`iB, `T`iB. */
export type SizeUnit = keyof typeof UNIT_BYTES;

/** How `parseSize` reads a text. */
export interface SizeOptions {
  /** Unit of a number written without a suffix (default `B`: bytes). */
  plain?: SizeUnit;
  /** Suffixes accepted, case-insensitive (default K, M, G, T). */
  suffixes?: readonly SizeUnit[];
}

/**
 * Parses a whole number with an optional binary suffix (`16K`, `256m`, `2G`, `4096`) into bytes.
 * Throws an Error naming the text when it is not such a size.
 */
export function parseSize(text: string, opts: SizeOptions = {}): number {
  const m = /^([0-9]+)([A-Za-z]?)$/.exec(text);
  const suffix = (m?.[2] ?? '').toUpperCase();
  const unit = suffix === '' ? (opts.plain ?? 'B') : (opts.suffixes ?? ['K', 'M', 'G', 'T']).find((u) => u === suffix);
  if (!m?.[1] || unit === undefined) throw new Error(`not a size: '${text}' (use e.g. 16K, 256M, 2G)`);
  return Number(m[1]) * UNIT_BYTES[unit];
}

/** `parseSize`, or null when the text is not a size (for facts read from files and records). */
export function sizeOrNull(text: string, opts: SizeOptions = {}): number | null {
  try {
    return parseSize(text, opts);
  } catch {
    return null;
  }
}
