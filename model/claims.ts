// The shape of a published claim and of the checks a run can apply to it (data lives in datasets/).

/** How a check judges a measured value. */
export type ClaimRule =
  | 'relative-at-least' | 'relative-about' | 'relative-range'
  | 'absolute-range' | 'absolute-about' | 'absolute-at-most';

/** One measurable reading of a claim. */
export interface ClaimCheck {
  /** Environment kind the claim is about (matched against samples' `env`). */
  env: string;
  /** Engine, when the claim is about one (e.g. `firecracker`, `runc`). */
  engine?: string;
  /** Baseline environment kind that relative rules need (e.g. `bare`). */
  against?: string;
  /** Metrics that can check it. */
  metrics: string[];
  /** Workload parameters the case must have (string comparison). */
  params?: Record<string, string>;
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
  /** Where it was published. */
  source: string;
  /** What it says, quoted or paraphrased. */
  claim: string;
  /** Ways a run can check it; empty when isobench cannot. */
  checks: ClaimCheck[];
  /** Why it cannot be checked, when `checks` is empty. */
  why?: string;
}
