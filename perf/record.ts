// Benchmark (not a test): cost of saving the record after a trial (run.json + samples.csv)
// as the run grows, measured with tinybench. Usage: node dist/perf/record.js
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bench } from 'tinybench';
import { writeRecord } from '../bench/run/record.js';
import { RECORD_SCHEMA_VERSION, type RunRecord, type Sample, type TrialResult } from '../model/record.js';

function syntheticRecord(samples: number): RunRecord {
  const perTrial = 10;
  const results: TrialResult[] = [];
  for (let t = 0; t < samples / perTrial; t++) {
    const s: Sample[] = Array.from({ length: perTrial }, (_, i) => ({
      kind: 'workload',
      metric: 'events_per_s',
      value: 3000 + i,
      unit: 'events/s',
      env: 'bare',
      engine: 'host',
      workload: 'cpu',
      params: { threads: 1, 'max-prime': 10000, time: 10 },
      trial: t + 1,
      trialId: t + 1,
      iteration: i + 1,
      phase: i === 0 ? 'warmup' : 'measure',
      timestamp: '2026-01-01T00:00:00.000Z',
      labels: { image_digest: 'a'.repeat(64), sysbench_sha256: 'b'.repeat(64), engine_version: 'sysbench 1.0.20' },
    }));
    results.push({
      trialId: t + 1,
      env: 'bare',
      engine: 'host',
      workload: 'cpu',
      params: {},
      trial: t + 1,
      status: 'completed',
      startedAt: '',
      finishedAt: '',
      durationMs: 1,
      samples: s,
      notes: [],
    });
  }
  return {
    schema: RECORD_SCHEMA_VERSION,
    runId: 'bench',
    toolVersion: '0',
    gitDescribe: { value: 'x' },
    host: {} as RunRecord['host'],
    plan: {} as RunRecord['plan'],
    probes: [],
    metrics: {},
    results,
    warnings: [],
    startedAt: '',
    finishedAt: null,
    interrupted: false,
  };
}

const dir = await mkdtemp(join(tmpdir(), 'isobench-record-bench-'));
const bench = new Bench({ iterations: 20, time: 500 });
for (const n of [1_000, 10_000]) {
  const rec = syntheticRecord(n);
  bench.add(`writeRecord with ${n} samples`, () => writeRecord(join(dir, String(n)), rec));
}
await bench.run();
for (const task of bench.tasks) {
  const r = task.result;
  if (r.state === 'errored') console.log(`${task.name}: errored: ${String(r.error)}`);
  else if ('latency' in r)
    console.log(`${task.name}: median ${r.latency.p50.toFixed(1)} ms per save (${r.latency.samplesCount} saves)`);
  else console.log(`${task.name}: ${r.state}`);
}
await rm(dir, { recursive: true, force: true });
