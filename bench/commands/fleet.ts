// `isobench fleet --inventory hosts.ini [options] -- <run args>`: a convenience wrapper around
// `ansible-playbook fleet/playbook.yml`. It checks the arguments on the controller first (a typo in
// the run arguments fails here with exit 2, not on every host after the install), passes them to the
// playbook as typed extra variables (no shell), and prints where the study is. The playbook works on
// its own; this adds nothing it does not do.
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { ConfigError } from '../../model/errors.js';
import { shellCommand } from '../../lib/text.js';
import { intFlag, listFlag, parseRunFlags } from '../args.js';
import { readStudy } from '../run/study-file.js';
import { WORKLOADS } from '../../workloads/index.js';
import { engineNames, envNames } from '../../runners/index.js';

const OPTIONS = {
  inventory: { type: 'string' as const, short: 'i' },
  playbook: { type: 'string' as const },
  'fleet-dir': { type: 'string' as const },
  seed: { type: 'string' as const },
  serial: { type: 'string' as const },
  forks: { type: 'string' as const },
  hosts: { type: 'string' as const },
  tarball: { type: 'string' as const },
  'ansible-arg': { type: 'string' as const, multiple: true as const, default: [] as string[] },
  help: { type: 'boolean' as const, short: 'h', default: false },
};

/** Usage of `isobench fleet`. */
export const FLEET_USAGE = `usage: isobench fleet --inventory hosts.ini [options] -- <isobench run arguments>
  Runs fleet/playbook.yml with ansible-playbook: the same isobench revision, arguments and seed on
  every host of the inventory, each run fetched back, one study merged on this machine.
  --inventory FILE     Ansible inventory (the inventory name is each host's label)
  --fleet-dir DIR      where the package, fetched runs and study/ go (default results/fleet-<UTC time>)
  --seed N             the seed every host uses (default: chosen once, at random)
  --serial N           hosts per batch (default: all at once, up to --forks)
  --forks N            hosts in parallel (ansible's --forks, default 5)
  --hosts PATTERN      inventory host pattern (default all)
  --tarball FILE       an npm pack tarball to install instead of packing the checkout
  --playbook FILE      another playbook (default: the fleet/playbook.yml of this isobench)
  --ansible-arg ARG    one more ansible-playbook argument, e.g. --ansible-arg=-v (repeatable)
  run arguments must not contain --seed, --host-label or --out: the playbook sets them per host.
  exit 0: every host ran and the study has nothing flagged; 1: the study flags something (a missing
  host, different plans…) or the playbook failed; 2: bad input
`;

/** What `isobench fleet` was asked for, validated. */
export interface FleetOptions {
  inventory: string;
  playbook: string;
  fleetDir: string;
  seed: number | null;
  serial: number | null;
  forks: number | null;
  hosts: string | null;
  tarball: string | null;
  ansibleArgs: string[];
  runArgs: string[];
}

/** The playbook shipped with this isobench: fleet/ at the package root (above dist/bench/commands when built, bench/commands in the sources). */
export function defaultPlaybook(): string {
  const candidates = ['../../../fleet/playbook.yml', '../../fleet/playbook.yml'].map((rel) =>
    fileURLToPath(new URL(rel, import.meta.url)),
  );
  return candidates.find((p) => existsSync(p)) ?? (candidates[0] as string);
}

function utcStamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

function existingFile(flag: string, path: string): string {
  const abs = resolve(path);
  if (!existsSync(abs) || !statSync(abs).isFile())
    throw new ConfigError(`bad value '${path}' for --${flag}: no such file`);
  return abs;
}

