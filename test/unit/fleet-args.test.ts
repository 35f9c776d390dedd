// `isobench fleet` argument checks and the ansible-playbook argv it builds (the run itself: test/integration/fleet.test.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../model/errors.js';
import { defaultPlaybook, fleetArgv, parseFleetArgs } from '../../bench/commands/fleet.js';

const dir = mkdtempSync(join(tmpdir(), 'isobench-fleet-args-'));
const inv = join(dir, 'hosts.ini');
writeFileSync(inv, '[fleet]\nweb-01 ansible_host=127.0.0.1\n');
const now = new Date('2026-11-23T12:34:56Z');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fails(argv: string[]): string {
  try {
    parseFleetArgs(argv, now);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error(`accepted ${argv.join(' ')}`);
}

describe('isobench fleet arguments', () => {
  it('defaults to the shipped playbook and a dated fleet directory, and passes typed extra variables as JSON', () => {
    const o = parseFleetArgs(
      ['--inventory', inv, '--seed', '7', '--serial', '1', '--forks', '3', '--', '--env', 'bare,container', '--quick'],
      now,
    );
    if (o === null) throw new Error('help');
    expect(o.playbook).toBe(defaultPlaybook());
    expect(o.fleetDir).toMatch(/\/results\/fleet-20261123-123456$/);
    const argv = fleetArgv(o);
    expect(argv.slice(0, 3)).toEqual(['-i', inv, defaultPlaybook()]);
    const vars = JSON.parse(argv[4] as string) as Record<string, unknown>;
    expect(vars).toEqual({
      isobench_args: '--env bare,container --quick',
      isobench_fleet_dir: o.fleetDir,
      isobench_seed: 7,
      isobench_serial: 1,
    });
    expect(argv.slice(5)).toEqual(['--forks', '3']);
  });

  it(
    'quotes run arguments so that the playbook (which splits them like a shell, with shlex) gets ' +
      'them back unchanged',
    () => {
      const runArgs = ['--set', 'cpu.max-prime=10000', '--vm-machine', "q35,it's odd", '--workload', 'cpu'];
      const o = parseFleetArgs(['--inventory', inv, '--', ...runArgs], now);
      if (o === null) throw new Error('help');
      const text = (JSON.parse(fleetArgv(o)[4] as string) as { isobench_args: string }).isobench_args;
      const back = JSON.parse(
        execFileSync('python3', ['-c', 'import json, shlex, sys; print(json.dumps(shlex.split(sys.argv[1])))', text], {
          encoding: 'utf8',
        }),
      ) as string[];
      expect(back).toEqual(runArgs);
    },
  );

  it('refuses what the playbook sets per host, and names the flag to use instead', () => {
    expect(fails(['--inventory', inv, '--', '--seed', '3'])).toMatch(/--seed .*isobench fleet --seed N/);
    expect(fails(['--inventory', inv, '--', '--out=x'])).toMatch(/--out .*--fleet-dir/);
    expect(fails(['--inventory', inv, '--', '--host-label', 'a'])).toMatch(/isobench_host_label/);
  });

  it('checks the run arguments on the controller: unknown flags, environments, engines and workloads', () => {
    expect(fails(['--inventory', inv, '--', '--bogus'])).toMatch(/--bogus.*valid flags/);
    expect(fails(['--inventory', inv, '--', '--env', 'bare,mainframe'])).toMatch(/'mainframe'.*valid choices: .*bare/);
    expect(fails(['--inventory', inv, '--', '--engine', 'rkt'])).toMatch(/'rkt'.*valid choices: .*runc/);
    expect(fails(['--inventory', inv, '--', '--workload', 'gpu'])).toMatch(/'gpu'.*valid choices: cpu/);
  });

  it('names a missing or bad inventory, number or stray argument', () => {
    expect(fails(['--', '--quick'])).toMatch(/--inventory FILE/);
    expect(fails(['--inventory', join(dir, 'nope.ini')])).toMatch(/nope\.ini.*no such file/);
    expect(fails(['--inventory', inv, '--serial', '0'])).toMatch(/'0' for --serial/);
    expect(fails(['--inventory', inv, '--forks', 'many'])).toMatch(/'many' for --forks/);
    expect(fails(['--inventory', inv, '--quick'])).toMatch(/'--quick'.*run arguments go after --/);
    expect(fails(['--inventory', inv, 'extra'])).toMatch(/'extra'.*go after --/);
    expect(parseFleetArgs(['--help'], now)).toBeNull();
  });
});
