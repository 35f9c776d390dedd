// The container engines as data: binary, family (OCI bundle, docker-style CLI, LXC, LXD), description, probe hints.
import { cliFamily } from './cli-engine.js';
import type { EngineDescriptor } from './family.js';
import { lxcFamily } from './lxc-engine.js';
import { lxdFamily } from './lxd-engine.js';
import { ociFamily } from './oci-engine.js';
import { containerRunner } from './runner.js';
import type { Runner } from '../types.js';

/** Every container engine isobench knows by its `--engine` name, in display order; runc is the default (no daemon). */
const CONTAINER_ENGINES = {
  runc: {
    binary: 'runc',
    description: 'namespaced container via runc (OCI bundle over the read-only image, cgroup limits, no daemon)',
    aptPackage: 'runc',
    family: ociFamily,
  },
  docker: {
    binary: 'docker',
    description: 'namespaced container via docker (image tar imported by digest; --network none --read-only)',
    aptPackage: 'docker.io',
    family: cliFamily,
    versionFormat: '{{.Server.Version}}',
    unusableHint: '; start dockerd or point DOCKER_HOST at a running daemon',
    envDetails: { docker_host: 'DOCKER_HOST' },
  },
  podman: {
    binary: 'podman',
    description: 'namespaced container via podman (image tar imported by digest; --network none --read-only)',
    aptPackage: 'podman',
    family: cliFamily,
    versionFormat: '{{.Client.Version}}',
  },
  crun: {
    binary: 'crun',
    description: 'namespaced container via crun (the same OCI bundle as runc)',
    aptPackage: 'crun',
    family: ociFamily,
  },
  lxc: {
    binary: 'lxc-start',
    description:
      'namespaced container via classic LXC (lxc-start over the read-only image, cgroup limits, no network, no daemon)',
    aptPackage: 'lxc',
    family: lxcFamily,
  },
  lxd: {
    binary: 'lxc',
    description:
      'unprivileged system container via the LXD daemon LXD_DIR names (image imported by digest; no ' +
      'NIC; limits.cpu.allowance/limits.memory)',
    aptPackage: 'lxd',
    family: lxdFamily,
  },
} satisfies Record<string, EngineDescriptor>;

/** Engine name → a factory of its runner (`runc`, `docker`, `podman`, `crun`, `lxc`, `lxd`), for the registry. */
export const containerEngines = Object.fromEntries(
  Object.entries(CONTAINER_ENGINES).map(([name, engine]) => [name, () => containerRunner(name, engine)]),
) as Record<keyof typeof CONTAINER_ENGINES, () => Runner>;
