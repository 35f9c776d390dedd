// What a container's cgroup really grants (CPUs, memory) and uses, read host-side on cgroup v1 or v2.
import { readFileSync } from 'node:fs';
import { readdir, readFile, rmdir } from 'node:fs/promises';
import { availableParallelism, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';

/** One hierarchy a process belongs to, with its directory on the host. */
export interface CgroupDir {
  /** Controllers of the hierarchy (`cpu,cpuacct`, `memory`, `name=systemd`), empty for cgroup v2. */
  controllers: string[];
  /** Host directory of the process's cgroup in that hierarchy. */
  dir: string;
  /** Mount point of the hierarchy (walks up towards it stop there). */
  mount: string;
}

/** A process's cgroups and what they grant. */
export interface CgroupFacts {
  /** `v1` when the memory controller is on a v1 hierarchy (also on hybrid hosts), else `v2`. */
  version: 'v1' | 'v2';
  /** Every cgroup directory of the process (for exact removal). */
  dirs: CgroupDir[];
  /** CPUs the cgroup may use: min(quota/period, cpuset size), over ancestors too. */
  effectiveCpus: number;
  /** Memory the cgroup may use in bytes: its (hierarchical) limit, at most the host's RAM. */
  effectiveMemoryBytes: number;
  /** Whether a memory limit below the host's RAM applies. */
  memoryLimited: boolean;
  /** File holding the memory charged to the cgroup (`memory.current` or `memory.usage_in_bytes`). */
  memoryUsageFile: string | null;
}

interface Mount {
  root: string;
  point: string;
  type: 'cgroup' | 'cgroup2';
  options: string[];
}

/** cgroup mounts from /proc/self/mountinfo text. */
export function parseCgroupMounts(mountinfo: string): Mount[] {
  const out: Mount[] = [];
  for (const line of mountinfo.split('\n')) {
    const [pre, post] = line.split(' - ');
    if (pre === undefined || post === undefined) continue;
    const f = pre.split(' ');
    const [type, , superOpts] = post.split(' ');
    if ((type !== 'cgroup' && type !== 'cgroup2') || f[3] === undefined || f[4] === undefined) continue;
    out.push({ root: f[3], point: f[4], type, options: (superOpts ?? '').split(',') });
  }
  return out;
}

/** Maps the lines of /proc/<pid>/cgroup to host directories using the cgroup mounts. */
export function cgroupDirs(procCgroup: string, mounts: Mount[]): CgroupDir[] {
  const out: CgroupDir[] = [];
  for (const line of procCgroup.split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!m || m[3] === undefined) continue;
    const controllers = m[2] === '' || m[2] === undefined ? [] : m[2].split(',');
    const mount =
      controllers.length === 0
        ? mounts.find((x) => x.type === 'cgroup2')
        : mounts.find((x) => x.type === 'cgroup' && controllers.every((c) => x.options.includes(c)));
    if (!mount) continue;
    const rel = relative(mount.root, m[3]);
    if (rel.startsWith('..')) continue; // outside what this mount shows
    out.push({ controllers, dir: join(mount.point, rel), mount: mount.point });
  }
  return out;
}

