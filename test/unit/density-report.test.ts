// The report side of density and plan: charts, the HTML density and plan sections and the summary.csv rows, on a synthetic record whose figures are worked out by hand.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { densitySummaries } from '../../analysis/density.js';
import { analyse } from '../../analysis/verdict-analysis.js';
import { cellPrecision } from '../../analysis/stopping.js';
import { answers } from '../../reports/run/answer.js';
import { chartSpecs } from '../../reports/run/chart-configs.js';
import { densityCharts } from '../../reports/run/density-charts.js';
import { renderChart } from '../../reports/shared/chart-render.js';
import { renderReports } from '../../reports/run/index.js';
import { illustrativePlan, planSection } from '../../reports/plan/html.js';
import { SUMMARY_COLUMNS, summaryCsv } from '../../reports/run/summary-csv.js';
import { summaryMarkdown } from '../../reports/run/summary-md.js';
import { runWarnings } from '../../analysis/warnings.js';
import { syntheticDensityRecord, type SynthSweep } from '../factories/synthetic-density.js';
import { CPU, ONE_TO_8, SWEEPS } from '../factories/density-record.js';

const record = syntheticDensityRecord(SWEEPS, CPU);
const sweeps = densitySummaries(record);
const byId = (id: string, batch = 1) => sweeps.find((d) => d.envId === id && d.batch === batch);

describe('density figures of the synthetic record', () => {
  it('are what the hand computation gives', () => {
    expect(byId('synthetic:container')).toMatchObject({
      sweeps: 1,
      instances: 8,
      slopeMiB: 10,
      instancesPerGiB: 102.4,
      engineMedianMiB: 2,
      readyMedianMs: 41.5,
      readyKnee: 6,
      memoryKnee: null,
      accelerator: null,
    });
    expect(byId('synthetic:container')?.readyP95Ms).toBeCloseTo(98.25, 10);
    expect(byId('synthetic:container', 4)?.slopeMiB).toBeCloseTo(12, 10);
    expect(byId('synthetic:guest', 2)).toMatchObject({
      instances: 14,
      slopeMiB: 200,
      instancesPerGiB: 5.12,
      readyKnee: null,
      memoryKnee: 10,
      accelerator: 'tcg',
      stop: expect.stringMatching(/below the floor/),
    });
    expect(byId('bare:host')).toMatchObject({ sweeps: 2, engineMedianMiB: null, instancesPerGiB: null });
    expect(byId('bare:host')?.slopeMiB).toBeCloseTo(-1 / 42, 10);
    // A bare sweep drifting upwards has a positive slope but holds no process: no instances per GiB.
    const drift = densitySummaries(
      syntheticDensityRecord(
        [
          {
            env: 'bare',
            engine: 'host',
            batch: 1,
            steps: ONE_TO_8.map((c) => ({ count: c, readyMs: [5], dropMiB: 0.05 * c })),
          },
        ],
        [],
      ),
    );
    expect(drift[0]?.slopeMiB).toBeCloseTo(0.05, 10);
    expect(drift[0]?.instancesPerGiB).toBeNull();
  });
});

