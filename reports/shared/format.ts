// Text helpers shared by every report: number formatting, escaping, environment configuration.
import { indexOf, type Indexable } from '../../analysis/run-index.js';
import { asEnvId } from '../../model/ids.js';

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

/** Escapes text for a Markdown table cell: pipes, backslashes, code ticks, link syntax (`](`), inline HTML, line breaks. */
export function escapeMd(text: string): string {
  return text
    .replace(/[\\`|]/g, (c) => `\\${c}`)
    .replace(/\](\(|\[)/g, '\\]$1')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r?\n/g, ' ');
}

/** Labels that change with every instance and so describe no configuration. */
const PER_INSTANCE = new Set(['during', 'container_name', 'container_hostname']);
/** Labels shown first when describing an environment's configuration. */
export const KEY_LABELS = [
  'engine_version',
  'accelerator',
  'emulated',
  'effective_cpus',
  'effective_memory_MiB',
  'limit_cpus',
  'limit_memory_MiB',
  'engine_limits',
  'seccomp',
  'seccomp_profile',
  'apparmor',
  'image_digest',
  'sysbench_version',
  'sysbench_sha256',
];

/** One environment's configuration: probe facts plus every label's distinct values. */
export interface EnvConfig {
  /** `env:engine`. */
  id: string;
  /** Probe outcome. */
  ok: boolean;
  /** Engine version from the probe. */
  version: string | null;
  /** Probe reason or note. */
  note: string | null;
  /** Probe details (key → value). */
  details: [string, string][];
  /** Label → distinct values (sorted), key labels first. */
  labels: [string, string[]][];
}

/** Configuration of every environment of the run, in plan order. */
export function envConfigs(source: Indexable): EnvConfig[] {
  const { record, labels: all } = indexOf(source);
  const labels = new Map([...all].map(([id, m]) => [id, new Map([...m].filter(([k]) => !PER_INSTANCE.has(k)))]));
  const ids = [...new Set([...record.plan.envs, ...record.probes.map((p) => p.id), ...labels.keys()])];
  const rank = (k: string) => (KEY_LABELS.includes(k) ? KEY_LABELS.indexOf(k) : KEY_LABELS.length);
  return ids.map((id) => {
    const p = record.probes.find((x) => x.id === id);
    const l = [...(labels.get(asEnvId(id)) ?? new Map<string, ReadonlySet<string>>())].map(
      ([k, v]): [string, string[]] => [k, [...v].sort()],
    );
    return {
      id,
      ok: p?.ok ?? true,
      version: p?.version ?? null,
      note: p?.reason ?? null,
      details: Object.entries(p?.details ?? {}).sort(([a], [b]) => a.localeCompare(b)),
      labels: l.sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b)),
    };
  });
}
