// Pins a qemu process's threads (vCPUs and I/O workers) to the run's CPUs, checks it per vCPU, and describes it as a label.
import { readdir, readFile } from 'node:fs/promises';
import { runProcess } from '../host/process.js';

/** One thread of a process and the CPUs it may run on. */
export interface ThreadAffinity {
  /** Thread id. */
  tid: number;
  /** Thread name (`/proc/<pid>/task/<tid>/comm`), e.g. `CPU 0/TCG`. */
  name: string;
  /** CPUs it may run on, ascending. */
  cpus: number[];
}

/** Parses a CPU list such as `0-1,3` into ascending CPU numbers. */
export function parseCpuList(text: string): number[] {
  const out = new Set<number>();
  for (const part of text
    .trim()
    .split(',')
    .filter((p) => p !== '')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m?.[1]) throw new Error(`not a CPU list: '${text}'`);
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    for (let c = lo; c <= hi; c++) out.add(c);
  }
  return [...out].sort((a, b) => a - b);
}

/** Formats ascending CPU numbers as a compact list (`0-1,3`). */
export function formatCpuList(cpus: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < cpus.length; i++) {
    const lo = cpus[i] as number;
    let hi = lo;
    while (cpus[i + 1] === hi + 1) hi = cpus[++i] as number;
    out.push(hi === lo ? String(lo) : `${lo}-${hi}`);
  }
  return out.join(',');
}

/** Whether a thread is one of qemu's vCPU threads (named by `-name …,debug-threads=on`). */
export const isVcpuThread = (t: ThreadAffinity) => /^CPU \d+\/(KVM|TCG|HVF|WHPX)$/.test(t.name);

/** Every thread of `pid` with its name and allowed CPUs, read from /proc. */
export async function threadAffinities(pid: number): Promise<ThreadAffinity[]> {
  const out: ThreadAffinity[] = [];
  for (const t of await readdir(`/proc/${pid}/task`)) {
    try {
      const name = (await readFile(`/proc/${pid}/task/${t}/comm`, 'utf8')).trim();
      const list = /^Cpus_allowed_list:\s*(\S+)/m.exec(await readFile(`/proc/${pid}/task/${t}/status`, 'utf8'))?.[1];
      if (list !== undefined) out.push({ tid: Number(t), name, cpus: parseCpuList(list) });
    } catch {
      // the thread ended meanwhile
    }
  }
  return out.sort((a, b) => a.tid - b.tid);
}

/**
 * The `vcpu_pinning` label (each vCPU thread with its CPUs), or an error when some qemu thread may
 * run outside `cpuset` or no vCPU thread was found.
 */
export function describePinning(
  threads: readonly ThreadAffinity[],
  cpuset: string,
): { label: string } | { error: string } {
  const want = formatCpuList(parseCpuList(cpuset));
  const vcpus = threads.filter(isVcpuThread).sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  if (vcpus.length === 0)
    return {
      error:
        `no vCPU thread (named "CPU n/KVM" or "CPU n/TCG") found among qemu's threads: ` +
        `${threads.map((t) => t.name).join(', ')}`,
    };
  const stray = threads.filter((t) => formatCpuList(t.cpus) !== want);
  if (stray.length > 0)
    return {
      error:
        `qemu threads outside CPUs ${want}: ` +
        `${stray.map((t) => `${t.name} (tid ${t.tid}) on ${formatCpuList(t.cpus)}`).join(', ')}`,
    };
  return {
    label:
      `${vcpus.map((t) => `${t.name}→${formatCpuList(t.cpus)}`).join(', ')}; all ${threads.length} ` +
      `qemu threads (main loop and I/O workers too) on ${want}`,
  };
}

/**
 * Confines every current thread of qemu `pid` to `cpuset` (sched_setaffinity via `taskset -a -p`,
 * no shell; threads created later inherit it), then reads the affinities back and returns the
 * `vcpu_pinning` label. Throws when a thread could not be pinned.
 */
export async function pinQemu(pid: number, cpuset: string): Promise<string> {
  const r = await runProcess(['taskset', '-a', '-p', '-c', cpuset, String(pid)], { timeoutMs: 10_000 });
  if (r.exitCode !== 0)
    throw new Error(
      `pinning qemu (pid ${pid}) to CPUs ${cpuset} failed: taskset exited ${String(r.exitCode)}: ${r.stderr.trim()}`,
    );
  const d = describePinning(await threadAffinities(pid), cpuset);
  if ('error' in d) throw new Error(`pinning qemu (pid ${pid}) to CPUs ${cpuset} did not hold: ${d.error}`);
  return d.label;
}
