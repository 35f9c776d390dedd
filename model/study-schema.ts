// The study record's schema (zod): study.json is validated once, where it is read; its JSON Schema is published from it.
import { z } from 'zod';
import { ConfigError, oneLine } from './errors.js';
import { QUANTITIES } from './metrics.js';
import { firstIssue, host, params, runnerOptions } from './schema.js';
import { UNITS } from './units.js';
import { STUDY_SCHEMA, type Study } from './study.js';
import type { Caveat, Interval, TimeAdded, Verdict } from './verdict.js';

const count = z.number().int().nonnegative();
const interval = z.object({ lo: z.number(), hi: z.number() }) satisfies z.ZodType<Interval>;
const better = z.enum(['higher', 'lower']);
/** A number that JSON.stringify wrote as null because it was NaN (a median without trials): read back as NaN. */
const numberOrNaN = z.union([z.number(), z.null().transform(() => Number.NaN)]);

const timeAdded = z.object({
  value: z.number(),
  interval: interval.nullable(),
  unit: z.enum(UNITS),
  baselineId: z.string(),
}) satisfies z.ZodType<TimeAdded>;
const mayAddTime = { added: timeAdded.exactOptional() };
const verdict = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('baseline') }),
  z.object({
    kind: z.literal('no-data'),
    reason: z.enum(['no-trials', 'baseline-no-trials', 'no-baseline-data', 'baseline-zero']),
  }),
  z.discriminatedUnion('reason', [
    z.object({
      kind: z.literal('inconclusive'),
      reason: z.literal('too-few-trials'),
      trials: z.object({ base: count, env: count }),
      minTrials: count,
      ...mayAddTime,
    }),
    z.object({ kind: z.literal('inconclusive'), reason: z.literal('no-finite-interval'), ...mayAddTime }),
    z.object({
      kind: z.literal('inconclusive'),
      reason: z.literal('too-noisy'),
      interval,
      margin: z.number(),
      ...mayAddTime,
    }),
  ]),
  z.object({ kind: z.literal('equivalent'), margin: z.number(), ...mayAddTime }),
  z.object({
    kind: z.enum(['worse', 'better']),
    change: z.number(),
    interval,
    quantity: z.enum(QUANTITIES),
    ...mayAddTime,
  }),
]) satisfies z.ZodType<Verdict>;
const caveat = z.object({
  kind: z.literal('emulation'),
  env: z.string(),
  note: z.string(),
}) satisfies z.ZodType<Caveat>;

const studyRun = z.object({
  runId: z.string().min(1),
  path: z.string().min(1),
  source: z.string(),
  planGroup: z.number().int().min(-1),
  toolVersion: z.string(),
  gitDescribe: z.string().nullable(),
  sysbenchVersion: z.string().nullable(),
  imageDigests: z.array(z.string()),
  trials: z.object({ completed: count, errored: count, skipped: count }),
  startedAt: z.string(),
  interrupted: z.boolean(),
});
const studyHost = z.discriminatedUnion('status', [
  z.object({
    label: z.string().min(1),
    status: z.literal('ok'),
    fingerprint: host,
    hostType: z.string(),
    runs: z.array(studyRun),
  }),
  z.object({ label: z.string().min(1), status: z.literal('missing'), reason: z.string() }),
]);
const hostType = z.object({
  key: z.string(),
  name: z.string(),
  cpuModel: z.string(),
  kernel: z.string(),
  accelerator: z.string(),
  hosts: z.array(z.string()),
});
const planRequest = z.object({
  args: z.array(z.string()),
  envs: z.array(z.string()),
  workloads: z.array(z.string()),
  trials: z.number().int().min(1),
  runs: z.number().int().min(1),
  warmup: count,
  seed: z.number().int(),
  order: z.string(),
  quick: z.boolean(),
  runner: runnerOptions,
  margin: z.number(),
});
const planGroup = z.object({ id: count, key: z.string(), request: planRequest, hosts: z.array(z.string()) });
const studyFlag = z.object({
  kind: z.enum([
    'missing-host',
    'plan-mismatch',
    'tool-version-mismatch',
    'image-digest-mismatch',
    'label-conflict',
    'resolved-params-differ',
    'incomplete-run',
  ]),
  hosts: z.array(z.string()),
  message: z.string(),
});

