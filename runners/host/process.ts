// Runs one host process with a timeout and returns an ExecResult; never throws for exit codes.
import { execa } from 'execa';
import type { ExecResult } from '../types.js';

/** Options for `runProcess`. */
export interface ProcessOptions {
  /** Working directory. */
  cwd?: string;
  /** Kill the process (SIGKILL) after this long. */
  timeoutMs: number;
  /** Text written to standard input. */
  input?: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
}

/** Runs `argv` on the host and captures its output and wall time. */
export async function runProcess(argv: readonly string[], opts: ProcessOptions): Promise<ExecResult> {
  const [file, ...args] = argv;
  if (file === undefined) throw new Error('runProcess: empty argv');
  const t0 = performance.now();
  const r = await execa(file, args, {
    reject: false,
    timeout: opts.timeoutMs,
    killSignal: 'SIGKILL',
    stripFinalNewline: false,
    ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}),
    ...(opts.input !== undefined ? { input: opts.input } : { stdin: 'ignore' as const }),
    ...(opts.env !== undefined ? { env: opts.env } : {}),
  });
  const durationMs = performance.now() - t0;
  const spawnError = r.failed && r.exitCode === undefined && !r.timedOut && r.signal === undefined;
  return {
    stdout: String(r.stdout ?? ''),
    stderr: spawnError ? `${String(r.stderr ?? '')}${r.shortMessage}` : String(r.stderr ?? ''),
    exitCode: r.exitCode ?? null,
    durationMs,
    timedOut: r.timedOut,
  };
}
