// The VM runner's pure parts: module closure, kernel choice, PVH note, framing, qemu args, accelerator choice.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import {
  compareKernelVersions,
  findGuestKernel,
  hasPvhNote,
  moduleBytes,
  moduleLoadOrder,
  moduleName,
  parseModulesDep,
} from '../../runners/vm/kernel.js';
import { FrameParser, argvScript, encodeRun, parseReadyFacts } from '../../runners/vm/protocol.js';
import { isMmioMachine, kernelCmdline, nameTag, qemuArgs, spawnArgv, type QemuConfig } from '../../runners/vm/qemu.js';
import { shellCommand, shellQuote } from '../../lib/text.js';
import { describePinning, formatCpuList, parseCpuList } from '../../runners/vm/pinning.js';
import { decideAccel } from '../../runners/vm/accel.js';
import { cleanConsole } from '../../runners/vm/guest.js';
import { diskSizeMiB, guestSize } from '../../runners/vm/instance.js';

const DEP = `kernel/fs/ext4/ext4.ko.xz: kernel/lib/crc16.ko.xz kernel/fs/mbcache.ko.xz kernel/fs/jbd2/jbd2.ko.xz
kernel/fs/jbd2/jbd2.ko.xz:
kernel/fs/mbcache.ko.xz:
kernel/lib/crc16.ko.xz:
kernel/drivers/virtio/virtio_ring.ko.xz:
kernel/drivers/virtio/virtio.ko.xz: kernel/drivers/virtio/virtio_ring.ko.xz
kernel/drivers/virtio/virtio_pci.ko.xz: kernel/drivers/virtio/virtio_pci_modern_dev.ko.xz kernel/drivers/virtio/virtio.ko.xz kernel/drivers/virtio/virtio_ring.ko.xz
kernel/drivers/virtio/virtio_pci_modern_dev.ko.xz:
kernel/drivers/block/virtio_blk.ko.xz: kernel/drivers/virtio/virtio.ko.xz kernel/drivers/virtio/virtio_ring.ko.xz
kernel/arch/x86/crypto/crc32c-intel.ko.xz:
`;

describe('kernel modules', () => {
  const dep = parseModulesDep(DEP);

  it('normalises module names from paths', () => {
    expect(moduleName('kernel/arch/x86/crypto/crc32c-intel.ko.xz')).toBe('crc32c_intel');
    expect(moduleName('kernel/fs/ext4/ext4.ko')).toBe('ext4');
  });

  it('orders every module after its dependencies, each once', () => {
    const order = moduleLoadOrder(dep, new Set(), ['virtio_pci', 'virtio_blk', 'ext4']);
    expect(new Set(order).size).toBe(order.length);
    for (const [, e] of dep) {
      if (!order.includes(e.path)) continue;
      for (const d of e.deps) expect(order.indexOf(d)).toBeLessThan(order.indexOf(e.path));
    }
    expect(order).toContain('kernel/lib/crc16.ko.xz');
    expect(order.at(-1)).toBe('kernel/fs/ext4/ext4.ko.xz');
  });

  it('decompresses .ko.xz and .ko.gz on the host (busybox insmod loads plain .ko)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'isobench-ko-'));
    const body = Buffer.from('\x7fELF pretend module '.repeat(50));
    writeFileSync(join(dir, 'm.ko'), body);
    await execa('sh', ['-c', 'xz -k m.ko && gzip -k m.ko'], { cwd: dir });
    expect((await moduleBytes(join(dir, 'm.ko.xz'))).equals(body)).toBe(true);
    expect((await moduleBytes(join(dir, 'm.ko.gz'))).equals(body)).toBe(true);
    expect((await moduleBytes(join(dir, 'm.ko'))).equals(body)).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  });

  it('skips built-in and already loaded modules, rejects unknown ones', () => {
    expect(moduleLoadOrder(dep, new Set(['virtio_console']), ['virtio_console'])).toEqual([]);
    const boot = moduleLoadOrder(dep, new Set(), ['virtio_pci']);
    expect(moduleLoadOrder(dep, new Set(), ['virtio_blk'], new Set(boot))).toEqual([
      'kernel/drivers/block/virtio_blk.ko.xz',
    ]);
    expect(moduleLoadOrder(dep, new Set(), ['crc32c-intel'])).toEqual(['kernel/arch/x86/crypto/crc32c-intel.ko.xz']);
    expect(() => moduleLoadOrder(dep, new Set(), ['nonexistent'])).toThrow(/neither in modules.dep nor built in/);
  });
});

