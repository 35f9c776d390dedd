// The run record's schema (zod): run.json is validated once, where it is read; its JSON Schema is published from it.
import { z } from 'zod';
import { ConfigError, oneLine } from './errors.js';
import { LIFECYCLE_WORKLOAD, QUANTITIES, type MetricInfo } from './metrics.js';
import { DISK_CACHE_MODES, VM_ACCELS, VM_BOOT_MODES, type RunnerOptions } from './options.js';
import { READABLE_SCHEMA_VERSIONS, RECORD_SCHEMA_VERSION, type RunRecord, type StoredRunRecord } from './record.js';
import { fractionOfPercent } from '../lib/numbers.js';
import { UNITS } from './units.js';

const paramValue = z.union([z.string(), z.number(), z.boolean()]);
/** The zod schema of a case's parameters (`Params`), shared with study.json. */
export const params = z.record(z.string(), paramValue);
const labels = z.record(z.string(), z.string());
const known = <T extends z.ZodType>(value: T) =>
  z.union([z.object({ value }), z.object({ value: z.null(), reason: z.string() })]);

const sampleBase = {
  metric: z.string().min(1),
  value: z.number(),
  unit: z.enum(UNITS),
  env: z.string().min(1),
  engine: z.string(),
  params,
  trial: z.number().int().min(1),
  trialId: z.number().int().min(1),
  phase: z.enum(['warmup', 'measure']),
  timestamp: z.string(),
  labels,
};
const sample = z.discriminatedUnion('kind', [
  z.object({
    ...sampleBase,
    kind: z.literal('workload'),
    workload: z.string().min(1),
    iteration: z.number().int().min(1),
  }),
  z.object({
    ...sampleBase,
    kind: z.literal('lifecycle'),
    workload: z.literal(LIFECYCLE_WORKLOAD),
    iteration: z.literal(0),
    during: z.string(),
  }),
]);

const trialKey = {
  trialId: z.number().int().min(1),
  env: z.string().min(1),
  engine: z.string(),
  workload: z.string().min(1),
  params,
  trial: z.number().int().min(1),
};
const trialBase = {
  ...trialKey,
  startedAt: z.string(),
  finishedAt: z.string(),
  durationMs: z.number(),
  samples: z.array(sample),
  notes: z.array(z.string()),
};
const errorInfo = z.object({
  message: z.string(),
  stage: z.string(),
  causes: z.array(z.string()),
  logTail: z.string().exactOptional(),
});
const trial = z.discriminatedUnion('status', [
  z.object({ ...trialBase, status: z.literal('completed') }),
  z.object({ ...trialBase, status: z.literal('errored'), error: errorInfo }),
  z.object({
    ...trialKey,
    status: z.literal('skipped'),
    reason: z.string(),
    startedAt: z.string(),
    samples: z.array(sample),
  }),
]);

/** The zod schema of a host fingerprint (`HostFingerprint`), shared with study.json. */
export const host = z.object({
  hostname: known(z.string()),
  cpuModel: known(z.string()),
  cpuCount: known(z.number()),
  llcBytes: known(z.number()),
  memoryBytes: known(z.number()),
  os: known(z.string()),
  kernel: known(z.string()),
  virtualization: known(z.string()),
  cgroup: known(z.enum(['v1', 'v2', 'hybrid'])),
  kvmDevice: known(z.boolean()),
  kvmModule: known(z.string()),
  tools: z.record(z.string(), known(z.string())),
});

/** The zod schema of the options that reached the runners (`RunnerOptions`), shared with study.json. */
export const runnerOptions = z.object({
  vm: z.object({
    accel: z.enum(VM_ACCELS),
    machine: z.string().nullable(),
    diskCache: z.enum(DISK_CACHE_MODES),
    boot: z.enum(VM_BOOT_MODES),
    cpu: z.string().nullable(),
  }),
}) satisfies z.ZodType<RunnerOptions>;

const plan = z.object({
  envs: z.array(z.string()),
  workloads: z.array(z.string()),
  trials: z.number().int().min(1),
  runs: z.number().int().min(1),
  warmup: z.number().int().min(0),
  seed: z.number().int(),
  order: z.enum(['interleaved', 'grouped']),
  quick: z.boolean(),
  limits: z.object({ cpus: z.number().nullable(), memoryMiB: z.number().nullable() }),
  runner: runnerOptions,
  margin: z.number().positive().meta({
    description:
      'Equivalence margin of verdicts: a fraction (0.02 = ±2 %) from format 5, a percentage (2) in formats 3 and 4.',
  }),
  out: z.string(),
  cells: z.array(z.object({ env: z.string(), engine: z.string(), workload: z.string(), params })),
  argv: z.array(z.string()),
});

const metricInfo = z.object({
  unit: z.enum(UNITS),
  better: z.enum(['higher', 'lower']),
  quantity: z.enum(QUANTITIES),
  description: z.string(),
}) satisfies z.ZodType<MetricInfo>;