/** Parses and checks `isobench fleet` arguments (null: --help). The run arguments are checked like `isobench run` checks their syntax. */
export function parseFleetArgs(argv: string[], now = new Date()): FleetOptions | null {
  const sep = argv.indexOf('--');
  const own = sep < 0 ? argv : argv.slice(0, sep);
  const runArgs = sep < 0 ? [] : argv.slice(sep + 1);
  let parsed;
  try {
    parsed = parseArgs({ args: own, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new ConfigError(
      `${msg.split('\n')[0] ?? msg}; valid flags: ${Object.keys(OPTIONS)
        .map((k) => `--${k}`)
        .join(', ')} (run arguments go after --)`,
      { cause: err },
    );
  }
  const { values: v, positionals } = parsed;
  if (v.help) return null;
  if (positionals.length > 0)
    throw new ConfigError(
      `unexpected argument '${positionals[0]}'; isobench run's arguments go after --, e.g. isobench ` +
        `fleet --inventory hosts.ini -- --quick`,
    );
  if (v.inventory === undefined)
    throw new ConfigError(
      'fleet needs --inventory FILE: the Ansible inventory of the hosts (see fleet/inventory.example.ini)',
    );
  const inventory = existingFile('inventory', v.inventory);
  const playbook = existingFile('playbook', v.playbook ?? defaultPlaybook());
  const tarball = v.tarball === undefined ? null : existingFile('tarball', v.tarball);

  // The run's own flags: the syntax and the names (environments, engines, workloads) are the same on
  // every host, so a typo fails here; what depends on a host (CPUs, memory, runtimes) is checked there.
  const run = parseRunFlags(runArgs).values;
  for (const flag of ['seed', 'host-label', 'out'] as const) {
    if (runArgs.some((a) => a === `--${flag}` || a.startsWith(`--${flag}=`))) {
      const instead =
        flag === 'seed'
          ? 'isobench fleet --seed N'
          : flag === 'out'
            ? 'isobench fleet --fleet-dir DIR'
            : 'the inventory variable isobench_host_label';
      throw new ConfigError(`run argument --${flag} is set by the playbook on every host; use ${instead} instead`);
    }
  }
  if (run.env !== undefined) listFlag('env', run.env, envNames());
  if (run.engine !== '') listFlag('engine', run.engine, engineNames());
  listFlag(
    'workload',
    run.workload,
    WORKLOADS.map((w) => w.name),
  );
  if (run.help) throw new ConfigError('--help is not a run argument here; see isobench help');

  return {
    inventory,
    playbook,
    tarball,
    runArgs,
    fleetDir: resolve(v['fleet-dir'] ?? join('results', `fleet-${utcStamp(now)}`)),
    seed: v.seed === undefined ? null : intFlag('seed', v.seed, true),
    serial: v.serial === undefined ? null : intFlag('serial', v.serial),
    forks: v.forks === undefined ? null : intFlag('forks', v.forks),
    hosts: v.hosts ?? null,
    ansibleArgs: v['ansible-arg'],
  };
}

/** The ansible-playbook argv: extra variables as one JSON object, so values keep their types and nothing is re-split by a shell. */
export function fleetArgv(o: FleetOptions): string[] {
  const vars: Record<string, string | number> = {
    // The playbook splits isobench_args like a shell would (shlex): quote each argument.
    isobench_args: o.runArgs.length === 0 ? '--quick' : shellCommand(o.runArgs),
    isobench_fleet_dir: o.fleetDir,
  };
  if (o.seed !== null) vars['isobench_seed'] = o.seed;
  if (o.serial !== null) vars['isobench_serial'] = o.serial;
  if (o.hosts !== null) vars['isobench_hosts'] = o.hosts;
  if (o.tarball !== null) vars['isobench_tarball'] = o.tarball;
  return [
    '-i',
    o.inventory,
    o.playbook,
    '-e',
    JSON.stringify(vars),
    ...(o.forks === null ? [] : ['--forks', String(o.forks)]),
    ...o.ansibleArgs,
  ];
}

/** Runs `isobench fleet`; returns the exit code. */
export async function fleetCommand(argv: string[], log: (line: string) => void): Promise<number> {
  const o = parseFleetArgs(argv);
  if (o === null) {
    process.stdout.write(FLEET_USAGE);
    return 0;
  }
  const args = fleetArgv(o);
  log(`ansible-playbook ${shellCommand(args)}`);
  const r = await execa('ansible-playbook', args, { stdio: 'inherit', reject: false });
  if (r.failed && r.exitCode === undefined) {
    if ((r as { code?: string }).code === 'ENOENT')
      throw new ConfigError(
        'ansible-playbook not found on PATH: install Ansible (Debian: apt-get install ansible-core)',
      );
    throw new ConfigError(`ansible-playbook could not start: ${r.shortMessage}`);
  }
  const studyFile = join(o.fleetDir, 'study', 'study.json');
  if (!existsSync(studyFile)) {
    log(
      `isobench fleet: ansible-playbook exited ${String(r.exitCode)} and wrote no study (${studyFile}` +
        `); the fetched runs, if any, are under ${join(o.fleetDir, 'fetched')}`,
    );
    return 1;
  }
  const study = readStudy(studyFile);
  const ok = study.hosts.filter((h) => h.status === 'ok').map((h) => h.label);
  const missing = study.hosts.filter((h) => h.status === 'missing').map((h) => h.label);
  log(
    `study: ${join(o.fleetDir, 'study', 'report.html')} (${ok.length} host` +
      `${ok.length === 1 ? '' : 's'}: ${ok.join(', ') || 'none'}` +
      `${missing.length ? `; missing: ${missing.join(', ')}` : ''})`,
  );
  if (r.exitCode !== 0) {
    log(`isobench fleet: ansible-playbook exited ${String(r.exitCode)}`);
    return 1;
  }
  return study.flags.length > 0 ? 1 : 0;
}
