// Arguments of `isobench compare`: flags, the threshold and the per-metric threshold file, checked into typed options.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError } from '../../model/errors.js';
import { DEFAULT_THRESHOLD, type Thresholds } from '../../analysis/compare/runs.js';
import { fractionOfPercent, type Fraction } from '../../lib/numbers.js';

/** Usage of `isobench compare`. */
export const COMPARE_USAGE = `usage: isobench compare <baseline run dir|run.json> <current run dir|run.json> [options]
  Compares every metric of every cell (workload, params, environment, engine) of the current run
  with the baseline run. A regression is a change whose whole 95 % interval (bootstrap over both
  runs' trials) lies beyond the threshold on the worse side; improvements never fail.
  --threshold PCT     minimum effect size, e.g. 5% (default 5%)
  --config FILE       JSON thresholds: {"threshold": "5%", "metrics": {"startup_ms": "20%"}}
  --json              print the comparison as JSON instead of text
  --markdown [FILE]   print a Markdown job summary (or write it to FILE: --markdown=FILE or --markdown FILE.md)
  With $GITHUB_STEP_SUMMARY set, the Markdown summary is also appended to that file.
  exit 0: no regression; 1: at least one regression; 2: bad input
`;

/** Parsed `isobench compare` arguments. */
export interface CompareArgs {
  /** The baseline run (directory or run.json). */
  baseline: string;
  /** The current run. */
  current: string;
  /** The threshold flag's text, when given (it overrides the config file's default). */
  threshold: string | undefined;
  /** The config file, when given. */
  config: string | undefined;
  /** Print JSON. */
  json: boolean;
  /** Markdown: null = not asked, '-' = stdout, else a file path. */
  markdown: string | null;
  /** Print the usage. */
  help: boolean;
}

const OPTIONS = {
  threshold: { type: 'string' as const },
  config: { type: 'string' as const },
  json: { type: 'boolean' as const, default: false },
  help: { type: 'boolean' as const, short: 'h', default: false },
};

/** Takes `--markdown`, `--markdown=FILE` and `--markdown FILE.md` out of argv (parseArgs has no optional values). */
function takeMarkdown(argv: readonly string[]): { rest: string[]; markdown: string | null } {
  const rest: string[] = [];
  let markdown: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (a === '--markdown') {
      const next = argv[i + 1];
      if (next !== undefined && next.endsWith('.md')) {
        markdown = next;
        i++;
      } else markdown = '-';
    } else if (a.startsWith('--markdown=')) {
      const file = a.slice('--markdown='.length);
      if (file === '')
        throw new ConfigError(
          "bad value '' for --markdown: expected a file name, e.g. --markdown=compare.md, or --markdown " +
            'alone for stdout',
        );
      markdown = file;
    } else rest.push(a);
  }
  return { rest, markdown };
}

/** Parses `isobench compare` arguments; bad ones are a ConfigError naming the value and the valid form. */
export function parseCompareArgs(argv: readonly string[]): CompareArgs {
  const { rest, markdown } = takeMarkdown(argv);
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new ConfigError(`${msg.split('\n')[0] ?? msg}; valid flags: --threshold, --config, --json, --markdown`, {
      cause: err,
    });
  }
  const { values: v, positionals } = parsed;
  const help = v.help;
  if (!help && positionals.length !== 2) {
    throw new ConfigError(
      `compare needs two runs, the baseline and the current one (a run directory or its run.json), got ` +
        `${positionals.length}${positionals.length > 2 ? `: ${positionals.join(' ')}` : ''}; e.g. ` +
        `isobench compare baseline/run.json results/<run-id>`,
    );
  }
  if (v.json && markdown === '-')
    throw new ConfigError(
      '--json and --markdown both print to stdout: choose one, or write the Markdown to a file with --markdown=FILE',
    );
  return {
    baseline: positionals[0] ?? '',
    current: positionals[1] ?? '',
    threshold: v.threshold,
    config: v.config,
    json: v.json,
    markdown,
    help,
  };
}

/** A threshold as a fraction from `5%`, `5` or `2.5%` (a percentage greater than 0 and below 100). */
export function parseThreshold(text: unknown, where: string): Fraction {
  const s = typeof text === 'number' ? String(text) : typeof text === 'string' ? text.trim() : JSON.stringify(text);
  const m = /^([0-9]+(?:\.[0-9]+)?)\s*%?$/.exec(s ?? '');
  const n = m ? Number(m[1]) : Number.NaN;
  if (!(n > 0 && n < 100))
    throw new ConfigError(
      `bad value '${s}' for ${where}: expected a percentage above 0 and below 100, such as 5% or 2.5%`,
    );
  return fractionOfPercent(n);
}

/**
 * The thresholds: the config file's (if any), the --threshold flag over its default. Metric
 * names of the file must be among `metrics` (the metric catalogue and both runs' metrics).
 */
export function resolveThresholds(
  args: Pick<CompareArgs, 'threshold' | 'config'>,
  metrics: readonly string[],
): Thresholds {
  const out: Thresholds = { default: DEFAULT_THRESHOLD, metrics: {} };
  if (args.config !== undefined) {
    const file = args.config;
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : err instanceof Error ? err.message : String(err);
      throw new ConfigError(
        `cannot read the compare config '${file}' (${why}): expected a JSON file such as {"threshold": ` +
          `"5%", "metrics": {"startup_ms": "20%"}}`,
        { cause: err },
      );
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data))
      throw new ConfigError(
        `the compare config '${file}' is not a JSON object: expected {"threshold": "5%", "metrics": ` +
          `{"startup_ms": "20%"}}`,
      );
    const obj = data as Record<string, unknown>;
    const unknown = Object.keys(obj).filter((k) => k !== 'threshold' && k !== 'metrics');
    if (unknown.length > 0)
      throw new ConfigError(
        `unknown key '${unknown[0]}' in the compare config '${file}'; valid keys: threshold, metrics`,
      );
    if (obj['threshold'] !== undefined) out.default = parseThreshold(obj['threshold'], `"threshold" in ${file}`);
    const perMetric = obj['metrics'];
    if (perMetric !== undefined) {
      if (typeof perMetric !== 'object' || perMetric === null || Array.isArray(perMetric))
        throw new ConfigError(
          `"metrics" in the compare config '${file}' must be an object of metric name → threshold, e.g. ` +
            `{"startup_ms": "20%"}`,
        );
      for (const [name, t] of Object.entries(perMetric as Record<string, unknown>)) {
        if (!metrics.includes(name))
          throw new ConfigError(
            `unknown metric '${name}' in the compare config '${file}'; valid choices: ` +
              `${[...new Set(metrics)].join(', ')}`,
          );
        out.metrics[name] = parseThreshold(t, `metric '${name}' in ${file}`);
      }
    }
  }
  if (args.threshold !== undefined) out.default = parseThreshold(args.threshold, '--threshold');
  return out;
}
