// The classic LXC family (lxc-start/lxc-attach from apt, no daemon): a config per container over the read-only image.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cgroupLayout } from '../host/fingerprint.js';
import { cgroupFacts, cgroupHierarchies } from './cgroup.js';
import { IDLE_PAYLOAD, failureText, type Container, type ContainerFamily } from './family.js';
import { cgroupDirsOf, limitLines, lxcConfig } from './lxc-config.js';
import { NAMESPACES } from './oci-spec.js';
import { spawnUntilReady } from './ready.js';
import { which } from '../../lib/which.js';
import type { WorkloadImage } from '../image/build.js';
import { runProcess } from '../host/process.js';
import type { RunContext } from '../types.js';

/** One container's own state: its lxcpath (`-P`, holding `<name>/config`) and its `lxc-start -F` monitor once up. */
interface LxcState {
  lxcpath: string;
  monitor: { pid: number; exited: Promise<void> } | null;
}

const PATH_ENV = 'PATH=/usr/sbin:/usr/bin:/sbin:/bin';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The lxcpath of a started container: beside its scratch directory, like the OCI bundle. */
const lxcpathOf = (c: Container) => `${c.scratch ?? ''}.lxc`;

/** SIGKILL to `pid`, which may be gone already. */
function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Whether `p` settles within `ms` (the timer is cleared either way, so it never holds the process). */
async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((r) => {
    timer = setTimeout(() => r(false), ms);
  });
  try {
    return await Promise.race([
      p.then(
        () => true,
        () => true,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Pids still in the container's cgroup (any hierarchy). */
function cgroupPids(name: string, points: readonly string[]): number[] {
  const pids = new Set<number>();
  for (const p of points) {
    try {
      for (const l of readFileSync(join(p, name, 'cgroup.procs'), 'utf8').split('\n'))
        if (l.trim() !== '') pids.add(Number(l));
    } catch {
      // not in this hierarchy (or already gone)
    }
  }
  return [...pids];
}

/** The container's pid 1: the only child of its `lxc-start -F` monitor. */
function initPidOf(monitorPid: number): number {
  const children = readFileSync(`/proc/${monitorPid}/task/${monitorPid}/children`, 'utf8')
    .trim()
    .split(/\s+/)
    .map(Number);
  if (children.length !== 1 || !((children[0] as number) > 0))
    throw new Error(
      `lxc-start ${monitorPid} has children '${children.join(' ')}', expected the container's init alone`,
    );
  return children[0] as number;
}

/** The classic LXC family: `lxc-start -F` stays the container's monitor, workloads run with `lxc-attach`. */
export function lxcFamily(): ContainerFamily {
  const host = cgroupHierarchies();
  const state = new Map<string, LxcState>();

  /** Writes the container's config under `lxcpath`; from here on its cgroups and lxcpath are the run's to remove. */
  function prepare(c: Container, lxcpath: string, image: WorkloadImage, ctx: RunContext): LxcState {
    const s: LxcState = { lxcpath, monitor: null };
    state.set(c.name, s);
    c.dirs.push(lxcpath);
    c.cgroups = cgroupDirsOf(c.name, host.points);
    mkdirSync(join(lxcpath, c.name), { recursive: true });
    writeFileSync(
      join(lxcpath, c.name, 'config'),
      lxcConfig({
        name: c.name,
        rootfs: image.rootfs,
        scratch: c.scratch,
        limits: ctx.limits,
        cpuset: ctx.cpuset,
        v1: host.v1,
      }),
    );
    return s;
  }

  return {
    capabilities: 'none',
    network: 'loopback only',
    seccompProfile: 'none (the isobench LXC config sets none)',
    probeFacts: { namespaces: NAMESPACES.join(',') },

    async preflight(path) {
      for (const tool of ['lxc-attach', 'lxc-stop']) {
        if ((await which(tool)) === null)
          return { ok: false, reason: `${tool} not found on PATH (apt-get install lxc)`, details: {} };
      }
      const details = { cgroup_layout: (await cgroupLayout().catch(() => null)) ?? 'unknown' };
      if (process.getuid?.() !== 0)
        return {
          ok: false,
          reason: 'LXC containers need root here (unprivileged LXC is not supported by isobench)',
          details,
        };
      const v = await runProcess([path, '--version'], { timeoutMs: 10_000 });
      return { ok: true, version: `lxc ${v.stdout.trim() || 'unknown'}`, details };
    },

    ensureImage: async () => undefined,

    // Really start a container with the run's limits: the only precise test of this host.
    async trial(c, image, ctx) {
      const { lxcpath } = prepare(c, await mkdtemp(join(tmpdir(), `isobench-${ctx.runId}-probe-lxc-`)), image, ctx);
      const r = await runProcess(['lxc-start', '-n', c.name, '-P', lxcpath, '-F', '--', '/bin/true'], {
        timeoutMs: 30_000,
        signal: ctx.signal,
      });
      return r.exitCode === 0 ? null : failureText(r, 30);
    },

    async launch(c, image, ctx) {
      const s = prepare(c, lxcpathOf(c), image, ctx);
      // lxc-start -F stays the container's monitor; the payload's output comes through its pipes, as with runc.
      const ready = await spawnUntilReady(['lxc-start', '-n', c.name, '-P', s.lxcpath, '-F', '--', ...IDLE_PAYLOAD], {
        timeoutMs: 60_000,
        afterReady: 'keep-running',
        signal: ctx.signal,
      });
      s.monitor = { pid: ready.pid, exited: ready.exited };
      return {
        ready,
        async inspect() {
          const pid = initPidOf(ready.pid);
          const limits =
            limitLines(ctx.limits, ctx.cpuset, host.v1)
              .map((l) => l.replace(' = ', '='))
              .join(',') || 'none';
          return {
            pid,
            facts: await cgroupFacts(pid),
            labels: { engine_limits: limits, namespaces: NAMESPACES.join(',') },
          };
        },
      };
    },

    execArgv(c, argv, inScratch) {
      // lxc-attach has no working-directory option: a shell in the image changes into /scratch first.
      const cwd = inScratch ? ['/bin/sh', '-c', 'cd /scratch && exec "$@"', 'sh'] : [];
      return [
        'lxc-attach',
        '-n',
        c.name,
        '-P',
        lxcpathOf(c),
        '--clear-env',
        '-v',
        PATH_ENV,
        '-v',
        'HOME=/root',
        '--',
        ...cwd,
        ...argv,
      ];
    },

    /** Stops the container, waits for its monitor, then kills whatever is left in its cgroup. */
    async remove(name) {
      const s = state.get(name);
      if (s !== undefined) await runProcess(['lxc-stop', '-n', name, '-P', s.lxcpath, '-k'], { timeoutMs: 30_000 });
      if (s?.monitor) {
        const { pid, exited } = s.monitor;
        if (!(await settlesWithin(exited, 10_000))) {
          kill(pid);
          await settlesWithin(exited, 5_000);
        }
      }
      // A monitor that died before stopping its container leaves the payload running: kill exactly its cgroup's pids.
      for (let i = 0; i < 100; i++) {
        const pids = cgroupPids(name, host.points);
        if (pids.length === 0) break;
        for (const pid of pids) kill(pid);
        await sleep(50);
      }
      state.delete(name);
    },
  };
}
