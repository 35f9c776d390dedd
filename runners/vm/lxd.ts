// lxd as a VM engine: the probe asks the LXD daemon whether it can create a virtual machine here, and says why not.
import { kvmDeviceProblem, kvmModuleName } from './accel.js';
import { LXD_INIT_HINT, lastWords, lxd, lxdServer, lxdWhere } from '../container/lxd-client.js';
import type { ProbeResult, RunContext, Runner } from '../types.js';

/**
 * What isobench lacks to run workloads in an LXD VM even where LXD can start one: LXD boots VMs
 * from a UEFI disk image and runs commands through lxd-agent over vsock; isobench builds neither.
 */
export const LXD_VM_GAP =
  'isobench does not build an LXD VM image yet (a UEFI disk image of the workload image with ' +
  'lxd-agent, for `lxc exec` over vsock); not implemented because no host with working LXD VMs was ' +
  'available to build and test it';

/** The host's KVM facts, for messages: module and device. */
async function kvmFacts(): Promise<string> {
  const module = await kvmModuleName();
  const device = await kvmDeviceProblem();
  return `host KVM module ${module ?? 'none'}${device === null ? ', /dev/kvm usable' : `, ${device}`}`;
}

/** Why LXD cannot make a VM here, in its own words: it refuses to create one when its qemu driver is not operational. */
async function vmRefusal(ctx: RunContext, pool: string): Promise<string | null> {
  const name = `isobench-${ctx.runId}-probe-${process.pid}-lxd-vm`;
  const r = await lxd(['init', '--empty', '--vm', name, '--no-profiles', '--storage', pool], 60_000);
  if (r.exitCode === 0) {
    await lxd(['delete', '--force', name], 60_000);
    return null;
  }
  return lastWords(r)
    .replace(/^Creating \S+\s*/, '')
    .replace(/^Error: /, '');
}

async function probe(ctx: RunContext): Promise<ProbeResult> {
  const s = await lxdServer();
  if (!s.ok) return { ok: false, reason: s.reason, details: {} };
  const details = { lxd: lxdWhere(), driver: s.server.driver, kvm: await kvmFacts() };
  if (s.server.pool === null)
    return {
      ok: false,
      reason:
        `LXD (${lxdWhere()}) is not initialised: it has no storage pool. Initialise it without a ` +
        `network: ${LXD_INIT_HINT}`,
      details,
    };
  if (!/\bqemu\b/.test(s.server.driver)) {
    const why = (await vmRefusal(ctx, s.server.pool.name)) ?? `its instance drivers are '${s.server.driver}' (no qemu)`;
    return {
      ok: false,
      reason: `LXD ${s.server.version} cannot run virtual machines on this host: ${why} (${details.kvm})`,
      details,
    };
  }
  return {
    ok: false,
    reason: `LXD ${s.server.version} can start virtual machines here (drivers ${s.server.driver}), but ${LXD_VM_GAP}`,
    details,
  };
}

/** Creates the LXD virtual-machine runner (probe only: see LXD_VM_GAP). */
export function lxdVmRunner(): Runner {
  return {
    env: 'vm',
    engine: 'lxd',
    description: 'KVM guest via the LXD daemon LXD_DIR names (probe only: reports whether LXD can run VMs here)',
    probe,
    async start(ctx) {
      // The probe is never ok, so the executor skips these trials; a direct caller gets the reason.
      const p = await probe(ctx);
      throw new Error(p.ok ? LXD_VM_GAP : p.reason);
    },
    async cleanup() {
      // start() never creates anything; the probe deletes its own throw-away instance.
    },
  };
}
