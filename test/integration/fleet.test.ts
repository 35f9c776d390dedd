// The Ansible playbook end to end: two hosts over real SSH (this machine, two loopback sshd), one unreachable.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import type { RunRecord } from '../../model/record.js';
import { parseStudy } from '../../model/study-schema.js';
import { tempDir } from '../helpers/cli.js';
import { titled, unmet } from '../helpers/requires.js';
import { freePort, sshClient, startSshd, type TestSshd } from '../helpers/sshd.js';

const ROOT = new URL('../..', import.meta.url).pathname;

/** Per-task wall times from the junit callback's report, longest first. */
function taskTimes(junitDir: string): string {
  if (!existsSync(junitDir)) return '';
  const xml = readdirSync(junitDir)
    .map((f) => readFileSync(join(junitDir, f), 'utf8'))
    .join('');
  const attr = (tag: string, a: string) => new RegExp(`\\s${a}="([^"]*)"`).exec(tag)?.[1] ?? '';
  const cases = [...xml.matchAll(/<testcase\b[^>]*>/g)].map((m) => ({
    name: attr(m[0], 'name').replace(/ [a-z_]+=.*$/, ''),
    s: Number(attr(m[0], 'time')),
  }));
  return cases
    .sort((a, b) => b.s - a.s)
    .slice(0, 12)
    .map((c) => `  ${c.s.toFixed(1).padStart(6)} s  ${c.name.replace(/&quot;/g, '"')}\n`)
    .join('');
}
const needs = await unmet(['root', 'sysbench', 'ansible', 'sshd', 'npm']);

