// `isobench list` proves KVM once per boot of the machine; the next list reports the cached proof
// with its age instead of booting again (asserted on what it reports, not on how long it took).
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { CLI, isobench, tempDir } from '../helpers/cli.js';
import { titled, unmet } from '../helpers/requires.js';
import { access, constants, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Command lines of the processes now running that mention `text`. */
async function processesMentioning(text: string): Promise<string[]> {
  const ps = await execa('ps', ['-eo', 'pid=,args='], { reject: false });
  return String(ps.stdout)
    .split('\n')
    .filter((l) => l.includes(text) && !l.includes('ps -eo'));
}

const why =
  (await unmet(['qemu', 'guest-kernel', 'sysbench'])) ??
  (await access('/dev/kvm', constants.F_OK).then(
    () => null,
    () => '/dev/kvm does not exist (no proof boot to cache)',
  ));
describe.skipIf(why !== null)(titled('KVM proof cache', why), () => {
  // One cache for both tests: the second needs the image and initramfs the first built.
  const cache = tempDir();
  const env = { ...process.env, ISOBENCH_CACHE: cache } as Record<string, string>;
  it('the second list reports the cached proof and its age', async () => {
    const first = await isobench(['list'], { env });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/KVM proof: proved now by booting a guest under KVM/);
    const second = await isobench(['list'], { env });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(
      /KVM proof: cached: proved \d+ s ago \(\d{4}-\d\d-\d\dT[\d:.]+Z\) in this boot of the machine/,
    );
    // The decision itself is the same.
    const state = (out: string) => /vm:qemu[^\n]*\n\s+(.*)/.exec(out)?.[1];
    expect(state(second.stdout)).toBe(state(first.stdout));
  });

  it(
    'SIGTERM during the proof boot of isobench list stops its guest, removes its scratch directory ' + 'and exits 143',
    async () => {
      // Forget the proofs the first test cached, so the signal lands in a proof boot.
      if ((await readdir(join(cache, 'vm')).catch(() => [])).length === 0)
        expect((await isobench(['list'], { env })).code).toBe(0);
      for (const f of await readdir(join(cache, 'vm'))) if (f.startsWith('kvm-proof-')) await rm(join(cache, 'vm', f));
      const child = execa('node', [CLI, 'list'], { env, reject: false, timeout: 120_000 });
      const tag = `list-${String(child.pid)}-kvm-check`;
      let qemu: string[] = [];
      for (let i = 0; i < 600 && qemu.length === 0; i++) {
        qemu = (await processesMentioning(tag)).filter((l) => l.includes('qemu-system'));
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(qemu.length, 'the proof boot never started').toBeGreaterThan(0);
      // A proof with one CPU model may fail at once (qemu aborts) and the next start: signal the one still booting.
      await new Promise((r) => setTimeout(r, 1000));
      qemu = (await processesMentioning(tag)).filter((l) => l.includes('qemu-system'));
      expect(qemu.length, 'no proof boot was still running after 1 s').toBeGreaterThan(0);
      child.kill('SIGTERM');
      const r = await child;
      expect(r.exitCode).toBe(143);
      expect(String(r.stderr)).toMatch(/received SIGTERM while probing vm:qemu/);
      expect(await processesMentioning(tag)).toEqual([]);
      expect((await readdir(tmpdir())).filter((e) => e.includes(`list-${String(child.pid)}`))).toEqual([]);
      // The interrupted proof proves nothing and is not cached (a proof with another CPU model that finished before may be).
      const cpu = new RegExp(`${tag}-([a-z0-9]+)-`).exec(qemu[0] ?? '')?.[1];
      expect(cpu).toBeDefined();
      const proofs = (await readdir(join(cache, 'vm'))).filter((f) => f.startsWith('kvm-proof-'));
      const cpus = await Promise.all(
        proofs.map(async (f) => (JSON.parse(await readFile(join(cache, 'vm', f), 'utf8')) as { cpu: string }).cpu),
      );
      expect(cpus).not.toContain(cpu);
    },
  );
});