describe('density charts', () => {
  const [ready, memory] = densityCharts(sweeps);
  it(
    'plot ready time and memory per instance against the instances running, one line per environment ' +
      'and batch, knees marked',
    () => {
      expect([ready?.file, memory?.file]).toEqual(['density-ready.png', 'density-memory.png']);
      expect(ready?.section).toBe('density');
      const rd = ready?.config.data.datasets ?? [];
      expect(rd.map((d) => d.label)).toEqual([
        'bare:host',
        'synthetic:container batch 1',
        'synthetic:container batch 4',
        'synthetic:guest batch 2',
        'knee: synthetic:container batch 1 ready time climbs from 6 instances',
      ]);
      expect(rd[1]?.data).toEqual([40, 42, 38, 40, 41, 90, 95, 100].map((y, i) => ({ x: i + 1, y })));
      expect(rd[2]?.data).toEqual([
        { x: 4, y: 50 },
        { x: 8, y: 60 },
      ]);
      // The knee line spans the chart's value range at x = 6; 5 ms to 3 s is > 50×: log scale.
      expect(rd[4]?.data).toEqual([
        { x: 6, y: 5 },
        { x: 6, y: 3000 },
      ]);
      expect((ready?.config.options?.scales?.['y'] as { type: string }).type).toBe('logarithmic');
      const md = memory?.config.data.datasets ?? [];
      expect(md.map((d) => d.label)).toEqual([
        'bare:host: MemAvailable drop ÷ instances (slope -0.0238 MiB/instance)',
        'synthetic:container batch 1: MemAvailable drop ÷ instances (slope 10 MiB/instance)',
        'synthetic:container batch 1: engine accounting',
        'synthetic:container batch 4: MemAvailable drop ÷ instances (slope 12 MiB/instance)',
        'synthetic:container batch 4: engine accounting',
        'synthetic:guest batch 2: MemAvailable drop ÷ instances (slope 200 MiB/instance)',
        'synthetic:guest batch 2: engine accounting',
        'knee: synthetic:guest batch 2 marginal memory climbs from 10 instances',
      ]);
      expect(md[1]?.data).toEqual(ONE_TO_8.map((x) => ({ x, y: 10 })));
      expect(md[6]?.data).toEqual([2, 4, 6, 8, 10, 12, 14].map((x) => ({ x, y: 250 })));
      expect(md[7]?.data[0]).toMatchObject({ x: 10 });
      // Negative drops: a linear axis.
      expect((memory?.config.options?.scales?.['y'] as { type: string }).type).toBe('linear');
      expect(ready?.alt).toMatch(/synthetic:container batch 1: 40 ms at 1 to 100 ms at 8 instances, knee at 6/);
    },
  );
  it('render to PNG', async () => {
    for (const spec of [ready, memory]) {
      const png = await renderChart(spec!);
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(png.length).toBeGreaterThan(10_000);
    }
  });
  it('none without a sweep', () => {
    expect(densityCharts([])).toEqual([]);
  });
});

describe('density cases outside the pooled verdicts', () => {
  // A sweep's values belong to instance counts (the guest here stops at 14, the containers at 8):
  // one median over every count, as a ratio against bare metal's, would compare different counts.
  const a = analyse(record);
  it('have no verdict rows, answers, overhead bars or per-case charts; the cpu case keeps its own', () => {
    expect(a.entries.filter((e) => e.case.workload === 'density')).toEqual([]);
    expect(a.cases.map((c) => c.workload)).toEqual(['cpu']);
    expect(a.sweepCases.map((c) => c.label)).toEqual(['density batch=1', 'density batch=4', 'density batch=2']);
    expect(answers(a).join('\n')).not.toMatch(/density/);
    expect(answers(a)).toHaveLength(2);
    const charts = chartSpecs(a);
    expect(charts.map((c) => c.file)).toEqual(['overhead.png', 'chart-cpu-events_per_s.png']);
    expect(charts[0]?.alt).not.toMatch(/density/);
  });
  it('are no target of the stopping rule: a density cell is never imprecise', () => {
    const cells = record.plan.cells;
    const densityIdx = cells.flatMap((c, i) => (c.workload === 'density' ? [i] : []));
    expect(densityIdx.length).toBeGreaterThan(0);
    expect(cellPrecision(a, cells, densityIdx).every((p) => p.noData)).toBe(true);
  });
});

describe('summary.md density section', () => {
  const a = analyse(record);
  const md = summaryMarkdown(record, a, runWarnings(record, a));
  const section = md.slice(md.indexOf('### Density sweeps'), md.indexOf('\n\n- ', md.indexOf('### Density sweeps')));
  it(
    'gives per environment and batch the instances reached, MiB per instance, instances per GiB, ' +
      'ready median and p95, and the knees',
    () => {
      expect(section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| environment'))).toEqual([
        '| bare:host | 8 (reached density.max (8 instances)) | -0.024 MiB | – | 5.000 ms | 5.000 ms | none | none |',
        '| synthetic:container batch 1 | 8 (reached density.max (8 instances)) | 10.00 MiB | 102.4 | ' +
          '41.50 ms | 98.25 ms | ready time climbs from 6 instances | none |',
        '| synthetic:container batch 4 | 8 | 12.00 MiB | 85.33 | 55.00 ms | 60.00 ms | none: too few ' +
          'steps (2 &lt; 6) | none: too few steps (1 &lt; 6) |',
        '| synthetic:guest batch 2 | 14 (MemAvailable 2100 MiB would fall below the floor density.floor ' +
          '(2048 MiB) with 2 more) | 200.0 MiB | 5.120 | 3000 ms | 3000 ms | none | marginal memory climbs ' +
          'from 10 instances |',
      ]);
      expect(md).toMatch(/- synthetic:guest ran under TCG \(software emulation\)/);
      expect(summaryMarkdown(record, a, [], { compact: true })).toContain('### Density sweeps');
    },
  );
  it('is absent without a sweep', () => {
    const plain = syntheticDensityRecord([], CPU);
    expect(summaryMarkdown(plain, analyse(plain), [])).not.toMatch(/density/i);
  });
});

