// What a run left on the host, looked up by its exact id: cgroups, processes, mounts, live pids.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Host cgroup directories whose name contains `id`, in every mounted hierarchy. */
export async function cgroupsNamed(id: string): Promise<string[]> {
  const out: string[] = [];
  for (const h of await readdir('/sys/fs/cgroup')) {
    const dir = join('/sys/fs/cgroup', h);
    const entries = await readdir(dir).catch(() => [] as string[]);
    out.push(...entries.filter((e) => e.includes(id)).map((e) => join(dir, e)));
  }
  return out;
}

/** `pid: command line` of every process (but this one) whose command line mentions `id`. */
export async function processesMentioning(id: string): Promise<string[]> {
  const out: string[] = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    const cmd = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replace(/\0/g, ' ');
    if (cmd.includes(id)) out.push(`${pid}: ${cmd}`);
  }
  return out;
}

/** Mount points under `dir`, deepest first. */
export async function mountsUnder(dir: string): Promise<string[]> {
  const mounts = (await readFile('/proc/self/mounts', 'utf8'))
    .split('\n')
    .map((l) => (l.split(' ')[1] ?? '').replace(/\\040/g, ' '));
  return mounts.filter((m) => m === dir || m.startsWith(`${dir}/`)).sort((a, b) => b.length - a.length);
}

/** Whether `pid` is a live (not zombie) process, allowing its reaper 2 s to collect it. */
export async function alive(pid: number): Promise<boolean> {
  for (let i = 0; i < 40; i++) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
    if (stat === null || /^\d+ \(.*\) Z/.test(stat)) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/** Pids of this process's live children whose command name is one of `names`. */
export async function childrenNamed(names: readonly string[]): Promise<number[]> {
  const out: number[] = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const m = /^\d+ \((.*)\) (\S) (\d+)/.exec(stat);
    if (m !== null && m[2] !== 'Z' && Number(m[3]) === process.pid && names.includes(m[1] as string))
      out.push(Number(pid));
  }
  return out;
}
