// Density sweeps for real: 10 runc containers and 2 TCG guests through the CLI, memory read both ways, and nothing left behind — also after SIGINT mid-sweep.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { RunRecord, Sample } from '../../model/record.js';
import { CLI, isobench, readRun, runDir, tempDir } from '../helpers/cli.js';
import { CACHE } from '../helpers/container.js';
import { cgroupsNamed, mountsUnder, processesMentioning } from '../helpers/host.js';
import { titled, unmet } from '../helpers/requires.js';

const runcNames = async (id: string) => (await execa('runc', ['list', '-q'])).stdout.split('\n').filter((n) => n.includes(id));
const byMetric = (samples: Sample[], metric: string) => samples.filter((s) => s.metric === metric);

/** Nothing of the run is left: no container, cgroup, process, mount, scratch or temp dir. */
async function expectNothingLeft(out: string, runId: string, containers: boolean): Promise<void> {
  if (containers) expect(await runcNames(runId)).toEqual([]);
  expect(await cgroupsNamed(runId)).toEqual([]);
  expect(await processesMentioning(runId)).toEqual([]);
  expect(await mountsUnder(join(out, runId))).toEqual([]);
  expect(existsSync(join(out, runId, 'scratch'))).toBe(false);
  expect((await readdir(tmpdir())).filter((e) => e.includes(runId))).toEqual([]);
}

const runcNeeds = await unmet(['root', 'runc', 'sysbench']);
describe.skipIf(runcNeeds !== null)(titled('density sweep of runc containers', runcNeeds), () => {
  it('starts 10 idle containers one at a time, reads cgroup usage and the MemAvailable drop after each, then removes them all', async () => {
    const out = tempDir();
    const r = await isobench(['run', '--env', 'container', '--engine', 'runc', '--workload', 'density', '--set', 'density.max=10', '--set', 'density.settle-ms=100', '--trials', '1', '--runs', '1', '--warmup', '0', '--no-report', '--cache-dir', CACHE, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const dir = runDir(out);
    const { record } = readRun(dir);
    const t = record.results[0];
    expect(t?.status).toBe('completed');
    const samples = t?.samples ?? [];
    expect(byMetric(samples, 'density_ready_ms').map((s) => s.iteration)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(byMetric(samples, 'density_engine_memory_MiB')).toHaveLength(10);
    for (const s of byMetric(samples, 'density_engine_memory_MiB')) expect(s.value).toBeGreaterThan(0);
    expect(byMetric(samples, 'density_drop_per_instance_MiB')).toHaveLength(10);
    expect(samples[0]?.labels).toMatchObject({ memory_accounting: expect.stringMatching(/^cgroup v[12] memory\.(usage_in_bytes|current)$/), ksm: expect.stringMatching(/^(on|off|unmerge|unknown)$/), thp: expect.any(String) });
    expect(t?.status === 'completed' && t.notes).toContain('stopped: reached density.max (10 instances)');
    await expectNothingLeft(out, record.runId, true);
  });

  it('SIGINT mid-sweep: exit 130, the steps so far kept, every container removed', async () => {
    const out = tempDir();
    const child = execa('node', [CLI, 'run', '--env', 'container', '--engine', 'runc', '--workload', 'density', '--set', 'density.max=40', '--set', 'density.settle-ms=100', '--trials', '1', '--runs', '1', '--warmup', '0', '--no-report', '--cache-dir', CACHE, '--out', out], { reject: false });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => { stderr += String(d); });
    const deadline = Date.now() + 120_000;
    while (!stderr.includes('density step 4:') && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
    const runId = (await readdir(out))[0] ?? '';
    expect(await runcNames(runId), stderr).not.toEqual([]); // containers are running now
    child.kill('SIGINT');
    const res = await child;
    expect(res.exitCode, stderr).toBe(130);
    await expectNothingLeft(out, runId, true);
    const record = JSON.parse(await readFile(join(out, runId, 'run.json'), 'utf8')) as RunRecord;
    expect(record.interrupted).toBe(true);
    const samples = record.results[0]?.samples ?? [];
    expect(byMetric(samples, 'density_ready_ms').length).toBeGreaterThanOrEqual(4);
    expect(byMetric(samples, 'density_ready_ms').length).toBeLessThan(40);
  });
});

const vmNeeds = await unmet(['qemu', 'guest-kernel', 'sysbench']);
describe.skipIf(vmNeeds !== null)(titled('density sweep of TCG guests', vmNeeds), () => {
  it('boots 2 idle guests, reads qemu PSS (TCG cache said) and the MemAvailable drop, and leaves no qemu', async () => {
    const out = tempDir();
    const r = await isobench(['run', '--env', 'vm', '--vm-accel', 'tcg', '--memory', '256M', '--workload', 'density', '--set', 'density.max=2', '--trials', '1', '--runs', '1', '--warmup', '0', '--no-report', '--cache-dir', CACHE, '--out', out], { timeoutMs: 400_000 });
    expect(r.code, r.stderr).toBe(0);
    const { record } = readRun(runDir(out));
    const samples = record.results[0]?.samples ?? [];
    expect(byMetric(samples, 'density_ready_ms')).toHaveLength(2);
    for (const s of byMetric(samples, 'density_engine_memory_MiB')) expect(s.value).toBeGreaterThan(16);
    expect(samples[0]?.labels['memory_accounting']).toBe('qemu PSS (/proc/<pid>/smaps_rollup), TCG translation cache included');
    await expectNothingLeft(out, record.runId, false);
  });
});
