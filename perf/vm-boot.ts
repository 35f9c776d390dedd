// Benchmark (not a test): N consecutive guest boots to ready through the vm runner; median and p95
// boot time (qemu spawned → guest ready) and the accelerator used (target: median ≤ 12 s under TCG).
// Usage: node dist/perf/vm-boot.js [boots=20] [--machine pc] [--accel auto|kvm|tcg] [--boot pvh|bzImage] [--cpus 2] [--memory-mib 2048]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { newRunId } from '../bench/run/executor.js';
import { vmRunner } from '../runners/vm/runner.js';
import type { RunContext } from '../runners/types.js';
import { DEFAULT_RUNNER_OPTIONS, VM_ACCELS, VM_BOOT_MODES } from '../model/options.js';
import { quantileSorted } from '../analysis/stats.js';

/** A value from `choices`, or exit 2 naming the valid ones. */
function choice<T extends string>(flag: string, text: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(text)) return text as T;
  console.error(`vm-boot: bad --${flag} '${text}'; valid choices: ${choices.join(', ')}`);
  process.exit(2);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    machine: { type: 'string' },
    accel: { type: 'string', default: 'auto' },
    boot: { type: 'string', default: 'pvh' },
    cpus: { type: 'string', default: '2' },
    'memory-mib': { type: 'string' },
    'cache-dir': { type: 'string', default: process.env['ISOBENCH_CACHE'] ?? join(tmpdir(), 'isobench-cache') },
  },
});
const boots = Number(positionals[0] ?? 20);

const scratchRoot = await mkdtemp(join(tmpdir(), 'isobench-vm-boot-'));
const ctx: RunContext = {
  runId: newRunId(),
  scratchRoot,
  cacheDir: values['cache-dir'],
  cpuset: null,
  limits: {
    cpus: Number(values.cpus),
    memoryMiB: values['memory-mib'] === undefined ? null : Number(values['memory-mib']),
  },
  options: {
    vm: {
      ...DEFAULT_RUNNER_OPTIONS.vm,
      accel: choice('accel', values.accel, VM_ACCELS),
      boot: choice('boot', values.boot, VM_BOOT_MODES),
      machine: values.machine ?? null,
    },
  },
  log: (l) => console.error(l),
};
const runner = vmRunner();
const onSignal = () => void runner.cleanup(ctx).finally(() => process.exit(130));
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
try {
  const probe = await runner.probe(ctx);
  if (!probe.ok) throw new Error(`vm unavailable: ${probe.reason}`);
  if (probe.note) console.log(`note: ${probe.note}`);
  const ready: number[] = [];
  let labels: Record<string, string> = {};
  for (let i = 1; i <= boots; i++) {
    const t0 = performance.now();
    const inst = await runner.start(ctx, { tag: `${ctx.runId}-b${i}`, scratchMiB: 0 });
    const startMs = performance.now() - t0;
    const teardown = await inst.stop();
    const at = (m: string) => inst.startup.find((t) => t.metric === m)?.value;
    const startup = at('startup_ms') as number;
    ready.push(startup);
    labels = inst.labels;
    console.log(
      `boot ${String(i).padStart(2)}: ready ${(startup / 1000).toFixed(2)} s (kernel up ` +
        `${((at('kernel_up_ms') ?? Number.NaN) / 1000).toFixed(2)} s, guest uptime ` +
        `${((at('guest_uptime_at_ready_ms') ?? Number.NaN) / 1000).toFixed(2)} s, start() ` +
        `${(startMs / 1000).toFixed(2)} s, qemu PSS ` +
        `${(at('instance_memory_MiB') ?? Number.NaN).toFixed(0)} MiB, teardown ` +
        `${(teardown[0]?.value ?? Number.NaN).toFixed(0)} ms)`,
    );
  }
  const sorted = [...ready].sort((a, b) => a - b);
  const median = quantileSorted(sorted, 0.5);
  console.log(
    `\n${boots} boots to ready, accelerator ${labels['accelerator']}, machine ${labels['machine']}, ` +
      `${labels['vm_vcpus']} vCPUs, ${labels['vm_memory_MiB']} MiB, ${labels['guest_boot']}`,
  );
  console.log(
    `boot time (qemu spawned → guest ready): median ${(median / 1000).toFixed(2)} s, p95 ` +
      `${(quantileSorted(sorted, 0.95) / 1000).toFixed(2)} s, min ` +
      `${((sorted[0] ?? 0) / 1000).toFixed(2)} s, max ${((sorted.at(-1) ?? 0) / 1000).toFixed(2)} s`,
  );
  if (labels['accelerator'] === 'tcg')
    console.log(median <= 12_000 ? 'PASS: TCG median ≤ 12 s' : 'FAIL: TCG median above 12 s');
} finally {
  await runner.cleanup(ctx);
  await rm(scratchRoot, { recursive: true, force: true });
}
