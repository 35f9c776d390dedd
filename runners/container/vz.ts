// openvz and virtuozzo: probes that look for their tools and kernel and say plainly what is missing (no runner behind them yet).
import { existsSync } from 'node:fs';
import { release } from 'node:os';
import { which } from '../../lib/which.js';
import { runProcess } from '../host/process.js';
import type { ProbeResult, Runner } from '../types.js';

/** One of the two OpenVZ-kernel container systems. */
interface VzSystem {
  /** Engine name. */
  engine: 'openvz' | 'virtuozzo';
  /** Product name for messages. */
  product: string;
  /** Its management tool. */
  tool: string;
  /** What a user with such a host must install. */
  install: string;
}

const SYSTEMS: Record<VzSystem['engine'], VzSystem> = {
  openvz: {
    engine: 'openvz',
    product: 'OpenVZ',
    tool: 'vzctl',
    install:
      'OpenVZ needs its own distribution: OpenVZ 7 (the vzkernel and vzctl/prlctl from the OpenVZ ' +
      'installation ISO or repositories); neither is packaged for Debian 12',
  },
  virtuozzo: {
    engine: 'virtuozzo',
    product: 'Virtuozzo',
    tool: 'prlctl',
    install:
      'Virtuozzo Hybrid Server is its own (commercial) distribution with the vzkernel and ' +
      'prlctl/vzctl; it is not packaged for Debian',
  },
};

/** The kernel facts of an OpenVZ-family kernel: /proc/vz exists (and the bean counters). */
export function vzKernel(): { ok: boolean; text: string } {
  const proc = existsSync('/proc/vz');
  const bc = existsSync('/proc/user_beancounters') || existsSync('/proc/bc');
  return {
    ok: proc,
    text:
      `kernel ${release()}${proc ? ' has /proc/vz' : ' is not an OpenVZ-family kernel (no /proc/vz)'}` +
      `${bc ? ', bean counters present' : ''}`,
  };
}

/** Probes for `sys`: never ok until isobench has a runner for it; the reason names what is missing. */
export async function probeVz(sys: VzSystem): Promise<ProbeResult> {
  const tool = await which(sys.tool);
  const kernel = vzKernel();
  const details: Record<string, string> = { tool: tool ?? 'missing', kernel: kernel.text };
  if (tool === null || !kernel.ok) {
    const missing = [
      ...(tool === null ? [`${sys.tool} not found on PATH`] : []),
      ...(!kernel.ok ? [`the running ${kernel.text}`] : []),
    ];
    return { ok: false, reason: `${sys.product} is not usable here: ${missing.join('; ')}. ${sys.install}.`, details };
  }
  const v = await runProcess([tool, '--version'], { timeoutMs: 10_000 });
  details['version'] = (v.stdout.trim().split('\n')[0] ?? '') || 'unknown';
  return {
    ok: false,
    reason:
      `${sys.product} found (${details['version']}, ${kernel.text}), but isobench has no ${sys.product}` +
      ` runner yet: not implemented, because no ${sys.product} host was available to build and test one`,
    details,
  };
}

function vzRunner(sys: VzSystem): Runner {
  return {
    env: 'container',
    engine: sys.engine,
    description:
      `${sys.product} container (probe only: reports whether ${sys.tool} and an OpenVZ-family kernel ` + `are present)`,
    probe: () => probeVz(sys),
    async start() {
      // The probe is never ok, so the executor skips these trials; a direct caller gets the reason.
      const p = await probeVz(sys);
      throw new Error(p.ok ? `${sys.product}: no runner` : p.reason);
    },
    async cleanup() {
      // start() never creates anything.
    },
  };
}

/** Creates the OpenVZ probe runner. */
export const openvzRunner = () => vzRunner(SYSTEMS.openvz);

/** Creates the Virtuozzo probe runner. */
export const virtuozzoRunner = () => vzRunner(SYSTEMS.virtuozzo);
