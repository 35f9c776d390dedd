// An error that keeps the tail of a log (engine output, guest console) for the trial record.

/** Failure of an environment, with the log tail the executor copies into the errored trial. */
export class LogTailError extends Error {
  override name = 'LogTailError';
  constructor(
    message: string,
    readonly logTail: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
