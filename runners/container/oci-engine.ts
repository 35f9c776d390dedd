// An OCI-runtime container runner (runc, crun): a bundle per instance over the shared read-only image.
import { lifecycle, type Measurement } from '../../model/metrics.js';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { cgroupLayout } from '../host/fingerprint.js';
import { cgroupFacts, cgroupLabels, memoryUsageBytes, removeCgroupDirs, type CgroupFacts } from './cgroup.js';
import { KEPT_CAPABILITIES, NAMESPACES, ociSpec } from './oci-spec.js';
import { StartError, spawnUntilReady } from './ready.js';
import { containerInstance, removeAll, sharedRemoval } from './instance.js';
import { which } from '../image/identity.js';
import { imageFor, type WorkloadImage } from '../image/build.js';
import { parseReady, resolveSysbench } from '../image/files.js';
import { runProcess } from '../host/process.js';
import type { Instance, ProbeResult, RunContext, Runner } from '../types.js';

/** The container's pid 1: report readiness (binary hash), then idle until killed. */
export const IDLE_PAYLOAD = ['/bin/sh', '-c', '/isobench/ready && exec sleep 2147483647'];

/** Everything one container owns on the host, removed by `stop` or `cleanup`. */
interface Owned {
  /** Container id (also its cgroup's name). */
  name: string;
  /** Bundle directory (config.json, pid file). */
  bundle: string;
  /** Scratch directory bind-mounted at /scratch, or null (probe). */
  scratch: string | null;
  /** cgroup directories of the container, once known. */
  cgroups: string[];
}

/** Container name of an instance: derived from its tag, which holds the run id. */
export const containerName = (tag: string) => `isobench-${tag}`;

