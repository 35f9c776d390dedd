// Small generated files placed in the workload image (readiness script, identity check).
import { VM_INIT_PATH, VM_INIT_SCRIPT } from '../vm/init-script.js';

/** Marker the payload prints when the environment is ready to run workloads. */
export const READY_MARKER = 'ISOBENCH-READY';

/** Path of the workload binary inside the image. */
export const SYSBENCH_IN_IMAGE = '/usr/bin/sysbench';

/** Resolves a workload command's `sysbench` to the given binary path (the image's by default). */
export function resolveSysbench(argv: readonly string[], path = SYSBENCH_IN_IMAGE): string[] {
  return argv[0] === 'sysbench' ? [path, ...argv.slice(1)] : [...argv];
}

/**
 * `/isobench/ready`: prints the sysbench hash (so the host can check the binary is identical),
 * the hostname and pid-1 facts, then the ready marker.
 */
export const READY_SCRIPT = `#!/bin/sh
echo "isobench-sha256 $(sha256sum ${SYSBENCH_IN_IMAGE} | cut -d' ' -f1)"
echo "isobench-hostname $(hostname)"
echo "isobench-uptime $(cut -d' ' -f1 /proc/uptime 2>/dev/null)"
echo ${READY_MARKER}
`;

/** Generated files: path inside the image → [mode, contents]. */
export const GENERATED_FILES: Record<string, [number, string]> = {
  'isobench/ready': [0o755, READY_SCRIPT],
  [VM_INIT_PATH.slice(1)]: [0o755, VM_INIT_SCRIPT],
  'etc/passwd': [0o644, 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n'],
  'etc/group': [0o644, 'root:x:0:\nnogroup:x:65534:\n'],
  'etc/hostname': [0o644, 'isobench\n'],
};

/** Parses the lines printed by READY_SCRIPT. */
export function parseReady(text: string): {
  ready: boolean;
  sha256: string | null;
  hostname: string | null;
  uptimeS: number | null;
} {
  const get = (k: string) => new RegExp(`^${k} (\\S+)`, 'm').exec(text)?.[1] ?? null;
  const up = get('isobench-uptime');
  return {
    ready: text.includes(READY_MARKER),
    sha256: get('isobench-sha256'),
    hostname: get('isobench-hostname'),
    uptimeS: up === null ? null : Number(up),
  };
}
