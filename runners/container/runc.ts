// runc: the default container engine, no daemon — one OCI bundle per instance over the shared image.
import { ociRunner } from './oci-engine.js';
import type { Runner } from '../types.js';

/** Creates the runc container runner. */
export function runcRunner(): Runner {
  return ociRunner('runc', 'namespaced container via runc (OCI bundle over the read-only image, cgroup limits, no daemon)');
}
