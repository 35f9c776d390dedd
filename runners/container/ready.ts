// Starts a container engine and times it host-side from spawn until the payload's ready marker.
import { LogTailError } from '../../model/log-error.js';
import { tail } from '../../lib/text.js';
import { spawn } from 'node:child_process';
import { READY_MARKER } from '../image/files.js';
import type { Socket } from 'node:net';

/** What the engine and its payload printed up to readiness. */
export interface ReadyOutcome {
  /** Standard output up to and including the ready marker. */
  stdout: string;
  /** Standard error of the engine process. */
  stderr: string;
  /** Milliseconds from spawning the engine until the marker arrived. */
  readyMs: number;
  /** `performance.now()` when the engine was spawned. */
  spawnedAt: number;
  /** `performance.now()` when the marker arrived (`spawnedAt + readyMs`). */
  readyAt: number;
  /** Pid of the engine process (for `keep-running`: the container's monitor). */
  pid: number;
  /** Settles when the engine process has exited (for `keep-running`, when the container stopped). */
  exited: Promise<void>;
}

/** How to treat the engine process once the payload is ready. */
export type AfterReady =
  /** The engine detaches by itself (`runc run -d`): wait for it to exit 0. */
  | 'wait-exit'
  /** The engine stays attached (`docker run`): kill the client, the container keeps running. */
  | 'kill-client'
  /**
   * The engine is the container's monitor (`lxc-start -F`): leave it running in its own process
   * group (a terminal's Ctrl-C is isobench's to handle) and keep draining its output.
   */
  | 'keep-running';

/** Error of a failed start, with the engine's output kept for the record. */
export class StartError extends LogTailError {
  override name = 'StartError';
}

/** Options of `spawnUntilReady`. */
export interface ReadyOptions {
  /** Give up (and kill the engine process) after this long. */
  timeoutMs: number;
  /** What to do with the engine process once the payload is ready. */
  afterReady: AfterReady;
  /** Extra environment variables for the engine. */
  env?: Record<string, string>;
  /** Called once when the engine exits 0, often before the payload is ready: work can overlap it. */
  onEngineExit?: () => void;
  /**
   * `wait-exit` only: run once the engine exited 0 (`runc create` exits with the init waiting;
   * this runs `runc start`). Ready waits for it too; a rejection fails the start.
   */
  afterExit?: () => Promise<void>;
  /** Give up (and kill the engine process) when this is aborted: the run is being interrupted. */
  signal?: AbortSignal | undefined;
}

/**
 * Spawns `argv` with piped output and resolves when its output contains the ready marker
 * (and, for `wait-exit`, the engine exited 0). Rejects with a StartError on a non-zero exit,
 * an exit without the marker, or after `timeoutMs`.
 */
export function spawnUntilReady(argv: readonly string[], opts: ReadyOptions): Promise<ReadyOutcome> {
  const [file, ...args] = argv;
  if (file === undefined) return Promise.reject(new Error('spawnUntilReady: empty argv'));
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    let readyMs: number | null = null;
    let exitCode: number | null | undefined;
    let settled = false;
    let afterDone = opts.afterExit === undefined;
    const t0 = performance.now();
    const keep = opts.afterReady === 'keep-running';
    const child = spawn(file, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: keep,
      ...(opts.env ? { env: { ...process.env, ...opts.env } } : {}),
    });
    const exited = new Promise<void>((res) => child.once('close', () => res()).once('error', () => res()));
    const finish = (err: Error | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (keep && !err) {
        // The monitor lives on with the container: drain what it still writes, and do not let it hold the event loop.
        for (const pipe of [child.stdout, child.stderr] as Socket[]) pipe.removeAllListeners('data').resume().unref();
        child.unref();
      } else {
        // The payload keeps the pipes' write ends; stop reading so nothing holds this process.
        child.stdout.destroy();
        child.stderr.destroy();
      }
      if (err) reject(err);
      else
        resolve({
          stdout,
          stderr,
          readyMs: readyMs as number,
          spawnedAt: t0,
          readyAt: t0 + (readyMs as number),
          pid: child.pid as number,
          exited,
        });
    };
    const check = () => {
      if (readyMs === null) return;
      if (opts.afterReady === 'kill-client') {
        child.kill('SIGKILL');
        finish(null);
      } else if (keep || (exitCode === 0 && afterDone)) {
        finish(null);
      }
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(new StartError(`${file} did not report ready within ${opts.timeoutMs} ms`, tail(stdout + stderr)));
    }, opts.timeoutMs);
    const onAbort = () => {
      child.kill('SIGKILL');
      finish(
        new StartError(
          `${file} start interrupted: ${String((opts.signal?.reason as Error | undefined)?.message ?? 'aborted')}`,
          tail(stdout + stderr),
        ),
      );
    };
    if (opts.signal?.aborted === true) queueMicrotask(onAbort);
    else opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (readyMs === null && stdout.includes(READY_MARKER)) {
        readyMs = performance.now() - t0;
        check();
      }
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', (err) => finish(new StartError(`cannot spawn ${file}: ${err.message}`, '', { cause: err })));
    child.on('exit', (code, signal) => {
      exitCode = code;
      if (code === 0) {
        opts.onEngineExit?.();
        if (opts.afterExit === undefined) return check();
        opts.afterExit().then(
          () => {
            afterDone = true;
            check();
          },
          (err: unknown) => finish(err instanceof Error ? err : new Error(String(err))),
        );
        return;
      }
      if (settled) return;
      // Give the pipes a moment to deliver the last words of a failed start.
      setTimeout(
        () =>
          finish(
            new StartError(
              `${[file, ...args.slice(0, 2)].join(' ')} exited with ${code ?? signal}: ` +
                `${tail(stderr.trim(), 500) || tail(stdout.trim(), 500)}`,
              tail(stdout + stderr),
            ),
          ),
        20,
      );
    });
    child.on('close', () => {
      if (!settled && exitCode === 0 && readyMs === null) {
        finish(new StartError(`${file} exited before the payload printed ${READY_MARKER}`, tail(stdout + stderr)));
      }
    });
  });
}
