// sysbench fileio: prepare files in the instance's scratch directory, run one IO mode, clean up; flags page-cache runs.
import { maybeNumberAfter, numberAfter, reportLayout } from './sysbench-output.js';
import type { Measurement } from '../model/metrics.js';
import type { MeasuredMethod } from '../model/method.js';
import { bytesText } from '../lib/numbers.js';
import type { Params } from '../model/record.js';
import { num, str, type Trap, type TrapInput, type Workload } from './types.js';
import { ParseError } from '../model/errors.js';
import { parseSize, sizeOrNull } from '../lib/sizes.js';

/** sysbench fileio test modes. */
export const FILEIO_MODES = ['seqwr', 'seqrd', 'rndrd', 'rndwr', 'rndrw'] as const;
/** sysbench fileio IO modes isobench offers (`--file-io-mode`; mmap is left out). */
export const FILEIO_IO_MODES = ['sync', 'async'] as const;
/** sysbench's own `--file-async-backlog` default: requests queued per thread in async mode. */
export const SYSBENCH_ASYNC_BACKLOG = 128;

/** Whether the files are opened with O_DIRECT. */
const isDirect = (p: Params): boolean => p['direct'] === true || p['direct'] === 'true';

/** Without O_DIRECT, files smaller than RAM are read from and written to the page cache, not storage. */
function pageCache({ params, host }: TrapInput): Trap[] {
  const files = sizeOrNull(String(params['file-total-size']));
  const mem = host.memoryBytes;
  if (isDirect(params) || files === null || (mem !== null && files >= mem)) return [];
  return [
    {
      env: null,
      finding:
        `without direct I/O on ${bytesText(files)} of files` +
        `${mem === null ? '' : `, less than this host's ${bytesText(mem)} of RAM`}, it measures the page ` +
        `cache, not storage.`,
      advice: 'Use --set fileio.direct=true, or files larger than RAM (--set fileio.file-total-size=…).',
    },
  ];
}

function common(p: Record<string, unknown>): string[] {
  return [`--file-total-size=${String(p['file-total-size'])}`, `--file-num=${String(p['file-num'])}`];
}

const isAsync = (p: Params) => p['io-mode'] === 'async';
const backlog = (p: Params) => (p['async-backlog'] === undefined ? SYSBENCH_ASYNC_BACKLOG : num(p, 'async-backlog'));

/** IOPS and MiB/s of one direction from a 1.1 report line `read:  IOPS=8211.45 128.30 MiB/s (134.54 MB/s)`. */
function line11(stdout: string, dir: 'read' | 'write'): { iops: number; mibps: number } {
  const m = new RegExp(`^\\s*${dir}:\\s+IOPS=([0-9.]+) ([0-9.]+) MiB/s`, 'm').exec(stdout);
  if (!m?.[1] || !m[2]) throw new ParseError(`sysbench 1.1 fileio output has no '${dir}: IOPS=… MiB/s' line`, stdout);
  return { iops: Number(m[1]), mibps: Number(m[2]) };
}

