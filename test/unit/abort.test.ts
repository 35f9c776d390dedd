// The run's interruption: the first signal aborts with its phase, later ones never cut cleanup short; run dirs are claimed exclusively.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RunAbort } from '../../bench/run/abort.js';
import { claimRunDir } from '../../bench/run/executor.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('RunAbort', () => {
  it('aborts on the first signal with its phase, and only logs later ones', () => {
    const lines: string[] = [];
    const before = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
    const abort = new RunAbort((l) => lines.push(l)).install();
    try {
      abort.phase = 'probing vm:qemu';
      expect(abort.aborted()).toBe(false);
      process.emit('SIGTERM', 'SIGTERM');
      abort.phase = 'teardown';
      process.emit('SIGINT', 'SIGINT');
      expect(abort.signal.aborted).toBe(true);
      expect((abort.signal.reason as Error).message).toBe('interrupted by SIGTERM');
      expect(abort.interruption).toMatchObject({ signal: 'SIGTERM', phase: 'probing vm:qemu' });
      expect(abort.exitCode()).toBe(143);
      expect(lines[0]).toMatch(/received SIGTERM while probing vm:qemu/);
      expect(lines[1]).toMatch(/received SIGINT again: still removing/);
    } finally {
      for (const sig of ['SIGINT', 'SIGTERM'] as const) {
        for (const l of process.listeners(sig)) if (!before[sig].includes(l)) process.off(sig, l);
      }
    }
  });
});

describe('claimRunDir', () => {
  it('gives concurrent runs into one --out root distinct directories', async () => {
    const root = mkdtempSync(join(tmpdir(), 'isobench-claim-'));
    dirs.push(root);
    const claimed = await Promise.all(Array.from({ length: 40 }, () => claimRunDir(root)));
    expect(new Set(claimed.map((c) => c.runId)).size).toBe(40);
    expect(readdirSync(root)).toHaveLength(40);
    for (const c of claimed) expect(c.runId).toMatch(/^\d{8}-\d{6}-[0-9a-f]{8}$/);
  });
});
