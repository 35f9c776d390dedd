// The shape of a published claim — its kind, source, method — and of the checks a run can apply to it (data lives in datasets/).
import type { MethodFact } from './method.js';

/** How a check judges a measured value. */
export type ClaimRule =
  'relative-at-least' | 'relative-about' | 'relative-range' | 'absolute-range' | 'absolute-about' | 'absolute-at-most';

/**
 * What kind of statement a claim is: a `measurement` someone published with its method; a
 * `vendor-assertion` (a product's stated bound, e.g. a specification a CI enforces); `marketing`
 * (a number from promotional material without a method); an `illustration` (a round figure used
 * to explain an idea, never measured).
 */
export type ClaimKind = 'measurement' | 'vendor-assertion' | 'marketing' | 'illustration';

/**
 * How far the source was checked: `verified` — the figures were read in the primary source cited;
 * `cited` — the source is identified but its figures were not read there (they come from a
 * secondary reading); `unverified` — the origin could not be found.
 */
export type SourceStatus = 'verified' | 'cited' | 'unverified';

/** Where a claim was published. */
export interface ClaimSource {
  /** Citation: authors, title, venue, date, or the repository file and commit. */
  cite: string;
  /** Address of the source, when there is one. */
  url?: string;
  /** How far the figures were checked against the source. */
  status: SourceStatus;
  /** What was and was not checked, in a sentence. */
  note?: string;
}

/** How the claim's figures were obtained (free text; `not stated` where the source does not say). */
export interface ClaimMethod {
  /** Benchmark and test, e.g. `fio 4K random read/write (libaio)`. */
  workload: string;
  /** Threads, jobs or cores used. */
  threads?: string;
  /** Requests in flight. */
  ioDepth?: string;
  /** Block or request size. */
  blockSize?: string;
  /**
   * The isolation layer: hypervisor and accelerator (e.g. `KVM (hardware virtualization)`), or
   * the container engine.
   */
  hypervisor?: string;
  /** Host hardware. */
  hardware?: string;
  /** Whether the claim is about hardware virtualization; emulated (TCG) results are then not comparable. */
  virtualization: 'hardware' | 'none';
}

/** A method fact a check requires of the measured case, with the claim's words for it. */
export interface MethodRequirement {
  /** The fact (see `MeasuredMethod`). */
  fact: MethodFact;
  /** The value it must have. */
  equals?: string | number | boolean;
  /** The least value it must have; `all-cpus` means the CPUs the isolated environments were given. */
  atLeast?: number | 'all-cpus';
  /** The claim's method in words, e.g. `4 KiB blocks`. */
  says: string;
}

/** One measurable reading of a claim. */
export interface ClaimCheck {
  /** Environment kind the claim is about (matched against samples' `env`). */
  env: string;
  /** Engine, when the claim is about one (e.g. `firecracker`, `runsc`). */
  engine?: string;
  /**
   * What relative rules compare against: an environment kind (`bare`: the run's baseline) or an
   * `env:engine` (`container:runc`: that environment's results in the same run).
   */
  against?: string;
  /** Metrics that can check it. */
  metrics: string[];
  /** Workload parameters the case must have (string comparison). */
  params?: Record<string, string>;
  /** The method the measured case must share with the claim; otherwise the report says "method differs". */
  requires?: MethodRequirement[];
  /** Rule. */
  rule: ClaimRule;
  /** Claimed value (`*-about`, `relative-at-least`): relative performance, or the metric's unit. */
  value?: number;
  /** Tolerance factor of `*-about` rules: the claim holds within [value ÷ factor, value × factor]. */
  factor?: number;
  /** Lower bound of `*-range` rules. */
  min?: number;
  /** Upper bound of `*-range` and `absolute-at-most` rules. */
  max?: number;
  /** The claim in the words shown next to the measurement. */
  says: string;
}

/** A published claim. */
export interface Claim {
  /** Stable identifier. */
  id: string;
  /** What kind of statement it is. */
  kind: ClaimKind;
  /** Where it was published and how far that was checked. */
  source: ClaimSource;
  /** What it says, quoted or paraphrased. */
  claim: string;
  /** How its figures were obtained. */
  method: ClaimMethod;
  /** Ways a run can check it; empty when isobench cannot. */
  checks: ClaimCheck[];
  /** Why it cannot be checked, when `checks` is empty. */
  why?: string;
  /** Context a reader needs (e.g. what contradicts it). */
  note?: string;
}