// cgroup and /proc files are kernel-generated and never wait on a disk: reading them synchronously
// costs microseconds, where each asynchronous read pays a thread-pool round trip on the startup path.
async function read(path: string): Promise<string | null> {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

/** Number of CPUs in a list such as `0-3,6`. */
export function cpuListCount(list: string): number {
  let n = 0;
  for (const part of list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [a, b] = part.split('-').map(Number);
    if (a === undefined || Number.isNaN(a)) continue;
    n += b === undefined || Number.isNaN(b) ? 1 : b - a + 1;
  }
  return n;
}

/** Directories from `dir` up to (and including) the hierarchy's mount point. */
function ancestors(d: CgroupDir): string[] {
  const out: string[] = [];
  for (let cur = d.dir; ; cur = dirname(cur)) {
    out.push(cur);
    if (cur === d.mount || cur === '/' || !cur.startsWith(d.mount)) break;
  }
  return out;
}

const UNLIMITED = 2 ** 60;

async function cpuQuota(d: CgroupDir, v2: boolean): Promise<number> {
  const quotas = await Promise.all(
    ancestors(d).map(async (dir) => {
      if (v2) {
        const [quota, period] = (await read(join(dir, 'cpu.max')))?.split(' ') ?? [];
        return quota !== undefined && quota !== 'max' && period ? Number(quota) / Number(period) : Infinity;
      }
      const [quota, period] = (
        await Promise.all([read(join(dir, 'cpu.cfs_quota_us')), read(join(dir, 'cpu.cfs_period_us'))])
      ).map(Number);
      return quota !== undefined && period !== undefined && quota > 0 && period > 0 ? quota / period : Infinity;
    }),
  );
  return Math.min(...quotas);
}

async function memoryLimit(d: CgroupDir, v2: boolean): Promise<number> {
  if (!v2) {
    // v1 computes the hierarchical limit itself.
    const stat = await read(join(d.dir, 'memory.stat'));
    const h = stat === null ? null : /^hierarchical_memory_limit (\d+)/m.exec(stat)?.[1];
    return Number(h ?? (await read(join(d.dir, 'memory.limit_in_bytes'))) ?? Infinity);
  }
  const maxes = await Promise.all(ancestors(d).map((dir) => read(join(dir, 'memory.max'))));
  return Math.min(...maxes.map((m) => (m === null || m === 'max' ? Infinity : Number(m))));
}

let mountsOnce: Mount[] | undefined;

const cgroupMounts = () => (mountsOnce ??= parseCgroupMounts(readFileSync('/proc/self/mountinfo', 'utf8')));

/** This host's cgroup hierarchies (their roots as mounted): mount points, and the controllers on v1 ones. */
export function cgroupHierarchies(): { points: string[]; v1: ReadonlySet<string> } {
  const mounts = cgroupMounts().filter((m) => m.root === '/');
  return {
    points: [...new Set(mounts.map((m) => m.point))],
    v1: new Set(mounts.filter((m) => m.type === 'cgroup').flatMap((m) => m.options)),
  };
}

/** Reads the cgroups of `pid` and what they grant (files read concurrently: this is on the startup path). */
export async function cgroupFacts(pid: number): Promise<CgroupFacts> {
  const dirs = cgroupDirs(readFileSync(`/proc/${pid}/cgroup`, 'utf8'), cgroupMounts());
  const v1 = (c: string) => dirs.find((d) => d.controllers.includes(c));
  const unified = dirs.find((d) => d.controllers.length === 0);
  const isV2 = (d: CgroupDir | undefined) => d !== undefined && d.controllers.length === 0;
  const cpuDir = v1('cpu') ?? unified;
  const cpusetDir = v1('cpuset') ?? unified;
  const memDir = v1('memory') ?? unified;
  const cpuset = async () => {
    if (!cpusetDir) return Infinity;
    const list = isV2(cpusetDir)
      ? await read(join(cpusetDir.dir, 'cpuset.cpus.effective'))
      : ((await read(join(cpusetDir.dir, 'cpuset.effective_cpus'))) ??
        (await read(join(cpusetDir.dir, 'cpuset.cpus'))));
    return list ? cpuListCount(list) : Infinity;
  };
  const [quota, cpus, limit] = await Promise.all([
    cpuDir ? cpuQuota(cpuDir, isV2(cpuDir)) : Infinity,
    cpuset(),
    memDir ? memoryLimit(memDir, isV2(memDir)) : Infinity,
  ]);
  const host = totalmem();
  return {
    version: v1('memory') ? 'v1' : 'v2',
    dirs,
    effectiveCpus: Math.min(availableParallelism(), quota, cpus),
    effectiveMemoryBytes: Math.min(limit >= UNLIMITED ? Infinity : limit, host),
    memoryLimited: limit < host,
    memoryUsageFile: memDir ? join(memDir.dir, isV2(memDir) ? 'memory.current' : 'memory.usage_in_bytes') : null,
  };
}

/** Memory charged to the cgroup now, in bytes, or null when unreadable. */
export async function memoryUsageBytes(f: CgroupFacts): Promise<number | null> {
  const text = f.memoryUsageFile === null ? null : await read(f.memoryUsageFile);
  return text === null || text === '' ? null : Number(text);
}

/** The labels every container instance carries about its cgroup. */
export function cgroupLabels(f: CgroupFacts): Record<string, string> {
  return {
    cgroup_version: f.version,
    effective_cpus: String(Number(f.effectiveCpus.toFixed(2))),
    effective_memory_MiB: String(Math.floor(f.effectiveMemoryBytes / 2 ** 20)),
    memory_limited: f.memoryLimited ? 'yes' : 'no',
  };
}

/**
 * Removes the given cgroup directories (children first) when they still exist. Returns the ones
 * that could not be removed, with why; a missing directory counts as removed.
 */
export async function removeCgroupDirs(dirs: readonly string[]): Promise<string[]> {
  const failed: string[] = [];
  for (const dir of [...dirs].sort((a, b) => b.length - a.length)) {
    try {
      await emptyCgroup(dir);
      await rmdir(dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') failed.push(`${dir}: ${code ?? String(err)}`);
    }
  }
  return failed;
}

/**
 * The directories a cgroup named exactly `name` has directly under the cgroup mount, in every
 * hierarchy (v1) or the unified one (v2), whether they exist or not. An OCI bundle asks for
 * `cgroupsPath: /<name>`: these are what the runtime may have created, known before it ran, so an
 * interrupted `runc run` (killed before it recorded its state) leaves nothing behind either.
 */
export async function cgroupDirsNamed(name: string, root = '/sys/fs/cgroup'): Promise<string[]> {
  const hierarchies = await readdir(root, { withFileTypes: true }).catch(() => []);
  return [
    join(root, name),
    ...hierarchies.filter((h) => h.isDirectory() && h.name !== name).map((h) => join(root, h.name, name)),
  ];
}

/**
 * Kills (SIGKILL) every process left in the cgroup `dir` — a container's own cgroup, named after
 * it: whatever is inside is that container's — and waits up to 2 s for it to be empty.
 */
async function emptyCgroup(dir: string): Promise<void> {
  for (let i = 0; i < 80; i++) {
    const procs = (await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => ''))
      .split('\n')
      .filter((l) => /^\d+$/.test(l))
      .map(Number);
    if (procs.length === 0) return;
    for (const pid of procs) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}