describe('summary.csv density rows', () => {
  const a = analyse(record);
  const rows = parse(summaryCsv(a, sweeps)) as string[][];
  const plain = parse(summaryCsv(a)) as string[][];
  it('come after the measured rows, which stay as they were, in the same columns', () => {
    expect(rows.slice(0, plain.length)).toEqual(plain);
    const added = rows.slice(plain.length);
    expect(added).toHaveLength(sweeps.length * 5);
    for (const r of added) expect(r).toHaveLength(SUMMARY_COLUMNS.length);
  });
  it("carry each sweep's figures", () => {
    const col = (name: (typeof SUMMARY_COLUMNS)[number]) => SUMMARY_COLUMNS.indexOf(name);
    const row = (env: string, metric: string, batch = 1) =>
      rows.find(
        (r) =>
          r[col('environment')] === env && r[col('metric')] === metric && r[col('params')]?.includes(`batch=${batch};`),
      );
    const value = (env: string, metric: string, batch = 1) => row(env, metric, batch)?.[col('trial_median')];
    expect(value('synthetic:container', 'density_marginal_MiB_per_instance')).toBe('10');
    expect(value('synthetic:container', 'density_instances_per_GiB')).toBe('102.4');
    expect(value('synthetic:container', 'density_ready_knee_at')).toBe('6');
    expect(value('synthetic:container', 'density_instances_reached')).toBe('8');
    expect(value('synthetic:guest', 'density_memory_knee_at', 2)).toBe('10');
    expect(value('synthetic:guest', 'density_instances_per_GiB', 2)).toBe('5.12');
    expect(value('bare:host', 'density_instances_per_GiB')).toBe('');
    expect(row('synthetic:guest', 'density_instances_reached', 2)).toEqual(
      expect.arrayContaining([
        'density',
        'instances',
        'higher',
        '7',
        '1',
        '14',
        'figure',
        'stopped: MemAvailable 2100 MiB would fall below the floor density.floor (2048 MiB) with 2 more',
      ]),
    );
    expect(row('synthetic:container', 'density_memory_knee_at')?.[col('verdict')]).toBe('no knee');
    expect(row('synthetic:container', 'density_ready_knee_at', 4)?.[col('verdict')]).toBe(
      'no knee: too few steps (2 < 6)',
    );
  });
  it("snapshot of the density record's summary.csv", async () => {
    await expect(summaryCsv(a, sweeps)).toMatchFileSnapshot('__snapshots__/density-run.summary.csv');
  });
});

const section = (html: string, id: string) =>
  html.match(new RegExp(`<section id="${id}">([\\s\\S]*?)</section>`))?.[1] ?? '';
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

