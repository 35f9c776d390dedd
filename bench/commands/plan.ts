// `isobench plan --from <run dir|study dir> --host-cpus N --host-memory SIZE --app-cpus N --app-memory SIZE
// [--headroom 10%] [--json]`: how many instances of an app fit per host in each measured environment.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../../model/errors.js';
import {
  measuredCosts,
  plan,
  pooledCosts,
  type EnvCost,
  type EnvFit,
  type MissingFigure,
  type PlanRequest,
} from '../../analysis/plan.js';
import { missingText, planText, runPlanTitle } from '../../reports/plan/text.js';
import { readRecord } from '../run/record.js';
import { readStudy } from '../run/study-file.js';
import { fractionOfPercent, type Fraction } from '../../lib/numbers.js';

const OPTIONS = {
  from: { type: 'string' as const },
  'host-cpus': { type: 'string' as const },
  'host-memory': { type: 'string' as const },
  'app-cpus': { type: 'string' as const },
  'app-memory': { type: 'string' as const },
  headroom: { type: 'string' as const, default: '10%' },
  json: { type: 'boolean' as const, default: false },
  help: { type: 'boolean' as const, short: 'h', default: false },
};

/** Usage of `isobench plan`. */
export const PLAN_USAGE = `usage: isobench plan --from <run dir|study dir> --host-cpus N --host-memory SIZE --app-cpus N --app-memory SIZE [--headroom 10%] [--json]
  How many instances of an app fit per host in each environment the run measured, from its
  per-instance memory (a --workload density sweep, else each trial's idle instance) and its cpu
  ratio against bare metal. A study (isobench merge) is planned per host type.
  sizes: 512MiB, 512M, 256GiB, 256G
`;

const SIZE_UNITS: Record<string, number> = { '': 1, K: 1 / 1024, M: 1, G: 1024, T: 1024 * 1024 };

/** A size flag in MiB: 512M, 512MiB, 256G, 256GiB, 1.5G (a plain number is MiB). */
export function sizeMiBFlag(name: string, text: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)\s*([KMGT]?)(?:i?B)?$/i.exec(text.trim());
  const v = m ? Number(m[1]) * (SIZE_UNITS[(m[2] ?? '').toUpperCase()] ?? Number.NaN) : Number.NaN;
  if (!Number.isFinite(v) || v <= 0)
    throw new ConfigError(`bad value '${text}' for --${name}: expected a size such as 512MiB, 512M, 256GiB or 256G`);
  return v;
}

function positive(name: string, text: string | undefined): number {
  if (text === undefined) throw new ConfigError(`plan needs --${name}`);
  const v = Number(text);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(text) || v <= 0)
    throw new ConfigError(`bad value '${text}' for --${name}: expected a positive number such as 64 or 0.5`);
  return v;
}

/** `--headroom 10%` as the fraction of the host kept free (0.1). */
function headroomFlag(text: string): Fraction {
  const m = /^([0-9]+(?:\.[0-9]+)?)%?$/.exec(text);
  const v = m ? Number(m[1]) : Number.NaN;
  if (!(v >= 0 && v < 100))
    throw new ConfigError(`bad value '${text}' for --headroom: expected a percentage from 0 to below 100, e.g. 10%`);
  return fractionOfPercent(v);
}

/** One plan: a run's environments, or one host type's in a study. */
interface PlanGroup {
  title: string;
  hosts: string[];
  fits: EnvFit[];
}

function refuse(where: string, missing: readonly MissingFigure[]): never {
  throw new ConfigError(`${where}: cannot plan without measurements: ${missingText(missing)}`);
}

async function groups(from: string, req: PlanRequest): Promise<PlanGroup[]> {
  const studyFile = from.endsWith('study.json') ? from : join(from, 'study.json');
  if (existsSync(studyFile)) {
    const study = readStudy(studyFile);
    const dir = studyFile.slice(0, -'study.json'.length);
    const out: PlanGroup[] = [];
    for (const type of study.hostTypes) {
      const perHost: EnvCost[][] = [];
      for (const label of type.hosts) {
        const host = study.hosts.find((h) => h.label === label);
        if (host?.status !== 'ok') continue;
        for (const run of host.runs) {
          const { costs, missing } = measuredCosts(await readRecord(join(dir, run.path)));
          if (missing.length > 0) refuse(`host ${label} (${run.runId})`, missing);
          perHost.push(costs);
        }
      }
      if (perHost.length === 0) continue;
      out.push({
        title:
          `${type.name}: ${type.cpuModel}, kernel ${type.kernel}, ${type.accelerator} — hosts ` +
          `${type.hosts.join(', ')}`,
        hosts: type.hosts,
        fits: plan(req, pooledCosts(perHost)),
      });
    }
    if (out.length === 0) throw new ConfigError(`'${studyFile}' has no measured host to plan from`);
    return out;
  }
  const record = await readRecord(from);
  const { costs, missing } = measuredCosts(record);
  if (missing.length > 0) refuse(from, missing);
  if (costs.length === 0)
    throw new ConfigError(
      `${from}: the run measured no environment besides its baseline; plan compares isolated ` +
        `environments against bare metal`,
    );
  return [
    {
      title: runPlanTitle(record),
      hosts: [record.hostLabel ?? record.host.hostname.value ?? record.runId],
      fits: plan(req, costs),
    },
  ];
}

/** Runs `isobench plan`; returns the exit code. */
export async function planCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: false, strict: true });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new ConfigError(
      `${msg.split('\n')[0] ?? msg}; valid flags: ${Object.keys(OPTIONS)
        .map((k) => `--${k}`)
        .join(', ')}`,
      { cause: err },
    );
  }
  const v = parsed.values;
  if (v.help) {
    process.stdout.write(PLAN_USAGE);
    return 0;
  }
  if (v.from === undefined)
    throw new ConfigError(
      'plan needs --from <run dir|study dir>: a run of isobench run (results/<run-id>) or a study of isobench merge',
    );
  const req: PlanRequest = {
    hostCpus: positive('host-cpus', v['host-cpus']),
    hostMemoryMiB:
      v['host-memory'] === undefined
        ? positive('host-memory', undefined)
        : sizeMiBFlag('host-memory', v['host-memory']),
    appCpus: positive('app-cpus', v['app-cpus']),
    appMemoryMiB:
      v['app-memory'] === undefined ? positive('app-memory', undefined) : sizeMiBFlag('app-memory', v['app-memory']),
    headroom: headroomFlag(v.headroom),
  };
  const planned = await groups(v.from, req);
  if (v.json) {
    process.stdout.write(`${JSON.stringify({ request: req, groups: planned }, null, 1)}\n`);
    return 0;
  }
  process.stdout.write(`${planned.flatMap((g) => [...planText(g.title, req, g.fits), '']).join('\n')}`);
  return 0;
}
