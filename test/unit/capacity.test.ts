// Capacity planning: the arithmetic on hand-computed cases, the figures read from a record, refusals, and plan --from a study.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { measuredCosts, plan, pooledCosts, type EnvCost } from '../../analysis/plan.js';
import { writeRecord } from '../../bench/run/record.js';
import { mergeCommand } from '../../bench/commands/merge.js';
import { planCommand, sizeMiBFlag } from '../../bench/commands/plan.js';
import { ConfigError } from '../../model/errors.js';
import { syntheticRecord, type SynthCell } from '../factories/synthetic.js';
import type { RunRecord } from '../../model/record.js';

const fig = (value: number, range: [number, number] | null = null) => ({ value, range, source: 'test', caveats: [] });
const cost = (
  envId: string,
  idle: number,
  ratio: number,
  idleRange: [number, number] | null = null,
  ratioRange: [number, number] | null = null,
): EnvCost => ({ envId, idleMemoryMiB: fig(idle, idleRange), cpuRatio: fig(ratio, ratioRange) });
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('plan arithmetic (hand-computed)', () => {
  const req = { hostCpus: 64, hostMemoryMiB: 256 * 1024, appCpus: 0.5, appMemoryMiB: 512, headroom: 0.1 };

  it('containers: CPU runs out first', () => {
    // usable: 57.6 CPUs, 235 929.6 MiB. Per instance: 0.5 / 0.98 = 0.510204 CPUs → 112.896 → 112; 512 + 8 = 520 MiB → 453.7 → 453.
    const [f] = plan(req, [cost('container:runc', 8, 0.98)]);
    expect(f?.byCpu).toBe(112);
    expect(f?.byMemory).toBe(453);
    expect(f?.fit).toBe(112);
    expect(f?.limit).toBe('cpu');
  });

  it('VMs with a big idle guest: memory runs out first; ranges take each figure at its ends', () => {
    // 512 + 300 = 812 MiB → 235 929.6 / 812 = 290.55 → 290; CPU 0.5 / 0.9 = 0.5556 → 103.68 → 103 (CPU still limits).
    const req2 = { ...req, hostCpus: 256 };
    // CPU: 230.4 / 0.5556 = 414.72 → 414; memory 290: memory limits.
    const [f] = plan(req2, [cost('vm:qemu', 300, 0.9, [250, 400], [0.85, 0.95])]);
    expect(f?.byCpu).toBe(414);
    expect(f?.byMemory).toBe(290);
    expect(f?.fit).toBe(290);
    expect(f?.limit).toBe('memory');
    // worst: 912 MiB → 258.7 → 258 (CPU 230.4 / (0.5/0.85) = 391.68 → 391); best: 762 MiB → 309.6 → 309 (CPU 437).
    expect(f?.fitRange).toEqual([258, 309]);
  });

  it(
    'the exact case is not lost to binary rounding: 64 CPUs × 0.9 / 0.5 = 115.2 → 115 and 10 × 0.9 / ' +
      '0.3 = 30 exactly',
    () => {
      expect(plan(req, [cost('x:y', 0, 1)])[0]?.byCpu).toBe(115);
      expect(plan({ ...req, hostCpus: 10, appCpus: 0.3 }, [cost('x:y', 0, 1)])[0]?.byCpu).toBe(30);
    },
  );

  it('pools hosts of one type by the median, with the spread across hosts as the range', () => {
    const [p] = pooledCosts([[cost('vm:qemu', 100, 0.9)], [cost('vm:qemu', 140, 0.8)], [cost('vm:qemu', 120, 0.95)]]);
    expect(p?.idleMemoryMiB.value).toBe(120);
    expect(p?.idleMemoryMiB.range).toEqual([100, 140]);
    expect(p?.cpuRatio.value).toBe(0.9);
    expect(p?.cpuRatio.source).toMatch(/median over 3 hosts/);
  });
});

function run(cpuRatio: number, idleMiB: number, host = 'h1', extra: SynthCell[] = []): RunRecord {
  const trials = (v: number) => [[v], [v * 1.01], [v * 0.99], [v * 1.005], [v * 0.995]];
  const r = syntheticRecord(
    [
      { env: 'bare', engine: 'host', workload: 'cpu', trials: trials(1000) },
      { env: 'container', engine: 'runc', workload: 'cpu', trials: trials(1000 * cpuRatio) },
      { env: 'container', engine: 'runc', workload: 'startup', metric: 'instance_memory_MiB', trials: trials(idleMiB) },
      ...extra,
    ],
    { host: { hostname: { value: host } } },
  );
  return { ...r, runId: `run-${host}`, hostLabel: host };
}

