// `isobench list`: workloads with their parameters, environments with their probe results.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunAbort } from '../run/abort.js';
import { envId } from '../../model/ids.js';
import { DEFAULT_RUNNER_OPTIONS } from '../../model/options.js';
import { ConfigError } from '../../model/errors.js';
import { WORKLOADS } from '../../workloads/index.js';
import { envNames, engineNames, resolveRunners } from '../../runners/index.js';
import type { RunContext } from '../../runners/types.js';

/** Prints the listing to stdout. */
export async function listCommand(args: string[]): Promise<number> {
  if (args.length > 0) throw new ConfigError(`unexpected argument '${args[0]}'; list takes no arguments`);
  const out: string[] = ['workloads:'];
  for (const w of WORKLOADS) {
    out.push(`  ${w.name.padEnd(8)} ${w.description}`);
    for (const p of w.params)
      out.push(
        `      ${`${w.name}.${p.name}`.padEnd(24)} ${p.kind}` +
          `${p.choices ? ` (${p.choices.join('|')})` : ''}: ${p.description}`,
      );
    for (const [name, p] of Object.entries(w.profiles ?? {})) {
      out.push(
        `      --profile ${name.padEnd(14)} ${Object.entries(p.params)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(' ')}: ${p.description}`,
      );
    }
  }
  out.push('', 'environments:');
  // Probing boots a KVM proof guest and starts containers: a signal stops them and removes what
  // this listing created (its own run id and scratch directory, never another listing's).
  const abort = new RunAbort((line) => process.stderr.write(`${line}\n`)).install();
  const scratchRoot = await mkdtemp(join(tmpdir(), 'isobench-list-'));
  const ctx: RunContext = {
    runId: `list-${process.pid}`,
    scratchRoot,
    cacheDir: process.env['ISOBENCH_CACHE'] ?? `${tmpdir()}/isobench-cache`,
    limits: { cpus: null, memoryMiB: null },
    cpuset: null,
    options: DEFAULT_RUNNER_OPTIONS,
    log: () => undefined,
    signal: abort.signal,
  };
  const runners = resolveRunners(envNames(), engineNames());
  try {
    for (const r of runners) {
      if (abort.aborted()) break;
      abort.phase = `probing ${envId(r)}`;
      const p = await r.probe(ctx);
      const state = p.ok ? `available (${p.version})${p.note ? ` — ${p.note}` : ''}` : `unavailable: ${p.reason}`;
      out.push(`  ${envId(r).padEnd(20)} ${r.description}`, `  ${''.padEnd(20)} ${state}`);
      if (p.details['kvm_proof'] !== undefined) out.push(`  ${''.padEnd(20)} KVM proof: ${p.details['kvm_proof']}`);
    }
  } finally {
    for (const r of runners)
      await r
        .cleanup(ctx)
        .catch((err: unknown) => process.stderr.write(`cleanup of ${envId(r)} failed: ${String(err)}\n`));
    await rm(scratchRoot, { recursive: true, force: true });
    abort.done();
  }
  if (abort.aborted()) return abort.exitCode();
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
