// The plain-text summary `isobench merge` prints: hosts, then each headline row's spread across hosts.
import type { Study } from '../../model/study.js';
import { spreadText, studyColumns, typeText } from './view.js';

/** Renders the text summary of a study. */
export function studyTable(study: Study): string {
  const ok = study.hosts.filter((h) => h.status === 'ok').map((h) => h.label);
  const missing = study.hosts.filter((h) => h.status === 'missing').map((h) => h.label);
  const lines = [
    `hosts: ${ok.length} measured${ok.length ? ` (${ok.join(', ')})` : ''}` +
      `${missing.length ? `, ${missing.length} missing (${missing.join(', ')})` : ''}`,
    ...study.hostTypes.map((t) => `  ${typeText(t)} — ${t.hosts.join(', ')}`),
  ];
  for (const g of study.planGroups) {
    lines.push(
      '',
      `plan ${g.id}${study.planGroups.length > 1 ? ` (${g.hosts.join(', ')})` : ''}: isobench run ` +
        `${g.request.args.join(' ')}`,
    );
    const rows: string[][] = [['workload · metric · environment', 'across hosts: median [min, max], range']];
    for (const col of studyColumns(study, g.id)) {
      rows.push([col.title, spreadText(col.comparison, 'all')]);
      if (study.hostTypes.length > 1) {
        for (const t of col.comparison.byType)
          rows.push([
            `  ${study.hostTypes.find((x) => x.key === t.hostType)?.name ?? t.hostType}`,
            spreadText(col.comparison, t.hostType),
          ]);
      }
    }
    const width = Math.max(...rows.map((r) => (r[0] ?? '').length));
    lines.push(...rows.map((r) => `${(r[0] ?? '').padEnd(width)}  ${r[1] ?? ''}`.trimEnd()));
  }
  lines.push(
    '',
    'ratios: environment ÷ baseline on each host (baseline rows: median of trials); per-host values ' +
      'in summary.csv and report.html',
  );
  return lines.join('\n');
}
