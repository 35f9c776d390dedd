// Merging runs into a study: plans matched, mismatches flagged (never mixed), hosts grouped by type, runs pooled.
import { describe, expect, it } from 'vitest';
import { comparedArgs, poolRuns } from '../../analysis/study/digest.js';
import { hostsCsv, spreadCsv, studySummaryCsv } from '../../reports/study/csv.js';
import { studyMarkdown } from '../../reports/study/md.js';
import { studyHtml } from '../../reports/study/html.js';
import { hostsChart } from '../../reports/study/chart.js';
import { hostRecord, study } from '../factories/study.js';

const cpuRow = (s: ReturnType<typeof study>, env: string, group = 0) =>
  s.comparisons.find((c) => c.planGroup === group && c.metric === 'events_per_s' && c.envId === env);

describe('a study of hosts with the same plan', () => {
  const s = study([
    hostRecord({ label: 'web-1', factor: 0.9 }),
    hostRecord({ label: 'web-2', factor: 0.8 }),
    hostRecord({ label: 'web-3', factor: 0.85 }),
  ]);

  it('puts every host in one plan group and flags nothing', () => {
    expect(s.planGroups).toHaveLength(1);
    expect(s.planGroups[0]?.hosts).toEqual(['web-1', 'web-2', 'web-3']);
    expect(s.flags).toEqual([]);
    expect(s.hosts.every((h) => h.status === 'ok')).toBe(true);
  });

  it("shows each host's own ratio side by side and their spread", () => {
    const row = cpuRow(s, 'container:runc');
    const ratios = Object.fromEntries(row?.hosts.map((h) => [h.host, h.ratio]) ?? []);
    expect(ratios['web-1']).toBeCloseTo(0.9, 2);
    expect(ratios['web-2']).toBeCloseTo(0.8, 2);
    expect(ratios['web-3']).toBeCloseTo(0.85, 2);
    expect(row?.ratioSpread?.hosts).toBe(3);
    expect(row?.ratioSpread?.min).toBeCloseTo(0.8, 2);
    expect(row?.ratioSpread?.max).toBeCloseTo(0.9, 2);
    expect(row?.ratioSpread?.range).toBeCloseTo(0.1 / 0.85, 1);
    expect(row?.hosts.every((h) => h.verdict.kind === 'worse')).toBe(true);
    const base = cpuRow(s, 'bare:host');
    expect(base?.isBaseline).toBe(true);
    expect(base?.medianSpread?.median).toBeCloseTo(1000, -1);
  });

  it('renders every host in the CSV, Markdown, HTML and chart', () => {
    expect(
      studySummaryCsv(s)
        .split('\n')
        .filter((l) => l.includes('container:runc') && l.includes(',cpu,')),
    ).toHaveLength(3);
    expect(hostsCsv(s)).toMatch(/^host,status,reason,host_type/);
    expect(spreadCsv(s)).toMatch(/container:runc,bare:host,all,3,0\.8/);
    const md = studyMarkdown(s);
    for (const h of ['web-1', 'web-2', 'web-3']) expect(md).toContain(`| ${h} | type 1 |`);
    expect(md).toContain('No flags');
    const chart = hostsChart(s);
    expect(chart?.config.data.datasets[0]?.data).toHaveLength(3);
    const html = studyHtml(s, chart, undefined, 'now');
    expect(html).toContain('web-2');
    expect(html).not.toMatch(/<script|https?:\/\//);
  });
});

describe('mismatches are flagged, never mixed', () => {
  it('a host with another plan (seed, trials) gets its own plan group and a plan-mismatch flag', () => {
    const s = study([
      hostRecord({ label: 'a', factor: 0.9 }),
      hostRecord({ label: 'b', factor: 0.9 }),
      hostRecord({ label: 'c', factor: 0.5, seed: 7, trials: 4 }),
    ]);
    expect(s.planGroups.map((g) => g.hosts)).toEqual([['a', 'b'], ['c']]);
    const flag = s.flags.find((f) => f.kind === 'plan-mismatch');
    expect(flag?.hosts).toEqual(['c']);
    expect(flag?.message).toMatch(/trials \(5 vs 4\)/);
    expect(flag?.message).toMatch(/seed \(42 vs 7\)/);
    // c's 0.5 is not part of plan 0's spread.
    expect(cpuRow(s, 'container:runc', 0)?.ratioSpread?.min).toBeCloseTo(0.9, 2);
    expect(cpuRow(s, 'container:runc', 1)?.hosts.map((h) => h.host)).toEqual(['c']);
  });

  it('different workload images and isobench revisions are flagged with the hosts concerned', () => {
    const s = study([
      hostRecord({ label: 'a', factor: 0.9 }),
      hostRecord({ label: 'b', factor: 0.9, digest: 'b'.repeat(64), git: 'v1.1-def' }),
    ]);
    expect(s.planGroups).toHaveLength(1);
    expect(s.flags.map((f) => f.kind).sort()).toEqual(['image-digest-mismatch', 'tool-version-mismatch']);
    expect(s.flags.find((f) => f.kind === 'image-digest-mismatch')?.message).toMatch(
      /aaaaaaaaaaaa on a; bbbbbbbbbbbb on b/,
    );
    expect(s.flags.find((f) => f.kind === 'tool-version-mismatch')?.message).toMatch(
      /v1\.0-abc\) on a; .*v1\.1-def\) on b/,
    );
    expect(studyMarkdown(s)).toMatch(/image-digest-mismatch/);
  });

  it('a missing host is listed with its reason and flagged', () => {
    const s = study(
      [hostRecord({ label: 'a', factor: 0.9 })],
      [{ label: 'z', reason: 'unreachable: connection refused' }],
    );
    expect(s.hosts.map((h) => h.status)).toEqual(['ok', 'missing']);
    expect(s.flags).toEqual([
      { kind: 'missing-host', hosts: ['z'], message: 'z is missing from the study: unreachable: connection refused' },
    ]);
    expect(hostsCsv(s)).toMatch(/\nz,missing,unreachable: connection refused,/);
  });
});

