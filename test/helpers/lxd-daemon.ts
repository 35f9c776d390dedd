// A throw-away LXD daemon for tests: its own LXD_DIR and client config in a temp dir, stopped by its pid, nothing left.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { mountsUnder } from './host.js';

/** A running private LXD. */
export interface LxdDaemon {
  /** The temporary directory of it all: LXD_DIR (`lxd/`), the storage pool's source (`pool/`) and the client config (`client/`). */
  dir: string;
  /** Environment that points the `lxc` client (and isobench) at it. */
  env: Record<string, string>;
  /** The daemon's pid. */
  pid: number;
  /** The last lines of its log. */
  logTail: () => Promise<string>;
  /** Runs the `lxc` client against it. */
  lxc: (args: string[]) => Promise<{ exitCode: number | undefined; stdout: string; stderr: string }>;
  /** Creates its storage pool `name` (dir driver, under its directory): what "initialised" takes without a network. */
  initialise: (name?: string) => Promise<void>;
  /** Deletes its instances, images and pools, stops it by its pid, unmounts what it left under its directory and removes it. */
  stop: () => Promise<void>;
}

/** Starts `lxd` with its own LXD_DIR and waits until it answers. */
export async function startLxd(): Promise<LxdDaemon> {
  const dir = await mkdtemp(join(tmpdir(), 'isobench-lxd-'));
  await chmod(dir, 0o711); // unprivileged containers traverse it to their root filesystems
  await mkdir(join(dir, 'lxd'), { mode: 0o711 });
  const env = { LXD_DIR: join(dir, 'lxd'), LXD_CONF: join(dir, 'client') };
  const log = await open(join(dir, 'lxd-stdout.log'), 'w');
  const child: ChildProcess = spawn('lxd', ['--logfile', join(dir, 'lxd.log')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', log.fd, log.fd],
  });
  await log.close();
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const logTail = async () =>
    (
      `${await readFile(join(dir, 'lxd-stdout.log'), 'utf8').catch(() => '')}` +
      `${await readFile(join(dir, 'lxd.log'), 'utf8').catch(() => '')}`
    ).slice(-3000);
  const lxc = async (args: string[]) => {
    const r = await execa('lxc', args, { env, reject: false, timeout: 120_000 });
    return { exitCode: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr) };
  };
  const ready = await execa('lxd', ['waitready', '--timeout', '60'], { env, reject: false });
  if (ready.exitCode !== 0 || child.exitCode !== null)
    throw new Error(`lxd did not come up: ${String(ready.stderr)}\n${await logTail()}`);
  const pools: string[] = [];

  return {
    dir,
    env,
    pid: child.pid as number,
    logTail,
    lxc,
    async initialise(name = 'isobench-test') {
      const source = join(dir, 'pool', name); // LXD wants a pool's source outside LXD_DIR
      await mkdir(source, { recursive: true });
      const r = await lxc(['storage', 'create', name, 'dir', `source=${source}`]);
      if (r.exitCode !== 0) throw new Error(`lxc storage create failed: ${r.stderr}`);
      pools.push(name);
    },
    async stop() {
      if (child.exitCode === null) {
        const names = (await lxc(['list', '--format', 'csv', '-c', 'n'])).stdout.split('\n').filter(Boolean);
        for (const n of names) await lxc(['delete', '--force', n]);
        const images = (await lxc(['image', 'list', '--format', 'csv', '-c', 'F'])).stdout.split('\n').filter(Boolean);
        for (const f of images) await lxc(['image', 'delete', f]);
        for (const p of pools) await lxc(['storage', 'delete', p]);
        process.kill(child.pid as number, 'SIGTERM');
        const timer = setTimeout(() => {
          if (child.exitCode === null) process.kill(child.pid as number, 'SIGKILL');
        }, 30_000);
        await exited;
        clearTimeout(timer);
      }
      for (const m of await mountsUnder(dir)) await execa('umount', [m], { reject: false });
      await rm(dir, { recursive: true, force: true });
    },
  };
}
