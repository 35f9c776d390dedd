// `isobench report <run-dir>`: regenerates every report from run.json without measuring again.
import { dirname } from 'node:path';
import { renderReports } from '../../reports/run/index.js';
import { warningsText } from '../../reports/shared/warning-groups.js';
import { ConfigError } from '../../model/errors.js';
import { readRecord, recordPath } from '../run/record.js';
import { makeDir, writeFilesAtomic } from '../run/atomic.js';
import type { RunRecord } from '../../model/record.js';

/** Writes the reports of the run in `args[0]`; `record` skips re-reading when already in hand. */
export async function reportCommand(
  args: string[],
  log: (l: string) => void,
  record?: RunRecord,
  interrupted: () => boolean = () => false,
): Promise<number> {
  const [arg, extra] = args;
  if (arg === undefined || arg.startsWith('-'))
    throw new ConfigError(
      `report needs a run directory, e.g. isobench report results/<run-id>${arg ? ` (got '${arg}')` : ''}`,
    );
  if (extra !== undefined) throw new ConfigError(`unexpected argument '${extra}'; report takes one run directory`);
  const dir = dirname(recordPath(arg));
  const rec = record ?? (await readRecord(arg));
  await makeDir(dir);
  // After a run the CLI prints the record's warnings itself; a standalone report prints them here.
  const files = await renderReports(rec, record ? {} : { onWarnings: (ws) => warningsText(ws).forEach((l) => log(l)) });
  if (interrupted()) return 0; // `isobench run` was interrupted while rendering: no report at all rather than a stale one
  await writeFilesAtomic(dir, files);
  log(`reports written to ${dir}: ${[...files.keys()].join(', ')}`);
  return 0;
}
