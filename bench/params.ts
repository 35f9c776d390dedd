// Turns `--set workload.param=v1,v2` overrides into validated parameter sets (a cartesian matrix).
import { ConfigError, badChoice } from '../model/errors.js';
import type { Params, ParamValue } from '../model/record.js';
import { sizeOrNull } from '../lib/sizes.js';
import type { AnyWorkload, ParamSpec } from '../workloads/types.js';

/** Validates one textual value against its spec and converts it. */
export function parseParam(workload: string, spec: ParamSpec, text: string): ParamValue {
  const where = `${workload}.${spec.name}`;
  switch (spec.kind) {
    case 'int': {
      if (!/^[0-9]+$/.test(text) || Number(text) < 1)
        throw new ConfigError(`bad value '${text}' for ${where}: expected a positive integer`);
      return Number(text);
    }
    case 'size':
      if (sizeOrNull(text) === null)
        throw new ConfigError(`bad value '${text}' for ${where}: expected a size such as 16K, 64M or 2G`);
      return text.toUpperCase();
    case 'bool':
      if (text !== 'true' && text !== 'false')
        throw new ConfigError(`bad value '${text}' for ${where}: valid choices: true, false`);
      return text === 'true';
    case 'enum':
      if (!(spec.choices ?? []).includes(text)) throw badChoice(`value for ${where}`, text, spec.choices ?? []);
      return text;
  }
}

/** Parses the `--set` strings into workload → param → list of values. */
export function parseOverrides(
  sets: readonly string[],
  workloads: readonly AnyWorkload[],
): Map<string, Map<string, ParamValue[]>> {
  const out = new Map<string, Map<string, ParamValue[]>>();
  for (const s of sets) {
    const m = /^([a-z]+)\.([a-z-]+)=(.+)$/.exec(s);
    if (!m?.[1] || !m[2] || !m[3])
      throw new ConfigError(`bad --set '${s}': expected workload.param=value[,value…], e.g. cpu.threads=1,2`);
    const w = workloads.find((x) => x.name === m[1]);
    if (!w)
      throw badChoice(
        'workload in --set',
        m[1],
        workloads.map((x) => x.name),
      );
    const spec = w.params.find((p) => p.name === m[2]);
    if (!spec)
      throw badChoice(
        `parameter of ${w.name} in --set`,
        m[2],
        w.params.map((p) => p.name),
      );
    const values = m[3].split(',').map((v) => parseParam(w.name, spec, v.trim()));
    const byParam = out.get(w.name) ?? new Map<string, ParamValue[]>();
    byParam.set(spec.name, values);
    out.set(w.name, byParam);
  }
  return out;
}

/**
 * Applies `--profile NAME` (a workload's published-method parameter set) under the `--set`
 * overrides: a profile's value is used only where `--set` gave none for that parameter.
 */
export function applyProfiles(
  names: readonly string[],
  workloads: readonly AnyWorkload[],
  selected: readonly string[],
  overrides: Map<string, Map<string, ParamValue[]>>,
): void {
  const all = workloads.flatMap((w) => Object.keys(w.profiles ?? {}).map((p) => ({ w, p })));
  for (const name of names) {
    const hit = all.find((x) => x.p === name);
    if (!hit)
      throw badChoice(
        'profile',
        name,
        all.map((x) => x.p),
      );
    if (!selected.includes(hit.w.name))
      throw new ConfigError(
        `profile '${name}' is for workload ${hit.w.name}, which this run does not include; add it with ` +
          `--workload ${hit.w.name}`,
      );
    const byParam = overrides.get(hit.w.name) ?? new Map<string, ParamValue[]>();
    for (const [param, value] of Object.entries(hit.w.profiles?.[name]?.params ?? {}))
      if (!byParam.has(param)) byParam.set(param, [value]);
    overrides.set(hit.w.name, byParam);
  }
}

/** Every combination of the defaults with the overridden lists (declaration order kept). */
export function paramMatrix(defaults: Params, overrides: Map<string, ParamValue[]> | undefined): Params[] {
  let sets: Params[] = [{ ...defaults }];
  for (const [name, values] of overrides ?? []) {
    sets = sets.flatMap((s) => values.map((v) => ({ ...s, [name]: v })));
  }
  return sets;
}