/** The zod schema of run.json. */
export const runRecordSchema = z.object({
  schema: z.union(READABLE_SCHEMA_VERSIONS.map((v) => z.literal(v))) as z.ZodType<
    (typeof READABLE_SCHEMA_VERSIONS)[number]
  >,
  runId: z.string().min(1),
  toolVersion: z.string(),
  gitDescribe: known(z.string()),
  host,
  hostLabel: z.string().min(1).exactOptional(),
  plan,
  probes: z.array(
    z.object({
      id: z.string(),
      ok: z.boolean(),
      version: z.string().exactOptional(),
      reason: z.string().exactOptional(),
      details: labels,
      emulation: z.object({ note: z.string() }).nullable(),
    }),
  ),
  results: z.array(trial),
  metrics: z.record(z.string(), metricInfo),
  warnings: z.array(z.string()),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  interrupted: z.boolean(),
  interruption: z.object({ signal: z.string(), phase: z.string(), at: z.string() }).exactOptional(),
  untilConclusive: z
    .object({
      maxTimeMs: z.number().nonnegative(),
      maxRounds: z.number().int().nonnegative(),
      rounds: z.number().int().nonnegative(),
      elapsedMs: z.number().nonnegative(),
      cells: z.array(
        z.object({
          env: z.string(),
          engine: z.string(),
          workload: z.string(),
          params,
          metric: z.string(),
          trials: z.number().int().nonnegative(),
          baselineTrials: z.number().int().nonnegative(),
          reason: z.enum(['precise', 'budget', 'max-rounds', 'interrupted', 'no-data']),
          ratioCi: z.object({ lo: z.number(), hi: z.number() }).nullable(),
        }),
      ),
    })
    .exactOptional(),
});

// The schema and the TypeScript model must describe the same thing: each is assignable to the other.
type Parsed = z.infer<typeof runRecordSchema>;
const sameShape: [Parsed] extends [StoredRunRecord] ? ([StoredRunRecord] extends [Parsed] ? true : false) : false =
  true;
void sameShape;

/**
 * A stored record in the current format: the one place an older format is converted. Formats 3
 * and 4 wrote `plan.margin` in percent (2 for ±2 %); format 5 writes the fraction (0.02).
 */
function upgradeRecord(stored: StoredRunRecord): RunRecord {
  const margin = stored.schema < 5 ? fractionOfPercent(stored.plan.margin) : stored.plan.margin;
  return { ...stored, schema: RECORD_SCHEMA_VERSION, plan: { ...stored.plan, margin } };
}

/** The JSON Schema of run.json (draft 2020-12), as published in schema/run-record.schema.json. */
export function runRecordJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(runRecordSchema, { target: 'draft-2020-12' }),
    $id: 'https://isobench.invalid/schema/run-record.schema.json',
    title: `isobench run record (format ${RECORD_SCHEMA_VERSION})`,
  };
}

/** Where a zod issue is, as `results[3].samples[0].value`. */
export function issuePath(path: readonly PropertyKey[]): string {
  return (
    path.reduce<string>(
      (acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc === '' ? String(k) : `${acc}.${String(k)}`),
      '',
    ) || '(top level)'
  );
}

/** The first problem zod found, with its place, as `results[0].value: expected number (and 2 more)`. */
export function firstIssue(error: z.ZodError): string {
  const first = error.issues[0];
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : '';
  return `${first ? `${issuePath(first.path)}: ${first.message}` : 'invalid'}${more}`;
}

/**
 * The first sample whose metric the record's catalogue does not declare, as a one-line problem,
 * or null. The catalogue is authoritative: a metric's unit, direction and kind are never guessed.
 */
function undeclaredMetric(record: RunRecord): string | null {
  for (const [i, r] of record.results.entries()) {
    const j = r.samples.findIndex((s) => !Object.hasOwn(record.metrics, s.metric));
    const s = r.samples[j];
    if (s !== undefined) {
      return (
        `results[${i}].samples[${j}].metric: '${s.metric}' is not in the record's metric catalogue ` +
        `(metrics: ${Object.keys(record.metrics).join(', ') || 'none'})`
      );
    }
  }
  return null;
}

/**
 * Parses run.json text into a RunRecord. Anything else — not JSON, truncated, a foreign JSON
 * file, a record of another format version, a bad field, a sample of a metric the record does
 * not declare — is a ConfigError with a one-line message naming `where` and the first bad field.
 */
export function parseRunRecord(text: string, where: string): RunRecord {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new ConfigError(
      `'${where}' is not valid JSON (${oneLine(why)}); it may be truncated — re-run, or restore it from a copy`,
      { cause: err },
    );
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data) || !('schema' in data) || !('runId' in data)) {
    throw new ConfigError(
      `'${where}' is not an isobench run record (no 'schema' and 'runId' fields): pass the run.json ` +
        `that 'isobench run' wrote`,
    );
  }
  const version = (data as { schema: unknown }).schema;
  if (!(READABLE_SCHEMA_VERSIONS as readonly unknown[]).includes(version)) {
    throw new ConfigError(
      `'${where}' is an isobench run record of format ${JSON.stringify(version)}; this isobench reads ` +
        `formats ${READABLE_SCHEMA_VERSIONS.join(' and ')}: re-run the benchmark, or use the isobench ` +
        `version that wrote it`,
    );
  }
  const r = runRecordSchema.safeParse(data);
  if (!r.success) {
    throw new ConfigError(oneLine(`'${where}' is not a valid isobench run record: ${firstIssue(r.error)}`));
  }
  const record = upgradeRecord(r.data);
  const undeclared = undeclaredMetric(record);
  if (undeclared !== null)
    throw new ConfigError(oneLine(`'${where}' is not a valid isobench run record: ${undeclared}`));
  return record;
}
