// The host side of the guest command channel: request lines, nonce-framed base64 answers, ready facts.
import { randomBytes } from 'node:crypto';
import { shellCommand } from '../../lib/text.js';

/** A fresh nonce for one command (hex; never appears in base64 output lines, which have no `-`). */
export function newNonce(): string {
  return randomBytes(12).toString('hex');
}

/** The request line for a shell script run in `dir`: `run <nonce> <dir> <base64 script>`. */
export function encodeRun(nonce: string, dir: string, script: string): string {
  if (!/^\/[A-Za-z0-9_./-]*$/.test(dir))
    throw new Error(`guest directory '${dir}' must be an absolute path without spaces`);
  return `run ${nonce} ${dir} ${Buffer.from(script).toString('base64')}\n`;
}

/** The script that runs an argv with nothing else: `exec 'prog' 'arg'…`. */
export function argvScript(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('empty argv');
  return `exec ${shellCommand(argv)}\n`;
}

/** A finished command as the guest reported it. */
export interface Frame {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * Collects the answer to one command from the channel's lines. Lines outside this nonce's frame
 * are ignored (reported through `stray`), so leftovers of an earlier command cannot leak in.
 */
export class FrameParser {
  private state: 'before' | 'stdout' | 'stderr' = 'before';
  private out: string[] = [];
  private err: string[] = [];

  constructor(
    private readonly nonce: string,
    private readonly stray: (line: string) => void = () => undefined,
  ) {}

  /** Feeds one line (without newline); returns the frame once its end line arrived. */
  push(line: string): Frame | null {
    const l = line.replace(/\r$/, '');
    if (l === `isobench-begin ${this.nonce}`) {
      this.state = 'stdout';
      this.out = [];
      this.err = [];
      return null;
    }
    if (this.state === 'before') {
      this.stray(l);
      return null;
    }
    if (l === `isobench-stderr ${this.nonce}`) {
      this.state = 'stderr';
      return null;
    }
    const end = new RegExp(`^isobench-end ${this.nonce} (\\d+)$`).exec(l);
    if (end?.[1] !== undefined && this.state === 'stderr') {
      return { stdout: decode(this.out), stderr: decode(this.err), exitCode: Number(end[1]) };
    }
    if (!/^[A-Za-z0-9+/=]*$/.test(l)) {
      this.stray(l);
      return null;
    }
    (this.state === 'stdout' ? this.out : this.err).push(l);
    return null;
  }
}

function decode(lines: string[]): string {
  return Buffer.from(lines.join(''), 'base64').toString('utf8');
}

/** What the guest says about itself before announcing ready. */
export interface ReadyFacts {
  kernel: string | null;
  nproc: number | null;
  memTotalKiB: number | null;
  cmdline: string | null;
  /** The guest kernel's clocksource (sysbench's time limits and rates run on it). */
  clocksource: string | null;
  sha256: string | null;
  uptimeS: number | null;
}

/** Parses the lines the guest printed up to (and including) the ready marker. */
export function parseReadyFacts(text: string): ReadyFacts {
  const get = (k: string) => new RegExp(`^${k} (.+)$`, 'm').exec(text)?.[1]?.trim() ?? null;
  const num = (k: string) => {
    const v = get(k);
    return v === null || !Number.isFinite(Number(v)) ? null : Number(v);
  };
  return {
    kernel: get('isobench-kernel'),
    nproc: num('isobench-nproc'),
    memTotalKiB: num('isobench-memtotal-kb'),
    cmdline: get('isobench-cmdline'),
    clocksource: get('isobench-clocksource'),
    sha256: get('isobench-sha256'),
    uptimeS: num('isobench-uptime'),
  };
}