describe('guest kernel choice', () => {
  it('compares releases numerically', () => {
    expect(['6.1.0-9-amd64', '6.1.0-56-amd64', '5.10.0-30-amd64'].sort(compareKernelVersions)).toEqual([
      '5.10.0-30-amd64',
      '6.1.0-9-amd64',
      '6.1.0-56-amd64',
    ]);
  });

  it('picks the newest kernel that has modules.dep', async () => {
    const root = mkdtempSync(join(tmpdir(), 'isobench-kernels-'));
    for (const v of ['6.1.0-9-amd64', '6.1.0-56-amd64', '6.2.0-1-amd64']) writeFileSync(join(root, `vmlinuz-${v}`), '');
    for (const v of ['6.1.0-9-amd64', '6.1.0-56-amd64']) {
      mkdirSync(join(root, 'modules', v), { recursive: true });
      writeFileSync(join(root, 'modules', v, 'modules.dep'), '');
    }
    const k = await findGuestKernel(root, join(root, 'modules'));
    expect(k.version).toBe('6.1.0-56-amd64');
    await expect(findGuestKernel(join(root, 'modules'), root)).rejects.toThrow(/no kernel/);
    rmSync(root, { recursive: true, force: true });
  });
});

/** A minimal ELF64 with one PT_NOTE segment holding one note. */
function elfWithNote(name: string, type: number): Buffer {
  const nameBuf = Buffer.from(`${name}\0`);
  const namePadded = Buffer.concat([nameBuf, Buffer.alloc((4 - (nameBuf.length % 4)) % 4)]);
  const note = Buffer.concat([Buffer.alloc(12), namePadded, Buffer.alloc(4)]);
  note.writeUInt32LE(nameBuf.length, 0);
  note.writeUInt32LE(4, 4);
  note.writeUInt32LE(type, 8);
  const elf = Buffer.alloc(64 + 56);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]).copy(elf);
  elf.writeBigUInt64LE(64n, 32); // e_phoff
  elf.writeUInt16LE(56, 54); // e_phentsize
  elf.writeUInt16LE(1, 56); // e_phnum
  elf.writeUInt32LE(4, 64); // PT_NOTE
  elf.writeBigUInt64LE(BigInt(elf.length), 64 + 8); // p_offset
  elf.writeBigUInt64LE(BigInt(note.length), 64 + 32); // p_filesz
  return Buffer.concat([elf, note]);
}

describe('PVH entry note', () => {
  it('finds XEN_ELFNOTE_PHYS32_ENTRY and nothing else', () => {
    expect(hasPvhNote(elfWithNote('Xen', 18))).toBe(true);
    expect(hasPvhNote(elfWithNote('Xen', 17))).toBe(false);
    expect(hasPvhNote(elfWithNote('GNU', 18))).toBe(false);
    expect(
      hasPvhNote(Buffer.from('MZ not an elf at all, just some bytes to be long enough for the header check.')),
    ).toBe(false);
  });
});

describe('command framing', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');

  it('decodes one frame and ignores lines outside it', () => {
    const stray: string[] = [];
    const p = new FrameParser('n1', (l) => stray.push(l));
    const lines = [
      'isobench-end n0 0',
      'leftover',
      'isobench-begin n1',
      b64('out\nisobench-end n1 0\n').slice(0, 8),
      b64('out\nisobench-end n1 0\n').slice(8),
      'isobench-stderr n1',
      b64('warn\n'),
      'isobench-end n1 7',
    ];
    const frames = lines.map((l) => p.push(l));
    expect(frames.slice(0, -1).every((f) => f === null)).toBe(true);
    expect(frames.at(-1)).toEqual({ stdout: 'out\nisobench-end n1 0\n', stderr: 'warn\n', exitCode: 7 });
    expect(stray).toEqual(['isobench-end n0 0', 'leftover']);
  });

  it('does not end on another nonce or before the stderr section', () => {
    const p = new FrameParser('abc');
    expect(p.push('isobench-begin abc')).toBeNull();
    expect(p.push('isobench-end abc 0')).toBeNull();
    expect(p.push('isobench-stderr abc')).toBeNull();
    expect(p.push('isobench-end abd 0')).toBeNull();
    expect(p.push('isobench-end abc 0')).toEqual({ stdout: '', stderr: '', exitCode: 0 });
  });

  it('quotes arguments so a real shell gets them back unchanged', async () => {
    const args = ['plain', 'with space', "it's", '$(echo no)', '`no`', 'a"b', '*', '', 'new\nline'];
    const r = await execa('sh', ['-c', `${argvScript(['printf', '%s\\0', ...args]).replace(/^exec /, '')}`]);
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(args);
    expect(shellQuote('--time=1')).toBe('--time=1');
  });

  it('encodes requests as one line with the script in base64', () => {
    const line = encodeRun('n', '/scratch', 'echo hi\n');
    expect(line).toBe(`run n /scratch ${b64('echo hi\n')}\n`);
    expect(() => encodeRun('n', 'relative dir', 'x')).toThrow(/absolute/);
  });

  it('parses the ready facts', () => {
    const f = parseReadyFacts(
      'isobench-kernel 6.1.0-56-amd64\nisobench-nproc 2\nisobench-memtotal-kb 983496\nisobench-cmdline ' +
        'console=ttyS0 isobench.run=r1\nisobench-clocksource hpet\nisobench-sha256 ' +
        'abc\nisobench-hostname isobench\nisobench-uptime 5.22\nISOBENCH-READY',
    );
    expect(f).toEqual({
      kernel: '6.1.0-56-amd64',
      nproc: 2,
      memTotalKiB: 983496,
      cmdline: 'console=ttyS0 isobench.run=r1',
      clocksource: 'hpet',
      sha256: 'abc',
      uptimeS: 5.22,
    });
    expect(parseReadyFacts('ISOBENCH-READY').nproc).toBeNull();
  });

  it('strips terminal escapes from the console', () => {
    expect(cleanConsole('\x1bc\x1b[?7l\x1b[2J\x1b[0mSeaBIOS\r\nBooting')).toBe('SeaBIOS\nBooting');
  });
});

