// Reads a merge's inputs on worker threads, one per CPU (the bootstrap of each run is the cost), in input order.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ConfigError } from '../../model/errors.js';
import { answer, type ReadAnswer, type ReadRun } from './merge-read.js';

/** Reads every input (staging copies under `staging/<index>`); the first bad input is a ConfigError. */
export async function readAll(inputs: readonly string[], staging: string): Promise<ReadRun[]> {
  const answers: ReadAnswer[] = new Array<ReadAnswer>(inputs.length);
  const workerFile = new URL('./merge-worker.js', import.meta.url);
  // From TypeScript sources (tests) there is no compiled worker: read in this thread.
  const threads = import.meta.url.endsWith('.js') ? Math.min(availableParallelism(), inputs.length) : 0;
  if (threads <= 1) {
    for (const [i, input] of inputs.entries()) answers[i] = await answer(input, join(staging, String(i)));
  } else {
    let next = 0;
    await Promise.all(
      Array.from({ length: threads }, async () => {
        const worker = new Worker(workerFile);
        try {
          while (next < inputs.length) {
            const i = next++;
            answers[i] = await new Promise<ReadAnswer>((resolve, reject) => {
              worker.once('message', resolve);
              worker.once('error', reject);
              worker.postMessage({ input: inputs[i], staged: join(staging, String(i)) });
            });
            worker.removeAllListeners('error');
          }
        } finally {
          await worker.terminate();
        }
      }),
    );
  }
  return answers.map((a) => {
    if (a.ok) return a.run;
    throw a.config ? new ConfigError(a.message) : new Error(a.message);
  });
}
