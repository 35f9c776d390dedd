// The docker-compatible CLI family (docker, podman): the image tar imported by digest, confinement as flags.
import { cgroupFacts } from './cgroup.js';
import { IDLE_PAYLOAD, execIn, type ContainerFamily, type EngineDescriptor } from './family.js';
import { spawnUntilReady } from './ready.js';
import { imageTar, type WorkloadImage } from '../image/build.js';
import { readOrNull } from '../host/cache.js';
import { isAborted, runProcess } from '../host/process.js';
import { sha256File } from '../../lib/hash.js';
import type { RunContext } from '../types.js';

/** Image tag of the workload image in the engine's store, derived from its digest. */
export const imageTag = (image: WorkloadImage) => `isobench-workload:${image.digest.slice(0, 16)}`;

/** `run` flags that confine one container the same way as the OCI bundle of runc/crun. */
export function confinementFlags(ctx: RunContext, name: string, scratch: string | null): string[] {
  return [
    '--name',
    name,
    '--hostname',
    'isobench',
    '--label',
    `isobench.run=${ctx.runId}`,
    '--network',
    'none',
    '--read-only',
    '--tmpfs',
    '/tmp:rw,nosuid,nodev,size=64m',
    '--cap-drop',
    'ALL',
    '--security-opt',
    'no-new-privileges',
    ...(ctx.limits.cpus !== null ? ['--cpus', String(ctx.limits.cpus)] : []),
    ...(ctx.cpuset !== null ? ['--cpuset-cpus', ctx.cpuset] : []),
    ...(ctx.limits.memoryMiB !== null ? ['--memory', `${ctx.limits.memoryMiB}m`] : []),
    ...(scratch !== null ? ['-v', `${scratch}:/scratch:rw`] : []),
  ];
}

/** The family of docker-compatible CLIs: `docker`, `podman`. */
export function cliFamily(engine: EngineDescriptor): ContainerFamily {
  const { binary } = engine;
  const imported = new Map<string, Promise<void>>();
  const cli = (args: string[], timeoutMs = 60_000, signal?: AbortSignal) =>
    runProcess([binary, ...args], { timeoutMs, signal });
  const firstLine = (s: string) => s.trim().split('\n').slice(-2).join(' ').slice(0, 500);

  return {
    execArgv: execIn(binary, '-w'),
    capabilities: 'none',
    network: 'none',
    seccompProfile: `${binary} default`,
    probeFacts: {},

    async preflight(_path, ctx) {
      const details: Record<string, string> = {};
      for (const [key, variable] of Object.entries(engine.envDetails ?? {})) {
        const value = process.env[variable];
        if (value) details[key] = value;
      }
      const v = await cli(['version', '--format', engine.versionFormat ?? '{{.Client.Version}}'], 20_000, ctx.signal);
      if (v.exitCode !== 0) {
        return {
          ok: false,
          reason:
            `${binary} is not usable: ` +
            `${firstLine(v.stderr || v.stdout) || (v.timedOut ? 'timed out' : 'no output')}` +
            `${engine.unusableHint ?? ''}`,
          details,
        };
      }
      const info = await cli(['info', '--format', '{{.CgroupDriver}} {{.CgroupVersion}}'], 20_000, ctx.signal);
      if (info.exitCode === 0) details['cgroup_driver'] = info.stdout.trim();
      return { ok: true, version: `${binary} ${v.stdout.trim()}`, details };
    },

    /**
     * Imports the image tar under its digest tag unless the engine has it already. The tag counts
     * only while its one layer is the tar itself (diff id = the tar's sha256): an import cut short
     * (an abort kills the client mid-upload) that the daemon still tagged is removed and redone.
     */
    ensureImage(image, signal) {
      const tag = imageTag(image);
      let p = imported.get(tag);
      if (p === undefined) {
        p = (async () => {
          const tar = await imageTar(image, signal);
          const layer = `sha256:${(await readOrNull(`${tar}.sha256`))?.trim() ?? (await sha256File(tar))}`;
          const layers = async (s?: AbortSignal) => {
            const r = await cli(['image', 'inspect', '--format', '{{json .RootFS.Layers}}', tag], 60_000, s);
            return r.exitCode === 0 ? r.stdout.trim() : null;
          };
          const whole = JSON.stringify([layer]);
          const untag = () => cli(['image', 'rm', '--force', tag]); // teardown: not abortable, bounded by its timeout
          const found = await layers(signal);
          signal?.throwIfAborted();
          if (found === whole) return;
          if (found !== null) await untag();
          const r = await cli(['import', tar, tag], 300_000, signal);
          if (isAborted(signal)) {
            const left = await layers();
            if (left !== null && left !== whole) await untag();
            signal?.throwIfAborted();
          }
          if (r.exitCode !== 0)
            throw new Error(
              `${binary} import of the workload image failed: ` +
                `${firstLine(r.stderr) || (r.timedOut ? 'timed out after 300 s' : `exit ${String(r.exitCode)}`)}`,
            );
          const made = await layers(signal);
          if (made !== whole) {
            await untag();
            throw new Error(
              `${binary} import of the workload image gave layers ${made ?? '(none)'}, not the tar's ${whole}`,
            );
          }
        })();
        imported.set(tag, p);
        p.catch(() => imported.delete(tag));
      }
      return p;
    },

    async trial(c, image, ctx) {
      const r = await cli(
        ['run', '--rm', ...confinementFlags(ctx, c.name, null), imageTag(image), '/bin/true'],
        60_000,
        ctx.signal,
      );
      if (r.exitCode === 0) return null;
      return firstLine(r.stderr || r.stdout) || (r.timedOut ? 'timed out after 60 s' : `exit ${String(r.exitCode)}`);
    },

    async launch(c, image, ctx) {
      // Attached run: the payload's output streams back; once ready the client is let go.
      const ready = await spawnUntilReady(
        [binary, 'run', ...confinementFlags(ctx, c.name, c.scratch), imageTag(image), ...IDLE_PAYLOAD],
        { timeoutMs: 120_000, afterReady: 'kill-client', signal: ctx.signal },
      );
      return {
        ready,
        async inspect() {
          const r = await cli(['inspect', '--format', '{{.State.Pid}} {{.Image}}', c.name]);
          const [pidText, imageId] = r.stdout.trim().split(' ');
          const pid = Number(pidText);
          return {
            pid,
            facts: await cgroupFacts(pid),
            labels: { engine_image: imageTag(image), engine_image_id: imageId ?? 'unknown' },
          };
        },
      };
    },

    async remove(name) {
      const r = await cli(['rm', '-f', name]);
      if (r.exitCode !== 0 && (await cli(['container', 'inspect', name])).exitCode === 0) {
        throw new Error(`${binary} rm -f ${name} failed: ${firstLine(r.stderr)}`);
      }
    },
  };
}
