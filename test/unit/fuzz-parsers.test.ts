// Fuzzes every workload parser with mutated real sysbench outputs (seeded, deterministic): a parser
// either returns finite, non-negative values or throws a ParseError (which the trial records as an
// errored trial); any other exception, or a NaN/negative/infinite sample, fails the test.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rng } from '../../analysis/rng.js';
import { ParseError } from '../../model/errors.js';
import { WORKLOADS as ALL_WORKLOADS } from '../../workloads/index.js';
import type { Workload } from '../../workloads/types.js';

/** The workloads that parse a tool's output (sweeps and bursts run no command). */
const WORKLOADS = ALL_WORKLOADS.filter((w): w is Workload => w.shape === 'throughput');
import type { Params } from '../../model/record.js';

const SEED = Number(process.env['ISOBENCH_FUZZ_SEED'] ?? 20261123);
const PER_FIXTURE_MIN = 60;
const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;
const HOST = { llcBytes: 32 * 2 ** 20, freeMemoryBytes: 8 * 2 ** 30 };

/** Real outputs: every sysbench-<workload>-… fixture, with the workload (and fileio mode) it came from. */
const inputs = readdirSync(FIXTURES)
  .filter((f) => /^sysbench-.*\.txt$/.test(f))
  .map((f) => {
    const workload = /(cpu|memory|fileio)/.exec(f)?.[1] as string;
    const mode = /fileio-(seqwr|seqrd|rndrd|rndwr|rndrw)/.exec(f)?.[1];
    return { file: f, workload, mode, text: readFileSync(`${FIXTURES}${f}`, 'utf8') };
  });

type Mutation = (text: string, r: () => number) => string;
const pick = <T>(xs: readonly T[], r: () => number): T => xs[Math.floor(r() * xs.length)] as T;
const NUMBER = /[0-9]+(?:\.[0-9]+)?/g;
const HOSTILE = [
  '-5',
  '-0.0001',
  '0',
  '1e308',
  '1e-320',
  'NaN',
  'nan',
  'inf',
  '-inf',
  'Infinity',
  `9${'9'.repeat(400)}`,
  '0x1F',
  '١٢٣',
  '1,234.5',
  '.5',
  '5.',
  '00000000000000000000000001',
];

/** Replaces the n-th number in `text` with `by`. */
function replaceNumber(text: string, r: () => number, by: (old: string) => string): string {
  const all = [...text.matchAll(NUMBER)];
  if (all.length === 0) return text;
  const m = pick(all, r);
  return text.slice(0, m.index) + by(m[0]) + text.slice((m.index ?? 0) + m[0].length);
}

const MUTATIONS: Record<string, Mutation> = {
  truncate: (t, r) => t.slice(0, Math.floor(r() * t.length)),
  'truncate-line-end': (t, r) => {
    const ends = [...t.matchAll(/\n/g)].map((m) => m.index ?? 0);
    return ends.length ? t.slice(0, pick(ends, r)) : t;
  },
  'hostile-number': (t, r) => replaceNumber(t, r, () => pick(HOSTILE, r)),
  'negative-number': (t, r) => replaceNumber(t, r, (o) => `-${o}`),
  'huge-number': (t, r) => replaceNumber(t, r, (o) => `${o}${'0'.repeat(1 + Math.floor(r() * 400))}`),
  'swapped-units': (t, r) => {
    const swaps: [RegExp, string][] = [
      [/MiB/g, 'KiB'],
      [/KiB/g, 'GiB'],
      [/ms\)/g, 's)'],
      [/(\d)s\b/g, '$1ms'],
      [/events\/s/g, 'events/ms'],
      [/MiB\/s/g, 'B/s'],
    ];
    const [re, to] = pick(swaps, r);
    return t.replace(re, to);
  },
  'binary-noise': (t, r) => {
    const at = Math.floor(r() * t.length);
    const noise = Array.from({ length: 1 + Math.floor(r() * 64) }, () =>
      String.fromCharCode(Math.floor(r() * 256)),
    ).join('');
    return t.slice(0, at) + noise + t.slice(at);
  },
  'duplicate-lines': (t, r) => {
    const lines = t.split('\n');
    const i = Math.floor(r() * lines.length);
    lines.splice(i, 0, ...lines.slice(i, i + 1 + Math.floor(r() * 4)));
    return lines.join('\n');
  },
  'duplicate-with-other-value': (t, r) => {
    const lines = t.split('\n');
    const i = Math.floor(r() * lines.length);
    lines.splice(
      i,
      0,
      (lines[i] ?? '').replace(NUMBER, () => pick(HOSTILE, r)),
    );
    return lines.join('\n');
  },
  'delete-lines': (t, r) => {
    const lines = t.split('\n');
    lines.splice(Math.floor(r() * lines.length), 1 + Math.floor(r() * 3));
    return lines.join('\n');
  },
  'shuffle-lines': (t, r) => {
    const lines = t.split('\n');
    for (let i = lines.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [lines[i], lines[j]] = [lines[j] as string, lines[i] as string];
    }
    return lines.join('\n');
  },
  crlf: (t) => t.replace(/\n/g, '\r\n'),
  'empty-or-whitespace': (_t, r) => pick(['', '\n', '   \n\t', '\0\0\0'], r),
  'other-fixture-spliced': (t, r) => {
    const other = pick(inputs, r).text;
    const at = Math.floor(r() * t.length);
    return t.slice(0, at) + other.slice(Math.floor(r() * other.length));
  },
};

