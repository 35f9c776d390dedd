// The side-by-side view every study report shares: per plan group, host rows × headline columns.
import type { HostResult, HostType, Study, StudyComparison } from '../../model/study.js';
import { fmtNum, pct } from '../../lib/numbers.js';
import { verdictText } from '../shared/verdict-text.js';

/** One column of the side-by-side table: a case's headline metric in one environment. */
export interface StudyColumn {
  /** The comparison row it shows. */
  comparison: StudyComparison;
  /** Header text, e.g. `cpu · events_per_s · container:runc`. */
  title: string;
}

/** Headline comparisons of a plan group, baseline columns (absolute medians) included, in study order. */
export function studyColumns(study: Study, planGroup: number): StudyColumn[] {
  return study.comparisons
    .filter((c) => c.planGroup === planGroup && c.headline)
    .map((c) => ({
      comparison: c,
      title: `${c.caseLabel} · ${c.metric} · ${c.envId}${c.isBaseline ? ' (baseline)' : ''}`,
    }));
}

/** A host's cell: the ratio with its interval, or for the baseline its median with the unit. */
export function cellText(c: StudyComparison, r: HostResult | undefined): string {
  if (r === undefined) return '–';
  if (c.isBaseline) return r.trials === 0 ? 'no data' : `${fmtNum(r.trialMedian)} ${c.unit}`;
  if (r.ratio === null) return verdictText(r);
  return `${r.ratio.toFixed(3)}${r.ratioCi ? ` [${r.ratioCi.lo.toFixed(3)}, ${r.ratioCi.hi.toFixed(3)}]` : ''}`;
}

/** Spread text: `median [min, max], range X %` of ratios (or of medians for a baseline column). */
export function spreadText(c: StudyComparison, scope: 'all' | string): string {
  const s =
    scope === 'all'
      ? c.isBaseline
        ? c.medianSpread
        : c.ratioSpread
      : (() => {
          const t = c.byType.find((b) => b.hostType === scope);
          return c.isBaseline ? t?.median : t?.ratio;
        })();
  if (!s) return '–';
  const f = c.isBaseline ? fmtNum : (x: number) => x.toFixed(3);
  return (
    `${f(s.median)} [${f(s.min)}, ${f(s.max)}], range ${pct(s.range)} % (${s.hosts} host` +
    `${s.hosts === 1 ? '' : 's'})`
  );
}

/** Host labels of a plan group, grouped by host type (type order, then study order). */
export function hostsByType(study: Study, planGroup: number): { type: HostType; hosts: string[] }[] {
  const inGroup = new Set(study.planGroups[planGroup]?.hosts ?? []);
  return study.hostTypes
    .map((type) => ({ type, hosts: type.hosts.filter((h) => inGroup.has(h)) }))
    .filter((g) => g.hosts.length > 0);
}

/** A host type's one-line description. */
export const typeText = (t: HostType) => `${t.name}: ${t.cpuModel}, kernel ${t.kernel}, ${t.accelerator}`;

/** A host's result in a comparison. */
export const resultOf = (c: StudyComparison, host: string) => c.hosts.find((h) => h.host === host);
