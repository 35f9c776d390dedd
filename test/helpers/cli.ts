// Runs the built isobench CLI as a child process and reads back what a run wrote.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { execa } from 'execa';
import type { RunRecord } from '../../model/record.js';

/** Path of the compiled CLI. */
export const CLI = new URL('../../dist/bench/cli.js', import.meta.url).pathname;

/** Runs `isobench …args` and returns exit code and output. */
export async function isobench(args: string[], opts: { timeoutMs?: number; env?: Record<string, string> } = {}) {
  const r = await execa('node', [CLI, ...args], {
    reject: false,
    timeout: opts.timeoutMs ?? 300_000,
    ...(opts.env ? { env: opts.env } : {}),
  });
  return { code: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr) };
}

const made: string[] = [];

/** A fresh temporary directory, removed after the test file (see test/setup.ts). */
export function tempDir(prefix = 'isobench-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes every directory `tempDir` made in this test file. */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** The single run directory inside an --out directory. */
export function runDir(out: string): string {
  const dirs = readdirSync(out);
  if (dirs.length !== 1) throw new Error(`expected one run in ${out}, found ${dirs.join(', ')}`);
  return join(out, dirs[0] as string);
}

/** Reads run.json and samples.csv of a run directory. */
export function readRun(dir: string): { record: RunRecord; rows: Record<string, string>[]; header: string[] } {
  const record = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunRecord;
  const text = readFileSync(join(dir, 'samples.csv'), 'utf8');
  const rows = parse(text, { columns: true }) as Record<string, string>[];
  const header = (parse(text, { to_line: 1 }) as string[][])[0] ?? [];
  return { record, rows, header };
}
