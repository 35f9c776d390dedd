// The OCI-runtime family (runc, crun): a bundle per container over the shared read-only image, started as create → start → ready.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { cgroupLayout } from '../host/fingerprint.js';
import { cgroupDirsNamed, cgroupFacts, type CgroupFacts } from './cgroup.js';
import {
  IDLE_PAYLOAD,
  execIn,
  failureText,
  type Container,
  type ContainerFamily,
  type EngineDescriptor,
} from './family.js';
import { KEPT_CAPABILITIES, NAMESPACES, ociSpec } from './oci-spec.js';
import { StartError, spawnUntilReady } from './ready.js';
import { lifecycle } from '../../model/metrics.js';
import { tail } from '../../lib/text.js';
import type { WorkloadImage } from '../image/build.js';
import { runProcess } from '../host/process.js';
import type { RunContext } from '../types.js';

/** Test hook payload: says so, then idles without ever announcing ready. */
const HANG_PAYLOAD = ['/bin/sh', '-c', 'echo "test hook: hanging before ready"; exec sleep 2147483647'];

/** The family of OCI runtimes that run a bundle directory: `runc`, `crun`. */
export function ociFamily({ binary }: EngineDescriptor): ContainerFamily {
  const run = (args: string[], timeoutMs = 30_000, signal?: AbortSignal) =>
    runProcess([binary, ...args], { timeoutMs, signal });

  /** Writes config.json (synchronously: two small local writes on the startup path, see perf/containers.ts). */
  function writeBundle(bundle: string, c: Container, image: WorkloadImage, ctx: RunContext, args: string[]): void {
    mkdirSync(bundle, { recursive: true });
    const spec = ociSpec({
      rootfs: image.rootfs,
      scratch: c.scratch ?? bundle,
      args,
      cgroupsPath: `/${c.name}`,
      hostname: 'isobench',
      limits: ctx.limits,
      cpuset: ctx.cpuset,
    });
    writeFileSync(join(bundle, 'config.json'), JSON.stringify(spec));
  }

  return {
    execArgv: execIn(binary, '--cwd'),
    capabilities: KEPT_CAPABILITIES.length === 0 ? 'none' : KEPT_CAPABILITIES.join(','),
    network: 'loopback only',
    seccompProfile: 'none (the OCI bundle sets none)',
    probeFacts: { namespaces: NAMESPACES.join(',') },

    async preflight(path, ctx) {
      const details = { cgroup_layout: (await cgroupLayout().catch(() => null)) ?? 'unknown' };
      if (process.getuid?.() !== 0)
        return {
          ok: false,
          reason: `${binary} containers need root here (rootless mode is not supported by isobench)`,
          details,
        };
      const v = await runProcess([path, '--version'], { timeoutMs: 10_000, signal: ctx.signal });
      return { ok: true, version: v.stdout.split('\n')[0]?.trim() || 'unknown', details };
    },

    ensureImage: async () => undefined,

    // Really start a container with the run's limits: the only precise test of this host.
    async trial(c, image, ctx) {
      const bundle = await mkdtemp(join(tmpdir(), `isobench-${ctx.runId}-probe-${binary}-`));
      c.dirs.push(bundle);
      c.cgroups = await cgroupDirsNamed(c.name);
      writeBundle(bundle, c, image, ctx, ['/bin/true']);
      const r = await run(['run', '--bundle', bundle, c.name], 30_000, ctx.signal);
      return r.exitCode === 0 ? null : failureText(r, 30);
    },

    async launch(c, image, ctx) {
      const bundle = `${c.scratch}.${binary}`;
      c.dirs.push(bundle);
      // The cgroup named after the container is isobench's to remove, whatever happens to the runtime.
      c.cgroups = await cgroupDirsNamed(c.name);
      writeBundle(bundle, c, image, ctx, ctx.hooks?.containerHangBeforeReady === true ? HANG_PAYLOAD : IDLE_PAYLOAD);
      const pidFile = join(bundle, 'pid');
      // `create` exits (pid file written) with the init waiting: read the cgroup while `start` runs.
      let factsP: Promise<CgroupFacts> | undefined;
      const initPid = () => Number(readFileSync(pidFile, 'utf8').trim());
      const readFacts = () => (factsP ??= Promise.resolve().then(() => cgroupFacts(initPid())));
      // The init inherits create's stdout (runc's pass-through stdio), so the ready marker arrives on it after `start`.
      const timeoutMs = ctx.hooks?.containerReadyTimeoutMs ?? 60_000;
      let created = 0;
      let startAt = 0;
      let startMs = 0;
      const ready = await spawnUntilReady([binary, 'create', '--pid-file', pidFile, '--bundle', bundle, c.name], {
        timeoutMs,
        afterReady: 'wait-exit',
        signal: ctx.signal,
        onEngineExit: () => {
          created = performance.now();
          void readFacts().catch(() => undefined);
        },
        afterExit: async () => {
          startAt = performance.now();
          const r = await run(['start', c.name], timeoutMs, ctx.signal);
          startMs = r.durationMs;
          if (r.exitCode !== 0)
            throw new StartError(
              `${binary} start ${c.name} failed: ${failureText(r, timeoutMs / 1000)}`,
              tail(r.stdout + r.stderr),
            );
        },
      });
      const facts = await readFacts();
      for (const d of facts.dirs.map((x) => x.dir))
        if (basename(d) === c.name && !c.cgroups.includes(d)) c.cgroups.push(d);
      const phases = [
        lifecycle('oci_create_ms', created - ready.spawnedAt),
        lifecycle('oci_start_ms', startMs),
        lifecycle('oci_start_to_ready_ms', ready.readyAt - startAt),
      ];
      return {
        ready,
        phases,
        inspect: async () => ({
          pid: initPid(),
          facts,
          labels: { oci_runtime: binary, namespaces: NAMESPACES.join(',') },
        }),
      };
    },

    async remove(name) {
      await run(['kill', name, 'KILL']);
      const del = await run(['delete', '-f', name]);
      if (del.exitCode !== 0 && (await run(['state', name])).exitCode === 0) {
        throw new Error(`${binary} delete -f ${name} failed: ${del.stderr.trim()}`);
      }
    },
  };
}