describe('qemu command line', () => {
  const base: QemuConfig = {
    qemu: '/usr/bin/qemu-system-x86_64',
    name: 'r-t1',
    accel: 'tcg',
    machine: 'pc',
    cpu: 'max',
    vcpus: 2,
    memoryMiB: 1024,
    kernel: '/k/vmlinux',
    initramfs: '/k/initrd.cpio',
    extraAppend: ['isobench.run=r'],
    disk: { path: '/s/r-t1/scratch.raw', cache: 'none' },
    pidfile: '/s/r-t1/qemu.pid',
  };

  it('has no network, the chosen cache mode, and the run marker', () => {
    const a = qemuArgs(base);
    expect(a.join(' ')).toMatch(/-nic none/);
    expect(a).toContain('-nodefaults');
    expect(a).toContain('file=/s/r-t1/scratch.raw,if=none,id=scratch,format=raw,cache=none');
    expect(a).toContain('virtio-blk-pci,drive=scratch');
    expect(a[a.indexOf('-append') + 1]).toBe(kernelCmdline(base));
    expect(kernelCmdline(base)).toMatch(/panic=-1 .*isobench\.run=r$/);
    expect(a.slice(a.indexOf('-smp'), a.indexOf('-smp') + 4)).toEqual(['-smp', '2', '-m', '1024M']);
  });

  it('uses virtio-mmio devices on microvm and no disk when none is asked for', () => {
    const a = qemuArgs({ ...base, machine: 'microvm,pit=on,pic=on,rtc=on', disk: null });
    expect(isMmioMachine('microvm,pit=on')).toBe(true);
    expect(isMmioMachine('pc')).toBe(false);
    expect(a).toContain('virtio-serial-device');
    expect(a).not.toContain('-drive');
    expect(() => qemuArgs({ ...base, disk: { path: '/a,b/disk', cache: 'none' } })).toThrow(/comma/);
  });

  it('renders a copy-pasteable command line', () => {
    expect(shellCommand(['/q', '-append', "a b 'c'", '-m', '1M'])).toBe(`/q -append 'a b '\\''c'\\''' -m 1M`);
  });
});

