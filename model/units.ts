// The units a metric can be measured in: one closed list, so a unit is a checked value, not free text.

/**
 * Every unit of the metric catalogue (model/metrics.ts and each workload's `metrics()`): rates
 * (`events/s`, `ops/s`, `MiB/s`, `launches/s`), times (`ms`) and sizes (`MiB`). A new metric in
 * a new unit adds it here; a record whose catalogue or samples name another unit is rejected
 * where it is read.
 */
export const UNITS = ['events/s', 'ops/s', 'MiB/s', 'launches/s', 'ms', 'MiB'] as const;

/** A unit of the metric catalogue. */
export type Unit = (typeof UNITS)[number];