describe('report.html density and plan sections', () => {
  const rendered = renderReports(record, { generatedAt: 'T' });
  it('embed both density charts and the table of figures', async () => {
    const files = await rendered;
    const html = String(files.get('report.html'));
    expect(files.has('density-ready.png') && files.has('density-memory.png')).toBe(true);
    const density = section(html, 'density');
    expect(density.match(/<img src="data:image\/png;base64,/g)).toHaveLength(2);
    const rows = density.match(/<tr><td>[^<]*<\/td>.*?<\/tr>/g) ?? [];
    expect(rows.map(text)).toEqual([
      ' bare:host 1 2 8 reached density.max (8 instances) -0.024 MiB – – 5.000 ms 5.000 ms none none ',
      ' synthetic:container 1 1 8 reached density.max (8 instances) 10.00 MiB 102.4 2.000 MiB (cgroup ' +
        'v2 memory.current) 41.50 ms 98.25 ms ready time climbs from 6 instances none ',
      ' synthetic:container 4 1 8 not recorded 12.00 MiB 85.33 2.000 MiB (cgroup v2 memory.current) ' +
        '55.00 ms 60.00 ms none: too few steps (2 < 6) none: too few steps (1 < 6) ',
      ' synthetic:guest 2 1 14 MemAvailable 2100 MiB would fall below the floor density.floor (2048 ' +
        'MiB) with 2 more 200.0 MiB 5.120 250.0 MiB (qemu PSS (/proc/<pid>/smaps_rollup), TCG ' +
        'translation cache included) 3000 ms 3000 ms none marginal memory climbs from 10 instances ',
    ]);
    expect(text(density)).toMatch(
      /synthetic:guest ran under TCG \(software emulation\): the engine accounting is qemu's PSS, which includes TCG's translation cache/,
    );
    expect(text(density)).toMatch(/bare:host: the MemAvailable drop did not grow with the instances \(slope ≤ 0\)/);
  });
  it(
    "answer the plan for the illustrative app on the record's host (8 CPUs, 16 GiB) and give the " + 'command',
    async () => {
      const html = String((await rendered).get('report.html'));
      const plan = text(section(html, 'plan'));
      // container: 0.5 / 0.9 CPU each → ⌊7.2 / 0.556⌋ = 12; memory 512 + median(10, 12) = 523 MiB → ⌊14745.6 / 523⌋ = 28.
      expect(plan).toContain('synthetic:container 12 [12, 12] CPU 12 28 0.556 523 MiB 0.900 11 MiB [10 MiB, 12 MiB]');
      // guest: 1 CPU each → 7; 712 MiB each → 20.
      expect(plan).toContain('synthetic:guest 7 [7, 7] CPU 7 20 1.000 712 MiB 0.500 200 MiB');
      expect(plan).toContain(
        'isobench plan --from results/synthetic --host-cpus 8 --host-memory 16384MiB --app-cpus 0.5 ' +
          '--app-memory 512MiB --headroom 10%',
      );
      expect(plan).toMatch(/illustrative/);
      expect(plan).toMatch(/synthetic:guest: measured emulated \(TCG/);
    },
  );
  it("is the same with the report's analysis as with the plan command's own", () => {
    expect(illustrativePlan(record, analyse(record))).toEqual(illustrativePlan(record));
  });
  it('says which measurements a plan lacks instead of guessing', () => {
    const p = illustrativePlan(syntheticDensityRecord(SWEEPS));
    expect(p.fits).toEqual([]);
    expect(text(planSection(p))).toContain(
      'Not planned — measurements missing, not guessed: synthetic:container: no CPU overhead (run with ' +
        '--workload cpu and bare metal (--env bare,…)); synthetic:guest: no CPU overhead',
    );
  });
  it('uses an example host, said so, when the fingerprint lacks CPUs or memory', () => {
    const r = syntheticDensityRecord(SWEEPS, CPU, { host: { cpuCount: { value: null, reason: 'unreadable' } } });
    const p = illustrativePlan(r);
    expect(p.request).toMatchObject({ hostCpus: 64, hostMemoryMiB: 262144 });
    expect(text(planSection(p))).toMatch(/an example host: the record does not give this host's CPUs and memory/);
  });
  it('escape what the record says', async () => {
    const evil = '<script>alert(1)</script>';
    const hostile = syntheticDensityRecord(
      [
        {
          ...(SWEEPS[2] as SynthSweep),
          engine: evil,
          labels: { memory_accounting: evil, ksm: evil, accelerator: 'tcg' },
          stop: evil,
        },
      ],
      [],
      {},
    );
    const out = String((await renderReports(hostile, { generatedAt: 'T' })).get('report.html'));
    expect(out).not.toMatch(/<script/i);
    expect(section(out, 'density')).toContain('synthetic:&lt;script&gt;alert(1)&lt;/script&gt;');
  });
  it('a run without a sweep says how to get one', async () => {
    const plain = syntheticDensityRecord([], CPU);
    const out = String((await renderReports(plain, { generatedAt: 'T' })).get('report.html'));
    expect(text(section(out, 'density'))).toMatch(/No density sweep in this run/);
  });
});
