// Progress of a long run: "[12/45] 4m10s elapsed, ETA 9m30s", live on a terminal, plain lines in CI logs.

/** A finished unit of work (a trial): which group it belongs to (its environment) and how long it took. */
export interface FinishedUnit {
  /** Group whose units take about as long as each other (the environment, `env:engine`). */
  group: string;
  /** Wall time of the unit in ms. */
  durationMs: number;
}

/**
 * Time left in ms: each remaining unit is expected to take the mean duration of the finished
 * units of its group, or of all finished units when its group has none yet. Null when nothing
 * has finished (no basis for an estimate).
 */
export function etaMs(finished: readonly FinishedUnit[], remaining: readonly string[]): number | null {
  if (finished.length === 0) return remaining.length === 0 ? 0 : null;
  const sums = new Map<string, { total: number; n: number }>();
  let total = 0;
  for (const f of finished) {
    const s = sums.get(f.group) ?? { total: 0, n: 0 };
    s.total += f.durationMs;
    s.n += 1;
    sums.set(f.group, s);
    total += f.durationMs;
  }
  const overall = total / finished.length;
  let left = 0;
  for (const g of remaining) {
    const s = sums.get(g);
    left += s ? s.total / s.n : overall;
  }
  return left;
}

/** A duration as `45s`, `4m10s` or `1h02m` (rounded to whole seconds). */
export function durationText(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** The progress line: `[12/45] 4m10s elapsed, ETA 9m30s` (`ETA …` until a unit has finished). */
export function progressLine(done: number, total: number, elapsedMs: number, eta: number | null): string {
  return `[${done}/${total}] ${durationText(elapsedMs)} elapsed, ETA ${eta === null ? '…' : durationText(eta)}`;
}

/** Where progress goes: a live line redrawn in place (terminal) or one plain line per finished unit (CI log). */
export interface ProgressSink {
  /** True on a terminal: one line redrawn with `\r` every second; false: a plain line per finished unit. */
  live: boolean;
  /** Writes raw text (no newline added), e.g. process.stderr.write. */
  write: (text: string) => void;
}

/** Tracks finished units of a run and shows the progress line; `log` wraps a line logger so a live line is not torn. */
export class Progress {
  private readonly finishedUnits: FinishedUnit[] = [];
  private remaining: string[];
  private readonly t0: number;
  private timer: NodeJS.Timeout | undefined;
  private shown = false;
  private stopped = false;

  constructor(
    groups: readonly string[],
    private readonly sink: ProgressSink | null,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.remaining = [...groups];
    this.t0 = now();
    if (sink?.live) {
      this.timer = setInterval(() => this.draw(), 1000);
      this.timer.unref();
    }
  }

  /** Units finished so far plus those left. */
  get total(): number {
    return this.finishedUnits.length + this.remaining.length;
  }

  /** More units were planned (e.g. an extra round of trials). */
  add(groups: readonly string[]): void {
    this.remaining.push(...groups);
  }

  /** The current line. */
  line(): string {
    return progressLine(
      this.finishedUnits.length,
      this.total,
      this.now() - this.t0,
      etaMs(this.finishedUnits, this.remaining),
    );
  }

  /** One unit of `group` finished after `durationMs`. */
  finished(group: string, durationMs: number): void {
    const i = this.remaining.indexOf(group);
    if (i >= 0) this.remaining.splice(i, 1);
    this.finishedUnits.push({ group, durationMs });
    if (!this.sink) return;
    if (this.sink.live) this.draw();
    else this.sink.write(`${this.line()}\n`);
  }

  /** A logger that clears the live line before `log` writes and redraws it after. */
  wrap(log: (line: string) => void): (line: string) => void {
    return (text: string) => {
      this.clear();
      log(text);
      if (this.sink?.live) this.draw();
    };
  }

  /** Removes the live line and stops redrawing. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.clear();
    this.stopped = true;
  }

  private draw(): void {
    if (!this.sink?.live || this.stopped) return;
    this.sink.write(`\r\x1b[K${this.line()}`);
    this.shown = true;
  }

  private clear(): void {
    if (!this.shown || !this.sink) return;
    this.sink.write('\r\x1b[K');
    this.shown = false;
  }
}
