// sysbench memory: block copy bandwidth; the default block exceeds the last-level cache, and a block within it is flagged.
import { bytesText } from '../lib/numbers.js';
import { reportLayout } from './sysbench-output.js';
import { num, str, type HostFacts, type Trap, type TrapInput, type Workload } from './types.js';
import { ParseError } from '../model/errors.js';
import { parseSize, sizeOrNull } from '../lib/sizes.js';

/** Smallest power-of-two MiB block at least twice the LLC, so RAM (not cache) is measured. */
export function blockAboveCache(host: HostFacts): string {
  const llcMiB = host.llcBytes === null ? 32 : host.llcBytes / (1024 * 1024);
  let mib = 1;
  while (mib < 2 * llcMiB) mib *= 2;
  return `${mib}M`;
}

/** A block within the last-level cache measures the cache, not RAM. */
function blockInCache({ params, host }: TrapInput): Trap[] {
  const llc = host.llcBytes;
  const block = sizeOrNull(String(params['block-size']));
  if (llc === null || block === null || block > llc) return [];
  return [
    {
      env: null,
      finding:
        `block-size ${String(params['block-size'])} is within the host's last-level cache (` +
        `${bytesText(llc)}), so it measures cache, not RAM.`,
      advice:
        `Use a block above the LLC, e.g. --set memory.block-size=` +
        `${blockAboveCache({ llcBytes: llc, freeMemoryBytes: null })} (the default does this).`,
    },
  ];
}

export const memory: Workload = {
  name: 'memory',
  description: 'sysbench memory — block reads/writes, time-bounded; MiB/s (higher is better); block > LLC by default',
  shape: 'throughput',
  usesScratch: false,
  params: [
    { name: 'threads', kind: 'int', description: 'worker threads' },
    {
      name: 'block-size',
      kind: 'size',
      description: 'bytes per operation (e.g. 64M); within the LLC this measures cache, not RAM',
    },
    { name: 'total-size', kind: 'size', description: 'bytes to transfer at most (the time limit usually ends first)' },
    { name: 'oper', kind: 'enum', choices: ['read', 'write'], description: 'memory operation' },
    { name: 'access-mode', kind: 'enum', choices: ['seq', 'rnd'], description: 'sequential or random access' },
    { name: 'time', kind: 'int', description: 'seconds each iteration runs' },
  ],
  metrics: {
    transfer_MiBps: {
      unit: 'MiB/s',
      better: 'higher',
      quantity: 'rate',
      description: 'Memory transferred per second across all threads (sysbench "MiB/sec").',
    },
  },
  defaults: (quick, host) => ({
    threads: 1,
    'block-size': blockAboveCache(host),
    'total-size': '1000G',
    oper: 'read',
    'access-mode': 'seq',
    time: quick ? 1 : 10,
  }),
  scratchMiB: () => 0,
  method: (p) => ({
    tool: `sysbench memory ${str(p, 'oper')} ${str(p, 'access-mode')}`,
    threads: num(p, 'threads'),
    blockBytes: parseSize(str(p, 'block-size')),
  }),
  steps: (p) => ({
    run: [
      'sysbench',
      'memory',
      `--threads=${num(p, 'threads')}`,
      `--time=${num(p, 'time')}`,
      `--memory-block-size=${str(p, 'block-size')}`,
      `--memory-total-size=${str(p, 'total-size')}`,
      `--memory-oper=${str(p, 'oper')}`,
      `--memory-access-mode=${str(p, 'access-mode')}`,
      'run',
    ],
  }),
  parse(stdout) {
    reportLayout(stdout);
    const m = /MiB transferred \(\s*([0-9.]+) MiB\/sec\)/.exec(stdout);
    if (!m?.[1]) throw new ParseError('sysbench memory output has no "MiB transferred (… MiB/sec)"', stdout);
    return [{ metric: 'transfer_MiBps', value: Number(m[1]), unit: 'MiB/s' }];
  },
  timeoutMs: (p) => num(p, 'time') * 1000 * 3 + 60_000,
  traps: blockInCache,
};
