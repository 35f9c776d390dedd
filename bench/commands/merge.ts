// `isobench merge <run dir|run.json>... --out <study dir>`: one study from many hosts' runs.
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../../model/errors.js';
import type { Study, StudyFlag } from '../../model/study.js';
import { assembleStudy, type HostInput, type RunInput } from '../../analysis/study/assemble.js';
import { digestRun, poolRuns, type DigestRow } from '../../analysis/study/digest.js';
import { readAll } from './merge-pool.js';
import { renderStudyReports } from '../../reports/study/index.js';
import { studyTable } from '../../reports/study/table.js';
import { readRecordText, recordPath } from '../run/record.js';
import { toolVersion } from '../run/version.js';
import { makeDir, writeFileAtomic, writeFilesAtomic } from '../run/atomic.js';

const OPTIONS = {
  out: { type: 'string' as const },
  missing: { type: 'string' as const, multiple: true as const, default: [] as string[] },
  help: { type: 'boolean' as const, short: 'h', default: false },
};

/** Usage of `isobench merge`. */
export const MERGE_USAGE = `usage: isobench merge <run dir|run.json>... --out <study dir> [--missing LABEL=REASON]...
  Merges runs (one or several per host) into one study: study.json, hosts.csv, summary.csv,
  spread.csv, summary.md, overhead-hosts.png and report.html, with every run kept under runs/.
  --missing LABEL=REASON   a host that was expected but has no run (repeatable)
  exit 0: merged, nothing flagged; 1: merged, something flagged (missing hosts, different plans,
  revisions or images); 2: bad input
`;

/** Parsed `isobench merge` arguments. */
interface MergeArgs {
  /** Run directories or run.json files. */
  inputs: string[];
  /** The study directory. */
  out: string;
  /** Hosts with no run. */
  missing: { label: string; reason: string }[];
}

function parseMergeArgs(argv: string[]): MergeArgs | null {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new ConfigError(`${msg.split('\n')[0] ?? msg}; valid flags: --out, --missing`, { cause: err });
  }
  const { values: v, positionals } = parsed;
  if (v.help) return null;
  const missing = v.missing.map((m) => {
    const i = m.indexOf('=');
    if (i <= 0)
      throw new ConfigError(
        `bad value '${m}' for --missing: expected LABEL=REASON, e.g. --missing 'web-03=unreachable'`,
      );
    return { label: m.slice(0, i), reason: m.slice(i + 1).trim() || 'no reason given' };
  });
  if (positionals.length === 0 && missing.length === 0)
    throw new ConfigError('merge needs at least one run directory or run.json (results/<run-id>)');
  if (v.out === undefined || v.out === '')
    throw new ConfigError('merge needs --out <study dir>: where the study is written');
  return { inputs: positionals, out: resolve(v.out), missing };
}

/** The study directory: created, or an earlier study's files replaced; never someone else's folder. */
async function prepareOut(out: string, inputs: readonly string[]): Promise<void> {
  for (const i of inputs) {
    if (!existsSync(recordPath(i)))
      throw new ConfigError(
        `cannot read '${recordPath(i)}' (no such file): pass a run directory written by 'isobench run' ` +
          `(results/<run-id>) or its run.json`,
      );
    if (resolve(i).startsWith(`${out}/`))
      throw new ConfigError(`input '${i}' lies inside --out '${out}': merge into a new study directory`);
  }
  if (existsSync(out)) {
    const entries = await readdir(out);
    if (entries.length > 0 && !entries.includes('study.json'))
      throw new ConfigError(
        `--out '${out}' exists and is not a study directory (no study.json): choose a new directory`,
      );
    await rm(join(out, 'runs'), { recursive: true, force: true });
  }
  await makeDir(join(out, 'runs'));
}

