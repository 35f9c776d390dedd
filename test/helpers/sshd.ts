// Test sshd daemons on loopback addresses with generated keys, started and stopped by their own pid.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { execa } from 'execa';

/** The sshd binary (Debian's openssh-server). */
export const SSHD = '/usr/sbin/sshd';
/** Where sshd insists on its privilege-separation directory. */
const PRIVSEP_DIR = '/run/sshd';

/** A running test sshd. */
export interface TestSshd {
  /** Loopback address it listens on. */
  host: string;
  /** TCP port. */
  port: number;
  /** Its pid (the one `stop` signals). */
  pid: number;
  /** Its log file (sshd -E). */
  log: string;
  /** Stops exactly this daemon (SIGTERM to its pid, then SIGKILL after 5 s); idempotent. */
  stop(): Promise<void>;
}

/** A client key pair and the known_hosts file the daemons' host keys go into. */
export interface SshClient {
  /** Private key file. */
  key: string;
  /** Public key text (one line). */
  publicKey: string;
  /** known_hosts file with every started daemon's host key. */
  knownHosts: string;
}

/** A TCP port on `host` that nothing listens on right now. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Generates the client key pair and an empty known_hosts file in `dir`. */
export async function sshClient(dir: string): Promise<SshClient> {
  const key = join(dir, 'client_ed25519');
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'isobench-test-client', '-f', key]);
  const knownHosts = join(dir, 'known_hosts');
  await writeFile(knownHosts, '', { mode: 0o600 });
  return { key, publicKey: (await readFile(`${key}.pub`, 'utf8')).trim(), knownHosts };
}

let privsepCreated = false;
let running = 0;

/**
 * Starts `sshd -D` on `host:port` with its own host key, config and log under `dir`, accepting
 * only the client's key, and adds its host key to the client's known_hosts (host key checking
 * stays on). Resolves once the port accepts connections.
 */
export async function startSshd(dir: string, client: SshClient, host: string, port: number): Promise<TestSshd> {
  await mkdir(dir, { recursive: true });
  if (!existsSync(PRIVSEP_DIR)) {
    await mkdir(PRIVSEP_DIR, { mode: 0o755 });
    privsepCreated = true;
  }
  const hostKey = join(dir, 'host_ed25519');
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `isobench-test-${host}-${port}`, '-f', hostKey]);
  const authorized = join(dir, 'authorized_keys');
  await writeFile(authorized, `${client.publicKey}\n`, { mode: 0o600 });
  const config = join(dir, 'sshd_config');
  const log = join(dir, 'sshd.log');
  await writeFile(
    config,
    [
      `ListenAddress ${host}:${port}`,
      `HostKey ${hostKey}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${authorized}`,
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'UsePAM no',
      // The test's files live under /tmp (world-writable), which strict mode would refuse.
      'StrictModes no',
      'Subsystem sftp internal-sftp',
      'LogLevel VERBOSE',
      '',
    ].join('\n'),
  );
  const hostPub = (await readFile(`${hostKey}.pub`, 'utf8')).trim().split(' ').slice(0, 2).join(' ');
  await writeFile(client.knownHosts, `[${host}]:${port} ${hostPub}\n`, { flag: 'a' });

  const child = execa(SSHD, ['-D', '-f', config, '-E', log], { reject: false, stdio: 'ignore' });
  const pid = child.pid;
  if (pid === undefined) throw new Error('sshd did not start');
  running++;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    const timer = setTimeout(() => {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, 5000);
    await child;
    clearTimeout(timer);
    if (--running === 0 && privsepCreated) {
      await rmdir(PRIVSEP_DIR).catch(() => undefined);
      privsepCreated = false;
    }
  };
  for (let i = 0; i < 100; i++) {
    if (await accepts(host, port)) return { host, port, pid, log, stop };
    if (child.exitCode !== null && child.exitCode !== undefined) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(
    `sshd on ${host}:${port} did not accept connections: ${await readFile(log, 'utf8').catch(() => 'no log')}`,
  );
}
