// One interruption for the whole `isobench run`: SIGINT/SIGTERM abort a signal every wait of the run
// watches, remember the phase it came in, and later signals never cut the cleanup short.
import type { Interruption } from '../../model/record.js';

/** The run's abort signal, installed before probing and removed when the command is done. */
export class RunAbort {
  private readonly controller = new AbortController();
  private received: Interruption | null = null;
  /** What the run is doing now, recorded with an interruption (e.g. `probing vm:qemu`). */
  phase = 'starting';
  private readonly handler = (sig: NodeJS.Signals) => this.onSignal(sig);
  private finished = false;

  constructor(private readonly log: (line: string) => void) {}

  /** Aborted on the first SIGINT/SIGTERM. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The interruption, once a signal came. */
  get interruption(): Interruption | null {
    return this.received;
  }

  /** Whether a signal came. */
  aborted(): boolean {
    return this.received !== null;
  }

  /** The exit code of an interrupted command: 128 + the signal's number (130 SIGINT, 143 SIGTERM). */
  exitCode(): number {
    return this.received?.signal === 'SIGTERM' ? 143 : 130;
  }

  /**
   * Takes over SIGINT and SIGTERM (node would otherwise exit at once, leaving instances behind)
   * for the rest of the process: after `done()` a signal exits with the right code.
   */
  install(): this {
    process.on('SIGINT', this.handler);
    process.on('SIGTERM', this.handler);
    return this;
  }

  /**
   * Says the command is done: everything is removed and saved, so a later signal (the process may
   * still be flushing output) exits at once, with the interruption's exit code if there was one.
   */
  done(): void {
    this.finished = true;
  }

  private onSignal(sig: NodeJS.Signals): void {
    if (this.finished) process.exit(this.received !== null ? this.exitCode() : sig === 'SIGTERM' ? 143 : 130);
    if (this.received !== null) {
      // Exiting now would leave containers, guests and temp files behind: cleanup goes on.
      this.log(
        `received ${sig} again: still removing this run's instances and temp files; isobench exits when they are gone`,
      );
      return;
    }
    this.received = { signal: sig, phase: this.phase, at: new Date().toISOString() };
    this.log(
      `received ${sig} while ${this.phase}: stopping this run's instances, removing its temp files, ` +
        `saving what was measured`,
    );
    this.controller.abort(new Error(`interrupted by ${sig}`));
  }
}
