// Declares what a test needs (root, runc, docker, lxc, lxd, qemu, kvm, chromium, ansible, sshd…); unmet needs skip it visibly.
import { access, constants } from 'node:fs/promises';
import { execa } from 'execa';

/** Every requirement a test may declare; anything else is a bug in the test. */
export const REQUIREMENTS = [
  'root',
  'sysbench',
  'runc',
  'crun',
  'docker',
  'dockerd',
  'podman',
  'lxc',
  'lxd',
  'qemu',
  'kvm',
  'chromium',
  'guest-kernel',
  'ansible',
  'sshd',
  'npm',
] as const;
export type Requirement = (typeof REQUIREMENTS)[number];

async function onPath(bin: string): Promise<boolean> {
  const r = await execa('sh', ['-c', `command -v ${bin}`], { reject: false });
  return r.exitCode === 0;
}

async function check(req: Requirement): Promise<string | null> {
  switch (req) {
    case 'root':
      return process.getuid?.() === 0 ? null : 'needs root';
    case 'sysbench':
    case 'runc':
    case 'crun':
    case 'podman':
    case 'dockerd':
    case 'chromium':
      return (await onPath(req)) ? null : `${req} not on PATH`;
    case 'docker':
      return (await onPath('docker')) && (await onPath('dockerd'))
        ? null
        : 'docker/dockerd not on PATH (apt-get install docker.io)';
    case 'lxc':
      for (const t of ['lxc-start', 'lxc-attach', 'lxc-stop'])
        if (!(await onPath(t))) return `${t} not on PATH (apt-get install lxc)`;
      return null;
    case 'lxd':
      return (await onPath('lxd')) && (await onPath('lxc'))
        ? null
        : 'lxd and its client lxc not on PATH (apt-get install lxd)';
    case 'ansible':
      return (await onPath('ansible-playbook')) ? null : 'ansible-playbook not on PATH (apt-get install ansible-core)';
    case 'sshd':
      return (await onPath('/usr/sbin/sshd')) && (await onPath('ssh-keygen'))
        ? null
        : '/usr/sbin/sshd not found (apt-get install openssh-server)';
    case 'npm':
      return (await onPath('npm')) ? null : 'npm not on PATH';
    case 'qemu':
      return (await onPath('qemu-system-x86_64')) ? null : 'qemu-system-x86_64 not on PATH';
    case 'guest-kernel': {
      const r = await execa('sh', ['-c', 'ls /boot/vmlinuz-*'], { reject: false });
      return r.exitCode === 0 ? null : 'no kernel in /boot (apt-get install linux-image-amd64)';
    }
    case 'kvm':
      try {
        await access('/dev/kvm', constants.R_OK | constants.W_OK);
        return null;
      } catch {
        return '/dev/kvm is not usable';
      }
  }
}

/**
 * Returns null when every requirement is met, else the reasons joined.
 * Throws for an unknown requirement name.
 */
export async function unmet(reqs: readonly string[]): Promise<string | null> {
  const reasons: string[] = [];
  for (const r of reqs) {
    if (!(REQUIREMENTS as readonly string[]).includes(r))
      throw new Error(`unknown test requirement '${r}'; known: ${REQUIREMENTS.join(', ')}`);
    const why = await check(r as Requirement);
    if (why !== null) reasons.push(why);
  }
  if (reasons.length === 0) return null;
  const msg = reasons.join('; ');
  process.stderr.write(`[skip] ${msg}\n`);
  return msg;
}

/** Test title that shows the skip reason when there is one. */
export function titled(title: string, reason: string | null): string {
  return reason === null ? title : `${title} [skipped: ${reason}]`;
}
