// Array plumbing that states what indexing would leave to a cast: neighbours, pairs of equal-length lists.

/** Each element with the one before it: `[xs[i - 1], xs[i]]` for i ≥ 1 (empty for fewer than two). */
export function pairs<T>(xs: readonly T[]): [T, T][] {
  const out: [T, T][] = [];
  let prev: { v: T } | null = null;
  for (const v of xs) {
    if (prev !== null) out.push([prev.v, v]);
    prev = { v };
  }
  return out;
}

/** The elements of two lists side by side, as long as the shorter one. */
export function zip<A, B>(as: readonly A[], bs: readonly B[]): [A, B][] {
  const out: [A, B][] = [];
  as.forEach((a, i) => {
    if (i < bs.length) out.push([a, bs[i] as B]);
  });
  return out;
}

/** `xs[i]`, where the caller knows it exists: a missing element is an internal error naming `what`, not an `undefined` passed on. */
export function at<T>(xs: readonly T[], i: number, what = 'element'): T {
  const v = xs[i];
  if (v === undefined) throw new Error(`internal: ${what} ${i} is not among the ${xs.length} there are`);
  return v;
}
