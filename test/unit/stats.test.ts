// Descriptive statistics and the per-trial summary on hand-computed data.
import { describe, expect, it } from 'vitest';
import {
  cv,
  describe as describeValues,
  mad,
  mean,
  median,
  quantile,
  quantileSorted,
  stdev,
  summarise,
} from '../../analysis/stats.js';

describe('descriptive statistics', () => {
  it('match hand-computed values', () => {
    const xs = [1, 2, 3, 4, 100];
    expect(median(xs)).toBe(3);
    expect(mean(xs)).toBe(22);
    expect(mad(xs)).toBe(1);
    expect(quantile([10, 20, 30, 40], 0.5)).toBe(25);
    expect(quantile([1, 2, 3, 4, 5], 0.95)).toBeCloseTo(4.8);
    expect(quantile([40, 10, 30, 20], 0.25)).toBe(17.5);
    expect(quantileSorted(Float64Array.from([10, 20, 30, 40]), 0.25)).toBe(17.5);
    expect(quantileSorted([], 0.5)).toBeNaN();
    expect(stdev([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.138, 3);
    expect(cv([10, 10, 10])).toBe(0);
  });
  it('describe reports n, median, mean, MAD, CV, min, max, p95', () => {
    const d = describeValues([5, 1, 3]);
    expect(d).toMatchObject({ n: 3, median: 3, mean: 3, mad: 2, min: 1, max: 5 });
    expect(d.cv).toBeCloseTo(2 / 3);
    expect(d.p95).toBeCloseTo(4.8);
  });
  it('is NaN, not a crash, for no values', () => {
    expect(Number.isNaN(describeValues([]).median)).toBe(true);
  });
});

describe('summarise (trial = unit of replication)', () => {
  it('pools samples for the descriptive stats and keeps per-trial medians in execution order', () => {
    const s = summarise([
      { trialId: 7, values: [30, 31, 29] },
      { trialId: 2, values: [10, 12, 11] },
      { trialId: 4, values: [] },
    ]);
    expect(s.n).toBe(6);
    expect(s.trials).toBe(2);
    expect(s.trialMedians).toEqual([11, 30]);
    expect(s.min).toBe(10);
    expect(s.max).toBe(31);
    expect(s.trialCv).toBeCloseTo(cv([11, 30]));
  });
});
