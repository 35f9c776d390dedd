// Describes the host once per run: CPU, memory, OS, kernel, virtualization, cgroups, KVM, tools.
import { readFile, access } from 'node:fs/promises';
import { hostname } from 'node:os';
import { execa } from 'execa';
import si from 'systeminformation';
import type { HostFingerprint, Known } from '../../model/record.js';
import { sizeOrNull } from '../../lib/sizes.js';
import { kvmModuleName } from '../vm/accel.js';

const known = <T>(value: T): Known<T> => ({ value });
const unknown = <T>(reason: string): Known<T> => ({ value: null, reason });

async function attempt<T>(what: string, fn: () => Promise<T | null | undefined>): Promise<Known<T>> {
  try {
    const v = await fn();
    return v === null || v === undefined || v === '' ? unknown(`${what}: not reported`) : known(v);
  } catch (err) {
    return unknown(`${what}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The size in bytes of the highest-level CPU cache of cpu0, from sysfs. */
export async function readLlcBytes(): Promise<number | null> {
  let best: { level: number; bytes: number } | null = null;
  for (let i = 0; i < 16; i++) {
    const dir = `/sys/devices/system/cpu/cpu0/cache/index${i}`;
    try {
      const level = Number((await readFile(`${dir}/level`, 'utf8')).trim());
      const bytes = sizeOrNull((await readFile(`${dir}/size`, 'utf8')).trim());
      if (bytes === null) continue;
      if (best === null || level > best.level) best = { level, bytes };
    } catch {
      break;
    }
  }
  return best?.bytes ?? null;
}

/** `v1`, `v2` or `hybrid`, from the mounts under /sys/fs/cgroup. */
export async function cgroupLayout(mounts?: string): Promise<'v1' | 'v2' | 'hybrid' | null> {
  const text = mounts ?? (await readFile('/proc/self/mounts', 'utf8'));
  const lines = text.split('\n');
  const v2 = lines.some((l) => / cgroup2 /.test(l));
  const v1 = lines.some((l) => / cgroup (rw|ro)/.test(l));
  if (v1 && v2) return 'hybrid';
  if (v2) return 'v2';
  if (v1) return 'v1';
  return null;
}

/** First line of `tool args…`, or null with the reason. */
export async function toolVersion(tool: string, args: string[]): Promise<Known<string>> {
  try {
    const r = await execa(tool, args, { reject: false, timeout: 10_000, all: true });
    if (r.failed && r.exitCode === undefined) return unknown(`${tool} not found on PATH`);
    const line = (r.all ?? '').split('\n').find((l) => l.trim() !== '');
    return line
      ? known(line.trim())
      : unknown(`${tool} ${args.join(' ')} printed nothing (exit ${String(r.exitCode)})`);
  } catch (err) {
    return unknown(`${tool}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Captures the host fingerprint; every unreadable value is null with its reason. */
export async function fingerprint(): Promise<HostFingerprint> {
  const [cpu, mem, os, virt] = await Promise.allSettled([si.cpu(), si.mem(), si.osInfo(), si.system()]);
  const tools: Record<string, Known<string>> = {};
  const wanted: [string, string[]][] = [
    ['sysbench', ['--version']],
    ['qemu-system-x86_64', ['--version']],
    ['runc', ['--version']],
    ['crun', ['--version']],
    ['docker', ['--version']],
    ['podman', ['--version']],
  ];
  await Promise.all(
    wanted.map(async ([t, a]) => {
      tools[t] = await toolVersion(t, a);
    }),
  );
  const rejected = (r: PromiseSettledResult<unknown>) => (r.status === 'rejected' ? String(r.reason) : 'not reported');
  return {
    hostname: await attempt('hostname', async () => hostname()),
    cpuModel:
      cpu.status === 'fulfilled'
        ? known(`${cpu.value.manufacturer} ${cpu.value.brand}`.trim())
        : unknown(rejected(cpu)),
    cpuCount: cpu.status === 'fulfilled' ? known(cpu.value.cores) : unknown(rejected(cpu)),
    llcBytes: await attempt('sysfs cache', readLlcBytes),
    memoryBytes: mem.status === 'fulfilled' ? known(mem.value.total) : unknown(rejected(mem)),
    os: os.status === 'fulfilled' ? known(`${os.value.distro} ${os.value.release}`.trim()) : unknown(rejected(os)),
    kernel: os.status === 'fulfilled' ? known(os.value.kernel) : unknown(rejected(os)),
    virtualization:
      virt.status === 'fulfilled'
        ? known(virt.value.virtual ? `virtual (${virt.value.virtualHost ?? 'unknown hypervisor'})` : 'none detected')
        : unknown(rejected(virt)),
    cgroup: await attempt('cgroup mounts', () => cgroupLayout()),
    kvmDevice: await attempt('/dev/kvm', async () =>
      access('/dev/kvm').then(
        () => true,
        () => false,
      ),
    ),
    kvmModule: await attempt('/proc/modules and /sys/module', kvmModuleName),
    tools,
  };
}
