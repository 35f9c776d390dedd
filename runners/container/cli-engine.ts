// A container runner over a docker-compatible CLI (docker, podman): the image tar imported by digest.
import { lifecycle, type Measurement } from '../../model/metrics.js';
import { mkdir, rm } from 'node:fs/promises';
import { cgroupLayout } from '../host/fingerprint.js';
import { cgroupFacts, cgroupLabels, memoryUsageBytes } from './cgroup.js';
import { IDLE_PAYLOAD, containerName } from './oci-engine.js';
import { StartError, spawnUntilReady } from './ready.js';
import { containerInstance, removeAll, sharedRemoval } from './instance.js';
import { which } from '../image/identity.js';
import { imageFor, imageTar, type WorkloadImage } from '../image/build.js';
import { parseReady, resolveSysbench } from '../image/files.js';
import { runProcess } from '../host/process.js';
import { join } from 'node:path';
import type { Instance, ProbeResult, RunContext, Runner } from '../types.js';

/** Image tag of the workload image in the engine's store, derived from its digest. */
export const imageTag = (image: WorkloadImage) => `isobench-workload:${image.digest.slice(0, 16)}`;

/** `run` flags that confine one container the same way as the OCI bundle of runc/crun. */
export function confinementFlags(ctx: RunContext, name: string, scratch: string | null): string[] {
  return [
    '--name', name, '--hostname', 'isobench', '--label', `isobench.run=${ctx.runId}`,
    '--network', 'none', '--read-only', '--tmpfs', '/tmp:rw,nosuid,nodev,size=64m',
    '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges',
    ...(ctx.limits.cpus !== null ? ['--cpus', String(ctx.limits.cpus)] : []),
    ...(ctx.cpuset !== null ? ['--cpuset-cpus', ctx.cpuset] : []),
    ...(ctx.limits.memoryMiB !== null ? ['--memory', `${ctx.limits.memoryMiB}m`] : []),
    ...(scratch !== null ? ['-v', `${scratch}:/scratch:rw`] : []),
  ];
}

