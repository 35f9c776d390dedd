// A deterministic stand-in environment: prints sysbench-shaped output so the whole CLI is testable.
import { lifecycle } from '../model/metrics.js';
import type { Instance, ProbeResult, Runner } from './types.js';

/** Deterministic pseudo-noise in [-1, 1] from an integer. */
function wobble(n: number): number {
  return Math.sin(n * 12.9898) * 0.5 + Math.sin(n * 4.1414) * 0.5;
}

function option(argv: readonly string[], name: string): string | undefined {
  return argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

/** sysbench-1.0.20-shaped output for one run step, scaled by `factor`. */
export function fakeSysbench(argv: readonly string[], factor: number, n: number): string {
  const v = (base: number) => (base * factor * (1 + 0.01 * wobble(n))).toFixed(2);
  const tail =
    `\nGeneral statistics:\n    total time:                          ${option(argv, 'time') ?? '10'}` +
    `.0001s\n    total number of events:              1000\n\nLatency (ms):\n         min:           ` +
    `                         0.28\n         avg:                                    ` +
    `${(0.31 / factor).toFixed(2)}\n         max:                                    7.62\n         ` +
    `95th percentile:                        ${(0.35 / factor).toFixed(2)}\n         sum:            ` +
    `                     1996.12\n`;
  const head = 'sysbench 1.0.20 (fake)\n\n';
  switch (argv[1]) {
    case 'cpu':
      return `${head}CPU speed:\n    events per second:  ${v(3200)}\n${tail}`;
    case 'memory':
      return (
        `${head}Total operations: 374 (  186.76 per second)\n\n23936.00 MiB transferred (${v(12000)} ` +
        `MiB/sec)\n\n${tail}`
      );
    case 'fileio':
      if (argv.includes('prepare')) return `${head}Creating files for the test...\n`;
      if (argv.includes('cleanup')) return `${head}Removing test files...\n`;
      return (
        `${head}File operations:\n    reads/s:                      ${v(5800)}\n    writes/s:            ` +
        `         ${v(3900)}\n    fsyncs/s:                     387.30\n\nThroughput:\n    read, MiB/s:  ` +
        `                ${v(90)}\n    written, MiB/s:               ${v(60)}\n${tail}`
      );
    default:
      return '';
  }
}

/**
 * Creates a fake runner. `factor` scales every throughput (0.9 = 10 % slower than `fake`);
 * `failOn` makes run steps containing that word exit 1, to exercise errored trials.
 */
export function fakeRunner(engine = 'fake', factor = 1, failOn: string | null = null): Runner {
  const probeResult: ProbeResult = { ok: true, version: 'fake 1.0', details: { factor: String(factor) } };
  let counter = 0;
  return {
    env: 'fake',
    engine,
    description: `deterministic synthetic output (throughput × ${factor}) for testing the CLI and reports`,
    probe: async () => probeResult,
    async start() {
      let stopped = false;
      const instance: Instance = {
        labels: { sysbench_sha256: 'fake', factor: String(factor) },
        startup: [lifecycle('startup_ms', 40 / factor + wobble(counter++))],
        readyAt: performance.now(),
        async exec(req) {
          const n = counter++;
          const fail = failOn !== null && req.argv.includes(failOn);
          return {
            stdout: fail ? '' : fakeSysbench(req.argv, factor, n),
            stderr: fail ? `fake failure on '${failOn}'` : '',
            exitCode: fail ? 1 : 0,
            durationMs: 1,
            timedOut: false,
          };
        },
        async stop() {
          if (stopped) return [];
          stopped = true;
          return [lifecycle('teardown_ms', 5)];
        },
      };
      return instance;
    },
    async cleanup() {},
  };
}
