// Reads one run for `isobench merge`: validates it, digests it, and stages a byte-for-byte copy.
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError } from '../../model/errors.js';
import type { HostFingerprint } from '../../model/record.js';
import { digestRun, hostLabelOf, type RunDigest } from '../../analysis/study/digest.js';
import { readRecordText, recordPath } from '../run/record.js';

/** What the merge keeps of one input run (its samples stay on disk). */
export interface ReadRun {
  /** The input as given. */
  input: string;
  /** Its digest (facts and analysed rows). */
  digest: RunDigest;
  /** The label the record names (before conflicts are resolved). */
  named: string;
  /** What identifies its machine (host name, CPU, CPU count, memory). */
  identity: string;
  /** Directory holding the staged copy of run.json (and samples.csv when there is one). */
  staged: string;
}

/** What identifies a machine across its runs (the kernel may change between runs of one host). */
export const identity = (h: HostFingerprint) =>
  JSON.stringify([h.hostname.value, h.cpuModel.value, h.cpuCount.value, h.memoryBytes.value]);

/** Reads, validates and digests `input`, copying its run.json and samples.csv into `staged`. */
export async function readRun(input: string, staged: string): Promise<ReadRun> {
  const { record, text } = await readRecordText(input);
  await mkdir(staged, { recursive: true });
  await writeFile(join(staged, 'run.json'), text);
  const samples = join(dirname(recordPath(input)), 'samples.csv');
  if (existsSync(samples)) await copyFile(samples, join(staged, 'samples.csv'));
  return { input, digest: digestRun(record), named: hostLabelOf(record), identity: identity(record.host), staged };
}

/** A worker's answer: the run, or the error's message and whether it was bad input. */
export type ReadAnswer = { ok: true; run: ReadRun } | { ok: false; message: string; config: boolean };

/** `readRun` with its error turned into an answer a worker can post. */
export async function answer(input: string, staged: string): Promise<ReadAnswer> {
  try {
    return { ok: true, run: await readRun(input, staged) };
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err), config: err instanceof ConfigError };
  }
}
