// Worker thread of `isobench merge`: reads and digests the runs it is sent, one at a time.
import { parentPort } from 'node:worker_threads';
import { answer } from './merge-read.js';

parentPort?.on('message', (job: { input: string; staged: string }) => {
  void answer(job.input, job.staged).then((a) => parentPort?.postMessage(a));
});
