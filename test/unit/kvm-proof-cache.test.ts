// The KVM proof boot's outcome is cached per boot of the machine, kernel, qemu, KVM module and CPU.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cachedKvmBoot,
  decideAccel,
  kvmProofKey,
  proofText,
  type KvmBoot,
  type KvmProofFacts,
  type ProofSource,
} from '../../runners/vm/accel.js';

const FACTS: KvmProofFacts = {
  bootId: '6f1d3c1e-0000-4000-8000-000000000001',
  hostKernel: '6.18.44',
  qemuVersion: '7.2.22',
  kvmModule: 'kvm_intel',
  cpuModel: 'Intel(R) Xeon(R) Platinum 8481C',
  machine: 'q35',
  guestKernel: '6.1.0-56-amd64',
  proofTimeoutMs: 15_000,
};
const HOST = { kvmModule: async () => 'kvm_intel', deviceProblem: async () => null };
const dirs: string[] = [];
const cacheDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'isobench-kvm-proof-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('kvmProofKey', () => {
  it('changes with every fact and the guest CPU model, and with nothing else', () => {
    const base = kvmProofKey(FACTS, 'host');
    expect(kvmProofKey({ ...FACTS }, 'host')).toBe(base);
    for (const [k, v] of Object.entries({
      bootId: 'another-boot',
      hostKernel: '6.19.0',
      qemuVersion: '8.2.0',
      kvmModule: 'kvm_amd',
      cpuModel: 'AMD EPYC 9654',
      machine: 'microvm',
      guestKernel: '6.12.0',
      proofTimeoutMs: 2000,
    })) {
      expect(kvmProofKey({ ...FACTS, [k]: v }, 'host'), k).not.toBe(base);
    }
    expect(kvmProofKey({ ...FACTS, kvmModule: null }, 'host')).not.toBe(base);
    expect(kvmProofKey(FACTS, 'qemu64')).not.toBe(base);
  });
});

describe('cachedKvmBoot', () => {
  it('does not cache a proof boot that was only slow (the kernel started but was not ready in time)', async () => {
    const dir = cacheDir();
    let boots = 0;
    const slow = async (): Promise<KvmBoot> => {
      boots++;
      return boots === 1
        ? { ok: false, retry: true, reason: 'the kernel started but the guest did not announce ready within 15.0 s' }
        : { ok: true, readyMs: 800 };
    };
    const d1 = await decideAccel('auto', ['host'], cachedKvmBoot(dir, FACTS, slow, []), HOST);
    // This run falls back to TCG and says why; the next one proves again and gets KVM.
    expect(d1).toMatchObject({ ok: true, accel: 'tcg' });
    expect(readdirSync(dir)).toEqual([]);
    const d2 = await decideAccel('auto', ['host'], cachedKvmBoot(dir, FACTS, slow, []), HOST);
    expect(boots).toBe(2);
    expect(d2).toMatchObject({ ok: true, accel: 'kvm', cpu: 'host' });
    expect(readdirSync(dir)).toHaveLength(1);
  });

  it('boots once, then answers from the cache with the age of the proof; a new boot id proves again', async () => {
    const dir = cacheDir();
    let boots = 0;
    const boot = async (cpu: string): Promise<KvmBoot> => {
      boots++;
      return cpu === 'host' ? { ok: false, reason: 'failed to set MSR 0x10a' } : { ok: true, readyMs: 900 };
    };
    const t0 = new Date('2026-11-23T12:00:00Z');
    const first: ProofSource[] = [];
    const d1 = await decideAccel(
      'auto',
      ['host', 'qemu64'],
      cachedKvmBoot(dir, FACTS, boot, first, undefined, () => t0),
      HOST,
    );
    expect(boots).toBe(2);
    expect(first.every((s) => !s.cached)).toBe(true);
    expect(proofText(first)).toMatch(/^proved now/);

    const second: ProofSource[] = [];
    const d2 = await decideAccel('auto', ['host', 'qemu64'], cachedKvmBoot(dir, FACTS, boot, second), HOST);
    expect(boots).toBe(2);
    expect(d2).toEqual(d1);
    expect(second.every((s) => s.cached)).toBe(true);
    expect(proofText(second, Date.parse('2026-11-23T12:12:00Z'))).toMatch(
      /^cached: proved 12 min ago \(2026-11-23T12:00:00.000Z\)/,
    );

    // --vm-accel kvm takes the same proofs; --vm-accel tcg needs none.
    const forced: ProofSource[] = [];
    const d3 = await decideAccel('kvm', ['host', 'qemu64'], cachedKvmBoot(dir, FACTS, boot, forced), HOST);
    expect(d3).toMatchObject({ ok: true, accel: 'kvm', cpu: 'qemu64' });
    expect(boots).toBe(2);
    const tcg: ProofSource[] = [];
    expect(await decideAccel('tcg', ['host'], cachedKvmBoot(dir, FACTS, boot, tcg), HOST)).toMatchObject({
      accel: 'tcg',
    });
    expect(tcg).toEqual([]);

    // After a reboot (or a new qemu, kernel, module, CPU) the proof is made again.
    await decideAccel(
      'auto',
      ['host', 'qemu64'],
      cachedKvmBoot(dir, { ...FACTS, bootId: 'after-reboot' }, boot, []),
      HOST,
    );
    expect(boots).toBe(4);
    expect(readdirSync(dir).filter((f) => f.endsWith('.json'))).toHaveLength(4);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('does not cache a boot cut short by an abort, and ignores a damaged cache file', async () => {
    const dir = cacheDir();
    let boots = 0;
    const ac = new AbortController();
    const aborted = async (): Promise<KvmBoot> => {
      boots++;
      ac.abort(new Error('interrupted by SIGINT'));
      return { ok: false, reason: 'interrupted by SIGINT' };
    };
    await cachedKvmBoot(dir, FACTS, aborted, [], ac.signal)('host');
    await cachedKvmBoot(dir, FACTS, aborted, [], ac.signal)('host');
    expect(boots).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
    const ok = async (): Promise<KvmBoot> => ({ ok: true, readyMs: 1 });
    await cachedKvmBoot(dir, FACTS, ok, [])('host');
    const file = join(dir, readdirSync(dir)[0] as string);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, '{"key": "x", "boo');
    const src: ProofSource[] = [];
    expect(await cachedKvmBoot(dir, FACTS, ok, src)('host')).toEqual({ ok: true, readyMs: 1 });
    expect(src[0]?.cached).toBe(false);
  });
});
