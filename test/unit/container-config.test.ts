// Container configuration without a runtime: cgroup mount/path mapping, CPU lists, the OCI config.
import { DEFAULT_RUNNER_OPTIONS } from '../../model/options.js';
import { describe, expect, it } from 'vitest';
import { cgroupDirs, cgroupLabels, cpuListCount, parseCgroupMounts } from '../../runners/container/cgroup.js';
import { ociSpec } from '../../runners/container/oci-spec.js';
import { confinementFlags } from '../../runners/container/cli-engine.js';
import type { RunContext } from '../../runners/types.js';

// Captured from a hybrid host (cgroup v1 controllers plus an empty v2 hierarchy).
const HYBRID_MOUNTINFO = `31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw`;
const HYBRID_PROC = `9:name=systemd:/
4:memory:/isobench-r1-t1
3:cpuset:/isobench-r1-t1
1:cpu:/isobench-r1-t1
0::/isobench-r1-t1`;
// A cgroup v2 host where this process sits in a namespace rooted below the hierarchy's root.
const V2_MOUNTINFO =
  '30 23 0:26 /user.slice /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw,nsdelegate';

describe('cgroup mapping', () => {
  it('maps v1 controllers and the v2 hierarchy of a hybrid host to directories', () => {
    const dirs = cgroupDirs(HYBRID_PROC, parseCgroupMounts(HYBRID_MOUNTINFO));
    expect(dirs.map((d) => d.dir)).toEqual([
      '/sys/fs/cgroup/systemd',
      '/sys/fs/cgroup/memory/isobench-r1-t1',
      '/sys/fs/cgroup/cpuset/isobench-r1-t1',
      '/sys/fs/cgroup/cpu/isobench-r1-t1',
      '/sys/fs/cgroup/unified/isobench-r1-t1',
    ]);
    expect(dirs.find((d) => d.controllers.includes('memory'))?.mount).toBe('/sys/fs/cgroup/memory');
  });

  it('maps paths relative to a mount whose root is not the hierarchy root, skipping ones outside it', () => {
    const mounts = parseCgroupMounts(V2_MOUNTINFO);
    expect(cgroupDirs('0::/user.slice/isobench-x\n', mounts).map((d) => d.dir)).toEqual(['/sys/fs/cgroup/isobench-x']);
    expect(cgroupDirs('0::/system.slice/other\n', mounts)).toEqual([]);
  });

  it('counts CPU lists', () => {
    expect(cpuListCount('0')).toBe(1);
    expect(cpuListCount('0-3,6')).toBe(5);
    expect(cpuListCount('0,2,4-5\n')).toBe(4);
  });

  it('labels effective limits with the names the reports compare', () => {
    const labels = cgroupLabels({
      version: 'v2',
      dirs: [],
      effectiveCpus: 1.5,
      effectiveMemoryBytes: 512 * 2 ** 20,
      memoryLimited: true,
      memoryUsageFile: null,
    });
    expect(labels).toMatchObject({
      cgroup_version: 'v2',
      effective_cpus: '1.5',
      effective_memory_MiB: '512',
      memory_limited: 'yes',
    });
  });
});

describe('OCI config', () => {
  const base = {
    rootfs: '/cache/rootfs',
    scratch: '/run/scratch/t1',
    args: ['/bin/true'],
    cgroupsPath: '/isobench-r1-t1',
    hostname: 'isobench',
  };

  it('confines: read-only root, no capabilities, no new privileges, every namespace, scratch and /tmp writable', () => {
    const s = ociSpec({ ...base, limits: { cpus: 1.5, memoryMiB: 256 }, cpuset: '0-1' }) as {
      root: { readonly: boolean };
      process: { noNewPrivileges: boolean; capabilities: Record<string, string[]> };
      mounts: { destination: string; type: string; source: string; options?: string[] }[];
      linux: { namespaces: { type: string }[]; cgroupsPath: string; resources: { cpu: unknown; memory: unknown } };
    };
    expect(s.root.readonly).toBe(true);
    expect(s.process.noNewPrivileges).toBe(true);
    expect(Object.values(s.process.capabilities).flat()).toEqual([]);
    expect(s.linux.namespaces.map((n) => n.type).sort()).toEqual(['cgroup', 'ipc', 'mount', 'network', 'pid', 'uts']);
    expect(s.mounts.find((m) => m.destination === '/scratch')).toMatchObject({
      type: 'bind',
      source: '/run/scratch/t1',
    });
    expect(s.mounts.find((m) => m.destination === '/scratch')?.options).toContain('rw');
    expect(s.mounts.find((m) => m.destination === '/tmp')?.type).toBe('tmpfs');
    expect(s.linux.cgroupsPath).toBe('/isobench-r1-t1');
    expect(s.linux.resources.cpu).toEqual({ quota: 150_000, period: 100_000, cpus: '0-1' });
    expect(s.linux.resources.memory).toEqual({ limit: 256 * 2 ** 20 });
  });

  it('sets no CPU or memory resources when there are no limits', () => {
    const s = ociSpec({ ...base, limits: { cpus: null, memoryMiB: null }, cpuset: null }) as {
      linux: { resources: Record<string, unknown> };
    };
    expect(Object.keys(s.linux.resources)).toEqual(['devices']);
  });

  it('gives docker/podman the same confinement as flags', () => {
    const ctx: RunContext = {
      runId: 'r1',
      scratchRoot: '/s',
      cacheDir: '/c',
      limits: { cpus: 2, memoryMiB: 2048 },
      cpuset: '0',
      options: DEFAULT_RUNNER_OPTIONS,
      log: () => undefined,
    };
    const f = confinementFlags(ctx, 'isobench-r1-t1', '/s/r1-t1').join(' ');
    for (const part of [
      '--network none',
      '--read-only',
      '--cap-drop ALL',
      '--security-opt no-new-privileges',
      '--cpus 2',
      '--cpuset-cpus 0',
      '--memory 2048m',
      '-v /s/r1-t1:/scratch:rw',
      '--name isobench-r1-t1',
    ]) {
      expect(f).toContain(part);
    }
  });
});