/** Creates a runner for the docker-compatible CLI `binary`. */
export function cliRunner(binary: 'docker' | 'podman', description: string): Runner {
  const owned = new Map<string, string | null>(); // container name → its scratch dir
  const imported = new Map<string, Promise<void>>();
  const cli = (args: string[], timeoutMs = 60_000) => runProcess([binary, ...args], { timeoutMs });
  const firstLine = (s: string) => s.trim().split('\n').slice(-2).join(' ').slice(0, 500);

  /** Imports the image tar under its digest tag unless the engine already has it. */
  function ensureImage(image: WorkloadImage): Promise<void> {
    const tag = imageTag(image);
    let p = imported.get(tag);
    if (p === undefined) {
      p = (async () => {
        if ((await cli(['image', 'inspect', tag])).exitCode === 0) return;
        const r = await cli(['import', await imageTar(image), tag], 300_000);
        if (r.exitCode !== 0) throw new Error(`${binary} import of the workload image failed: ${firstLine(r.stderr)}`);
      })();
      imported.set(tag, p);
      p.catch(() => imported.delete(tag));
    }
    return p;
  }

  /** Removes the container (by its exact name) and its scratch directory. */
  const destroy = sharedRemoval((name: string) => name, destroyNow);

  async function destroyNow(name: string): Promise<void> {
    const r = await cli(['rm', '-f', name]);
    if (r.exitCode !== 0 && (await cli(['container', 'inspect', name])).exitCode === 0) {
      throw new Error(`${binary} rm -f ${name} failed: ${firstLine(r.stderr)}`);
    }
    const scratch = owned.get(name);
    if (scratch) await rm(scratch, { recursive: true, force: true });
    owned.delete(name);
  }

  async function probe(ctx: RunContext): Promise<ProbeResult> {
    const path = await which(binary);
    if (path === null) return { ok: false, reason: `${binary} not found on PATH (apt-get install ${binary === 'docker' ? 'docker.io' : 'podman'})`, details: {} };
    const details: Record<string, string> = { path };
    if (process.env['DOCKER_HOST'] && binary === 'docker') details['docker_host'] = process.env['DOCKER_HOST'];
    const v = await cli(['version', '--format', binary === 'docker' ? '{{.Server.Version}}' : '{{.Client.Version}}'], 20_000);
    if (v.exitCode !== 0) {
      const hint = binary === 'docker' ? '; start dockerd or point DOCKER_HOST at a running daemon' : '';
      return { ok: false, reason: `${binary} is not usable: ${firstLine(v.stderr || v.stdout) || (v.timedOut ? 'timed out' : 'no output')}${hint}`, details };
    }
    const info = await cli(['info', '--format', '{{.CgroupDriver}} {{.CgroupVersion}}'], 20_000);
    if (info.exitCode === 0) details['cgroup_driver'] = info.stdout.trim();
    const name = `isobench-${ctx.runId}-probe-${process.pid}-${binary}`;
    try {
      const image = await imageFor(ctx.cacheDir, ctx.log);
      await ensureImage(image);
      owned.set(name, null);
      const r = await cli(['run', '--rm', ...confinementFlags(ctx, name, null), imageTag(image), '/bin/true'], 60_000);
      if (r.exitCode !== 0) return { ok: false, reason: `${binary} cannot run a container on this host: ${firstLine(r.stderr || r.stdout) || (r.timedOut ? 'timed out after 60 s' : `exit ${String(r.exitCode)}`)}`, details };
      return { ok: true, version: `${binary} ${v.stdout.trim()}`, details };
    } catch (err) {
      return { ok: false, reason: `${binary} probe failed: ${err instanceof Error ? err.message : String(err)}`, details };
    } finally {
      await destroy(name).catch(() => undefined);
    }
  }

  async function start(ctx: RunContext, spec: { tag: string }): Promise<Instance> {
    const image = await imageFor(ctx.cacheDir, ctx.log);
    await ensureImage(image);
    const name = containerName(spec.tag);
    const scratch = join(ctx.scratchRoot, spec.tag);
    owned.set(name, scratch);
    try {
      await mkdir(scratch, { recursive: true });
      // Attached run: the payload's output streams back; once ready the client is let go.
      const ready = await spawnUntilReady([binary, 'run', ...confinementFlags(ctx, name, scratch), imageTag(image), ...IDLE_PAYLOAD], { timeoutMs: 120_000, afterReady: 'kill-client' });
      const seen = parseReady(ready.stdout);
      if (seen.sha256 !== image.sysbenchSha256) {
        throw new StartError(`sysbench inside container ${name} has sha256 ${seen.sha256 ?? '(none printed)'}, but the image's is ${image.sysbenchSha256}: refusing to measure a different binary`, ready.stdout);
      }
      const inspect = await cli(['inspect', '--format', '{{.State.Pid}} {{.Image}}', name]);
      const [pidText, imageId] = inspect.stdout.trim().split(' ');
      const facts = await cgroupFacts(Number(pidText));
      const startup: Measurement[] = [lifecycle('startup_ms', ready.readyMs)];
      const usage = await memoryUsageBytes(facts);
      if (usage !== null) startup.push(lifecycle('instance_memory_MiB', usage / 2 ** 20));
      const labels: Record<string, string> = {
        image_digest: image.digest,
        sysbench_sha256: seen.sha256,
        container_name: name,
        ...cgroupLabels(facts),
        cgroup_layout: (await cgroupLayout().catch(() => null)) ?? 'unknown',
        cpuset: ctx.cpuset ?? 'all',
        engine_image: imageTag(image),
        engine_image_id: imageId ?? 'unknown',
        capabilities: 'none',
        rootfs: 'read-only',
        network: 'none',
        container_hostname: seen.hostname ?? 'unknown',
      };
      return containerInstance(labels, startup, (req) => {
        return cli(['exec', ...(req.inScratch ? ['-w', '/scratch'] : []), name, ...resolveSysbench(req.argv)], req.timeoutMs);
      }, () => destroy(name));
    } catch (err) {
      await destroy(name).catch(() => undefined);
      throw err;
    }
  }

  return {
    env: 'container',
    engine: binary,
    description,
    probe,
    start,
    cleanup: () => removeAll(binary, owned.keys(), destroy),
  };
}