/** Reads every input once, keeps its record under runs/, and returns the hosts with their run digests. */
async function readRuns(
  args: MergeArgs,
  log: (l: string) => void,
): Promise<{ hosts: HostInput[]; flags: StudyFlag[] }> {
  const hosts = new Map<string, HostInput & { identity: string }>();
  const flags: StudyFlag[] = [];
  const staging = join(args.out, 'runs', '.staging');
  for (const read of await readAll(args.inputs, staging)) {
    const { digest, named, identity: id, input } = read;
    let label = named;
    if (hosts.has(label) && hosts.get(label)?.identity !== id) {
      let n = 2;
      while (hosts.has(`${named}~${n}`) && hosts.get(`${named}~${n}`)?.identity !== id) n++;
      label = `${named}~${n}`;
      if (!hosts.has(label)) {
        flags.push({
          kind: 'label-conflict',
          hosts: [named, label],
          message:
            `Two different machines are both named '${named}' (host name, CPU or memory differ); run ` +
            `${digest.runId} from ${input} is shown as '${label}'. Give each host its own --host-label (the ` +
            `playbook uses the inventory name).`,
        });
      }
    }
    const host = hosts.get(label) ?? {
      label,
      runs: [] as RunInput[],
      rowsByPlan: new Map<string, DigestRow[]>(),
      identity: id,
    };
    if (host.runs.some((r) => r.digest.runId === digest.runId))
      throw new ConfigError(`run ${digest.runId} of host '${label}' is given twice (${input})`);
    const dir = join('runs', label, digest.runId);
    await mkdir(join(args.out, 'runs', label), { recursive: true });
    await rename(read.staged, join(args.out, dir));
    host.runs.push({ digest: { ...digest, label }, path: join(dir, 'run.json'), source: input });
    hosts.set(label, host);
    log(`merged ${input}: host ${label}, run ${digest.runId}`);
  }
  await rm(staging, { recursive: true, force: true });
  // A host's runs of one plan are pooled (their trials side by side); a single run is used as analysed.
  for (const h of hosts.values()) {
    const byPlan = new Map<string, RunInput[]>();
    for (const r of h.runs) byPlan.set(r.digest.planKey, [...(byPlan.get(r.digest.planKey) ?? []), r]);
    for (const [key, runs] of byPlan) {
      if (runs.length === 1) {
        h.rowsByPlan.set(key, (runs[0] as RunInput).digest.rows);
        continue;
      }
      const records = await Promise.all(runs.map(async (r) => (await readRecordText(join(args.out, r.path))).record));
      h.rowsByPlan.set(key, digestRun(poolRuns(records)).rows);
    }
  }
  return { hosts: [...hosts.values()].map(({ identity: _identity, ...h }) => h), flags };
}

/** Writes the study and its reports into `out`. */
export async function writeStudy(out: string, study: Study, generatedAt?: string): Promise<string[]> {
  const files = await renderStudyReports(study, generatedAt === undefined ? {} : { generatedAt });
  await writeFileAtomic(join(out, 'study.json'), `${JSON.stringify(study, null, 1)}\n`);
  await writeFilesAtomic(out, files);
  return ['study.json', ...files.keys()];
}

/** Runs `isobench merge`; returns the exit code. */
export async function mergeCommand(argv: string[], log: (l: string) => void): Promise<number> {
  const args = parseMergeArgs(argv);
  if (args === null) {
    process.stdout.write(MERGE_USAGE);
    return 0;
  }
  await prepareOut(args.out, args.inputs);
  const { hosts, flags } = await readRuns(args, log);
  const study = assembleStudy({
    hosts,
    missing: args.missing,
    extraFlags: flags,
    createdAt: new Date().toISOString(),
    toolVersion: await toolVersion(),
  });
  const written = await writeStudy(args.out, study);
  log(`study written to ${args.out}: ${written.join(', ')}`);
  process.stdout.write(
    `${studyTable(study)}\n\nstudy: ${join(args.out, 'study.json')}\nreport: ${join(args.out, 'report.html')}\n`,
  );
  for (const f of study.flags) log(`flag (${f.kind}): ${f.message}`);
  return study.flags.length > 0 ? 1 : 0;
}
