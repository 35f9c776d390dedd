// `isobench compare <baseline> <current>`: the CI gate — a verdict per metric, exit 1 on a regression.
import { compareRuns } from '../../analysis/compare/runs.js';
import { compareMarkdown, compareText } from '../../reports/compare/text.js';
import { metricCatalogue } from '../../workloads/index.js';
import { readRecord, recordPath } from '../run/record.js';
import { writeFileAtomic } from '../run/atomic.js';
import { COMPARE_USAGE, parseCompareArgs, resolveThresholds } from './compare-args.js';
import { appendStepSummary } from './step-summary.js';

/** Version of the `--json` output's shape. */
export const COMPARE_JSON_VERSION = 1;

/** Runs `isobench compare` with `argv` (after the command name); returns the exit code. */
export async function compareCommand(argv: string[], log: (line: string) => void): Promise<number> {
  const args = parseCompareArgs(argv);
  if (args.help) {
    process.stdout.write(COMPARE_USAGE);
    return 0;
  }
  // Read both records before judging anything: a bad second file must not leave half a report.
  const baseline = await readRecord(args.baseline);
  const current = await readRecord(args.current);
  const thresholds = resolveThresholds(args, [
    ...Object.keys(metricCatalogue()),
    ...Object.keys(baseline.metrics),
    ...Object.keys(current.metrics),
  ]);
  const cmp = compareRuns(baseline, current, thresholds);
  const markdown = compareMarkdown(cmp);
  const text = compareText(cmp, { baseline: recordPath(args.baseline), current: recordPath(args.current) });
  if (args.json) {
    process.stdout.write(
      `${JSON.stringify({ version: COMPARE_JSON_VERSION, gate: cmp.counts.regression > 0 ? 'fail' : 'pass', thresholds, ...cmp }, null, 1)}` +
        `\n`,
    );
  } else if (args.markdown === '-') {
    process.stdout.write(markdown);
  } else {
    process.stdout.write(`${text.join('\n')}\n`);
  }
  if (args.markdown !== null && args.markdown !== '-') {
    await writeFileAtomic(args.markdown, markdown);
    log(`job summary written to ${args.markdown}`);
  }
  // Loud on stderr too, so that a --json or --markdown consumer's log still shows it.
  if (cmp.setup.length > 0 && (args.json || args.markdown === '-'))
    log(
      `warning: the runs are not like for like (${cmp.setup.length} difference(s) of host or set-up: ` +
        `${cmp.setup.map((d) => d.what).join(', ')})`,
    );
  await appendStepSummary(markdown, log);
  return cmp.counts.regression > 0 ? 1 : 0;
}
