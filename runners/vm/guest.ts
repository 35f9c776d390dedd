// One running qemu guest: spawn, console capture, wait for ready, framed commands, poweroff, kill.
import { LogTailError } from '../../model/log-error.js';
import { tail } from '../../lib/text.js';
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { READY_MARKER } from '../image/files.js';
import { FrameParser, encodeRun, newNonce, type Frame } from './protocol.js';
import { COMMAND_FD, qemuArgs, spawnArgv, type QemuConfig } from './qemu.js';

/** A failure of a guest, with the tail of its console (copied into the trial record). */
export class GuestError extends LogTailError {
  override name = 'GuestError';
  /**
   * Set when the guest was killed for not announcing ready in time: how far it got (no console
   * output at all, the firmware only, or the kernel started). Lets a caller tell a guest that
   * hung from one that was merely slow.
   */
  bootProgress?: 'none' | 'firmware' | 'kernel';
}

/** What `bootGuest` needs. */
export interface BootRequest {
  config: QemuConfig;
  /** Kill the guest when it has not announced ready within this long. */
  readyTimeoutMs: number;
  /** Called as soon as qemu has a pid (so cleanup can find it even if boot never finishes). */
  onSpawn?: (pid: number) => void;
  /**
   * Aborted when the run is interrupted: the boot and every later command give up at once and
   * kill qemu (poweroff and kill, the teardown, do not look at it).
   */
  signal?: AbortSignal | undefined;
}

/** The answer to one command. */
export interface RunOutcome {
  /** The guest's answer, or null when it timed out (the guest is then killed). */
  frame: Frame | null;
  /** Host-side wall time of the command in milliseconds. */
  durationMs: number;
}

const CONSOLE_KEEP = 64 * 1024;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Removes terminal escapes and carriage returns the firmware prints. */
export function cleanConsole(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1bc|\r/g, '');
}

