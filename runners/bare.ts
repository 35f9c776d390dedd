// Bare metal: the workload runs as a host process, optionally pinned with taskset.
import { lifecycle, type Measurement } from '../model/metrics.js';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runProcess } from './host/process.js';
import { sha256File } from '../lib/hash.js';
import { which } from '../lib/which.js';
import { imageFor } from './image/build.js';
import { resolveSysbench } from './image/files.js';
import type { Instance, ProbeResult, RunContext, Runner } from './types.js';
import { securityLabels } from './host/security.js';

const READY = 'isobench-ready';

async function probe(ctx: RunContext): Promise<ProbeResult> {
  const sysbench = await which('sysbench');
  if (sysbench === null)
    return { ok: false, reason: 'sysbench not found on PATH (apt-get install sysbench)', details: {} };
  const v = await runProcess([sysbench, '--version'], { timeoutMs: 10_000, signal: ctx.signal });
  return { ok: true, version: v.stdout.trim() || 'unknown', details: { sysbench } };
}

/** Creates the bare-metal runner. */
export function bareRunner(): Runner {
  const created = new Set<string>();
  return {
    env: 'bare',
    engine: 'host',
    description: 'the workload as a host process (optionally pinned to the same CPUs with taskset)',
    probe,
    async start(ctx, spec) {
      const sysbench = await which('sysbench');
      if (sysbench === null) throw new Error('sysbench not found on PATH');
      const scratch = join(ctx.scratchRoot, spec.tag);
      await mkdir(scratch, { recursive: true });
      created.add(scratch);
      const pin = ctx.cpuset === null ? [] : ['taskset', '-c', ctx.cpuset];
      const ready = await runProcess([...pin, 'echo', READY], { timeoutMs: 10_000, signal: ctx.signal });
      const readyAt = performance.now();
      if (!ready.stdout.includes(READY))
        throw new Error(`bare payload did not print its ready marker: ${ready.stderr}`);
      const startup: Measurement[] = [lifecycle('startup_ms', ready.durationMs)];
      const image = await imageFor(ctx.cacheDir, ctx.log);
      const sha = await sha256File(sysbench);
      if (sha !== image.sysbenchSha256) {
        throw new Error(
          `host sysbench ${sysbench} (sha256 ${sha}) differs from the image's (${image.sysbenchSha256}): ` +
            `the host changed during the run`,
        );
      }
      const labels: Record<string, string> = {
        image_digest: image.digest,
        sysbench_path: sysbench,
        sysbench_sha256: sha,
        cpuset: ctx.cpuset ?? 'all',
        ...securityLabels(process.pid, 'none (a host process)'),
      };
      let stopped = false;
      const instance: Instance = {
        labels,
        startup,
        readyAt,
        exec: (req) => {
          return runProcess([...pin, ...resolveSysbench(req.argv, sysbench)], {
            timeoutMs: req.timeoutMs,
            signal: ctx.signal,
            ...(req.inScratch ? { cwd: scratch } : {}),
          });
        },
        async stop() {
          if (stopped) return [];
          stopped = true;
          const t0 = performance.now();
          await rm(scratch, { recursive: true, force: true });
          created.delete(scratch);
          return [lifecycle('teardown_ms', performance.now() - t0)];
        },
      };
      return instance;
    },
    async cleanup() {
      for (const dir of created) await rm(dir, { recursive: true, force: true });
      created.clear();
    },
  };
}
