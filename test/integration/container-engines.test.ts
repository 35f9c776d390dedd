// crun and podman for real where they work; where they cannot run here, their probe's reason is
// shown in the skipped test's title and the CLI records their trials as skipped with it.
import { DEFAULT_RUNNER_OPTIONS } from '../../model/options.js';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../model/record.js';
import { containerEngines } from '../../runners/container/engines.js';
import type { ProbeResult, Runner } from '../../runners/types.js';
import { isobench, runDir, tempDir } from '../helpers/cli.js';
import { titled, unmet } from '../helpers/requires.js';

const scratchRoot = await mkdtemp(join(tmpdir(), 'isobench-engines-'));
afterAll(() => rm(scratchRoot, { recursive: true, force: true }));

/** Probes a runner as a run would, with the same limits the tests use. */
async function probe(runner: Runner): Promise<ProbeResult> {
  const ctx = {
    runId: `test-${process.pid}-${Date.now().toString(36)}`,
    scratchRoot,
    cacheDir: process.env['ISOBENCH_CACHE'] ?? join(tmpdir(), 'isobench-cache'),
    limits: { cpus: 1, memoryMiB: 256 },
    cpuset: null,
    options: DEFAULT_RUNNER_OPTIONS,
    log: () => undefined,
  };
  try {
    return await runner.probe(ctx);
  } finally {
    await runner.cleanup(ctx);
  }
}

const cliArgs = (engine: string, out: string) => [
  'run',
  '--env',
  'container',
  '--engine',
  engine,
  '--workload',
  'cpu',
  '--set',
  'cpu.time=1',
  '--trials',
  '1',
  '--runs',
  '1',
  '--warmup',
  '0',
  '--cpus',
  '1',
  '--memory',
  '256M',
  '--no-report',
  '--out',
  out,
];
const readRecord = async (out: string) =>
  JSON.parse(await readFile(join(runDir(out), 'run.json'), 'utf8')) as RunRecord;

for (const engine of ['crun', 'podman'] as const) {
  const needs = await unmet(['root', engine, 'sysbench']);
  const probed = needs === null ? await probe(containerEngines[engine]()) : null;
  const cannot = needs ?? (probed?.ok === false ? `${engine} probe: ${probed.reason}` : null);
  if (cannot !== null) process.stderr.write(`[skip] ${cannot}\n`);

  describe.skipIf(cannot !== null)(titled(`${engine} container runner`, cannot), () => {
    it('runs sysbench cpu in a container with the image and limit labels', async () => {
      const out = tempDir();
      try {
        const r = await isobench(cliArgs(engine, out));
        expect(r.code, r.stderr).toBe(0);
        const record = await readRecord(out);
        const s = record.results.flatMap((t) => t.samples).find((x) => x.metric === 'events_per_s');
        expect(s?.value).toBeGreaterThan(100);
        expect(s?.labels).toMatchObject({
          effective_cpus: '1',
          effective_memory_MiB: '256',
          container_name: expect.stringContaining(record.runId),
        });
        expect(s?.labels['image_digest']).toMatch(/^[0-9a-f]{64}$/);
      } finally {
        await rm(out, { recursive: true, force: true });
      }
    });
  });

  describe.skipIf(needs !== null || probed?.ok !== false)(
    titled(`${engine} where it cannot run`, needs ?? (probed?.ok ? `${engine} works here` : null)),
    () => {
      it('records its trials as skipped with the probe reason, and the run still succeeds', async () => {
        const out = tempDir();
        try {
          const r = await isobench(cliArgs(engine, out));
          expect(r.code, r.stderr).toBe(0);
          const record = await readRecord(out);
          const p = record.probes.find((x) => x.id === `container:${engine}`);
          expect(p?.ok).toBe(false);
          expect(p?.reason).toMatch(new RegExp(`^${engine} cannot run a container on this host: .+`));
          expect(record.results).toEqual([expect.objectContaining({ status: 'skipped', reason: p?.reason })]);
        } finally {
          await rm(out, { recursive: true, force: true });
        }
      });
    },
  );
}
