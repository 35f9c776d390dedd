// The LXD family: through LXD's `lxc` client, the daemon LXD_DIR names runs one unprivileged container per instance.
import { tail } from '../../lib/text.js';
import { chown, readFile } from 'node:fs/promises';
import { cgroupFacts, cgroupHierarchies } from './cgroup.js';
import type { Container, ContainerFamily } from './family.js';
import { cgroupDirsOf } from './lxc-config.js';
import {
  LXD_INIT_HINT,
  lastWords,
  lxd,
  lxdAlias,
  lxdImporter,
  lxdQuery,
  lxdServer,
  lxdWhere,
  type LxdServer,
} from './lxd-client.js';
import { lxdInstanceConfig, lxdLimits } from './lxd-config.js';
import { StartError, spawnUntilReady } from './ready.js';
import type { ExecResult, RunContext } from '../types.js';

/** Namespaces of an LXD container: LXC's, plus a user namespace (LXD's containers are unprivileged). */
const LXD_NAMESPACES = 'pid,network,ipc,uts,mount,cgroup,user';

/** The host uid and gid the container's root maps to, from its pid 1's maps. */
async function hostRootIds(pid: number): Promise<{ uid: number; gid: number }> {
  const first = async (f: string) => {
    const m = /^\s*0\s+(\d+)\s+\d+/m.exec(await readFile(`/proc/${pid}/${f}`, 'utf8'));
    if (!m?.[1]) throw new Error(`container root is not mapped in /proc/${pid}/${f}`);
    return Number(m[1]);
  };
  return { uid: await first('uid_map'), gid: await first('gid_map') };
}

type Usable = { ok: true; server: LxdServer; pool: { name: string; driver: string } } | { ok: false; reason: string };

/** The daemon, its pool, or why LXD cannot run containers here (with what to do). */
async function usableServer(signal: AbortSignal | undefined): Promise<Usable> {
  const s = await lxdServer(signal);
  if (!s.ok) return s;
  if (s.server.pool === null)
    return {
      ok: false,
      reason:
        `LXD (${lxdWhere()}) is not initialised: it has no storage pool. Initialise it without a ` +
        `network: ${LXD_INIT_HINT}`,
    };
  return { ok: true, server: s.server, pool: s.server.pool };
}

/** The LXD family: image imported once per digest, `lxc launch` with no profiles (no NIC), `lxc exec` for workloads. */
export function lxdFamily(): ContainerFamily {
  const importer = lxdImporter();
  const { points } = cgroupHierarchies();
  let server: Promise<Usable> | undefined;

  /** Launches `c` with the run's config (its cgroups are the run's to remove from here on); resolves when LXD reports it running. */
  async function launchInstance(
    c: Container,
    ctx: RunContext,
    alias: string,
  ): Promise<{ r: ExecResult; pool: string }> {
    const s = await (server ??= usableServer(ctx.signal));
    if (!s.ok) throw new Error(s.reason);
    c.cgroups = cgroupDirsOf(c.name, points);
    const config = lxdInstanceConfig({
      name: c.name,
      runId: ctx.runId,
      pool: s.pool.name,
      scratch: c.scratch,
      limits: ctx.limits,
      cpuset: ctx.cpuset,
    });
    // An abort kills the client; LXD may still create the instance, which teardown removes by its name.
    const r = await lxd(['launch', alias, c.name, '--no-profiles'], 120_000, JSON.stringify(config), ctx.signal);
    ctx.signal?.throwIfAborted();
    return { r, pool: `${s.pool.name} (${s.pool.driver})` };
  }

  return {
    capabilities: 'none',
    network: 'none (no NIC; loopback only)',
    seccompProfile: 'lxd default',
    probeFacts: {},

    async preflight(_path, ctx) {
      const s = await (server = usableServer(ctx.signal));
      if (!s.ok) return { ok: false, reason: s.reason, details: {} };
      const details = { lxd: lxdWhere(), driver: s.server.driver, storage_pool: `${s.pool.name} (${s.pool.driver})` };
      if (process.getuid?.() !== 0)
        return {
          ok: false,
          reason: "the LXD engine needs root here (it bind-mounts and chowns the run's scratch directory)",
          details,
        };
      return { ok: true, version: `lxd ${s.server.version}`, details };
    },

    async ensureImage(image, signal) {
      await importer(image, signal);
    },

    async trial(c, image, ctx) {
      const { r: l } = await launchInstance(c, ctx, lxdAlias(image));
      if (l.exitCode !== 0) return `lxc launch ${c.name} failed: ${lastWords(l)}`;
      const r = await lxd(['exec', c.name, '--', '/bin/true'], 60_000, undefined, ctx.signal);
      return r.exitCode === 0 ? null : `a command in it failed: ${lastWords(r)}`;
    },

    async launch(c, image, ctx) {
      // Startup as LXD users see it: `lxc launch` (create from the image, start) until a command in it printed ready.
      const t0 = performance.now();
      const { r: l, pool } = await launchInstance(c, ctx, lxdAlias(image));
      if (l.exitCode !== 0)
        throw new StartError(`lxc launch ${c.name} failed: ${lastWords(l)}`, tail(l.stdout + l.stderr));
      const tExec = performance.now();
      const ready = await spawnUntilReady(['lxc', 'exec', c.name, '--', '/isobench/ready'], {
        timeoutMs: 60_000,
        afterReady: 'wait-exit',
        signal: ctx.signal,
      });
      return {
        ready: { ...ready, readyMs: tExec - t0 + ready.readyMs },
        async inspect() {
          const pid = (await lxdQuery<{ pid?: number }>(`/1.0/instances/${c.name}/state`, 20_000, ctx.signal))?.pid;
          ctx.signal?.throwIfAborted();
          if (!pid) throw new StartError(`LXD did not report a pid for running instance ${c.name}`, '');
          // The container's root is an unprivileged host uid: give it the scratch directory it writes in.
          const ids = await hostRootIds(pid);
          await chown(c.scratch, ids.uid, ids.gid);
          return {
            pid,
            facts: await cgroupFacts(pid),
            labels: {
              engine_image: lxdAlias(image),
              engine_image_id: await importer(image, ctx.signal),
              engine_limits:
                Object.entries(lxdLimits(ctx.limits, ctx.cpuset))
                  .map(([k, v]) => `${k}=${v}`)
                  .join(',') || 'none',
              storage_pool: pool,
              namespaces: LXD_NAMESPACES,
              user_namespace: `container root is host uid ${ids.uid}`,
            },
          };
        },
      };
    },

    execArgv: (c, argv, inScratch) => [
      'lxc',
      'exec',
      c.name,
      ...(inScratch ? ['--cwd', '/scratch'] : []),
      '--',
      ...argv,
    ],

    async remove(name) {
      const r = await lxd(['delete', '--force', name], 120_000);
      if (r.exitCode !== 0 && (await lxd(['query', `/1.0/instances/${name}`])).exitCode === 0) {
        throw new Error(`lxc delete --force ${name} failed: ${lastWords(r)}`);
      }
    },
  };
}
