// The syscall filter and LSM profile confining an instance, read host-side from /proc/<pid>, the same way for every engine.
import { existsSync, readFileSync } from 'node:fs';

/** Summarises the `Seccomp` and `Seccomp_filters` lines of /proc/<pid>/status: `none`, `strict`, `filter (N loaded)`. */
export function seccompMode(status: string): string {
  const mode = /^Seccomp:\s+(\d)/m.exec(status)?.[1];
  const filters = /^Seccomp_filters:\s+(\d+)/m.exec(status)?.[1];
  if (mode === undefined) return 'unknown';
  if (mode === '0') return 'none';
  if (mode === '1') return 'strict';
  return filters === undefined ? 'filter' : `filter (${filters} loaded)`;
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').replace(/\0/g, '').trim();
  } catch {
    return null;
  }
}

/** The AppArmor profile of `pid`, or why there is none. */
export function apparmorProfile(pid: number): string {
  if (!existsSync('/sys/kernel/security/apparmor') && !existsSync('/sys/module/apparmor/parameters/enabled')) {
    return 'unavailable (no AppArmor in the host kernel)';
  }
  return read(`/proc/${pid}/attr/apparmor/current`) ?? read(`/proc/${pid}/attr/current`) ?? 'unreadable';
}

/**
 * Labels every container sample carries about what confines its processes: `seccomp` as the
 * kernel reports it for the instance's pid 1, `seccomp_profile` as the engine names it (`none`,
 * `docker default`, …) and `apparmor`. Engines differ here (Docker and LXD load a filter, the runc
 * bundle and the LXC config none): the label says which, so a difference is never hidden.
 */
export function securityLabels(pid: number, profile: string): Record<string, string> {
  const status = read(`/proc/${pid}/status`);
  return {
    seccomp: status === null ? 'unknown' : seccompMode(status),
    seccomp_profile: profile,
    apparmor: apparmorProfile(pid),
  };
}
