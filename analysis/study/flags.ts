// What a study flags instead of mixing silently: missing hosts, other plans, other revisions or images.
import type { PlanGroup, StudyFlag, StudyHost } from '../../model/study.js';
import { planDifferences, type RunDigest } from './digest.js';

/** A run digest with its host's label. */
interface LabelledRun {
  /** Host label. */
  label: string;
  /** The run. */
  digest: RunDigest;
}

/** Groups host labels by a value, in first-seen order. */
function hostsBy(runs: readonly LabelledRun[], value: (d: RunDigest) => string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of runs) {
    const v = value(r.digest);
    const hs = out.get(v) ?? [];
    if (!hs.includes(r.label)) hs.push(r.label);
    out.set(v, hs);
  }
  return out;
}

const list = (m: Map<string, string[]>) => [...m].map(([v, hs]) => `${v} on ${hs.join(', ')}`).join('; ');
const allHosts = (m: Map<string, string[]>) => [...new Set([...m.values()].flat())];

function planFlags(groups: readonly PlanGroup[]): StudyFlag[] {
  const [main, ...others] = groups;
  if (main === undefined) return [];
  return others.map((g) => ({
    kind: 'plan-mismatch' as const,
    hosts: g.hosts,
    message:
      `${g.hosts.join(', ')} ran a different plan (plan ${g.id}) from ${main.hosts.join(', ')} (plan ` +
      `0): it differs in ${planDifferences(main.request, g.request).join(', ')}. The plans are ` +
      `compared separately, never mixed; re-run them with the same arguments and seed (the Ansible ` +
      `playbook does) to compare all hosts side by side.`,
  }));
}

function versionFlags(runs: readonly LabelledRun[]): StudyFlag[] {
  const out: StudyFlag[] = [];
  const isobench = hostsBy(runs, (d) => `isobench ${d.toolVersion} (${d.gitDescribe ?? 'unknown revision'})`);
  if (isobench.size > 1) {
    out.push({
      kind: 'tool-version-mismatch',
      hosts: allHosts(isobench),
      message:
        `Hosts ran different isobench revisions: ${list(isobench)}. Measurement code may differ between ` +
        `them; install one revision everywhere (one npm pack tarball) and re-run.`,
    });
  }
  const sysbench = hostsBy(runs, (d) => d.sysbenchVersion ?? 'unknown sysbench');
  if (sysbench.size > 1) {
    out.push({
      kind: 'tool-version-mismatch',
      hosts: allHosts(sysbench),
      message:
        `Hosts ran different sysbench versions: ${list(sysbench)}. Results differ 2–15× between sysbench ` +
        `versions: compare absolute numbers only within one version (ratios against each host's own bare ` +
        `metal stay meaningful).`,
    });
  }
  return out;
}

function imageFlags(runs: readonly LabelledRun[], groups: readonly PlanGroup[]): StudyFlag[] {
  const out: StudyFlag[] = [];
  for (const g of groups) {
    const inGroup = runs.filter((r) => r.digest.planKey === g.key && r.digest.imageDigests.length > 0);
    const digests = hostsBy(inGroup, (d) => d.imageDigests.map((x) => x.slice(0, 12)).join('+'));
    if (digests.size > 1) {
      out.push({
        kind: 'image-digest-mismatch',
        hosts: allHosts(digests),
        message:
          `Plan ${g.id}: hosts measured different workload images (digest ${list(digests)}): their ` +
          `sysbench binaries or libraries differ, so absolute numbers are not like for like. Ratios ` +
          `against each host's own bare metal remain valid; install the same sysbench build everywhere to ` +
          `compare hosts directly.`,
      });
    }
    const cases = hostsBy(
      runs.filter((r) => r.digest.planKey === g.key),
      (d) => d.caseKeys.join('\n'),
    );
    if (cases.size > 1) {
      out.push({
        kind: 'resolved-params-differ',
        hosts: allHosts(cases),
        message:
          `Plan ${g.id}: the same arguments resolved to different workload parameters on different hosts ` +
          `(host-dependent defaults such as the memory block size, chosen above each host's last-level ` +
          `cache). Such cases appear as separate rows, each compared among the hosts that ran it; pin them ` +
          `with --set to compare every host on one row.`,
      });
    }
  }
  return out;
}

function incompleteFlags(runs: readonly LabelledRun[]): StudyFlag[] {
  const bad = runs.filter((r) => r.digest.interrupted || r.digest.trials.errored > 0);
  if (bad.length === 0) return [];
  const what = bad.map(
    (r) =>
      `${r.label} (${r.digest.runId}: ` +
      `${r.digest.interrupted ? 'interrupted' : `${r.digest.trials.errored} trial(s) errored`})`,
  );
  return [
    {
      kind: 'incomplete-run',
      hosts: [...new Set(bad.map((r) => r.label))],
      message:
        `Some runs are incomplete: ${what.join(', ')}. Their measured trials are used; read those hosts' ` +
        `rows as partial (the error messages are in their run.json).`,
    },
  ];
}

/** Every flag of a study, missing hosts first. */
export function studyFlags(
  runs: readonly LabelledRun[],
  groups: readonly PlanGroup[],
  hosts: readonly StudyHost[],
): StudyFlag[] {
  const missing: StudyFlag[] = hosts.flatMap((h) =>
    h.status === 'missing'
      ? [
          {
            kind: 'missing-host' as const,
            hosts: [h.label],
            message: `${h.label} is missing from the study: ${h.reason}`,
          },
        ]
      : [],
  );
  return [
    ...missing,
    ...planFlags(groups),
    ...versionFlags(runs),
    ...imageFlags(runs, groups),
    ...incompleteFlags(runs),
  ];
}