/** A booted guest. */
export class Guest {
  /** Host-side ms from spawn to the first kernel output, or null when none was seen. */
  kernelUpMs: number | null = null;
  /** Host-side ms from spawn to the ready marker. */
  readyMs = 0;
  /** `performance.now()` when the ready marker arrived. */
  readyAt = 0;
  /** Everything the guest sent before (and including) the ready marker. */
  readyText = '';
  /** The qemu arguments. */
  readonly args: string[];
  private console = '';
  private consoleSeen = 0;
  private lines: string[] = [];
  private lineWaiters: (() => void)[] = [];
  private partial = '';
  private readonly socket: Socket;
  private stderrPartial = '';
  private stderrLines: string[] = [];
  private exit: { code: number | null; signal: string | null; atMs: number } | null = null;
  private exitWaiters: (() => void)[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private readonly t0: number;
  private readonly child: ChildProcess;
  private signal: AbortSignal | undefined;
  private readonly onAbort = () => this.wake();

  private constructor(
    readonly config: QemuConfig,
    signal: AbortSignal | undefined,
  ) {
    this.signal = signal;
    // An interruption wakes every wait, which then sees the aborted signal.
    signal?.addEventListener('abort', this.onAbort, { once: true });
    this.args = qemuArgs(config);
    this.t0 = performance.now();
    const stdio: ('ignore' | 'pipe')[] = ['ignore', 'pipe', 'pipe'];
    while (stdio.length <= COMMAND_FD) stdio.push('pipe'); // node hands the child a connected unix socket
    const [program, argv] = spawnArgv(config);
    this.child = spawn(program, argv, { stdio });
    this.child.stdout?.setEncoding('utf8').on('data', (d: string) => this.onConsole(d));
    this.child.stderr?.setEncoding('utf8').on('data', (d: string) => this.onStderr(d));
    this.socket = this.child.stdio[COMMAND_FD] as Socket;
    this.socket.setEncoding('utf8').on('data', (d: string) => this.onChannel(d));
    this.socket.on('error', () => undefined);
    this.child.on('error', (err) => {
      this.onStderr(`spawn failed: ${err.message}\n`);
      if (this.child.pid === undefined) this.onClose(null, null);
    });
    this.child.on('close', (code, signal) => this.onClose(code, signal));
  }

  /** Spawns qemu and waits until the guest announces ready; kills it and throws otherwise. */
  static async boot(req: BootRequest): Promise<Guest> {
    const g = new Guest(req.config, req.signal);
    if (g.child.pid !== undefined) req.onSpawn?.(g.child.pid);
    const deadline = g.t0 + req.readyTimeoutMs;
    while (!g.lines.includes(READY_MARKER)) {
      if (g.exit !== null)
        throw g.error(
          `qemu exited ${g.exitText()} after ${seconds(g.exit.atMs)} before the guest announced ready${g.qemuSaid()}`,
        );
      if (g.interrupted()) {
        await g.kill();
        throw g.error(
          `boot interrupted after ${seconds(performance.now() - g.t0)}: ${g.interruptText()}; qemu (pid ` +
            `${String(g.pid)}) killed`,
        );
      }
      if (performance.now() >= deadline) {
        await g.kill();
        const e = g.error(g.hangDiagnosis(req.readyTimeoutMs));
        e.bootProgress = g.consoleSeen === 0 ? 'none' : g.kernelUpMs === null ? 'firmware' : 'kernel';
        throw e;
      }
      await g.waitLine(deadline - performance.now());
    }
    g.readyAt = performance.now();
    g.readyMs = g.readyAt - g.t0;
    const at = g.lines.indexOf(READY_MARKER);
    g.readyText = g.lines.slice(0, at + 1).join('\n');
    g.lines = g.lines.slice(at + 1);
    return g;
  }

  /** qemu's pid (undefined if spawning failed). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The last `n` characters of the console (kernel messages, init diagnostics, qemu's stderr). */
  consoleTail(n = 4000): string {
    return tail(cleanConsole(this.console), n);
  }

  /** Runs a shell script in `dir` inside the guest; one command at a time. */
  run(script: string, dir: string, timeoutMs: number): Promise<RunOutcome> {
    const next = this.queue.then(() => this.runNow(script, dir, timeoutMs));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Asks the guest to power off; kills qemu if it has not exited within `timeoutMs`. */
  async poweroff(timeoutMs: number): Promise<void> {
    if (this.exit !== null) return;
    this.socket.write('poweroff\n');
    await this.waitExit(timeoutMs);
    if (this.exit === null) await this.kill();
  }

  /** Kills qemu by its pid (SIGKILL) and waits for it to be gone. */
  async kill(): Promise<void> {
    if (this.exit === null && this.child.pid !== undefined) {
      try {
        process.kill(this.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await this.waitExit(10_000);
    this.socket.destroy();
  }

  private async runNow(script: string, dir: string, timeoutMs: number): Promise<RunOutcome> {
    if (this.exit !== null) throw this.error(`the guest is not running (qemu exited ${this.exitText()})`);
    const nonce = newNonce();
    const parser = new FrameParser(nonce, (l) => this.consoleAppend(`[channel] ${l}\n`));
    const t0 = performance.now();
    this.socket.write(encodeRun(nonce, dir, script));
    const deadline = t0 + timeoutMs;
    for (;;) {
      for (let line = this.lines.shift(); line !== undefined; line = this.lines.shift()) {
        const frame = parser.push(line);
        if (frame !== null) return { frame, durationMs: performance.now() - t0 };
      }
      if (this.exit !== null)
        throw this.error(`qemu exited ${this.exitText()} while the guest ran a command${this.qemuSaid()}`);
      if (this.interrupted()) {
        await this.kill();
        throw this.error(`command interrupted: ${this.interruptText()}; qemu (pid ${String(this.pid)}) killed`);
      }
      if (performance.now() >= deadline) {
        await this.kill();
        return { frame: null, durationMs: performance.now() - t0 };
      }
      await this.waitLine(deadline - performance.now());
    }
  }

  private onClose(code: number | null, signal: string | null): void {
    if (this.exit !== null) return;
    if (this.stderrPartial !== '') this.onStderr('\n');
    this.exit = { code, signal, atMs: performance.now() - this.t0 };
    this.signal?.removeEventListener('abort', this.onAbort);
    this.socket.destroy();
    for (const w of this.exitWaiters.splice(0)) w();
    for (const w of this.lineWaiters.splice(0)) w();
  }

  private onStderr(text: string): void {
    const parts = (this.stderrPartial + text).split('\n');
    this.stderrPartial = parts.pop() ?? '';
    for (const l of parts) {
      this.stderrLines.push(l);
      this.consoleAppend(`[qemu] ${l}\n`);
    }
  }

  private consoleAppend(text: string): void {
    this.console += text;
    if (this.console.length > 2 * CONSOLE_KEEP) this.console = this.console.slice(-CONSOLE_KEEP);
  }

  /** Guest serial output (firmware, kernel, init). */
  private onConsole(text: string): void {
    this.consoleAppend(text);
    this.consoleSeen += text.length;
    if (this.kernelUpMs === null && /Linux version \d/.test(this.console))
      this.kernelUpMs = performance.now() - this.t0;
  }

  private onChannel(text: string): void {
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    this.lines.push(...parts.map((l) => l.replace(/\r$/, '')));
    for (const w of this.lineWaiters.splice(0)) w();
  }

  private interrupted(): boolean {
    return this.signal?.aborted === true;
  }

  private interruptText(): string {
    const reason: unknown = this.signal?.reason;
    return reason instanceof Error ? reason.message : String(reason ?? 'aborted');
  }

  /** Wakes every waiter (an interruption). */
  private wake(): void {
    for (const w of this.lineWaiters.splice(0)) w();
    for (const w of this.exitWaiters.splice(0)) w();
  }

  private waitLine(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, Math.max(0, ms));
      this.lineWaiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  private waitExit(ms: number): Promise<void> {
    if (this.exit !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.exitWaiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  private exitText(): string {
    if (this.exit === null) return '(still running)';
    return this.exit.signal !== null ? `on signal ${this.exit.signal}` : `with status ${String(this.exit.code)}`;
  }

  /** What qemu said on stderr (warnings left out), as a suffix for messages. */
  private qemuSaid(): string {
    const said = this.stderrLines
      .filter((l) => !/warning:/.test(l))
      .join(' | ')
      .replace(/qemu-system-x86_64: /g, '');
    return said === '' ? '' : `: ${said.slice(0, 300)}`;
  }

  private hangDiagnosis(timeoutMs: number): string {
    const lastLine = cleanConsole(this.console)
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('[qemu]'))
      .pop();
    const last = lastLine === undefined ? '' : `; last console line: '${lastLine.slice(0, 160)}'`;
    const killed = `qemu (pid ${String(this.child.pid)}) killed`;
    if (this.consoleSeen === 0)
      return `no console output at all (neither firmware nor kernel) within ${seconds(timeoutMs)}; ${killed}`;
    if (this.kernelUpMs === null)
      return `the firmware ran but the kernel printed nothing within ${seconds(timeoutMs)}${last}; ${killed}`;
    return (
      `the kernel started (first output after ${seconds(this.kernelUpMs)}) but the guest did not ` +
      `announce ready within ${seconds(timeoutMs)}${last}; ${killed}`
    );
  }

  private error(message: string): GuestError {
    return new GuestError(message, this.consoleTail());
  }
}
