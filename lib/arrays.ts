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
