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
  /**
   * Kill the process and everything it spawned (its own process group) when this is aborted;
   * the result then has exit code null and says so in stderr.
   */
  signal?: AbortSignal | undefined;
}

/** Kills a process group, ignoring one that is already gone. */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Runs `argv` on the host and captures its output and wall time. */
export async function runProcess(argv: readonly string[], opts: ProcessOptions): Promise<ExecResult> {
  const [file, ...args] = argv;
  if (file === undefined) throw new Error('runProcess: empty argv');
  const t0 = performance.now();
  if (opts.signal?.aborted === true)
    return {
      stdout: '',
      stderr: `not started: ${abortText(opts.signal)}`,
      exitCode: null,
      durationMs: 0,
      timedOut: false,
    };
  const child = execa(file, args, {
    reject: false,
    timeout: opts.timeoutMs,
    killSignal: 'SIGKILL',
    stripFinalNewline: false,
    // An abortable process leads its own process group so that an interruption kills its children
    // too (a pipeline's stages, a runtime's helpers), not only the process isobench spawned.
    ...(opts.signal !== undefined ? { detached: true } : {}),
    ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}),
    ...(opts.input !== undefined ? { input: opts.input } : { stdin: 'ignore' as const }),
    ...(opts.env !== undefined ? { env: opts.env } : {}),
  });
  const onAbort = () => killGroup(child.pid);
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  let r: Awaited<typeof child>;
  try {
    r = await child;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
  const durationMs = performance.now() - t0;
  const spawnError = r.failed && r.exitCode === undefined && !r.timedOut && r.signal === undefined;
  const aborted = opts.signal !== undefined && isAborted(opts.signal) && r.exitCode === undefined;
  return {
    stdout: String(r.stdout ?? ''),
    stderr: spawnError
      ? `${String(r.stderr ?? '')}${r.shortMessage}`
      : `${String(r.stderr ?? '')}${aborted ? `\nkilled: ${abortText(opts.signal as AbortSignal)}` : ''}`,
    exitCode: r.exitCode ?? null,
    durationMs,
    timedOut: r.timedOut,
  };
}

/** Whether `signal` is aborted (a call, so TypeScript does not narrow it across awaits). */
export function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

/** The reason of an aborted signal as text. */
export function abortText(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason.message : String(reason ?? 'aborted');
}