const judged = {
  trials: count,
  trialMedian: numberOrNaN,
  ratio: z.number().nullable(),
  ratioCi: interval.nullable(),
  change: z.number().nullable(),
  changeCi: interval.nullable(),
  verdict,
  caveats: z.array(caveat),
};
const spread = z.object({ hosts: count, min: z.number(), median: z.number(), max: z.number(), range: z.number() });
const comparison = z.object({
  planGroup: count,
  caseKey: z.string(),
  caseLabel: z.string(),
  workload: z.string(),
  params,
  metric: z.string(),
  headline: z.boolean(),
  unit: z.enum(UNITS),
  better,
  envId: z.string(),
  baselineId: z.string().nullable(),
  isBaseline: z.boolean(),
  hosts: z.array(z.object({ ...judged, host: z.string(), hostType: z.string() })),
  ratioSpread: spread.nullable(),
  medianSpread: spread.nullable(),
  byType: z.array(z.object({ hostType: z.string(), ratio: spread.nullable(), median: spread.nullable() })),
});

/** The zod schema of study.json. */
export const studySchema = z.object({
  schema: z.literal(STUDY_SCHEMA),
  kind: z.literal('isobench-study'),
  createdAt: z.string(),
  toolVersion: z.string(),
  margin: z.number(),
  hosts: z.array(studyHost),
  hostTypes: z.array(hostType),
  planGroups: z.array(planGroup),
  comparisons: z.array(comparison),
  flags: z.array(studyFlag),
});

// The schema and the TypeScript model must describe the same thing: each is assignable to the other.
type Parsed = z.infer<typeof studySchema>;
const sameShape: [Parsed] extends [Study] ? ([Study] extends [Parsed] ? true : false) : false = true;
void sameShape;

/** The JSON Schema of study.json (draft 2020-12) as the file holds it, as published in schema/study.schema.json. */
export function studyJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(studySchema, { target: 'draft-2020-12', io: 'input' }),
    $id: 'https://isobench.invalid/schema/study.schema.json',
    title: `isobench study (format ${STUDY_SCHEMA})`,
  };
}

/** What a JSON value is, for a message: `an array`, `null`, `a string`. */
const jsonKind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`);

/**
 * Parses study.json text into a Study. Anything else — not JSON, truncated, not an object, a run
 * record or another JSON file, a study of another format version, a bad field — is a ConfigError
 * with a one-line message naming `where` and the first bad field.
 */
export function parseStudy(text: string, where: string): Study {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new ConfigError(
      `'${where}' is not valid JSON (${oneLine(why)}); it may be truncated — merge the runs again ` +
        `(isobench merge), or restore it from a copy`,
      { cause: err },
    );
  }
  const notStudy = `'${where}' is not an isobench study`;
  const pass = `pass the study.json that 'isobench merge' wrote`;
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new ConfigError(`${notStudy}: (top level): expected an object, got ${jsonKind(data)}; ${pass}`);
  const kind = 'kind' in data ? data.kind : undefined;
  if (kind !== 'isobench-study')
    throw new ConfigError(
      oneLine(`${notStudy}: kind: expected "isobench-study", got ${JSON.stringify(kind) ?? 'nothing'}; ${pass}`),
    );
  const version = 'schema' in data ? data.schema : undefined;
  if (version !== STUDY_SCHEMA) {
    throw new ConfigError(
      oneLine(
        `'${where}' is an isobench study of format ${JSON.stringify(version) ?? '(none)'}; this isobench ` +
          `reads format ${STUDY_SCHEMA}: merge the runs again with this isobench`,
      ),
    );
  }
  const r = studySchema.safeParse(data);
  if (!r.success) throw new ConfigError(oneLine(`'${where}' is not a valid isobench study: ${firstIssue(r.error)}`));
  return r.data;
}
