// Fuzzes `isobench report` with mutated run.json files (seeded, deterministic): in-process, each
// must either write its reports or fail with a ConfigError (exit 2, one line); a handful also go
// through the real CLI. Hostile markup in labels, host names and engine versions stays escaped in
// HTML, Markdown and CSV, and CSV cells that a spreadsheet would run as formulas are neutralised.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { execa } from 'execa';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { rng } from '../../analysis/rng.js';
import { ConfigError } from '../../model/errors.js';
import { reportCommand } from '../../bench/commands/report.js';
import { compareCommand } from '../../bench/commands/compare.js';
import { neutraliseCell } from '../../reports/shared/csv.js';
import { CLI } from '../helpers/cli.js';
import { syntheticDensityRecord } from '../factories/synthetic-density.js';
import { CPU, SWEEPS } from '../factories/density-record.js';

const SEED = Number(process.env['ISOBENCH_FUZZ_SEED'] ?? 20261123);
const COUNT = 220;
const FIXTURE = readFileSync(new URL('../fixtures/records/fake-run.json', import.meta.url), 'utf8');
/** A record with density sweeps (3 environments, a TCG guest) and a cpu workload, so the density and plan sections are fuzzed too. */
const DENSITY = JSON.stringify(syntheticDensityRecord(SWEEPS, CPU), null, 1);
const DENSITY_COUNT = 40;
const base = mkdtempSync(join(tmpdir(), 'isobench-fuzz-report-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const pick = <T>(xs: readonly T[], r: () => number): T => xs[Math.floor(r() * xs.length)] as T;
const MARKUP = '<script>alert(1)</script><img src=x onerror=alert(2)>|`x`](javascript:alert(3))';
const HOSTILE: Json[] = [
  null,
  -1,
  0,
  1e308,
  -1e308,
  'NaN',
  'Infinity',
  '',
  'x'.repeat(5000),
  MARKUP,
  '=HYPERLINK("http://evil","x")',
  '+1+1',
  '-2+3',
  '@SUM(A1)',
  [],
  {},
  [1, 2],
  { a: 1 },
  true,
  3.5,
  -0.0001,
  '2026-13-45T99:99:99Z',
];

/** Every path (array of keys) to a value in `j`. */
function paths(j: Json, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(j)) j.forEach((v, i) => paths(v, [...at, i], out));
  else if (j !== null && typeof j === 'object') for (const [k, v] of Object.entries(j)) paths(v, [...at, k], out);
  return out;
}
function setAt(j: Json, path: (string | number)[], v: Json | undefined): void {
  let cur = j as Record<string | number, Json>;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, Json>;
  const last = path[path.length - 1] as string | number;
  if (v === undefined) {
    if (Array.isArray(cur)) cur.splice(Number(last), 1);
    else delete cur[last];
  } else cur[last] = v;
}
function getAt(j: Json, path: (string | number)[]): Json {
  let cur = j;
  for (const k of path) cur = (cur as Record<string | number, Json>)[k] as Json;
  return cur;
}

type Mutation = (rec: Json, r: () => number) => string;
const json = (j: Json) => JSON.stringify(j, null, 1);
const MUTATIONS: Record<string, Mutation> = {
  'hostile-value': (j, r) => {
    const ps = paths(j).filter((p) => p.length > 0);
    for (let k = 0, n = 1 + Math.floor(r() * 4); k < n; k++) setAt(j, pick(ps, r), pick(HOSTILE, r));
    return json(j);
  },
  'delete-key': (j, r) => {
    const ps = paths(j).filter((p) => p.length > 0);
    setAt(j, pick(ps, r), undefined);
    return json(j);
  },
  'wrong-type': (j, r) => {
    const ps = paths(j).filter((p) => p.length > 0);
    const p = pick(ps, r);
    const v = getAt(j, p);
    setAt(
      j,
      p,
      typeof v === 'number'
        ? String(v)
        : typeof v === 'string'
          ? Number(v.length)
          : Array.isArray(v)
            ? {}
            : v === null
              ? 0
              : typeof v === 'object'
                ? []
                : null,
    );
    return json(j);
  },
  'negative-sample': (j, r) => {
    const ps = paths(j).filter((p) => p[p.length - 1] === 'value');
    if (ps.length) setAt(j, pick(ps, r), pick([-1, -1e9, 0, 1e308], r));
    return json(j);
  },
  'duplicate-results': (j) => {
    const o = j as { results: Json[] };
    if (Array.isArray(o.results)) o.results = [...o.results, ...o.results];
    return json(j);
  },
  'schema-version': (j, r) => {
    (j as { schema: Json }).schema = pick([0, 1, 2, 3, 4, 5, 99, -1, '3', null], r);
    return json(j);
  },
  'markup-everywhere': (j, r) => {
    const o = j as Record<string, Json>;
    const m = pick([MARKUP, '=cmd|" /C calc"!A0', '@SUM(1+1)*cmd', '-1+2', '+HYPERLINK("x")'], r);
    o['hostLabel'] = m;
    for (const p of paths(j).filter((p) =>
      ['hostname', 'version', 'engine_version', 'reason', 'memory_accounting', 'accelerator', 'ksm', 'thp'].includes(
        String(p[p.length - 1]),
      ),
    )) {
      const v = getAt(j, p);
      if (typeof v === 'string') setAt(j, p, `${v}${m}`);
      else if (v !== null && typeof v === 'object' && 'value' in v && typeof (v as { value: Json }).value === 'string')
        (v as { value: Json }).value = m;
    }
    for (const p of paths(j).filter((p) => p[p.length - 1] === 'notes')) {
      const v = getAt(j, p);
      if (Array.isArray(v)) v.push(`stopped: ${m}`);
    }
    return json(j);
  },
  truncate: (j, r) => {
    const t = json(j);
    return t.slice(0, Math.floor(r() * t.length));
  },
  'binary-noise': (j, r) => {
    const t = json(j);
    const at = Math.floor(r() * t.length);
    return (
      t.slice(0, at) +
      Array.from({ length: 1 + Math.floor(r() * 32) }, () => String.fromCharCode(Math.floor(r() * 256))).join('') +
      t.slice(at)
    );
  },
  'not-an-object': (_j, r) => pick(['[]', 'null', '42', '"run"', '', '\uFEFF{}', '{"schema":3}'], r),
};

describe('fuzzing isobench report with mutated run.json files', () => {
  it(`writes reports or exits 2 with one line, for ${COUNT} mutated records (seed ${SEED})`, async () => {
    const r = rng(SEED);
    const names = Object.keys(MUTATIONS);
    const kinds = new Map<string, number>();
    const outcome = { written: 0, refused: 0 };
    const compared = { ok: 0, refused: 0 };
    const failures: string[] = [];
    delete process.env['GITHUB_STEP_SUMMARY'];
    const FIXTURE_DIR = join(base, 'fixture');
    (await import('node:fs')).mkdirSync(FIXTURE_DIR, { recursive: true });
    writeFileSync(join(FIXTURE_DIR, 'run.json'), FIXTURE);
    for (let i = 0; i < COUNT; i++) {
      const name = names[i % names.length] as string;
      kinds.set(name, (kinds.get(name) ?? 0) + 1);
      const text = (MUTATIONS[name] as Mutation)(JSON.parse(FIXTURE) as Json, r);
      const dir = join(base, `in-${i}`);
      rmSync(dir, { recursive: true, force: true });
      mkdtempSync(`${dir}-`); // keeps names unique even if a run is repeated
      const d = `${dir}-x`;
      rmSync(d, { recursive: true, force: true });
      (await import('node:fs')).mkdirSync(d);
      writeFileSync(join(d, 'run.json'), text);
      // report writes its files beside run.json: keep a pristine copy for compare.
      try {
        await reportCommand([d], () => undefined);
        outcome.written++;
        checkEscaped(d, failures, `${name} #${i}`);
      } catch (err) {
        if (err instanceof ConfigError && !err.message.includes('\n')) outcome.refused++;
        else
          failures.push(
            `${name} #${i}: ` +
              `${err instanceof Error ? `${err.name}: ${err.message}\n${err.stack?.split('\n').slice(1, 4).join('\n')}` : String(err)}`,
          );
      }
      // isobench compare: the intact fixture as baseline, the mutated record as current.
      for (const pair of [[FIXTURE_DIR, d]]) {
        const md = join(base, `compare-${i}.md`);
        const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
        try {
          const code = await compareCommand([...(pair as string[]), '--markdown', md], () => undefined);
          if (code !== 0 && code !== 1) failures.push(`compare ${name} #${i}: exit ${code}`);
          else compared.ok++;
          if (/<script>|<img src=x|(^|[^\\])\]\(javascript:/m.test(readFileSync(md, 'utf8')))
            failures.push(`compare ${name} #${i}: raw markup in the Markdown summary`);
        } catch (err) {
          if (err instanceof ConfigError && !err.message.includes('\n')) compared.refused++;
          else
            failures.push(
              `compare ${name} #${i}: ` +
                `${err instanceof Error ? `${err.name}: ${err.message}\n${err.stack?.split('\n').slice(1, 4).join('\n')}` : String(err)}`,
            );
        } finally {
          out.mockRestore();
          rmSync(md, { force: true });
        }
      }
      rmSync(d, { recursive: true, force: true });
    }
    console.log(
      `compare fuzz: ${compared.ok + compared.refused} comparisons (${compared.ok} exit 0/1, ` +
        `${compared.refused} exit 2)`,
    );
    console.log(
      `report fuzz (seed ${SEED}): ${COUNT} mutated run.json; ${outcome.written} reported, ` +
        `${outcome.refused} refused with exit 2; per mutation: ` +
        `${[...kinds].map(([k, v]) => `${k} ${v}`).join(', ')}`,
    );
    expect(failures.slice(0, 10)).toEqual([]);
  }, 600_000);

  it(`the same for ${DENSITY_COUNT} mutated records with density sweeps (seed ${SEED})`, async () => {
    const r = rng(SEED + 2);
    const names = Object.keys(MUTATIONS);
    const outcome = { written: 0, refused: 0 };
    const failures: string[] = [];
    for (let i = 0; i < DENSITY_COUNT; i++) {
      const name = names[i % names.length] as string;
      const d = mkdtempSync(join(base, 'density-'));
      writeFileSync(join(d, 'run.json'), (MUTATIONS[name] as Mutation)(JSON.parse(DENSITY) as Json, r));
      try {
        await reportCommand([d], () => undefined);
        outcome.written++;
        checkEscaped(d, failures, `density ${name} #${i}`);
      } catch (err) {
        if (err instanceof ConfigError && !err.message.includes('\n')) outcome.refused++;
        else
          failures.push(
            `density ${name} #${i}: ` +
              `${err instanceof Error ? `${err.name}: ${err.message}\n${err.stack?.split('\n').slice(1, 4).join('\n')}` : String(err)}`,
          );
      }
      rmSync(d, { recursive: true, force: true });
    }
    console.log(
      `density report fuzz: ${DENSITY_COUNT} mutated run.json; ${outcome.written} reported, ` +
        `${outcome.refused} refused with exit 2`,
    );
    expect(outcome.written).toBeGreaterThan(0);
    expect(failures.slice(0, 10)).toEqual([]);
  }, 600_000);

  it('a handful through the real CLI: exit 0, or exit 2 with a single line and no stack trace', async () => {
    const r = rng(SEED + 1);
    for (const name of [
      'hostile-value',
      'wrong-type',
      'truncate',
      'not-an-object',
      'markup-everywhere',
      'schema-version',
    ]) {
      const d = mkdtempSync(join(base, 'cli-'));
      writeFileSync(join(d, 'run.json'), (MUTATIONS[name] as Mutation)(JSON.parse(FIXTURE) as Json, r));
      const res = await execa('node', [CLI, 'report', d], { reject: false });
      expect([0, 2], `${name}: ${res.stderr}`).toContain(res.exitCode);
      expect(res.stderr).not.toMatch(/\n\s+at |internal error/);
      if (res.exitCode === 2)
        expect(
          String(res.stderr)
            .trim()
            .split('\n')
            .filter((l) => l.startsWith('isobench:')),
        ).toHaveLength(1);
    }
  });
});

/** No raw markup from the record in HTML or Markdown, and no formula cell in any CSV. */
function checkEscaped(dir: string, failures: string[], what: string): void {
  for (const f of readdirSync(dir)) {
    const text = readFileSync(join(dir, f), 'utf8');
    if (f.endsWith('.html') && /<script>alert|<img src=x/.test(text)) failures.push(`${what}: raw markup in ${f}`);
    if (f.endsWith('.md') && /<script>|<img src=x|(^|[^\\])\]\(javascript:/m.test(text))
      failures.push(`${what}: raw markup in ${f}`);
    if (f.endsWith('.csv')) {
      for (const row of parse(text, { relax_column_count: true }) as string[][]) {
        for (const cell of row)
          if (neutraliseCell(cell) !== cell)
            failures.push(`${what}: formula cell ${JSON.stringify(cell.slice(0, 40))} in ${f}`);
      }
    }
  }
}

describe('CSV formula cells', () => {
  it('neutralises text starting with = + - @ but keeps numbers', () => {
    expect(neutraliseCell('=HYPERLINK("x")')).toBe(`'=HYPERLINK("x")`);
    expect(neutraliseCell('+1+1')).toBe(`'+1+1`);
    expect(neutraliseCell('-2+3')).toBe(`'-2+3`);
    expect(neutraliseCell('@SUM(A1)')).toBe(`'@SUM(A1)`);
    expect(neutraliseCell('-12.5')).toBe('-12.5');
    expect(neutraliseCell('-1.5e-3')).toBe('-1.5e-3');
    expect(neutraliseCell(-3)).toBe(-3);
    expect(neutraliseCell('web-01')).toBe('web-01');
  });
});
