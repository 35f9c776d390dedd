// LXC and LXD configuration without a runtime: cgroup keys per hierarchy, confinement, LXD limits and devices, OpenVZ probes.
import { describe, expect, it } from 'vitest';
import { cgroupDirsOf, fstabPath, limitLines, lxcConfig } from '../../runners/container/lxc-config.js';
import { lxdInstanceConfig, lxdLimits } from '../../runners/container/lxd-config.js';
import { openvzRunner, virtuozzoRunner, vzKernel } from '../../runners/container/vz.js';
import type { RunContext } from '../../runners/types.js';

const HYBRID = new Set(['cpu', 'cpuacct', 'cpuset', 'memory', 'devices', 'pids']);
const V2 = new Set<string>();

describe('classic LXC config', () => {
  const base = {
    name: 'isobench-r1-t1',
    rootfs: '/cache/rootfs',
    scratch: '/run dir/scratch',
    limits: { cpus: 1.5, memoryMiB: 256 },
    cpuset: '0-1',
  };

  it('puts the budget into cgroup v1 keys on a hybrid host and v2 keys on a unified one', () => {
    expect(limitLines(base.limits, base.cpuset, HYBRID)).toEqual([
      'lxc.cgroup.cpu.cfs_period_us = 100000',
      'lxc.cgroup.cpu.cfs_quota_us = 150000',
      'lxc.cgroup.cpuset.cpus = 0-1',
      'lxc.cgroup.memory.limit_in_bytes = 268435456',
    ]);
    expect(limitLines(base.limits, null, V2)).toEqual([
      'lxc.cgroup2.cpu.max = 150000 100000',
      'lxc.cgroup2.memory.max = 268435456',
    ]);
    expect(limitLines({ cpus: null, memoryMiB: null }, null, V2)).toEqual([]);
  });

  it(
    'mounts the image read-only, drops every capability, has loopback only and names its cgroups ' +
      'after the container',
    () => {
      const text = lxcConfig({ ...base, v1: HYBRID });
      const lines = text.split('\n');
      for (const l of [
        'lxc.rootfs.path = dir:/cache/rootfs',
        'lxc.rootfs.options = ro',
        'lxc.cap.keep = none',
        'lxc.no_new_privs = 1',
        'lxc.net.0.type = empty',
        'lxc.uts.name = isobench',
        'lxc.console.path = none',
        'lxc.cgroup.dir.container = isobench-r1-t1',
        'lxc.cgroup.dir.monitor = isobench-r1-t1.monitor',
        'lxc.cgroup.dir.monitor.pivot = isobench-r1-t1.pivot',
        'lxc.cgroup.devices.deny = a',
        'lxc.mount.entry = /run\\040dir/scratch scratch none rw,bind,nosuid,nodev 0 0',
      ])
        expect(lines).toContain(l);
      expect(text).not.toMatch(/seccomp|lxc\.include/);
      expect(lxcConfig({ ...base, scratch: null, v1: V2 })).not.toMatch(/scratch|^lxc\.cgroup\.(cpu|memory|devices)/m);
    },
  );

  it('lists the cgroup directories to remove, the pivot child before its parent', () => {
    expect(cgroupDirsOf('isobench-x', ['/sys/fs/cgroup/cpu'])).toEqual([
      '/sys/fs/cgroup/cpu/isobench-x',
      '/sys/fs/cgroup/cpu/isobench-x.monitor',
      '/sys/fs/cgroup/cpu/isobench-x.pivot/lxc.pivot',
      '/sys/fs/cgroup/cpu/isobench-x.pivot',
    ]);
  });

  it('escapes whitespace and backslashes in fstab paths', () => {
    expect(fstabPath('/a b\tc\\d')).toBe('/a\\040b\\011c\\134d');
  });
});

describe('LXD instance config', () => {
  it(
    'gives the CPU budget as a CFS quota, pins only with --pin (a single CPU as a range) and the ' + 'memory in MiB',
    () => {
      expect(lxdLimits({ cpus: 2, memoryMiB: 2048 }, null)).toEqual({
        'limits.cpu.allowance': '200ms/100ms',
        'limits.memory': '2048MiB',
      });
      expect(lxdLimits({ cpus: 0.5, memoryMiB: null }, '1')).toEqual({
        'limits.cpu.allowance': '50ms/100ms',
        'limits.cpu': '1-1',
      });
      expect(lxdLimits({ cpus: null, memoryMiB: null }, '0,2')).toEqual({ 'limits.cpu': '0,2' });
    },
  );

  it('has no NIC, a root disk on the pool, the scratch disk, and the LXC confinement through raw.lxc', () => {
    const c = lxdInstanceConfig({
      name: 'isobench-r-t2',
      runId: 'r',
      pool: 'default',
      scratch: '/s/t2',
      limits: { cpus: 1, memoryMiB: 256 },
      cpuset: null,
    });
    expect(c.devices).toEqual({
      root: { type: 'disk', path: '/', pool: 'default' },
      scratch: { type: 'disk', path: '/scratch', source: '/s/t2' },
    });
    expect(Object.values(c.devices).some((d) => d['type'] === 'nic')).toBe(false);
    expect(c.config).toMatchObject({
      'limits.cpu.allowance': '100ms/100ms',
      'limits.memory': '256MiB',
      'user.isobench.run': 'r',
    });
    expect(c.config['raw.lxc']?.split('\n')).toEqual(
      expect.arrayContaining([
        'lxc.init.cmd = /bin/sleep 2147483647',
        'lxc.rootfs.options = ro',
        'lxc.cap.keep = none',
        'lxc.no_new_privs = 1',
        'lxc.cgroup.dir.container = isobench-r-t2',
      ]),
    );
    expect(
      lxdInstanceConfig({
        name: 'n',
        runId: 'r',
        pool: 'p',
        scratch: null,
        limits: { cpus: null, memoryMiB: null },
        cpuset: null,
      }).devices,
    ).toEqual({ root: { type: 'disk', path: '/', pool: 'p' } });
  });
});

describe('OpenVZ and Virtuozzo probes', () => {
  const ctx = { runId: 'u', log: () => undefined } as unknown as RunContext;
  it.each([
    [openvzRunner, 'OpenVZ', 'vzctl'],
    [virtuozzoRunner, 'Virtuozzo', 'prlctl'],
  ] as const)('%#: never claim to be available, and say what is missing', async (make, product, tool) => {
    const r = make();
    const p = await r.probe(ctx);
    expect(p.ok).toBe(false);
    if (p.ok) return;
    expect(p.reason).toContain(product);
    if (!vzKernel().ok) expect(p.reason).toMatch(/not an OpenVZ-family kernel \(no \/proc\/vz\)/);
    if (p.details['tool'] === 'missing') expect(p.reason).toContain(`${tool} not found on PATH`);
    else expect(p.reason).toMatch(/not implemented/);
    await expect(r.start(ctx, { tag: 'u-t1', scratchMiB: 0 })).rejects.toThrow(product);
  });
});