describe('figures read from a record', () => {
  it('takes the cpu ratio against bare metal and, without a sweep, the idle instance memory as a lower bound', () => {
    const { costs, missing } = measuredCosts(run(0.9, 6));
    expect(missing).toEqual([]);
    expect(costs).toHaveLength(1);
    expect(costs[0]?.cpuRatio.value).toBeCloseTo(0.9, 6);
    expect(costs[0]?.cpuRatio.range?.[0]).toBeLessThan(0.9);
    expect(costs[0]?.idleMemoryMiB.value).toBeCloseTo(6, 6);
    expect(costs[0]?.idleMemoryMiB.caveats.join()).toMatch(/lower bound/);
  });

  it('prefers a density sweep: the slope of the host MemAvailable drop against the instance count', () => {
    // Drops of 10, 13, 16, 19, 22 MiB at 1…5 instances: 3 MiB more per instance (the first instance also paid a fixed 7).
    const r = run(0.9, 6, 'h1', [
      {
        env: 'container',
        engine: 'runc',
        workload: 'density',
        params: { batch: 1 },
        metric: 'density_host_drop_MiB',
        trials: [[10, 13, 16, 19, 22]],
      },
    ]);
    const [c] = measuredCosts(r).costs;
    expect(c?.idleMemoryMiB.value).toBeCloseTo(3, 9);
    expect(c?.idleMemoryMiB.source).toMatch(/density sweep: marginal MemAvailable drop .*5 instances/);
    expect(c?.idleMemoryMiB.caveats).toEqual([]);
  });

  it('names what is missing instead of guessing', () => {
    const r = syntheticRecord([
      { env: 'bare', engine: 'host', workload: 'memory', trials: [[1], [1]] },
      { env: 'container', engine: 'runc', workload: 'memory', trials: [[1], [1]] },
    ]);
    const { costs, missing } = measuredCosts(r);
    expect(costs).toEqual([]);
    expect(missing.map((m) => m.what)).toEqual(['per-instance memory', 'CPU overhead']);
  });
});

describe('isobench plan', () => {
  const args = ['--host-cpus', '64', '--host-memory', '256GiB', '--app-cpus', '0.5', '--app-memory', '512MiB'];

  it('reads sizes as the issue writes them and refuses bad ones by name', () => {
    expect(sizeMiBFlag('x', '256GiB')).toBe(262144);
    expect(sizeMiBFlag('x', '512M')).toBe(512);
    expect(sizeMiBFlag('x', '1.5G')).toBe(1536);
    expect(() => sizeMiBFlag('app-memory', 'lots')).toThrow(/'lots' for --app-memory/);
  });

  it('refuses a run without the measurements it needs (exit 2 via ConfigError)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'isobench-plan-'));
    dirs.push(dir);
    await writeRecord(
      dir,
      syntheticRecord([
        { env: 'bare', engine: 'host', workload: 'memory', trials: [[1], [1]] },
        { env: 'container', engine: 'runc', workload: 'memory', trials: [[1], [1]] },
      ]),
    );
    await expect(planCommand(['--from', dir, ...args])).rejects.toThrow(ConfigError);
    await expect(planCommand(['--from', dir, ...args])).rejects.toThrow(
      /cannot plan without measurements: container:runc: no per-instance memory \(.*\); container:runc: no CPU overhead \(run with --workload cpu/,
    );
    await expect(planCommand(['--from', dir, ...args, '--headroom', '100%'])).rejects.toThrow(/'100%' for --headroom/);
    await expect(planCommand(['--from', dir, '--host-cpus', '64'])).rejects.toThrow(/--host-memory/);
  });

  it('plans a study per host type, pooling the hosts of a type', async () => {
    const root = mkdtempSync(join(tmpdir(), 'isobench-plan-study-'));
    dirs.push(root);
    const hosts: [string, number, number, string][] = [
      ['a1', 0.9, 6, 'CPU A'],
      ['a2', 0.8, 10, 'CPU A'],
      ['b1', 1, 2, 'CPU B'],
    ];
    const inputs: string[] = [];
    for (const [label, ratio, idle, cpu] of hosts) {
      const r = run(ratio, idle, label);
      r.host.cpuModel = { value: cpu };
      const d = join(root, 'runs', label);
      await writeRecord(d, r);
      inputs.push(d);
    }
    expect(await mergeCommand([...inputs, '--out', join(root, 'study')], () => undefined)).toBe(0);
    let out = '';
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => {
      out += chunk;
      return true;
    }) as typeof process.stdout.write;
    try {
      expect(await planCommand(['--from', join(root, 'study'), ...args, '--json'])).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    const result = JSON.parse(out) as {
      groups: { hosts: string[]; fits: { envId: string; fit: number; cost: EnvCost }[] }[];
    };
    expect(result.groups.map((g) => g.hosts)).toEqual([['a1', 'a2'], ['b1']]);
    const typeA = result.groups[0]?.fits[0];
    // Median of two hosts: ratio 0.85, idle 8 MiB. CPU: 57.6 / (0.5 / 0.85) = 97.92 → 97.
    expect(typeA?.cost.cpuRatio.value).toBeCloseTo(0.85, 2);
    expect(typeA?.cost.idleMemoryMiB.value).toBeCloseTo(8, 6);
    expect(typeA?.fit).toBe(97);
    // Type B: ratio 1 → 115.
    expect(result.groups[1]?.fits[0]?.fit).toBe(115);
  });
});