describe.skipIf(needs !== null)(titled('fleet/playbook.yml over real SSH', needs), () => {
  const daemons: TestSshd[] = [];
  let dir = '';
  let play: { code: number | undefined; output: string; seconds: number };
  let ansibleEnv: Record<string, string> = {};
  let hostVars: { alpha: string; gamma: string; common: string[] } = { alpha: '', gamma: '', common: [] };

  beforeAll(async () => {
    dir = tempDir('isobench-fleet-');
    const client = await sshClient(dir);
    // Two "hosts": this machine behind two sshd on different loopback addresses and ports.
    daemons.push(await startSshd(join(dir, 'sshd-alpha'), client, '127.0.0.1', await freePort('127.0.0.1')));
    daemons.push(await startSshd(join(dir, 'sshd-beta'), client, '127.0.0.2', await freePort('127.0.0.2')));
    const [a, b] = daemons as [TestSshd, TestSshd];
    const closed = await freePort('127.0.0.3');
    const vars = [
      'ansible_user=root',
      'ansible_python_interpreter=/usr/bin/python3',
      `ansible_ssh_private_key_file=${client.key}`,
      `ansible_ssh_common_args='-o UserKnownHostsFile=${client.knownHosts} -o ` +
        `StrictHostKeyChecking=yes -o ConnectTimeout=5'`,
    ];
    writeFileSync(
      join(dir, 'hosts.ini'),
      [
        '[fleet]',
        `alpha ansible_host=${a.host} ansible_port=${a.port} isobench_remote_dir=${dir}/remote-alpha ` +
          `isobench_cache_dir=${dir}/cache-alpha isobench_remote_cleanup=true`,
        `beta ansible_host=${b.host} ansible_port=${b.port} isobench_remote_dir=${dir}/remote-beta ` +
          `isobench_cache_dir=${dir}/cache-beta isobench_host_label=beta-node`,
        `gamma ansible_host=127.0.0.3 ansible_port=${closed} isobench_remote_dir=${dir}/remote-gamma`,
        '',
        '[fleet:vars]',
        ...vars,
        '',
      ].join('\n'),
    );
    const started = Date.now();
    ansibleEnv = {
      ANSIBLE_HOME: `${dir}/ansible-home`,
      ANSIBLE_LOCAL_TEMP: `${dir}/ansible-local`,
      ANSIBLE_REMOTE_TEMP: `${dir}/ansible-remote`,
      ANSIBLE_SSH_ARGS: '-o ControlMaster=no -o ControlPath=none',
      ANSIBLE_PIPELINING: 'true',
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_RETRY_FILES_ENABLED: 'false',
      ANSIBLE_TIMEOUT: '10',
      npm_config_cache: `${dir}/npm-cache-controller`,
    };
    // (ANSIBLE_SSH_ARGS: no ssh master connections outlive the playbook.)
    hostVars = {
      alpha: `ansible_host=${a.host} ansible_port=${a.port}`,
      gamma: `ansible_host=127.0.0.3 ansible_port=${closed}`,
      common: vars,
    };
    const r = await execa(
      'ansible-playbook',
      [
        '-i',
        join(dir, 'hosts.ini'),
        join(ROOT, 'fleet/playbook.yml'),
        '--forks',
        '3',
        '-e',
        `isobench_fleet_dir=${dir}/fleet`,
        '-e',
        'isobench_seed=1234',
        '-e',
        'isobench_args="--env bare,fake --engine host,fake,slow --workload cpu --set cpu.time=1 --trials ' +
          '3 --runs 1 --warmup 0 --no-report"',
      ],
      {
        reject: false,
        all: true,
        timeout: 540_000,
        env: {
          ...ansibleEnv,
          // Per-task durations, printed below (figures, not assertions).
          ANSIBLE_CALLBACKS_ENABLED: 'ansible.builtin.junit',
          JUNIT_OUTPUT_DIR: `${dir}/junit`,
          JUNIT_TASK_CLASS: 'true',
        },
      },
    );
    play = { code: r.exitCode, output: String(r.all), seconds: (Date.now() - started) / 1000 };
    process.stderr.write(`ansible-playbook took ${play.seconds.toFixed(1)} s\n${taskTimes(join(dir, 'junit'))}`);
  }, 600_000);

  afterAll(async () => {
    for (const d of daemons) await d.stop();
    for (const d of daemons) expect(() => process.kill(d.pid, 0)).toThrow();
  });

  it('runs both reachable hosts and merges them into one study; the unreachable one is listed as missing', () => {
    expect(play.code, play.output.slice(-6000)).toBe(0);
    const study = parseStudy(readFileSync(join(dir, 'fleet/study/study.json'), 'utf8'), 'fleet/study/study.json');
    expect(
      study.hosts.map((h) => `${h.label}:${h.status}`).sort(),
      JSON.stringify(study.hosts.filter((h) => h.status === 'missing')),
    ).toEqual(['alpha:ok', 'beta-node:ok', 'gamma:missing']);
    const gamma = study.hosts.find((h) => h.label === 'gamma');
    expect(gamma?.status === 'missing' && gamma.reason).toMatch(/unreachable/i);
    // Each host's record is kept whole, with its own fingerprint and the same plan and seed.
    for (const label of ['alpha', 'beta-node']) {
      const h = study.hosts.find((x) => x.label === label);
      if (h?.status !== 'ok') throw new Error(`${label} not ok`);
      expect(h.runs).toHaveLength(1);
      const run = h.runs[0]!;
      const record = JSON.parse(readFileSync(join(dir, 'fleet/study', run.path), 'utf8')) as RunRecord;
      expect(record.hostLabel).toBe(label);
      expect(record.host.hostname.value).toBe(hostname());
      expect(record.plan.seed).toBe(1234);
      expect(record.results.filter((t) => t.status === 'completed')).toHaveLength(9);
      // The installed package knows which revision it was packed from.
      expect(record.gitDescribe.value).toMatch(/^[0-9a-f]{7,}/);
    }
    expect(study.planGroups).toHaveLength(1);
    expect(study.flags.filter((f) => f.kind !== 'missing-host')).toEqual([]);
    // Same machine, so one host type with both hosts.
    expect(study.hostTypes).toHaveLength(1);
    expect(study.hostTypes[0]?.hosts.sort()).toEqual(['alpha', 'beta-node']);
  });

  it("shows both hosts side by side in the report, with the deterministic fake engines' 0.9 ratio on each", () => {
    const study = parseStudy(readFileSync(join(dir, 'fleet/study/study.json'), 'utf8'), 'fleet/study/study.json');
    const rows = study.comparisons.filter((c) => c.metric === 'events_per_s');
    for (const label of ['alpha', 'beta-node']) {
      const ratio = (env: string) => rows.find((c) => c.envId === env)?.hosts.find((x) => x.host === label)?.ratio;
      const slow = ratio('fake:slow');
      const fake = ratio('fake:fake');
      expect(slow).toBeDefined();
      expect((slow as number) / (fake as number)).toBeCloseTo(0.9, 2);
    }
    const html = readFileSync(join(dir, 'fleet/study/report.html'), 'utf8');
    for (const text of ['alpha', 'beta-node', 'gamma', 'missing', 'bare:host', 'fake:slow'])
      expect(html).toContain(text);
    expect(html).not.toMatch(/<script|https?:\/\//);
    const files = readdirSync(join(dir, 'fleet/study'));
    for (const f of ['study.json', 'hosts.csv', 'summary.csv', 'summary.md', 'report.html', 'overhead-hosts.png'])
      expect(files).toContain(f);
    // alpha asked for its remote directory to be removed after fetching; beta kept its own.
    expect(existsSync(join(dir, 'remote-alpha'))).toBe(false);
    expect(existsSync(join(dir, 'remote-beta/npm/bin/isobench'))).toBe(true);
  });

  it(
    'isobench fleet wraps the same playbook: checked arguments, the given tarball, the study path, ' +
      'exit 1 when a host is missing',
    async () => {
      // The tarball the playbook packed above, installed on one host (bin/setup already ran there) plus the unreachable one.
      const tarball = join(
        dir,
        'fleet/package',
        readdirSync(join(dir, 'fleet/package')).find((f) => f.endsWith('.tgz')) as string,
      );
      writeFileSync(
        join(dir, 'hosts2.ini'),
        [
          '[fleet]',
          `alpha ${hostVars.alpha} isobench_remote_dir=${dir}/remote-alpha2 isobench_cache_dir=${dir}` +
            `/cache-alpha isobench_setup=false isobench_remote_cleanup=true`,
          `gamma ${hostVars.gamma} isobench_remote_dir=${dir}/remote-gamma`,
          '',
          '[fleet:vars]',
          ...hostVars.common,
          '',
        ].join('\n'),
      );
      const cli = join(ROOT, 'dist/bench/cli.js');
      // A typo in the run arguments fails on the controller, before any host is touched.
      const bad = await execa(
        'node',
        [
          cli,
          'fleet',
          '--inventory',
          join(dir, 'hosts2.ini'),
          '--',
          '--env',
          'bare,fake',
          '--workload',
          'cpu',
          '--seed',
          '5',
        ],
        { reject: false, all: true },
      );
      expect(bad.exitCode, String(bad.all)).toBe(2);
      expect(String(bad.all)).toMatch(/--seed is set by the playbook/);
      expect(existsSync(join(dir, 'remote-alpha2'))).toBe(false);

      const r = await execa(
        'node',
        [
          cli,
          'fleet',
          '--inventory',
          join(dir, 'hosts2.ini'),
          '--tarball',
          tarball,
          '--fleet-dir',
          join(dir, 'fleet2'),
          '--seed',
          '99',
          '--forks',
          '2',
          '--',
          '--env',
          'bare,fake',
          '--engine',
          'host,fake,slow',
          '--workload',
          'cpu',
          '--set',
          'cpu.time=1',
          '--trials',
          '2',
          '--runs',
          '1',
          '--warmup',
          '0',
          '--no-report',
        ],
        { reject: false, all: true, timeout: 400_000, env: ansibleEnv },
      );
      const out = String(r.all);
      // Exit 1: the study flags the missing host, as isobench merge does.
      expect(r.exitCode, out.slice(-6000)).toBe(1);
      expect(out).toContain(`study: ${join(dir, 'fleet2/study/report.html')} (1 host: alpha; missing: gamma)`);
      const study = parseStudy(readFileSync(join(dir, 'fleet2/study/study.json'), 'utf8'), 'fleet2/study/study.json');
      expect(study.hosts.map((h) => `${h.label}:${h.status}`).sort()).toEqual(['alpha:ok', 'gamma:missing']);
      const alpha = study.hosts.find((h) => h.label === 'alpha');
      if (alpha?.status !== 'ok') throw new Error('alpha not ok');
      const record = JSON.parse(readFileSync(join(dir, 'fleet2/study', alpha.runs[0]!.path), 'utf8')) as RunRecord;
      expect(record.plan.seed).toBe(99);
      expect(record.results.filter((t) => t.status === 'completed')).toHaveLength(6);
      // The given tarball was installed, not a new pack.
      expect(readdirSync(join(dir, 'fleet2/package')).filter((f) => f.endsWith('.tgz'))).toEqual([]);
      expect(existsSync(join(dir, 'remote-alpha2'))).toBe(false);
    },
    420_000,
  );
});