/** Creates a runner for the OCI runtime `binary` (`runc` or `crun`). */
export function ociRunner(binary: 'runc' | 'crun', description: string): Runner {
  const owned = new Map<string, Owned>();
  let layout: Promise<string> | undefined;

  const run = (args: string[], timeoutMs = 30_000) => runProcess([binary, ...args], { timeoutMs });

  /** Kills and deletes the container, removes its cgroups and directories. Throws if it stays. */
  const destroy = sharedRemoval((o: Owned) => o.name, destroyNow);

  async function destroyNow(o: Owned): Promise<void> {
    await run(['kill', o.name, 'KILL']);
    const del = await run(['delete', '-f', o.name]);
    if (del.exitCode !== 0 && (await run(['state', o.name])).exitCode === 0) {
      throw new Error(`${binary} delete -f ${o.name} failed: ${del.stderr.trim()}`);
    }
    const left = await removeCgroupDirs(o.cgroups);
    await rm(o.bundle, { recursive: true, force: true });
    if (o.scratch !== null) await rm(o.scratch, { recursive: true, force: true });
    owned.delete(o.name);
    if (left.length > 0) throw new Error(`cgroups of ${o.name} could not be removed: ${left.join('; ')}`);
  }

  /** Writes config.json (synchronously: two small local writes on the startup path, see bench/perf/containers.ts). */
  function writeBundle(o: Owned, image: WorkloadImage, ctx: RunContext, args: string[]): void {
    mkdirSync(o.bundle, { recursive: true });
    const spec = ociSpec({ rootfs: image.rootfs, scratch: o.scratch ?? o.bundle, args, cgroupsPath: `/${o.name}`, hostname: 'isobench', limits: ctx.limits, cpuset: ctx.cpuset });
    writeFileSync(join(o.bundle, 'config.json'), JSON.stringify(spec));
  }

  async function probe(ctx: RunContext): Promise<ProbeResult> {
    const path = await which(binary);
    if (path === null) return { ok: false, reason: `${binary} not found on PATH (apt-get install ${binary})`, details: {} };
    const details: Record<string, string> = { path, cgroup_layout: (await cgroupLayout().catch(() => null)) ?? 'unknown' };
    if (process.getuid?.() !== 0) return { ok: false, reason: `${binary} containers need root here (rootless mode is not supported by isobench)`, details };
    const v = await runProcess([path, '--version'], { timeoutMs: 10_000 });
    const version = v.stdout.split('\n')[0]?.trim() || 'unknown';
    // Really start a container with the run's limits: the only precise test of this host.
    let o: Owned | undefined;
    try {
      const image = await imageFor(ctx.cacheDir, ctx.log);
      o = { name: `isobench-${ctx.runId}-probe-${process.pid}-${binary}`, bundle: await mkdtemp(join(tmpdir(), `isobench-${ctx.runId}-probe-${binary}-`)), scratch: null, cgroups: [] };
      owned.set(o.name, o);
      writeBundle(o, image, ctx, ['/bin/true']);
      const r = await run(['run', '--bundle', o.bundle, o.name], 30_000);
      if (r.exitCode !== 0) {
        const why = r.timedOut ? 'timed out after 30 s' : (r.stderr.trim() || r.stdout.trim() || `exit ${String(r.exitCode)}`);
        return { ok: false, reason: `${binary} cannot run a container on this host: ${why.split('\n').slice(-3).join(' ')}`, details };
      }
      return { ok: true, version, details: { ...details, namespaces: NAMESPACES.join(',') } };
    } catch (err) {
      return { ok: false, reason: `${binary} probe failed: ${err instanceof Error ? err.message : String(err)}`, details };
    } finally {
      if (o !== undefined) await destroy(o).catch(() => undefined);
    }
  }

  async function start(ctx: RunContext, spec: { tag: string }): Promise<Instance> {
    const image = await imageFor(ctx.cacheDir, ctx.log);
    const name = containerName(spec.tag);
    const o: Owned = { name, bundle: join(ctx.scratchRoot, `${spec.tag}.${binary}`), scratch: join(ctx.scratchRoot, spec.tag), cgroups: [] };
    owned.set(name, o);
    try {
      mkdirSync(o.scratch as string, { recursive: true });
      writeBundle(o, image, ctx, IDLE_PAYLOAD);
      const pidFile = join(o.bundle, 'pid');
      // runc/crun usually exit (pid file written) before the payload is ready: read the cgroup meanwhile.
      let factsP: Promise<CgroupFacts> | undefined;
      const readFacts = () => (factsP ??= Promise.resolve().then(() => cgroupFacts(Number(readFileSync(pidFile, 'utf8').trim()))));
      const ready = await spawnUntilReady([binary, 'run', '-d', '--pid-file', pidFile, '--bundle', o.bundle, name], { timeoutMs: 60_000, afterReady: 'wait-exit', onEngineExit: () => void readFacts().catch(() => undefined) });
      const facts = await readFacts();
      o.cgroups = facts.dirs.map((d) => d.dir).filter((d) => basename(d) === name);
      const usage = await memoryUsageBytes(facts);
      const seen = parseReady(ready.stdout);
      if (seen.sha256 !== image.sysbenchSha256) {
        throw new StartError(`sysbench inside container ${name} has sha256 ${seen.sha256 ?? '(none printed)'}, but the image's is ${image.sysbenchSha256}: refusing to measure a different binary`, ready.stdout);
      }
      const startup: Measurement[] = [lifecycle('startup_ms', ready.readyMs)];
      if (usage !== null) startup.push(lifecycle('instance_memory_MiB', usage / 2 ** 20));
      const labels: Record<string, string> = {
        image_digest: image.digest,
        sysbench_sha256: seen.sha256,
        container_name: name,
        ...cgroupLabels(facts),
        cgroup_layout: await (layout ??= cgroupLayout().then((l) => l ?? 'unknown', () => 'unknown')),
        cpuset: ctx.cpuset ?? 'all',
        oci_runtime: binary,
        namespaces: NAMESPACES.join(','),
        capabilities: KEPT_CAPABILITIES.length === 0 ? 'none' : KEPT_CAPABILITIES.join(','),
        rootfs: 'read-only',
        network: 'loopback only',
        container_hostname: seen.hostname ?? 'unknown',
      };
      return containerInstance(labels, startup, (req) => {
        return runProcess([binary, 'exec', ...(req.inScratch ? ['--cwd', '/scratch'] : []), name, ...resolveSysbench(req.argv)], { timeoutMs: req.timeoutMs });
      }, () => destroy(o));
    } catch (err) {
      await destroy(o).catch(() => undefined);
      throw err;
    }
  }

  return {
    env: 'container',
    engine: binary,
    description,
    probe,
    start,
    cleanup: () => removeAll(binary, owned.values(), destroy),
  };
}