describe('host types', () => {
  it('groups hosts by CPU model, kernel and accelerator, with a spread per type', () => {
    const intel = {
      cpuModel: { value: 'Intel Xeon Gold 6338' },
      kernel: { value: '6.1.0-18-amd64' },
      kvmModule: { value: 'kvm_intel' },
    };
    const amd = {
      cpuModel: { value: 'AMD EPYC 7763' },
      kernel: { value: '6.1.0-18-amd64' },
      kvmModule: { value: 'kvm_amd' },
    };
    const s = study([
      hostRecord({ label: 'i1', factor: 0.95, host: intel }),
      hostRecord({ label: 'a1', factor: 0.7, host: amd }),
      hostRecord({ label: 'i2', factor: 0.93, host: intel }),
      hostRecord({ label: 'a2', factor: 0.72, host: amd }),
    ]);
    expect(s.hostTypes.map((t) => [t.name, t.cpuModel, t.accelerator, t.hosts])).toEqual([
      ['type 1', 'Intel Xeon Gold 6338', 'kvm_intel', ['i1', 'i2']],
      ['type 2', 'AMD EPYC 7763', 'kvm_amd', ['a1', 'a2']],
    ]);
    const row = cpuRow(s, 'container:runc');
    const [t1, t2] = row?.byType ?? [];
    expect(t1?.ratio?.median).toBeCloseTo(0.94, 2);
    expect(t2?.ratio?.median).toBeCloseTo(0.71, 2);
    expect(row?.ratioSpread?.hosts).toBe(4);
    expect(studyMarkdown(s)).toMatch(/\*\*type 2\*\*.*\| 0\.71\d \[0\.70\d, 0\.72\d\]/);
  });
});

describe('several runs of one host', () => {
  it('pools their trials (renumbered) into one host column', () => {
    const r1 = hostRecord({ label: 'h', factor: 0.9, runId: 'r1' });
    const r2 = {
      ...hostRecord({ label: 'h', factor: 0.9, runId: 'r2', seed: 42 }),
      startedAt: '2026-01-02T00:00:00.000Z',
    };
    const pooled = poolRuns([r1, r2]);
    expect(new Set(pooled.results.map((t) => t.trialId)).size).toBe(r1.results.length * 2);
    const s = study([r1, r2]);
    expect(s.hosts).toHaveLength(1);
    const h = s.hosts[0];
    expect(h?.status === 'ok' && h.runs.map((r) => r.runId)).toEqual(['r1', 'r2']);
    expect(cpuRow(s, 'container:runc')?.hosts[0]?.trials).toBe(10);
  });
});

describe('plan matching ignores host-local arguments', () => {
  it('drops --out, --host-label, --cache-dir and --no-report, in both spellings', () => {
    expect(
      comparedArgs([
        'isobench',
        'run',
        '--env',
        'bare',
        '--out',
        '/x',
        '--host-label=web-1',
        '--cache-dir',
        '/c',
        '--no-report',
        '--seed',
        '5',
      ]),
    ).toEqual(['--env', 'bare', '--seed', '5']);
  });
});
