// Reads study.json (written by `isobench merge`) and validates it once, where it is read.
import { readFileSync } from 'node:fs';
import { ConfigError } from '../../model/errors.js';
import type { Study } from '../../model/study.js';
import { parseStudy } from '../../model/study-schema.js';

/** Reads and validates the study at `path` (a study.json); unreadable or bad input is a ConfigError. */
export function readStudy(path: string): Study {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read '${path}': ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return parseStudy(text, path);
}
