// The ETA of a run from the finished trials' durations per group, and the progress line's two forms.
import { describe, expect, it } from 'vitest';
import { Progress, durationText, etaMs, progressLine } from '../../bench/run/progress.js';

describe('etaMs', () => {
  it('expects each remaining unit to take its own group’s mean', () => {
    const finished = [
      { group: 'vm', durationMs: 30_000 },
      { group: 'vm', durationMs: 50_000 },
      { group: 'bare', durationMs: 10_000 },
    ];
    expect(etaMs(finished, ['vm', 'bare', 'bare'])).toBe(40_000 + 10_000 + 10_000);
  });
  it('falls back to the mean of all finished units for a group not seen yet', () => {
    const finished = [
      { group: 'vm', durationMs: 30_000 },
      { group: 'bare', durationMs: 10_000 },
    ];
    expect(etaMs(finished, ['container'])).toBe(20_000);
  });
  it('has no estimate before anything finished, and 0 when nothing is left', () => {
    expect(etaMs([], ['vm'])).toBeNull();
    expect(etaMs([], [])).toBe(0);
    expect(etaMs([{ group: 'vm', durationMs: 1 }], [])).toBe(0);
  });
});

describe('progress text', () => {
  it('formats durations as seconds, minutes and hours', () => {
    expect(durationText(0)).toBe('0s');
    expect(durationText(44_600)).toBe('45s');
    expect(durationText(250_000)).toBe('4m10s');
    expect(durationText(3_720_000)).toBe('1h02m');
  });
  it('reads [done/total] elapsed, ETA', () => {
    expect(progressLine(12, 45, 250_000, 570_000)).toBe('[12/45] 4m10s elapsed, ETA 9m30s');
    expect(progressLine(0, 45, 1000, null)).toBe('[0/45] 1s elapsed, ETA …');
  });
  it('writes a plain line per finished unit when not on a terminal', () => {
    let t = 0;
    const out: string[] = [];
    const p = new Progress(['a', 'a', 'b'], { live: false, write: (s) => out.push(s) }, () => t);
    t = 10_000;
    p.finished('a', 10_000);
    t = 30_000;
    p.finished('b', 20_000);
    p.stop();
    expect(out).toEqual(['[1/3] 10s elapsed, ETA 20s\n', '[2/3] 30s elapsed, ETA 10s\n']);
  });
  it('redraws one live line on a terminal and clears it around log lines', () => {
    let t = 0;
    const out: string[] = [];
    const p = new Progress(['a', 'a'], { live: true, write: (s) => out.push(s) }, () => t);
    const logged: string[] = [];
    const log = p.wrap((l) => logged.push(l));
    t = 5000;
    p.finished('a', 5000);
    log('trial 1 done');
    p.add(['a']);
    expect(p.line()).toBe('[1/3] 5s elapsed, ETA 10s');
    p.stop();
    log('after the run');
    expect(logged).toEqual(['trial 1 done', 'after the run']);
    expect(out).toEqual([
      '\r\x1b[K[1/2] 5s elapsed, ETA 5s',
      '\r\x1b[K',
      '\r\x1b[K[1/2] 5s elapsed, ETA 5s',
      '\r\x1b[K',
    ]);
    expect(out.join('')).not.toContain('\n');
  });
});
