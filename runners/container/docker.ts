// docker: the image tar imported into the daemon named by DOCKER_HOST (or the default socket).
import { cliRunner } from './cli-engine.js';
import type { Runner } from '../types.js';

/** Creates the docker container runner; it talks to the daemon DOCKER_HOST names, if set. */
export function dockerRunner(): Runner {
  return cliRunner('docker', 'namespaced container via docker (image tar imported by digest; --network none --read-only)');
}
