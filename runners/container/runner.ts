// The one container runner: probe, start → ready → verify the binary → cgroup facts → Instance, and
// teardown of exactly what it created, for any engine described in engines.ts.
import { lifecycle, type Measurement } from '../../model/metrics.js';
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { cgroupLayout } from '../host/fingerprint.js';
import { cgroupUsageBytes } from '../host/memory.js';
import { cgroupLabels, memoryUsageBytes, removeCgroupDirs } from './cgroup.js';
import type { Container, EngineDescriptor } from './family.js';
import { StartError } from './ready.js';
import { containerInstance, removeAll, sharedRemoval } from './instance.js';
import { which } from '../../lib/which.js';
import { imageFor } from '../image/build.js';
import { parseReady, resolveSysbench } from '../image/files.js';
import { runProcess } from '../host/process.js';
import { securityLabels } from '../host/security.js';
import type { Instance, ProbeResult, RunContext, Runner } from '../types.js';

/** Container name of an instance: derived from its tag, which holds the run id. */
export const containerName = (tag: string) => `isobench-${tag}`;

/** Creates the runner for the engine `name` of the table. */
export function containerRunner(name: string, engine: EngineDescriptor): Runner {
  const { binary } = engine;
  const family = engine.family(engine);
  const owned = new Map<string, Container>();
  let layout: Promise<string> | undefined;

  /** Removes the container, then its cgroups and directories. Throws if anything stays. */
  const destroy = sharedRemoval(
    (c: Container) => c.name,
    async (c) => {
      await family.remove(c.name);
      const left = await removeCgroupDirs(c.cgroups);
      for (const dir of c.dirs) await rm(dir, { recursive: true, force: true });
      if (c.scratch !== null) await rm(c.scratch, { recursive: true, force: true });
      owned.delete(c.name);
      if (left.length > 0) throw new Error(`cgroups of ${c.name} could not be removed: ${left.join('; ')}`);
    },
  );

  async function probe(ctx: RunContext): Promise<ProbeResult> {
    const path = await which(binary);
    if (path === null)
      return { ok: false, reason: `${binary} not found on PATH (apt-get install ${engine.aptPackage})`, details: {} };
    const pre = await family.preflight(path, ctx);
    const details = { path, ...pre.details };
    if (!pre.ok) return { ok: false, reason: pre.reason, details };
    const c: Container = {
      name: `isobench-${ctx.runId}-probe-${process.pid}-${name}`,
      scratch: null,
      dirs: [],
      cgroups: [],
    };
    try {
      const image = await imageFor(ctx.cacheDir, ctx.log);
      await family.ensureImage(image, ctx.signal);
      owned.set(c.name, c);
      const why = await family.trial(c, image, ctx);
      if (why !== null) return { ok: false, reason: `${name} cannot run a container on this host: ${why}`, details };
      return { ok: true, version: pre.version, details: { ...details, ...family.probeFacts } };
    } catch (err) {
      return {
        ok: false,
        reason: `${name} probe failed: ${err instanceof Error ? err.message : String(err)}`,
        details,
      };
    } finally {
      if (owned.has(c.name)) await destroy(c).catch(() => undefined);
    }
  }

  async function start(ctx: RunContext, spec: { tag: string }): Promise<Instance> {
    const image = await imageFor(ctx.cacheDir, ctx.log);
    await family.ensureImage(image, ctx.signal);
    const c: Container & { scratch: string } = {
      name: containerName(spec.tag),
      scratch: join(ctx.scratchRoot, spec.tag),
      dirs: [],
      cgroups: [],
    };
    owned.set(c.name, c);
    try {
      mkdirSync(c.scratch, { recursive: true });
      const launched = await family.launch(c, image, ctx);
      const { ready, inspect } = launched;
      const seen = parseReady(ready.stdout);
      if (seen.sha256 !== image.sysbenchSha256) {
        throw new StartError(
          `sysbench inside container ${c.name} has sha256 ${seen.sha256 ?? '(none printed)'}, but the ` +
            `image's is ${image.sysbenchSha256}: refusing to measure a different binary`,
          ready.stdout,
        );
      }
      const { pid, facts, labels: engineLabels } = await inspect();
      const usage = await memoryUsageBytes(facts);
      const startup: Measurement[] = [lifecycle('startup_ms', ready.readyMs), ...(launched.phases ?? [])];
      if (usage !== null) startup.push(lifecycle('instance_memory_MiB', usage / 2 ** 20));
      const labels: Record<string, string> = {
        image_digest: image.digest,
        sysbench_sha256: seen.sha256,
        container_name: c.name,
        ...cgroupLabels(facts),
        cgroup_layout: await (layout ??= cgroupLayout().then(
          (l) => l ?? 'unknown',
          () => 'unknown',
        )),
        cpuset: ctx.cpuset ?? 'all',
        ...engineLabels,
        capabilities: family.capabilities,
        rootfs: 'read-only',
        network: family.network,
        container_hostname: seen.hostname ?? 'unknown',
        ...securityLabels(pid, family.seccompProfile),
      };
      return containerInstance(
        labels,
        startup,
        ready.readyAt,
        (req) => {
          return runProcess(family.execArgv(c, resolveSysbench(req.argv), req.inScratch), {
            timeoutMs: req.timeoutMs,
            signal: ctx.signal,
          });
        },
        () => destroy(c),
        facts.memoryUsageFile === null
          ? undefined
          : {
              method: `cgroup ${facts.version} ${basename(facts.memoryUsageFile)}`,
              bytes: () => cgroupUsageBytes(facts.memoryUsageFile as string),
            },
      );
    } catch (err) {
      await destroy(c).catch(() => undefined);
      throw err;
    }
  }

  return {
    env: 'container',
    engine: name,
    description: engine.description,
    probe,
    start,
    cleanup: () => removeAll(name, owned.values(), destroy),
  };
}
