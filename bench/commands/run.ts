// `isobench run`: validates the flags into typed options, measures, then writes the reports.
import { resolve } from 'node:path';
import { availableParallelism, tmpdir } from 'node:os';
import { ConfigError } from '../../model/errors.js';
import { DISK_CACHE_MODES, VM_ACCELS, type RunnerOptions } from '../../model/options.js';
import {
  choiceFlag,
  cpusetFlag,
  durationFlag,
  hostLabelFlag,
  intFlag,
  listFlag,
  marginFlag,
  memoryFlag,
  numberFlag,
  parseRunFlags,
} from '../args.js';
import { applyProfiles, parseOverrides } from '../params.js';
import { markInterruption, run } from '../run/executor.js';
import { preflight } from '../run/preflight.js';
import { RunAbort } from '../run/abort.js';
import { MAX_ROUNDS } from '../run/until.js';
import { writeRecord } from '../run/record.js';
import { WORKLOADS } from '../../workloads/index.js';
import { DEFAULT_ENVS, engineNames, envNames, resolveRunners } from '../../runners/index.js';
import { summaryTable } from '../../reports/run/table.js';
import { reportCommand } from './report.js';
import { reportWarnings } from '../../reports/run/index.js';
import { warningsText } from '../../reports/shared/warning-groups.js';
import { runWarnings } from '../../analysis/warnings.js';
import { analyse } from '../../analysis/verdict-analysis.js';
import { summaryMarkdown } from '../../reports/run/summary-md.js';
import { appendStepSummary } from './step-summary.js';

/** Runs `isobench run` with `argv` (after the command name); returns the exit code. */
export async function runCommand(argv: string[], usage: string, log: (line: string) => void): Promise<number> {
  const { values: v, positionals } = parseRunFlags(argv);
  if (v.help) {
    process.stdout.write(usage);
    return 0;
  }
  if (positionals.length > 0)
    throw new ConfigError(`unexpected argument '${positionals[0]}'; run takes only flags (see isobench help)`);
  const envs = listFlag('env', v.env ?? DEFAULT_ENVS.join(','), envNames());
  const engines = v.engine === '' ? [] : listFlag('engine', v.engine, engineNames());
  const workloads = listFlag(
    'workload',
    v.workload,
    WORKLOADS.map((w) => w.name),
  );
  const overrides = parseOverrides(
    v.set,
    WORKLOADS.filter((w) => workloads.includes(w.name)),
  );
  applyProfiles(
    v.profile
      .flatMap((p) => p.split(','))
      .map((p) => p.trim())
      .filter((p) => p !== ''),
    WORKLOADS,
    workloads,
    overrides,
  );
  const runners = resolveRunners(envs, engines);
  // Isolated environments always get the same explicit budget (parity): all host CPUs and 2 GiB
  // unless told otherwise. Bare metal is limited only by --pin.
  const cpus = v.cpus === undefined ? availableParallelism() : numberFlag('cpus', v.cpus);
  const memoryMiB = memoryFlag(v.memory ?? '2G');
  const runnerOptions: RunnerOptions = {
    vm: {
      accel: choiceFlag('vm-accel', v['vm-accel'], VM_ACCELS),
      machine: v['vm-machine'] ?? null,
      diskCache: choiceFlag('disk-cache', v['disk-cache'], DISK_CACHE_MODES),
      boot: 'pvh',
      cpu: null,
    },
  };
  const cpuset = v.pin === undefined ? null : cpusetFlag(v.pin);
  if (v['max-time'] !== undefined && !v['until-conclusive'])
    throw new ConfigError(
      `--max-time ${v['max-time']} is the time budget of --until-conclusive: add --until-conclusive, ` +
        `or drop --max-time`,
    );
  const until = v['until-conclusive']
    ? { maxTimeMs: durationFlag('max-time', v['max-time'] ?? '10m'), maxRounds: MAX_ROUNDS }
    : undefined;
  const outRoot = resolve(v.out);
  await preflight({
    cpuset,
    memoryMiB,
    outRoot,
    envs: runners.map((r) => r.env),
    diskCache: runnerOptions.vm.diskCache,
  });
  // From here on SIGINT/SIGTERM stop the run cleanly (instances, temp files) instead of killing isobench.
  const abort = new RunAbort(log).install();
  try {
    return await measureAndReport();
  } finally {
    abort.done();
  }

  async function measureAndReport(): Promise<number> {
    const { record, dir } = await run({
      runners,
      workloads,
      overrides,
      trials: intFlag('trials', v.trials),
      runs: intFlag('runs', v.runs),
      warmup: intFlag('warmup', v.warmup, true),
      seed: v.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : intFlag('seed', v.seed, true),
      order: choiceFlag('order', v.order, ['interleaved', 'grouped']),
      instancePer: choiceFlag('instance-per', v['instance-per'], ['trial', 'workload']),
      quick: v.quick,
      limits: { cpus, memoryMiB },
      cpuset,
      runnerOptions,
      margin: marginFlag(v.margin),
      out: v.out,
      outRoot,
      cacheDir: resolve(v['cache-dir'] ?? process.env['ISOBENCH_CACHE'] ?? `${tmpdir()}/isobench-cache`),
      argv: ['isobench', 'run', ...argv],
      log,
      // A live line on a terminal; plain lines in a CI log (stderr is not a TTY there).
      progress: { live: process.stderr.isTTY === true, write: (text) => process.stderr.write(text) },
      hostLabel: v['host-label'] === undefined ? null : hostLabelFlag(v['host-label']),
      abort,
      ...(until ? { untilConclusive: until } : {}),
    });
    if (!abort.aborted()) abort.phase = 'report';
    const reported = !v['no-report'] && !abort.aborted();
    if (reported) await reportCommand([dir], log, record, () => abort.aborted());
    if (abort.aborted()) {
      // Interrupted while measuring or rendering the reports: the record says so, no report is written.
      markInterruption(record, abort);
      await writeRecord(dir, record);
      log(
        `interrupted: run record kept in ${dir}/run.json (` +
          `${record.results.filter((r) => r.status === 'completed').length} completed trials); reports: ` +
          `isobench report ${dir}`,
      );
      return abort.exitCode();
    }
    process.stdout.write(
      `${summaryTable(record)}\n\nrun record: ${dir}/run.json${v['no-report'] ? '' : `\nreport: ${dir}/report.html`}\n`,
    );
    for (const line of warningsText(reportWarnings(record, runWarnings(record)))) log(line);
    if (process.env['GITHUB_STEP_SUMMARY']) {
      const analysis = analyse(record);
      await appendStepSummary(
        summaryMarkdown(record, analysis, reportWarnings(record, runWarnings(record, analysis)), { compact: true }),
        log,
      );
    }
    return record.results.some((r) => r.status === 'errored') ? 1 : 0;
  }
}
