// The Kubernetes Job manifest against the Kubernetes API schema (kubernetes-models), plus what it must say.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { Job, type IJob } from 'kubernetes-models/batch/v1';

const path = new URL('../../fleet/kubernetes/isobench-job.yaml', import.meta.url);
const docs = parseAllDocuments(readFileSync(path, 'utf8'));
const manifest = docs[0]?.toJS() as IJob;

describe('fleet/kubernetes/isobench-job.yaml', () => {
  it('is one YAML document without parse errors', () => {
    expect(docs).toHaveLength(1);
    expect(docs[0]?.errors).toEqual([]);
  });

  it('validates against the Kubernetes batch/v1 Job schema', () => {
    expect(() => new Job(manifest).validate()).not.toThrow();
  });

  it('the schema check can fail: a wrongly typed field is rejected', () => {
    const broken = structuredClone(manifest) as unknown as {
      spec: { template: { spec: { containers: { securityContext: Record<string, unknown> }[] } } };
    };
    (broken.spec.template.spec.containers[0] as { securityContext: Record<string, unknown> }).securityContext[
      'privileged'
    ] = 'yes';
    expect(() => new Job(broken as unknown as IJob).validate()).toThrow(/privileged must be boolean/);
  });

  it('runs one privileged, host-PID pod per node, never retried elsewhere', () => {
    const spec = manifest.spec;
    const pod = spec?.template.spec;
    expect(spec?.completionMode).toBe('Indexed');
    expect(spec?.parallelism).toBe(spec?.completions);
    expect(spec?.backoffLimit).toBe(0);
    expect(pod?.hostPID).toBe(true);
    expect(pod?.restartPolicy).toBe('Never');
    const c = pod?.containers[0];
    expect(c?.securityContext?.privileged).toBe(true);
    expect(c?.resources?.limits).toBeUndefined();
    const anti = pod?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.[0];
    expect(anti?.topologyKey).toBe('kubernetes.io/hostname');
    const labels = spec?.template.metadata?.labels ?? {};
    for (const [k, v] of Object.entries(anti?.labelSelector?.matchLabels ?? {})) expect(labels[k]).toBe(v);
    expect(Object.keys(anti?.labelSelector?.matchLabels ?? {})).not.toHaveLength(0);
  });

  it('names each host by its node and passes one seed to every pod', () => {
    const c = manifest.spec?.template.spec?.containers[0];
    const env = Object.fromEntries((c?.env ?? []).map((e) => [e.name, e]));
    expect(env['NODE_NAME']?.valueFrom?.fieldRef?.fieldPath).toBe('spec.nodeName');
    expect(env['ISOBENCH_SEED']?.value).toMatch(/^[0-9]+$/);
    expect(c?.args?.join(' ')).toMatch(
      /isobench run \$ISOBENCH_ARGS --seed "\$ISOBENCH_SEED" --host-label "\$NODE_NAME" --out \/results/,
    );
    const mounts = new Map((c?.volumeMounts ?? []).map((m) => [m.name, m.mountPath]));
    const volumes = new Map((manifest.spec?.template.spec?.volumes ?? []).map((v) => [v.name, v.hostPath?.path]));
    expect(volumes.get('results')).toBe('/var/lib/isobench/results');
    expect(mounts.get('results')).toBe('/results');
    for (const name of mounts.keys()) expect(volumes.has(name)).toBe(true);
  });
});
