#!/usr/bin/env node
// isobench's entry point: turns arguments into a run, a listing or a report; errors into exit codes.
import { ConfigError, OutputError, causeChain, oneLine } from '../model/errors.js';
import { COMMANDS } from './args.js';
import { runCommand } from './commands/run.js';
import { listCommand } from './commands/list.js';
import { reportCommand } from './commands/report.js';
import { schemaCommand } from './commands/schema.js';
import { mergeCommand } from './commands/merge.js';
import { fleetCommand } from './commands/fleet.js';
import { compareCommand } from './commands/compare.js';
import { planCommand } from './commands/plan.js';

const USAGE = `usage: isobench <command> [options]

commands:
  run      measure workloads in environments side by side
             --env bare,container,vm (default)   --engine runc,docker,podman,crun
             --workload cpu,memory,fileio   --quick
             --until-conclusive [--max-time 10m] (after the planned trials, add rounds for cells whose interval is wider than the margin)
             --trials N (instances per cell, default 5)  --runs N (measured iterations per trial, default 3)
             --warmup N (per trial, default 1)  --seed N  --order interleaved|grouped
             --instance-per trial|workload (one instance runs every workload of a trial, default; or one per workload)
             --cpus N (default: all)  --memory SIZE (default 2G)  --pin 0-1  --set workload.param=v1,v2
             --profile NAME (a published method, e.g. felter-fio; see isobench list)
             --vm-accel auto|kvm|tcg  --vm-machine TYPE  --disk-cache none|writeback|writethrough|unsafe|directsync
             --out DIR (default results)  --cache-dir DIR  --margin PCT  --no-report
             --host-label NAME (this host's name in a merged study; default: its host name)
  list     workloads, their parameters, and environments with their probe result
  report   regenerate reports from a run directory: isobench report results/<run-id>
  compare  the CI gate: every metric of a run against a baseline run, exit 1 on a regression:
             isobench compare <baseline run dir|run.json> <current run dir|run.json>
             [--threshold 5%] [--config FILE] [--json] [--markdown [FILE]]  (isobench compare --help)
  merge    one study from many hosts' runs: isobench merge <run dir|run.json>... --out <study dir>
             [--missing LABEL=REASON]...  (fleet/playbook.yml runs isobench on many hosts and merges)
  fleet    run isobench on every host of an Ansible inventory and merge the study (wraps fleet/playbook.yml):
             isobench fleet --inventory hosts.ini [--seed N] [--serial N] [--forks N] [--fleet-dir DIR] -- <run args>
  plan     how many instances of an app fit per host, from a run or a study (per host type):
             isobench plan --from <run dir|study dir> --host-cpus 64 --host-memory 256GiB --app-cpus 0.5
             --app-memory 512MiB [--headroom 10%] [--json]
  schema   print the JSON Schema of run.json (schema/run-record.schema.json), or with 'study' that of study.json
             (schema/study.schema.json): isobench schema [run-record|study]
`;

const log = (line: string) => process.stderr.write(`${line}\n`);

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await runCommand(rest, USAGE, log);
      case 'list':
        return await listCommand(rest);
      case 'report':
        return await reportCommand(rest, log);
      case 'compare':
        return await compareCommand(rest, log);
      case 'merge':
        return await mergeCommand(rest, log);
      case 'fleet':
        return await fleetCommand(rest, log);
      case 'plan':
        return await planCommand(rest);
      case 'schema':
        return schemaCommand(rest);
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
      process.stderr.write(`isobench: ${oneLine(err.message)}\n`);
      return 2;
    }
    if (err instanceof OutputError) {
      process.stderr.write(`isobench: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(
      `isobench: internal error: ${causeChain(err).join(': ')}\n${err instanceof Error ? (err.stack ?? '') : ''}\n`,
    );
    return 3;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`isobench: ${String(err)}\n`);
    process.exitCode = 3;
  },
);
