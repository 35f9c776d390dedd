// Persists the run record: run.json (atomically, after every trial) and samples.csv beside it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { recordSamples } from '../../analysis/run-index.js';
import { samplesCsv } from '../../reports/run/samples-csv.js';
import { ConfigError } from '../../model/errors.js';
import { parseRunRecord } from '../../model/schema.js';
import type { RunRecord } from '../../model/record.js';
import { makeDir, writeFileAtomic } from './atomic.js';

/** Writes run.json and samples.csv into `dir` (created if needed). */
export async function writeRecord(dir: string, record: RunRecord): Promise<void> {
  await makeDir(dir);
  await writeFileAtomic(join(dir, 'run.json'), `${JSON.stringify(record, null, 1)}\n`);
  await writeFileAtomic(join(dir, 'samples.csv'), samplesCsv(recordSamples(record)));
}

/** The run.json a command-line argument names: a run directory or the file itself. */
export function recordPath(arg: string): string {
  return arg.endsWith('.json') ? arg : join(arg, 'run.json');
}

/** Reads and validates a run record (a run directory or its run.json); bad input is a ConfigError. */
export async function readRecord(arg: string): Promise<RunRecord> {
  return (await readRecordText(arg)).record;
}

/** Like `readRecord`, also returning the file's text (so a copy can be kept byte for byte). */
export async function readRecordText(arg: string): Promise<{ record: RunRecord; text: string }> {
  const path = recordPath(arg);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new ConfigError(
      `cannot read '${path}' (${why}): pass a run directory written by 'isobench run' ` +
        `(results/<run-id>) or its run.json`,
      { cause: err },
    );
  }
  return { record: parseRunRecord(text, path), text };
}
