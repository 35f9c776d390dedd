// sysbench fileio: prepare files in the instance's scratch directory, run one IO mode, clean up; flags page-cache runs.
import { numberAfter, requireComplete } from './sysbench-output.js';
import type { Measurement } from '../model/metrics.js';
import { bytesText } from '../model/numbers.js';
import type { Params } from '../model/record.js';
import { num, str, type Trap, type TrapInput, type Workload } from './types.js';
import { ParseError } from '../model/errors.js';
import { parseSize, sizeOrNull } from '../model/units.js';

/** sysbench fileio test modes. */
export const FILEIO_MODES = ['seqwr', 'seqrd', 'rndrd', 'rndwr', 'rndrw'] as const;

/** Whether the files are opened with O_DIRECT. */
const isDirect = (p: Params): boolean => p['direct'] === true || p['direct'] === 'true';

/** Without O_DIRECT, files smaller than RAM are read from and written to the page cache, not storage. */
function pageCache({ params, host }: TrapInput): Trap[] {
  const files = sizeOrNull(String(params['file-total-size']));
  const mem = host.memoryBytes;
  if (isDirect(params) || files === null || (mem !== null && files >= mem)) return [];
  return [{
    env: null,
    finding: `without direct I/O on ${bytesText(files)} of files${mem === null ? '' : `, less than this host's ${bytesText(mem)} of RAM`}, it measures the page cache, not storage.`,
    advice: 'Use --set fileio.direct=true, or files larger than RAM (--set fileio.file-total-size=…).',
  }];
}

function common(p: Record<string, unknown>): string[] {
  return [`--file-total-size=${String(p['file-total-size'])}`, `--file-num=${String(p['file-num'])}`];
}

export const fileio: Workload = {
  name: 'fileio',
  description: 'sysbench fileio — prepare, run one IO mode, clean up in scratch; MiB/s and IOPS (higher is better)',
  usesScratch: true,
  params: [
    { name: 'mode', kind: 'enum', choices: FILEIO_MODES, description: 'IO pattern (sysbench --file-test-mode)' },
    { name: 'file-total-size', kind: 'size', description: 'total size of the test files; below free RAM without direct it measures the page cache' },
    { name: 'file-num', kind: 'int', description: 'number of test files' },
    { name: 'block-size', kind: 'size', description: 'bytes per IO request' },
    { name: 'direct', kind: 'bool', description: 'open files with O_DIRECT, bypassing the page cache' },
    { name: 'threads', kind: 'int', description: 'worker threads' },
    { name: 'time', kind: 'int', description: 'seconds each iteration runs' },
  ],
  metrics: {
    read_MiBps: { unit: 'MiB/s', better: 'higher', quantity: 'rate', description: 'Bytes read from the test files per second.' },
    written_MiBps: { unit: 'MiB/s', better: 'higher', quantity: 'rate', description: 'Bytes written to the test files per second.' },
    read_iops: { unit: 'ops/s', better: 'higher', quantity: 'rate', description: 'Read requests completed per second.' },
    write_iops: { unit: 'ops/s', better: 'higher', quantity: 'rate', description: 'Write requests completed per second.' },
  },
  defaults: (quick) => ({
    mode: 'rndrw',
    'file-total-size': quick ? '256M' : '2G',
    'file-num': 4,
    'block-size': '16K',
    direct: true,
    threads: 1,
    time: quick ? 2 : 10,
  }),
  scratchMiB: (p) => Math.ceil(parseSize(str(p, 'file-total-size')) / 1024 ** 2),
  steps(p) {
    const direct = isDirect(p);
    return {
      prepare: ['sysbench', 'fileio', ...common(p), 'prepare'],
      run: [
        'sysbench', 'fileio', ...common(p), `--file-test-mode=${str(p, 'mode')}`,
        `--file-block-size=${parseSize(str(p, 'block-size'))}`, `--threads=${num(p, 'threads')}`,
        `--time=${num(p, 'time')}`, ...(direct ? ['--file-extra-flags=direct'] : []), 'run',
      ],
      cleanup: ['sysbench', 'fileio', ...common(p), 'cleanup'],
    };
  },
  parse(stdout, p) {
    requireComplete(stdout);
    if (!/Throughput:/.test(stdout)) throw new ParseError('sysbench fileio output has no Throughput block', stdout);
    const mode = str(p, 'mode');
    const reads = mode === 'seqrd' || mode === 'rndrd' || mode === 'rndrw';
    const writes = mode === 'seqwr' || mode === 'rndwr' || mode === 'rndrw';
    const out: Measurement[] = [];
    if (reads) {
      out.push({ metric: 'read_MiBps', value: numberAfter(stdout, 'read, MiB/s:', 'read throughput'), unit: 'MiB/s' });
      out.push({ metric: 'read_iops', value: numberAfter(stdout, 'reads/s:', 'read rate'), unit: 'ops/s' });
    }
    if (writes) {
      out.push({ metric: 'written_MiBps', value: numberAfter(stdout, 'written, MiB/s:', 'write throughput'), unit: 'MiB/s' });
      out.push({ metric: 'write_iops', value: numberAfter(stdout, 'writes/s:', 'write rate'), unit: 'ops/s' });
    }
    return out;
  },
  timeoutMs: (p) => num(p, 'time') * 1000 * 3 + 120_000,
  traps: pageCache,
};
