// `isobench schema`: prints the JSON Schema of run.json (the copy in schema/ is checked against it in CI).
import { ConfigError } from '../../model/errors.js';
import { runRecordJsonSchema } from '../../model/schema.js';

/** The schema as published: pretty JSON with a final newline. */
export function schemaText(): string {
  return `${JSON.stringify(runRecordJsonSchema(), null, 2)}\n`;
}

/** Prints the schema to stdout. */
export function schemaCommand(args: string[]): number {
  if (args.length > 0) throw new ConfigError(`unexpected argument '${args[0]}'; schema takes no arguments`);
  process.stdout.write(schemaText());
  return 0;
}
