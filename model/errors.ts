// Error kinds that the CLI turns into exit codes and the executor turns into trial outcomes.

/** Bad input from the user: the CLI prints the message and exits 2 before measuring. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** A tool's output could not be understood; the trial becomes `errored`. */
export class ParseError extends Error {
  override name = 'ParseError';
  constructor(
    message: string,
    /** The text that failed to parse (kept for the record, truncated by the caller). */
    readonly text: string,
  ) {
    super(message);
  }
}

/** Builds a ConfigError naming the bad value and the valid choices. */
export function badChoice(what: string, value: string, choices: readonly string[]): ConfigError {
  return new ConfigError(`unknown ${what} '${value}'; valid choices: ${choices.join(', ')}`);
}

/** The messages of an error and its `cause` chain, outermost first. */
export function causeChain(err: unknown): string[] {
  const out: string[] = [];
  let cur: unknown = err;
  for (let depth = 0; cur !== undefined && cur !== null && depth < 8; depth++) {
    out.push(cur instanceof Error ? cur.message : String(cur));
    cur = cur instanceof Error ? cur.cause : undefined;
  }
  return out;
}

/**
 * A file could not be written into an output directory (full disk, read-only or forbidden directory).
 * The CLI prints the one-line message and exits 1 for a full disk (a host condition met while
 * working) and 2 for a directory that cannot be written at all (the user's choice of directory).
 */
export class OutputError extends Error {
  override name = 'OutputError';
  constructor(
    message: string,
    /** The errno code (ENOSPC, EROFS, EACCES, …). */
    readonly code: string,
    /** The directory that could not be written. */
    readonly dir: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** The exit code: 1 when the disk is full (or over quota), 2 when the directory is unwritable. */
  get exitCode(): 1 | 2 {
    return this.code === 'ENOSPC' || this.code === 'EDQUOT' ? 1 : 2;
  }
}

/**
 * `text` on one printable line: control characters (newlines included) and Unicode line
 * separators from a record's bytes are shown as `\uXXXX`, so a message quoting them stays one line.
 */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  const unprintable = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
  return text.replace(unprintable, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
