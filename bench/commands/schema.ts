// `isobench schema [run-record|study]`: prints the JSON Schema of run.json or study.json (the copies in schema/ are checked against them in CI).
import { badChoice, ConfigError } from '../../model/errors.js';
import { runRecordJsonSchema } from '../../model/schema.js';
import { studyJsonSchema } from '../../model/study-schema.js';

/** The published schemas by name: each is schema/<name>.schema.json. */
const SCHEMAS = { 'run-record': runRecordJsonSchema, study: studyJsonSchema } as const;

/** A schema `isobench schema` prints. */
export type SchemaName = keyof typeof SCHEMAS;

const isSchemaName = (name: string): name is SchemaName => Object.hasOwn(SCHEMAS, name);

/** The schema as published: pretty JSON with a final newline (the run record's unless named). */
export function schemaText(name: SchemaName = 'run-record'): string {
  return `${JSON.stringify(SCHEMAS[name](), null, 2)}\n`;
}

/** Prints the named schema (the run record's without an argument) to stdout. */
export function schemaCommand(args: string[]): number {
  const [name = 'run-record', extra] = args;
  if (extra !== undefined)
    throw new ConfigError(
      `unexpected argument '${extra}'; schema takes at most one name: ${Object.keys(SCHEMAS).join(', ')}`,
    );
  if (!isSchemaName(name)) throw badChoice('schema', name, Object.keys(SCHEMAS));
  process.stdout.write(schemaText(name));
  return 0;
}
