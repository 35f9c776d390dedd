#!/usr/bin/env node
// isobench's entry point: turns arguments into a run, a listing or a report; errors into exit codes.
import { resolve } from 'node:path';
import { availableParallelism, tmpdir } from 'node:os';
import { ConfigError, causeChain } from '../model/errors.js';
import { COMMANDS, choiceFlag, cpusetFlag, intFlag, listFlag, memoryFlag, numberFlag, parseRunFlags } from './args.js';
import { parseOverrides } from './params.js';
import { run } from './run/executor.js';
import { WORKLOADS } from '../workloads/index.js';
import { DEFAULT_ENVS, engineNames, envNames, resolveRunners } from '../runners/index.js';
import { summaryTable } from '../reports/table.js';
import { listCommand } from './commands/list.js';
import { reportCommand } from './commands/report.js';

const USAGE = `usage: isobench <command> [options]

commands:
  run      measure workloads in environments side by side
             --env bare,container,vm (default)   --engine runc,docker,podman,crun
             --workload cpu,memory,fileio   --quick
             --trials N (instances per cell, default 5)  --runs N (measured iterations per trial, default 3)
             --warmup N (per trial, default 1)  --seed N  --order interleaved|grouped
             --cpus N (default: all)  --memory SIZE (default 2G)  --pin 0-1  --set workload.param=v1,v2
             --vm-accel auto|kvm|tcg  --vm-machine TYPE  --disk-cache none|writeback|writethrough|unsafe|directsync
             --out DIR (default results)  --cache-dir DIR  --margin PCT  --no-report
  list     workloads, their parameters, and environments with their probe result
  report   regenerate reports from a run directory: isobench report results/<run-id>
`;

const log = (line: string) => process.stderr.write(`${line}\n`);

async function runCommand(argv: string[]): Promise<number> {
  const { values: v, positionals } = parseRunFlags(argv);
  if (v.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new ConfigError(`unexpected argument '${positionals[0]}'; run takes only flags (see isobench help)`);
  const envs = listFlag('env', v.env ?? DEFAULT_ENVS.join(','), envNames());
  const engines = v.engine === '' ? [] : listFlag('engine', v.engine, engineNames());
  const workloads = listFlag('workload', v.workload, WORKLOADS.map((w) => w.name));
  const overrides = parseOverrides(v.set, WORKLOADS.filter((w) => workloads.includes(w.name)));
  const runners = resolveRunners(envs, engines);
  // Isolated environments always get the same explicit budget (parity): all host CPUs and 2 GiB
  // unless told otherwise. Bare metal is limited only by --pin.
  const cpus = v.cpus === undefined ? availableParallelism() : numberFlag('cpus', v.cpus);
  const memoryMiB = memoryFlag(v.memory ?? '2G');
  const options: Record<string, string> = {
    vmAccel: choiceFlag('vm-accel', v['vm-accel'], ['auto', 'kvm', 'tcg']),
    diskCache: choiceFlag('disk-cache', v['disk-cache'], ['none', 'writeback', 'writethrough', 'unsafe', 'directsync']),
    margin: String(numberFlag('margin', v.margin)),
    ...(v['vm-machine'] !== undefined ? { vmMachine: v['vm-machine'] } : {}),
  };
  const { record, dir } = await run({
    runners, workloads, overrides,
    trials: intFlag('trials', v.trials), runs: intFlag('runs', v.runs), warmup: intFlag('warmup', v.warmup, true),
    seed: v.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : intFlag('seed', v.seed, true),
    order: choiceFlag('order', v.order, ['interleaved', 'grouped']),
    quick: v.quick, limits: { cpus, memoryMiB }, cpuset: v.pin === undefined ? null : cpusetFlag(v.pin), options,
    outRoot: resolve(v.out), cacheDir: resolve(v['cache-dir'] ?? process.env['ISOBENCH_CACHE'] ?? `${tmpdir()}/isobench-cache`),
    argv: ['isobench', 'run', ...argv], log,
  });
  if (!v['no-report']) await reportCommand([dir], log, record);
  process.stdout.write(`${summaryTable(record)}\n\nrun record: ${dir}/run.json${v['no-report'] ? '' : `\nreport: ${dir}/report.html`}\n`);
  for (const w of record.warnings) log(`warning: ${w}`);
  if (record.interrupted) return 130;
  return record.results.some((r) => r.status === 'errored') ? 1 : 0;
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await runCommand(rest);
      case 'list':
        return await listCommand(rest);
      case 'report':
        return await reportCommand(rest, log);
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        return 0;
      case undefined:
        process.stderr.write(USAGE);
        return 2;
      default:
        throw new ConfigError(`unknown command '${command}'; valid choices: ${COMMANDS.join(', ')}`);
    }
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`isobench: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`isobench: internal error: ${causeChain(err).join(': ')}\n${err instanceof Error ? (err.stack ?? '') : ''}\n`);
    return 3;
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => { process.stderr.write(`isobench: ${String(err)}\n`); process.exitCode = 3; },
);
