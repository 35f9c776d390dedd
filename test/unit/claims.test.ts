// Published claims: corrected data, kinds and sources, like-for-like method matching, and emulated results never judged.
import { describe, expect, it } from 'vitest';
import { analyse } from '../../analysis/verdict-analysis.js';
import { checkClaims, claimContext, claimedRange, judgeClaim, type ClaimResult } from '../../analysis/claims.js';
import { measuredMethod, methodDifference } from '../../analysis/claim-method.js';
import { CLAIMS } from '../../datasets/claims.js';
import type { Claim } from '../../model/claims.js';
import { metricCatalogue } from '../../workloads/index.js';
import { fileio } from '../../workloads/fileio.js';
import { syntheticRecord, type SynthCell } from '../factories/synthetic.js';
import { claimsTable, measurementText } from '../../reports/run/claims-html.js';

const claim = (id: string): Claim => {
  const c = CLAIMS.find((x) => x.id === id);
  if (c === undefined) throw new Error(`no claim ${id}`);
  return c;
};
const steady = (v: number, n = 5) =>
  Array.from({ length: n }, (_, i) => [v * (1 + 0.001 * (i % 3)), v, v * (1 - 0.001 * (i % 2))]);
const host = { llcBytes: 32 * 1024 ** 2, freeMemoryBytes: 8 * 1024 ** 3 };
const cpuParams = { threads: 1, 'max-prime': 10000, time: 2 };
const cell = (env: string, engine: string, v: number, over: Partial<SynthCell> = {}): SynthCell => ({
  env,
  engine,
  workload: 'cpu',
  params: cpuParams,
  trials: steady(v),
  ...over,
});
const EMULATED = { note: 'TCG software emulation: not representative of KVM' };

function results(cells: SynthCell[]): ClaimResult[] {
  const rec = syntheticRecord(cells);
  return checkClaims(analyse(rec), claimContext(rec));
}
const of = (rs: ClaimResult[], id: string) => rs.find((r) => r.claim.id === id) as ClaimResult;

