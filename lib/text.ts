// Text helpers every layer shares: the tail of a log, and quoting for a POSIX shell.

/** The last `n` characters of `text` (all of it when shorter). */
export function tail(text: string, n = 2000): string {
  return text.length > n ? text.slice(-n) : text;
}

/** Quotes one argument for a POSIX shell: safe characters stay bare, anything else is single-quoted. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=,@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** An argv as one shell command line that gives the same argv back when pasted into a shell. */
export function shellCommand(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
