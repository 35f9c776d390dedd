// Every report file of a run, rendered purely from its record (file name → contents).
import type { RunRecord } from '../bench/types.js';
import { allSamples, samplesCsv } from './samples-csv.js';
import { summaryTable } from './table.js';

/** Renders all reports of a run. Pure: the same record gives the same files. */
export async function renderReports(record: RunRecord): Promise<Map<string, string | Buffer>> {
  const files = new Map<string, string | Buffer>();
  files.set('samples.csv', samplesCsv(allSamples(record)));
  files.set('summary.txt', `${summaryTable(record)}\n`);
  return files;
}
