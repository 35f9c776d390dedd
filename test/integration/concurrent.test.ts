// Two real runs at once on one host, into the same --out root and the same (empty) cache: they must
// not collide on run directories, container names, cgroups, scratch dirs, disks or cache entries.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parseRunRecord } from '../../model/schema.js';
import { CLI, tempDir } from '../helpers/cli.js';
import { cgroupsNamed, processesMentioning } from '../helpers/host.js';
import { titled, unmet } from '../helpers/requires.js';

const needs = await unmet(['root', 'sysbench', 'runc', 'qemu', 'guest-kernel']);

describe.skipIf(needs !== null)(titled('two runs at once', needs), () => {
  it(
    'bare + runc and bare + runc + TCG vm into one --out and one fresh cache both complete and leave ' + 'nothing',
    async () => {
      const out = tempDir('isobench-concurrent-');
      const cache = await mkdtemp(join(tmpdir(), 'isobench-concurrent-cache-'));
      try {
        const common = [
          '--workload',
          'cpu',
          '--quick',
          '--set',
          'cpu.time=1',
          '--runs',
          '1',
          '--warmup',
          '0',
          '--cpus',
          '1',
          '--memory',
          '512M',
          '--no-report',
          '--out',
          out,
          '--cache-dir',
          cache,
        ];
        const [a, b] = await Promise.all([
          execa('node', [CLI, 'run', '--env', 'bare,container', '--engine', 'runc', '--trials', '2', ...common], {
            reject: false,
            timeout: 300_000,
          }),
          execa(
            'node',
            [
              CLI,
              'run',
              '--env',
              'bare,container,vm',
              '--engine',
              'runc',
              '--vm-accel',
              'tcg',
              '--trials',
              '1',
              ...common,
            ],
            { reject: false, timeout: 300_000 },
          ),
        ]);
        expect(a.exitCode, String(a.stderr)).toBe(0);
        expect(b.exitCode, String(b.stderr)).toBe(0);
        const runs = await readdir(out);
        expect(runs).toHaveLength(2);
        const records = await Promise.all(
          runs.map(async (id) => parseRunRecord(await readFile(join(out, id, 'run.json'), 'utf8'), id)),
        );
        const trials = records.map((r) => r.results.length).sort();
        expect(trials).toEqual([3, 4]);
        for (const r of records) {
          expect(r.interrupted).toBe(false);
          expect(r.finishedAt).not.toBeNull();
          for (const t of r.results) {
            expect(t.status, JSON.stringify(t).slice(0, 600)).toBe('completed');
            expect(t.samples.some((s) => s.metric === 'events_per_s' && s.phase === 'measure')).toBe(true);
          }
          const names = r.results
            .flatMap((t) => t.samples.map((s) => s.labels['container_name']))
            .filter((n) => n !== undefined);
          for (const n of names) expect(n).toContain(r.runId);
        }
        expect(records[0]?.runId).not.toBe(records[1]?.runId);
        for (const id of runs) {
          expect(await processesMentioning(id)).toEqual([]);
          expect(await cgroupsNamed(id)).toEqual([]);
          expect((await readdir(join(out, id))).sort()).toEqual(['run.json', 'samples.csv']);
          expect((await readdir(tmpdir())).filter((e) => e.includes(id))).toEqual([]);
          const runc = await execa('runc', ['list', '-q'], { reject: false });
          expect(
            String(runc.stdout)
              .split('\n')
              .filter((n) => n.includes(id)),
          ).toEqual([]);
        }
        const cached = [...(await readdir(join(cache, 'images'))), ...(await readdir(join(cache, 'vm')))];
        expect(cached.filter((e) => /\.tmp/.test(e))).toEqual([]);
        // Both used the one image the cache holds.
        const digests = new Set(
          records.flatMap((r) => r.results.flatMap((t) => t.samples.map((s) => s.labels['image_digest']))),
        );
        expect(digests.size).toBe(1);
      } finally {
        await rm(cache, { recursive: true, force: true });
      }
    },
    400_000,
  );
});