export const fileio: Workload = {
  name: 'fileio',
  description: 'sysbench fileio — prepare, run one IO mode, clean up in scratch; MiB/s and IOPS (higher is better)',
  shape: 'throughput',
  usesScratch: true,
  params: [
    { name: 'mode', kind: 'enum', choices: FILEIO_MODES, description: 'IO pattern (sysbench --file-test-mode)' },
    {
      name: 'file-total-size',
      kind: 'size',
      description: 'total size of the test files; below free RAM without direct it measures the page cache',
    },
    { name: 'file-num', kind: 'int', description: 'number of test files' },
    { name: 'block-size', kind: 'size', description: 'bytes per IO request' },
    { name: 'direct', kind: 'bool', description: 'open files with O_DIRECT, bypassing the page cache' },
    {
      name: 'io-mode',
      kind: 'enum',
      choices: FILEIO_IO_MODES,
      description:
        'sync: one request in flight per thread; async: Linux AIO with async-backlog requests in flight ' +
        'per thread (sysbench --file-io-mode)',
    },
    {
      name: 'async-backlog',
      kind: 'int',
      description:
        `requests queued per thread in async mode (sysbench --file-async-backlog, default ` +
        `${SYSBENCH_ASYNC_BACKLOG}): the IO depth`,
    },
    { name: 'threads', kind: 'int', description: 'worker threads' },
    { name: 'time', kind: 'int', description: 'seconds each iteration runs' },
  ],
  metrics: {
    read_MiBps: {
      unit: 'MiB/s',
      better: 'higher',
      quantity: 'rate',
      description: 'Bytes read from the test files per second.',
    },
    written_MiBps: {
      unit: 'MiB/s',
      better: 'higher',
      quantity: 'rate',
      description: 'Bytes written to the test files per second.',
    },
    read_iops: {
      unit: 'ops/s',
      better: 'higher',
      quantity: 'rate',
      description: 'Read requests completed per second.',
    },
    write_iops: {
      unit: 'ops/s',
      better: 'higher',
      quantity: 'rate',
      description: 'Write requests completed per second.',
    },
  },
  defaults: (quick) => ({
    mode: 'rndrw',
    'file-total-size': quick ? '64M' : '2G',
    'file-num': 4,
    'block-size': '16K',
    direct: true,
    'io-mode': 'sync',
    threads: 1,
    time: quick ? 1 : 10,
  }),
  profiles: {
    'felter-fio': {
      description:
        "Felter et al. (IBM, 2014)'s fio method as far as sysbench follows it: 4 KiB random IO with " +
        "O_DIRECT, asynchronous (Linux AIO, as fio's libaio), 8 threads × 16 requests = 128 in flight " +
        '(their random read/write jobs: numjobs=8, iodepth=16)',
      params: { 'block-size': '4K', direct: true, 'io-mode': 'async', 'async-backlog': 16, threads: 8 },
    },
  },
  scratchMiB: (p) => Math.ceil(parseSize(str(p, 'file-total-size')) / 1024 ** 2),
  steps(p) {
    const ioMode = p['io-mode'] === undefined ? [] : [`--file-io-mode=${str(p, 'io-mode')}`];
    return {
      prepare: ['sysbench', 'fileio', ...common(p), 'prepare'],
      run: [
        'sysbench',
        'fileio',
        ...common(p),
        `--file-test-mode=${str(p, 'mode')}`,
        `--file-block-size=${parseSize(str(p, 'block-size'))}`,
        `--threads=${num(p, 'threads')}`,
        `--time=${num(p, 'time')}`,
        ...(isDirect(p) ? ['--file-extra-flags=direct'] : []),
        ...ioMode,
        ...(isAsync(p) ? [`--file-async-backlog=${backlog(p)}`] : []),
        'run',
      ],
      cleanup: ['sysbench', 'fileio', ...common(p), 'cleanup'],
    };
  },
  method: (p): MeasuredMethod => ({
    tool: `sysbench fileio ${str(p, 'mode')}`,
    threads: num(p, 'threads'),
    ioDepth: num(p, 'threads') * (isAsync(p) ? backlog(p) : 1),
    blockBytes: parseSize(str(p, 'block-size')),
    ioMode: isAsync(p) ? 'async' : 'sync',
    direct: isDirect(p),
  }),
  parse(stdout, p) {
    const layout = reportLayout(stdout);
    if (!/Throughput:/.test(stdout)) throw new ParseError('sysbench fileio output has no Throughput block', stdout);
    const mode = str(p, 'mode');
    const reads = mode === 'seqrd' || mode === 'rndrd' || mode === 'rndrw';
    const writes = mode === 'seqwr' || mode === 'rndwr' || mode === 'rndrw';
    const out: Measurement[] = [];
    // 1.0: "read, MiB/s:" and "reads/s:"; 1.1: "read:  IOPS=… … MiB/s (… MB/s)".
    const v11 = layout === '1.1' && maybeNumberAfter(stdout, 'read, MiB/s:') === null;
    if (reads) {
      const r = v11
        ? line11(stdout, 'read')
        : {
            mibps: numberAfter(stdout, 'read, MiB/s:', 'read throughput'),
            iops: numberAfter(stdout, 'reads/s:', 'read rate'),
          };
      out.push(
        { metric: 'read_MiBps', value: r.mibps, unit: 'MiB/s' },
        { metric: 'read_iops', value: r.iops, unit: 'ops/s' },
      );
    }
    if (writes) {
      const w = v11
        ? line11(stdout, 'write')
        : {
            mibps: numberAfter(stdout, 'written, MiB/s:', 'write throughput'),
            iops: numberAfter(stdout, 'writes/s:', 'write rate'),
          };
      out.push(
        { metric: 'written_MiBps', value: w.mibps, unit: 'MiB/s' },
        { metric: 'write_iops', value: w.iops, unit: 'ops/s' },
      );
    }
    return out;
  },
  timeoutMs: (p) => num(p, 'time') * 1000 * 3 + 120_000,
  traps: pageCache,
};