describe('accelerator choice', () => {
  const host = (module: string | null, device: string | null) => ({
    kvmModule: async () => module,
    deviceProblem: async () => device,
  });
  const hang = async () => ({
    ok: false as const,
    reason: 'the firmware ran but the kernel printed nothing within 15.0 s',
  });

  it('falls back to TCG under auto and says why, naming the module', async () => {
    const d = await decideAccel('auto', ['host', 'qemu64'], hang, host('kvm_pvm', null));
    expect(d.ok && d.accel).toBe('tcg');
    if (!d.ok) throw new Error('unreachable');
    expect(d.note).toMatch(/kvm_pvm/);
    expect(d.note).toMatch(/-cpu host: the firmware ran.*-cpu qemu64/);
    expect(d.fallbackReason).toMatch(/no guest booted to ready/);
  });

  it('does not boot anything when /dev/kvm is unusable', async () => {
    let boots = 0;
    const d = await decideAccel(
      'auto',
      ['host'],
      async () => ((boots += 1), { ok: true, readyMs: 1 }),
      host(null, '/dev/kvm does not exist'),
    );
    expect(boots).toBe(0);
    expect(d.ok && d.note).toMatch(/\/dev\/kvm does not exist \(no KVM module loaded\)/);
  });

  it('fails a forced kvm that does not work, and uses KVM once a boot proves it', async () => {
    const forced = await decideAccel('kvm', ['host'], hang, host('kvm_intel', null));
    expect(forced.ok).toBe(false);
    expect(!forced.ok && forced.reason).toMatch(/KVM forced .*kvm_intel/);
    const works = await decideAccel(
      'auto',
      ['host'],
      async () => ({ ok: true, readyMs: 900 }),
      host('kvm_intel', null),
    );
    expect(works).toMatchObject({ ok: true, accel: 'kvm', cpu: 'host', note: null, fallbackReason: null });
    const second = await decideAccel(
      'auto',
      ['host', 'qemu64'],
      async (cpu) => (cpu === 'host' ? { ok: false, reason: 'MSR' } : { ok: true, readyMs: 900 }),
      host('kvm_amd', null),
    );
    expect(second).toMatchObject({ ok: true, accel: 'kvm', cpu: 'qemu64' });
    expect(second.ok && second.note).toMatch(/-cpu host: MSR/);
  });

  it('says TCG is forced, and never probes KVM for it', async () => {
    const d = await decideAccel(
      'tcg',
      ['host'],
      async () => {
        throw new Error('must not boot');
      },
      host('kvm_intel', null),
    );
    expect(d).toMatchObject({ ok: true, accel: 'tcg', cpu: 'max' });
  });
});

describe('guest size', () => {
  it('takes the run limits, rounding CPUs up, and records defaults', () => {
    expect(guestSize({ cpus: 1.5, memoryMiB: 768 })).toEqual({ vcpus: 2, memoryMiB: 768, defaulted: [] });
    expect(guestSize({ cpus: null, memoryMiB: null }).defaulted).toEqual(['cpus=host', 'memory=2048MiB']);
    expect(() => guestSize({ cpus: 1, memoryMiB: 64 })).toThrow(/below/);
    expect(diskSizeMiB(256)).toBeGreaterThan(256 * 1.1);
  });
});

describe('vCPU pinning (--pin)', () => {
  const base: QemuConfig = {
    qemu: '/usr/bin/qemu-system-x86_64',
    name: 'r-t1',
    accel: 'tcg',
    machine: 'q35',
    cpu: 'max',
    vcpus: 2,
    memoryMiB: 512,
    kernel: '/k/vmlinux',
    initramfs: '/k/initrd.cpio',
    extraAppend: [],
    disk: null,
    pidfile: '/s/r-t1/qemu.pid',
  };
  it('names vCPU threads and spawns qemu under taskset only when pinned', () => {
    const a = qemuArgs(base);
    expect(a.slice(a.indexOf('-name'), a.indexOf('-name') + 2)).toEqual(['-name', 'r-t1,debug-threads=on']);
    expect(nameTag('r-t1,debug-threads=on')).toBe('r-t1');
    expect(spawnArgv(base)).toEqual([base.qemu, a]);
    expect(spawnArgv({ ...base, cpuset: null })[0]).toBe(base.qemu);
    expect(spawnArgv({ ...base, cpuset: '0-1' })).toEqual(['taskset', ['-c', '0-1', base.qemu, ...a]]);
  });
  it('parses and formats CPU lists', () => {
    expect(parseCpuList('0-2,5,7-8')).toEqual([0, 1, 2, 5, 7, 8]);
    expect(formatCpuList([0, 1, 2, 5, 7, 8])).toBe('0-2,5,7-8');
    expect(formatCpuList(parseCpuList('1'))).toBe('1');
    expect(() => parseCpuList('a-b')).toThrow(/not a CPU list/);
  });
  it('labels each vCPU thread, and refuses a thread outside the set or no vCPU thread at all', () => {
    const t = (tid: number, name: string, cpus: number[]) => ({ tid, name, cpus });
    const ok = describePinning(
      [t(10, 'qemu-system-x86', [1]), t(11, 'qemu-system-x86', [1]), t(13, 'CPU 1/TCG', [1]), t(12, 'CPU 0/TCG', [1])],
      '1',
    );
    expect(ok).toEqual({ label: 'CPU 0/TCG→1, CPU 1/TCG→1; all 4 qemu threads (main loop and I/O workers too) on 1' });
    expect(describePinning([t(10, 'qemu-system-x86', [0, 1]), t(12, 'CPU 0/KVM', [1])], '1')).toEqual({
      error: 'qemu threads outside CPUs 1: qemu-system-x86 (tid 10) on 0-1',
    });
    expect(describePinning([t(10, 'qemu-system-x86', [1])], '1')).toMatchObject({
      error: expect.stringMatching(/no vCPU thread/),
    });
  });
});
