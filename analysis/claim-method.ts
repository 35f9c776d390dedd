// Whether a measured case followed a claim's method (threads, IO depth, block size, IO mode), and the difference in words.
import type { MethodRequirement } from '../model/claims.js';
import type { MeasuredMethod, MethodFact } from '../model/method.js';
import type { Params } from '../model/record.js';
import { findWorkload } from '../workloads/index.js';

/** Facts a method match needs beyond the case itself. */
export interface MethodContext {
  /** CPUs the isolated environments were given (`--cpus`, else the host's), or null when unknown. */
  cpus: number | null;
}

/** How a case measured, from its workload's declaration; null for cases without a workload (lifecycle). */
export function measuredMethod(workload: string, params: Params): MeasuredMethod | null {
  try {
    return findWorkload(workload)?.method(params) ?? null;
  } catch {
    return null; // a record whose case lacks parameters the method needs: the method is unknown
  }
}

function bytesText(b: number): string {
  if (b >= 1024 ** 2 && b % 1024 ** 2 === 0) return `${b / 1024 ** 2} MiB`;
  if (b >= 1024 && b % 1024 === 0) return `${b / 1024} KiB`;
  return `${b} B`;
}

/** A measured fact in words, e.g. `16 KiB blocks`, `synchronous IO`, `1 request in flight`. */
export function describeFact(fact: MethodFact, value: MeasuredMethod[MethodFact]): string {
  if (value === undefined) return `${fact} unknown`;
  switch (fact) {
    case 'threads':
      return `${String(value)} thread${value === 1 ? '' : 's'}`;
    case 'ioDepth':
      return `${String(value)} request${value === 1 ? '' : 's'} in flight`;
    case 'blockBytes':
      return `${bytesText(Number(value))} blocks`;
    case 'ioMode':
      return value === 'async' ? 'asynchronous IO' : value === 'sync' ? 'synchronous IO' : `${String(value)} IO`;
    case 'direct':
      return value === true ? 'O_DIRECT' : 'buffered IO (page cache)';
  }
}

function meets(req: MethodRequirement, value: MeasuredMethod[MethodFact], ctx: MethodContext): boolean {
  if (value === undefined) return false;
  if (req.equals !== undefined && value !== req.equals) return false;
  if (req.atLeast !== undefined) {
    const least = req.atLeast === 'all-cpus' ? ctx.cpus : req.atLeast;
    if (least === null || typeof value !== 'number' || value < least) return false;
  }
  return true;
}

/**
 * Null when the case followed every required fact of the claim's method; otherwise
 * `method differs: the claim used …; this case used …` naming only the facts that differ.
 */
export function methodDifference(
  reqs: readonly MethodRequirement[] | undefined,
  workload: string,
  params: Params,
  ctx: MethodContext,
): string | null {
  if (reqs === undefined || reqs.length === 0) return null;
  const m = measuredMethod(workload, params);
  const failed = reqs.filter((r) => !meets(r, m?.[r.fact], ctx));
  if (failed.length === 0) return null;
  const ours =
    m === null
      ? `an unknown method (${workload} declares none)`
      : failed
          .map((r) => {
            const shown = describeFact(r.fact, m[r.fact]);
            return r.atLeast === 'all-cpus' && ctx.cpus !== null ? `${shown} of ${ctx.cpus} CPUs` : shown;
          })
          .join(', ');
  return `method differs: the claim used ${failed.map((r) => r.says).join(', ')}; this case used ${ours}`;
}
