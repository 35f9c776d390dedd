// `isobench list`: workloads with their parameters, environments with their probe results.
import { tmpdir } from 'node:os';
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
    for (const p of w.params) out.push(`      ${`${w.name}.${p.name}`.padEnd(24)} ${p.kind}${p.choices ? ` (${p.choices.join('|')})` : ''}: ${p.description}`);
    for (const [name, p] of Object.entries(w.profiles ?? {})) {
      out.push(`      --profile ${name.padEnd(14)} ${Object.entries(p.params).map(([k, v]) => `${k}=${String(v)}`).join(' ')}: ${p.description}`);
    }
  }
  out.push('', 'environments:');
  const ctx: RunContext = {
    runId: 'list', scratchRoot: tmpdir(), cacheDir: process.env['ISOBENCH_CACHE'] ?? `${tmpdir()}/isobench-cache`,
    limits: { cpus: null, memoryMiB: null }, cpuset: null, options: DEFAULT_RUNNER_OPTIONS, log: () => undefined,
  };
  for (const r of resolveRunners(envNames(), engineNames())) {
    const p = await r.probe(ctx);
    const state = p.ok ? `available (${p.version})${p.note ? ` — ${p.note}` : ''}` : `unavailable: ${p.reason}`;
    out.push(`  ${envId(r).padEnd(20)} ${r.description}`, `  ${''.padEnd(20)} ${state}`);
    if (p.details['kvm_proof'] !== undefined) out.push(`  ${''.padEnd(20)} KVM proof: ${p.details['kvm_proof']}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
