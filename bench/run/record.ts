// Persists the run record: run.json (atomically, after every trial) and samples.csv beside it.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { allSamples, samplesCsv } from '../../reports/samples-csv.js';
import { ConfigError } from '../../model/errors.js';
import type { RunRecord } from '../../model/record.js';

let writes = 0;

async function atomicWrite(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}-${writes++}`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}

/** Writes run.json and samples.csv into `dir` (created if needed). */
export async function writeRecord(dir: string, record: RunRecord): Promise<void> {
  await mkdir(dir, { recursive: true });
  await atomicWrite(join(dir, 'run.json'), `${JSON.stringify(record, null, 1)}\n`);
  await atomicWrite(join(dir, 'samples.csv'), samplesCsv(allSamples(record)));
}

/** Reads a run directory's run.json; a missing or foreign file is a configuration error. */
export async function readRecord(dir: string): Promise<RunRecord> {
  let text: string;
  try {
    text = await readFile(join(dir, 'run.json'), 'utf8');
  } catch (err) {
    throw new ConfigError(`no run.json in '${dir}': pass a directory written by 'isobench run' (results/<run-id>)`, { cause: err });
  }
  const rec = JSON.parse(text) as Partial<RunRecord>;
  if (rec.schema !== 1 || !Array.isArray(rec.results)) throw new ConfigError(`'${dir}/run.json' is not an isobench run record (schema 1)`);
  return rec as RunRecord;
}
