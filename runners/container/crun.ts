// crun: the same OCI bundle as runc, run by crun (where crun supports this host's cgroup layout).
import { ociRunner } from './oci-engine.js';
import type { Runner } from '../types.js';

/** Creates the crun container runner. */
export function crunRunner(): Runner {
  return ociRunner('crun', 'namespaced container via crun (the same OCI bundle as runc)');
}
