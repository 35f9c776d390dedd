// Command-line parsing and validation: every bad value becomes a ConfigError (exit 2).
import { parseArgs, type ParseArgsConfig } from 'node:util';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;
import { DEFAULT_MARGIN_PCT } from '../model/options.js';
import { ConfigError, badChoice } from '../model/errors.js';
import { sizeOrNull } from '../lib/sizes.js';
import { fractionOfPercent, type Fraction } from '../lib/numbers.js';

/** The sub-commands. */
export const COMMANDS = ['run', 'list', 'report', 'compare', 'merge', 'fleet', 'plan', 'schema', 'help'] as const;

/** Options of `isobench run`, as declared to parseArgs. */
export const RUN_OPTIONS = {
  env: { type: 'string' as const },
  engine: { type: 'string' as const, default: '' },
  workload: { type: 'string' as const, default: 'cpu,memory,fileio' },
  trials: { type: 'string' as const, default: '5' },
  runs: { type: 'string' as const, default: '3' },
  warmup: { type: 'string' as const, default: '1' },
  seed: { type: 'string' as const },
  order: { type: 'string' as const, default: 'interleaved' },
  'instance-per': { type: 'string' as const, default: 'trial' },
  quick: { type: 'boolean' as const, default: false },
  'until-conclusive': { type: 'boolean' as const, default: false },
  'max-time': { type: 'string' as const },
  cpus: { type: 'string' as const },
  memory: { type: 'string' as const },
  pin: { type: 'string' as const },
  set: { type: 'string' as const, multiple: true, default: [] as string[] },
  profile: { type: 'string' as const, multiple: true, default: [] as string[] },
  'vm-accel': { type: 'string' as const, default: 'auto' },
  'vm-machine': { type: 'string' as const },
  'disk-cache': { type: 'string' as const, default: 'none' },
  out: { type: 'string' as const, default: 'results' },
  'cache-dir': { type: 'string' as const },
  margin: { type: 'string' as const, default: String(DEFAULT_MARGIN_PCT) },
  'no-report': { type: 'boolean' as const, default: false },
  'host-label': { type: 'string' as const },
  help: { type: 'boolean' as const, short: 'h', default: false },
} satisfies ParseArgsOptionsConfig;

/** Parses `isobench run` flags; unknown flags and missing values become a ConfigError. */
export function parseRunFlags(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: RUN_OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const flags = Object.keys(RUN_OPTIONS).map((k) => `--${k}`);
    throw new ConfigError(`${msg.split('\n')[0] ?? msg}; valid flags: ${flags.join(', ')}`, { cause: err });
  }
}

/** A positive integer flag (or ≥ 0 when `allowZero`). */
export function intFlag(name: string, text: string, allowZero = false): number {
  const n = Number(text);
  if (!/^[0-9]+$/.test(text) || (!allowZero && n < 1)) {
    throw new ConfigError(
      `bad value '${text}' for --${name}: expected ${allowZero ? 'a whole number ≥ 0' : 'a whole number ≥ 1'}`,
    );
  }
  return n;
}

/** A positive number flag (decimals allowed). */
export function numberFlag(name: string, text: string): number {
  const n = Number(text);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(text) || n <= 0)
    throw new ConfigError(`bad value '${text}' for --${name}: expected a positive number`);
  return n;
}

/** `--margin PCT` (a positive percentage, `2` for ±2 %) as the fraction it is carried as from here on (0.02). */
export function marginFlag(text: string): Fraction {
  return fractionOfPercent(numberFlag('margin', text));
}

/** A memory size like `2048`, `512M` or `2G`, in MiB. */
export function memoryFlag(text: string): number {
  const bytes = sizeOrNull(text, { plain: 'M', suffixes: ['M', 'G'] });
  if (bytes === null || bytes < 2 ** 20)
    throw new ConfigError(`bad value '${text}' for --memory: expected MiB or a size such as 512M or 2G`);
  return bytes / 2 ** 20;
}

/** A comma list where every item must be one of `choices`. */
export function listFlag(name: string, text: string, choices: readonly string[]): string[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) throw new ConfigError(`--${name} is empty; valid choices: ${choices.join(', ')}`);
  for (const it of items)
    if (!choices.includes(it)) throw badChoice(name === 'env' ? 'environment' : name, it, choices);
  return [...new Set(items)];
}

/** One of `choices`. */
export function choiceFlag<T extends string>(name: string, text: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(text)) throw badChoice(`value for --${name}`, text, choices);
  return text as T;
}

/** A CPU list for taskset/cpuset (`0`, `0-1`, `0,2`). */
export function cpusetFlag(text: string): string {
  if (!/^[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*$/.test(text))
    throw new ConfigError(`bad value '${text}' for --pin: expected a CPU list such as 0 or 0-1 or 0,2`);
  return text;
}

/** A host's name in a multi-host study: letters, digits and `._-`, at most 64 characters. */
export function hostLabelFlag(text: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(text)) {
    throw new ConfigError(
      `bad value '${text}' for --host-label: expected 1–64 letters, digits, '.', '_' or '-' (e.g. the ` +
        `inventory name web-01)`,
    );
  }
  return text;
}

/** A duration such as `90s`, `10m`, `1h` or `1h30m` (plain seconds allowed), in ms; more than 0. */
export function durationFlag(name: string, text: string): number {
  const m = /^(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s?)?$/.exec(text.trim());
  const ms = m === null ? 0 : ((Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 1000;
  if (m === null || ms <= 0)
    throw new ConfigError(`bad value '${text}' for --${name}: expected a duration such as 90s, 10m or 1h30m`);
  return ms;
}
