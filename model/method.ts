// How a workload case measured (threads, IO depth, block size…), in terms a published method can be compared with.

/** Facts about how one workload case measured; a workload derives them from its parameters. */
export interface MeasuredMethod {
  /** Tool and test, e.g. `sysbench fileio rndrw`. */
  tool: string;
  /** Worker threads. */
  threads?: number;
  /** Requests in flight across all threads: threads × 1 for synchronous IO, threads × backlog for asynchronous IO. */
  ioDepth?: number;
  /** Bytes per request (fileio) or per operation (memory). */
  blockBytes?: number;
  /** `sync` or `async` IO. */
  ioMode?: string;
  /** Whether files are opened with O_DIRECT (the page cache is bypassed). */
  direct?: boolean;
}

/** Name of a method fact a claim can require. */
export type MethodFact = Exclude<keyof MeasuredMethod, 'tool'>;
