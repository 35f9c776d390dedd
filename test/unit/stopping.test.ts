// Optional stopping must not make the intervals lie: in simulated studies with a known true ratio,
// the 95 % interval of --until-conclusive's rule (stop on precision, never on the verdict) still covers
// the truth in ≥ 93 % of studies, and a naive "stop when it looks significant" rule, in the same
// simulation, does not.
import { describe, expect, it } from 'vitest';
import { ratioInterval, seedFor, type Interval } from '../../analysis/bootstrap.js';
import { rng } from '../../analysis/rng.js';
import { median } from '../../analysis/stats.js';
import { changeInterval, changeOf, verdict } from '../../analysis/verdict.js';
import { preciseEnough } from '../../analysis/stopping.js';

/** One lognormal trial value around `mu` (median mu, log-sd sigma). */
function draw(mu: number, sigma: number, rand: () => number): number {
  return mu * Math.exp(sigma * Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()));
}

type Rule = 'until-conclusive' | 'naive' | 'continue-inconclusive';
const MARGIN = 0.02;
const PLANNED = 5;
const MAX_TRIALS = 30;
const SIGMA = 0.015;
const STUDIES = 600;

/** One study: planned trials per side, then one trial per side per round until the rule stops it; returns the final change interval. */
function study(
  rule: Rule,
  truth: number,
  sigma: number,
  sim: number,
  rand: () => number,
): { ci: Interval | null; trials: number } {
  const base: number[] = [];
  const env: number[] = [];
  for (let i = 0; i < PLANNED; i++) {
    base.push(draw(1000, sigma, rand));
    env.push(draw(1000 * truth, sigma, rand));
  }
  const judge = () => {
    const ci = ratioInterval(base, env, { seed: seedFor(sim, `n${base.length}`), resamples: 400 });
    const change = ci === null ? null : changeInterval(ci, 'higher');
    const v = verdict({
      change: changeOf(median(env) / median(base), 'higher'),
      interval: change,
      margin: MARGIN,
      trials: { base: base.length, env: env.length },
      quantity: 'rate',
    });
    return { ratio: ci, change, v };
  };
  let j = judge();
  // Going on only with the cells that are inconclusive after the plan looks at the verdict once.
  if (rule === 'continue-inconclusive' && j.v.kind !== 'inconclusive') return { ci: j.change, trials: base.length };
  while (base.length < MAX_TRIALS) {
    if (j.ratio !== null && (rule === 'naive' ? j.v.kind !== 'inconclusive' : preciseEnough(j.ratio, MARGIN))) break;
    base.push(draw(1000, sigma, rand));
    env.push(draw(1000 * truth, sigma, rand));
    j = judge();
  }
  return { ci: j.change, trials: base.length };
}

function coverage(
  rule: Rule,
  truth: number,
  sigma: number,
  studies: number,
  seed: number,
): { covered: number; meanTrials: number } {
  const rand = rng(seed);
  let covered = 0;
  let trials = 0;
  const trueChange = changeOf(truth, 'higher');
  for (let sim = 0; sim < studies; sim++) {
    const { ci, trials: n } = study(rule, truth, sigma, sim, rand);
    trials += n;
    if (ci !== null && ci.lo <= trueChange && trueChange <= ci.hi) covered++;
  }
  return { covered: covered / studies, meanTrials: trials / studies };
}

describe('optional stopping (--until-conclusive)', () => {
  it('a precise interval is always conclusive, for either direction of metric', () => {
    for (const lo of [0.2, 0.95, 0.97, 0.975, 0.98, 0.99, 0.995, 1, 1.01, 1.03, 5]) {
      const ratio = { lo, hi: lo * (1 + MARGIN) * (1 - 2e-9) };
      expect(preciseEnough(ratio, MARGIN)).toBe(true);
      for (const better of ['higher', 'lower'] as const) {
        const v = verdict({
          change: changeOf(lo, better),
          interval: changeInterval(ratio, better),
          margin: MARGIN,
          trials: { base: 5, env: 5 },
          quantity: 'rate',
        });
        expect(v.kind, `ratio [${lo}, ${ratio.hi}], ${better} is better`).not.toBe('inconclusive');
      }
    }
    expect(preciseEnough({ lo: 0.97, hi: 0.97 * 1.021 }, MARGIN)).toBe(false);
  });

  it('keeps the 95 % interval honest; stopping when it looks significant does not', () => {
    const t0 = performance.now();
    const rows: string[] = [];
    // True change 0 (no effect: where "looks significant" is a false alarm) and 1 % (inside the margin ±2 %).
    for (const truth of [1, 0.99]) {
      const ours = coverage('until-conclusive', truth, SIGMA, STUDIES, 42);
      // The rules that look at the verdict err where there is no effect to find.
      const naive = truth === 1 ? coverage('naive', truth, SIGMA, STUDIES, 42) : null;
      const selected = truth === 1 ? coverage('continue-inconclusive', truth, SIGMA, STUDIES, 42) : null;
      rows.push(
        `true ratio ${truth}, ${100 * SIGMA} % lognormal trial noise, ${STUDIES} studies each: precision ` +
          `stopping covers ${(100 * ours.covered).toFixed(1)} % (mean ${ours.meanTrials.toFixed(1)} trials)` +
          `${naive && selected ? `; stop-when-conclusive ${(100 * naive.covered).toFixed(1)} % (${naive.meanTrials.toFixed(1)}), continue-only-inconclusive ${(100 * selected.covered).toFixed(1)} % (${selected.meanTrials.toFixed(1)})` : ''}`,
      );
      expect(ours.covered).toBeGreaterThanOrEqual(0.93);
      // In the same simulation the rules that look at the verdict fall below the bar.
      if (naive && selected) {
        expect(naive.covered).toBeLessThan(0.93);
        expect(naive.covered).toBeLessThan(ours.covered - 0.01);
      }
    }
    process.stderr.write(`${rows.join('\n')}\n(${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
  });
});
