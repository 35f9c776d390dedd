// The study's summary.md: flags, hosts by type, and each plan's hosts side by side, for a CI job summary.
import type { Study } from '../../model/study.js';
import { escapeMd } from '../shared/format.js';
import { cellText, hostsByType, resultOf, spreadText, studyColumns, typeText } from './view.js';

/** Renders summary.md. */
export function studyMarkdown(study: Study): string {
  const ok = study.hosts.filter((h) => h.status === 'ok').length;
  const lines = [
    `## isobench study: ${ok} host${ok === 1 ? '' : 's'} measured` +
      `${study.hosts.length > ok ? `, ${study.hosts.length - ok} missing` : ''}`,
    '',
    "Each cell is that host's ratio against its own bare metal (environment ÷ baseline, median of " +
      'per-trial medians) with its 95 % bootstrap interval; baseline columns show the median itself. ' +
      'Spread rows: median [min, max] across hosts and the relative range.',
    '',
  ];
  if (study.flags.length > 0)
    lines.push(
      `### Flags (${study.flags.length})`,
      '',
      ...study.flags.map((f) => `- ⚠️ **${f.kind}**: ${escapeMd(f.message)}`),
      '',
    );
  else lines.push('No flags: one plan, one revision, one image, every host present.', '');
  lines.push(
    '### Host types',
    '',
    ...study.hostTypes.map((t) => `- ${escapeMd(typeText(t))} — ${escapeMd(t.hosts.join(', '))}`),
    '',
  );
  const missing = study.hosts.flatMap((h) =>
    h.status === 'missing' ? [`- ${escapeMd(h.label)}: missing — ${escapeMd(h.reason)}`] : [],
  );
  if (missing.length > 0) lines.push('### Missing hosts', '', ...missing, '');
  for (const g of study.planGroups) {
    const cols = studyColumns(study, g.id);
    lines.push(
      `### Plan ${g.id}`,
      '',
      `\`isobench run ${escapeMd(g.request.args.join(' '))}\` (seed ${g.request.seed})`,
      '',
    );
    lines.push(
      `| host | type | ${cols.map((c) => escapeMd(c.title)).join(' | ')} |`,
      `|---|---|${cols.map(() => '--:|').join('')}`,
    );
    for (const { type, hosts } of hostsByType(study, g.id)) {
      for (const h of hosts)
        lines.push(
          `| ${escapeMd(h)} | ${escapeMd(type.name)} | ` +
            `${cols.map((c) => escapeMd(cellText(c.comparison, resultOf(c.comparison, h)))).join(' | ')} |`,
        );
    }
    lines.push(`| **all hosts** | | ${cols.map((c) => escapeMd(spreadText(c.comparison, 'all'))).join(' | ')} |`);
    if (study.hostTypes.length > 1) {
      for (const t of study.hostTypes)
        lines.push(
          `| **${escapeMd(t.name)}** | | ${cols.map((c) => escapeMd(spreadText(c.comparison, t.key))).join(' | ')} |`,
        );
    }
    lines.push('');
  }
  return lines.join('\n');
}
