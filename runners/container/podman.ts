// podman: daemonless, the same image tar and confinement flags as docker.
import { cliRunner } from './cli-engine.js';
import type { Runner } from '../types.js';

/** Creates the podman container runner. */
export function podmanRunner(): Runner {
  return cliRunner('podman', 'namespaced container via podman (image tar imported by digest; --network none --read-only)');
}