describe('claim data', () => {
  it('every claim records its kind, source status and method, and checks only known metrics', () => {
    const metrics = Object.keys(metricCatalogue());
    for (const c of CLAIMS) {
      expect(['measurement', 'vendor-assertion', 'marketing', 'illustration']).toContain(c.kind);
      expect(['verified', 'cited', 'unverified']).toContain(c.source.status);
      expect(c.method.workload.length).toBeGreaterThan(0);
      expect(c.checks.length > 0 || (c.why ?? '').length > 0, c.id).toBe(true);
      for (const k of c.checks) for (const m of k.metrics) expect(metrics, `${c.id}: ${m}`).toContain(m);
    }
    expect(new Set(CLAIMS.map((c) => c.id)).size).toBe(CLAIMS.length);
  });
  it('felter-linpack gives Table I: untuned KVM 241.3 GFLOPS (−17 %), never 130.3', () => {
    const c = claim('felter-linpack');
    expect(c.claim).toContain('untuned KVM 241.3 (−17 %)');
    expect(c.claim).toMatch(/native 290\.8 .*Docker 290\.9.*tuned KVM 284\.2 \(−2 %\)/);
    expect(c.claim).not.toContain('130.3');
    expect(c.source.note).toMatch(/130\.3 .*raw spreadsheet/);
  });
  it('containers-98pct is a vendor article in an IT magazine, unverified, not the sysbench slide', () => {
    const c = claim('containers-98pct');
    expect(c.kind).toBe('vendor-assertion');
    expect(c.source.cite).toMatch(/vendor article in an IT magazine's container feature/);
    expect(c.source.cite).not.toMatch(/slide/);
    expect(c.source.status).toBe('unverified');
  });
  it(
    "guest-os-500mb is kept as an unchecked remark; guest memory is checked against Kata's measured " +
      '~120 MiB instead',
    () => {
      expect(claim('guest-os-500mb').checks).toEqual([]);
      expect(claim('guest-os-500mb').why).toMatch(/busybox/);
      const kata = claim('kata-qemu-memory');
      expect(kata.kind).toBe('measurement');
      expect(kata.source.status).toBe('verified');
      expect(kata.source.cite).toMatch(/119\.95 MiB/);
      expect(kata.checks[0]).toMatchObject({ env: 'vm', metrics: ['instance_memory_MiB'] });
    },
  );
  it(
    "felter-stream accepts a modern ≈ 1.0 and felter-fio's band holds the paper's mixed ratio 0.485 " +
      "and the logs' 0.471",
    () => {
      const stream = claimedRange(claim('felter-stream').checks[0]!);
      expect(judgeClaim({ lo: 0.995, hi: 1.004 }, stream)).toBe('agrees');
      expect(judgeClaim({ lo: 0.9, hi: 0.95 }, stream)).toBe('disagrees');
      const fio = claimedRange(claim('felter-fio').checks[0]!);
      for (const r of [0.471, 0.485, 0.501, 0.506]) expect(judgeClaim({ lo: r, hi: r }, fio)).toBe('agrees');
    },
  );
  it('measured anchors carry their exact figures', () => {
    expect(claim('kata-qemu-boot').source.cite).toMatch(/midval 0\.71 s/);
    expect(claim('gvisor-sysbench-cpu').source.cite).toMatch(/runc 103\.62, runsc 103\.21/);
    expect(claim('gvisor-sysbench-memory').source.cite).toMatch(/runc 13 098\.73, runsc 13 107\.44/);
    expect(claim('firecracker-boot').claim).toMatch(/≤ 125 ms/);
    expect(claim('firecracker-overhead').claim).toMatch(/≤ 5 MiB/);
    expect(claim('firecracker-nsdi').claim).toMatch(/3 MB/);
    expect(claim('lightvm-boot').claim).toMatch(/2\.3 ms/);
    expect(claim('esxi-sysbench-cpu').source.status).toBe('unverified');
  });
});

describe('checking claims against a run', () => {
  it('boot-minutes-seconds: a container start is an upper bound — 50 ms and 0.3 s agree', () => {
    const rs = results([
      cell('container', 'runc', 50, {
        workload: 'startup',
        params: {},
        metric: 'startup_ms',
        trials: steady(50).map((t) => t.slice(0, 1)),
      }),
      cell('container', 'docker', 300, {
        workload: 'startup',
        params: {},
        metric: 'startup_ms',
        trials: steady(300).map((t) => t.slice(0, 1)),
      }),
    ]);
    expect(of(rs, 'boot-minutes-seconds').measurements.map((m) => m.status)).toEqual(['agrees', 'agrees']);
  });
  it(
    'an emulated (TCG) guest is "not comparable" with every hardware-virtualization claim, never ' +
      'agrees or disagrees',
    () => {
      const rs = results([
        cell('bare', 'host', 1000),
        cell('vm', 'synthetic', 200, { emulation: EMULATED }),
        cell('container', 'synthetic', 995),
      ]);
      const vm = rs.flatMap((r) => r.measurements).filter((m) => m.where.startsWith('vm:'));
      expect(vm.length).toBeGreaterThanOrEqual(2);
      for (const m of vm) {
        expect(m.status).toBe('not-comparable');
        expect(m.reason).toMatch(/^not comparable: measured under emulation \(TCG software emulation/);
      }
      expect(of(rs, 'slide-vm-cpu-5x').measurements[0]?.measured).toMatch(/^20\.0 % /);
      expect(of(rs, 'containers-98pct').measurements[0]?.status).toBe('agrees');
    },
  );
  it("the same guest under KVM is judged: 5× slower disagrees with ESXi's 98–101 %", () => {
    const rs = results([cell('bare', 'host', 1000), cell('vm', 'synthetic', 200)]);
    expect(of(rs, 'slide-vm-cpu-5x').measurements[0]?.status).toBe('agrees');
    expect(of(rs, 'esxi-sysbench-cpu').measurements[0]?.status).toBe('disagrees');
  });
  it(
    "a check is judged only where the method matches: default fileio against Felter's fio says " + '"method differs"',
    () => {
      const io = (params: Record<string, string | number | boolean>) => ({
        workload: 'fileio',
        metric: 'read_iops',
        params,
      });
      const sync = fileio.defaults(true, host);
      const felter = { ...sync, ...fileio.profiles?.['felter-fio']?.params };
      const rs = results([
        cell('bare', 'host', 10000, io(sync)),
        cell('vm', 'synthetic', 5000, io(sync)),
        cell('bare', 'host', 80000, io(felter)),
        cell('vm', 'synthetic', 40000, io(felter)),
      ]);
      const [plain, profile] = of(rs, 'felter-fio').measurements;
      expect(plain?.status).toBe('method-differs');
      expect(plain?.reason).toBe(
        'method differs: the claim used 4 KiB blocks, asynchronous IO (libaio), 128 requests in flight; ' +
          'this case used 16 KiB blocks, synchronous IO, 1 request in flight',
      );
      expect(profile?.status).toBe('agrees');
      expect(profile?.reason).toBeNull();
    },
  );
  it('felter-stream needs all CPUs: single-threaded sysbench memory is another method', () => {
    const mem = (threads: number) => ({
      workload: 'memory',
      metric: 'transfer_MiBps',
      params: { threads, 'block-size': '64M', oper: 'read', 'access-mode': 'seq', 'total-size': '1000G', time: 2 },
    });
    const rs = results([
      cell('bare', 'host', 9000, mem(1)),
      cell('vm', 'synthetic', 8990, mem(1)),
      cell('bare', 'host', 20000, mem(8)),
      cell('vm', 'synthetic', 19990, mem(8)),
    ]);
    const [one, all] = of(rs, 'felter-stream').measurements;
    expect(one?.reason).toBe('method differs: the claim used all cores; this case used 1 thread of 8 CPUs');
    expect(all?.status).toBe('agrees');
  });
  it("gVisor's runsc figures compare runsc with runc in the same run, not with bare metal", () => {
    const rs = results([cell('bare', 'host', 1100), cell('container', 'runc', 1000), cell('container', 'runsc', 998)]);
    const m = of(rs, 'gvisor-sysbench-cpu').measurements;
    expect(m).toHaveLength(1);
    expect(m[0]?.measured).toMatch(/^99\.8 % \[[\d.]+, [\d.]+\] of container:runc$/);
    expect(m[0]?.status).toBe('agrees');
    expect(of(results([cell('bare', 'host', 1000)]), 'gvisor-sysbench-cpu').notMeasured).toBe(
      'not measured in this run (needs container:runsc against container:runc with events_per_s)',
    );
  });
  it('method requirements name only the facts that differ, and unknown methods differ', () => {
    const reqs = [
      { fact: 'threads' as const, atLeast: 4, says: '4 threads or more' },
      { fact: 'direct' as const, equals: true, says: 'O_DIRECT' },
    ];
    expect(methodDifference(reqs, 'fileio', { ...fileio.defaults(true, host), threads: 8 }, { cpus: 2 })).toBeNull();
    expect(methodDifference(reqs, 'fileio', fileio.defaults(true, host), { cpus: 2 })).toBe(
      'method differs: the claim used 4 threads or more; this case used 1 thread',
    );
    expect(methodDifference(reqs, 'no-such-workload', {}, { cpus: 2 })).toBe(
      'method differs: the claim used 4 threads or more, O_DIRECT; this case used an unknown method ' +
        '(no-such-workload declares none)',
    );
    // startup is a workload now (bursts); its lifecycle case, without a burst size, is one start at a time.
    expect(methodDifference(reqs, 'startup', {}, { cpus: 2 })).toBe(
      'method differs: the claim used 4 threads or more, O_DIRECT; this case used threads unknown, direct unknown',
    );
    expect(measuredMethod('startup', {})).toEqual({ tool: 'one start at a time' });
  });
});

describe('claims in the report', () => {
  it('shows kind, source status, method and the reason a measurement was not judged', () => {
    const rs = results([cell('bare', 'host', 1000), cell('vm', 'synthetic', 200, { emulation: EMULATED })]);
    const html = claimsTable(rs);
    expect(html).toContain('unverified source');
    expect(html).toContain('vendor assertion');
    expect(html).toContain('<span class="s-not-comparable">not comparable</span>');
    expect(html).toMatch(/fio, libaio, direct=1, 4 KiB random read/);
    const vmItems = [...html.matchAll(/<li>[^]*?<\/li>/g)].map((m) => m[0]).filter((li) => li.includes('(vm:'));
    expect(vmItems.length).toBeGreaterThan(0);
    for (const li of vmItems) expect(li).not.toMatch(/s-(agrees|disagrees|undecided)/);
    const line = measurementText(of(rs, 'slide-vm-cpu-5x').measurements[0]!);
    expect(line).toMatch(
      /^≈ 20 % of bare-metal throughput \(5× the time\) — measured 20\.0 % .* of bare:host \(vm:synthetic, cpu events_per_s\): not comparable: measured under emulation/,
    );
  });
});