/** The workload's parameters for a fixture (fileio: the mode it was run in). */
function paramsFor(workload: string, mode: string | undefined): Params {
  const w = WORKLOADS.find((x) => x.name === workload);
  if (!w) throw new Error(`no workload ${workload}`);
  const p = w.defaults(true, HOST);
  return mode !== undefined ? { ...p, mode } : p;
}

describe('fuzzing the sysbench output parsers', () => {
  it(`every mutated output gives finite non-negative values or a ParseError (seed ${SEED})`, () => {
    const r = rng(SEED);
    const names = Object.keys(MUTATIONS);
    const perKind = new Map<string, number>();
    const outcome = { parsed: 0, parseError: 0 };
    const failures: string[] = [];
    let total = 0;
    for (const input of inputs) {
      const params = paramsFor(input.workload, input.mode);
      // Every parser gets every fixture's mutations (a cpu parser fed fileio output must fail cleanly too).
      for (let n = 0; n < PER_FIXTURE_MIN; n++) {
        let text = input.text;
        const applied: string[] = [];
        for (let k = 0, count = 1 + Math.floor(r() * 3); k < count; k++) {
          const name = pick(names, r);
          applied.push(name);
          perKind.set(name, (perKind.get(name) ?? 0) + 1);
          text = (MUTATIONS[name] as Mutation)(text, r);
        }
        for (const w of WORKLOADS) {
          total++;
          const p = w.name === input.workload ? params : paramsFor(w.name, undefined);
          try {
            const ms = w.parse(text, p);
            outcome.parsed++;
            for (const m of ms) {
              if (!Number.isFinite(m.value) || m.value < 0)
                failures.push(`${w.name} accepted ${m.metric}=${m.value} from ${input.file} + ${applied.join('+')}`);
            }
          } catch (err) {
            if (err instanceof ParseError) outcome.parseError++;
            else failures.push(`${w.name} threw ${String(err)} on ${input.file} + ${applied.join('+')}`);
          }
        }
      }
    }
    console.log(
      `parser fuzz (seed ${SEED}): ${total} parses of ${total / WORKLOADS.length} mutated outputs from ` +
        `${inputs.length} fixtures; ${outcome.parsed} parsed, ${outcome.parseError} ParseError; ` +
        `mutations applied: ${[...perKind].map(([k, v]) => `${k} ${v}`).join(', ')}`,
    );
    expect(total / WORKLOADS.length).toBeGreaterThanOrEqual(1000);
    expect(failures.slice(0, 20)).toEqual([]);
  });
});

describe('numbers that are only the start of a token', () => {
  const cpu = WORKLOADS.find((w) => w.name === 'cpu');
  const text = inputs.find((i) => i.file === 'sysbench-cpu.txt')?.text ?? '';
  // Found by the fuzzer's hostile numbers: '1e308' was read as 1, '0x1F' as 0, '1,234.5' as 1.
  // An unreadable rate is treated as absent: the parser derives it from events ÷ time as for
  // sysbench 1.0.0–1.0.7, and a garbled latency is a ParseError.
  it.each(['1e308', '0x1F', '1,234.5', '3052.96.7', '5.'])('%s is not read as its first digits', (bad) => {
    const rate = text.replace(/events per second:\s+3052\.96/, `events per second:  ${bad}`);
    expect(rate).not.toBe(text);
    const eps = cpu?.parse(rate, paramsFor('cpu', undefined)).find((m) => m.metric === 'events_per_s')?.value;
    expect(eps).toBeCloseTo(6111 / 2.0005, 6);
    const lat = text.replace(/avg:(\s+)0\.33/, `avg:$1${bad}`);
    expect(lat).not.toBe(text);
    expect(() => cpu?.parse(lat, paramsFor('cpu', undefined))).toThrow(ParseError);
  });
});
