// `isobench list` proves KVM once per boot of the machine; the next list reports the cached proof
// with its age instead of booting again (asserted on what it reports, not on how long it took).
import { describe, expect, it } from 'vitest';
import { isobench, tempDir } from '../helpers/cli.js';
import { titled, unmet } from '../helpers/requires.js';
import { access, constants } from 'node:fs/promises';

const why = (await unmet(['qemu', 'guest-kernel', 'sysbench'])) ?? (await access('/dev/kvm', constants.F_OK).then(() => null, () => '/dev/kvm does not exist (no proof boot to cache)'));
describe.skipIf(why !== null)(titled('KVM proof cache', why), () => {
  it('the second list reports the cached proof and its age', async () => {
    const env = { ...process.env, ISOBENCH_CACHE: tempDir() } as Record<string, string>;
    const first = await isobench(['list'], { env });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/KVM proof: proved now by booting a guest under KVM/);
    const second = await isobench(['list'], { env });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/KVM proof: cached: proved \d+ s ago \(\d{4}-\d\d-\d\dT[\d:.]+Z\) in this boot of the machine/);
    // The decision itself is the same.
    const state = (out: string) => /vm:qemu[^\n]*\n\s+(.*)/.exec(out)?.[1];
    expect(state(second.stdout)).toBe(state(first.stdout));
  });
});
