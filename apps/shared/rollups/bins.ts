// Session-length histogram bins, the same in the live path (JS) and the rebuild (SQL width_bucket over
// the same lower edges), so both put a length in the same bin. Exact seconds below a minute, then
// edges about 10 % apart up to the longest session the catalog accepts (7 days): a median read from
// the histogram is within one bin, i.e. within 10 % above a minute.

export const MAX_SESSION_S = 604_800;

function edges(): number[] {
  const out: number[] = [];
  for (let s = 0; s < 60; s++) out.push(s);
  for (let s = 60; s <= MAX_SESSION_S; s = Math.ceil(s * 1.1)) out.push(s);
  return out;
}

/** Lower edge of each bin; bin i holds lengths in [EDGES[i], EDGES[i + 1]). */
export const SESSION_BIN_EDGES: readonly number[] = edges();

/** The bin of a length (1-based, as PostgreSQL's width_bucket(len, edges) numbers them). */
export function sessionBin(lengthS: number): number {
  let lo = 0;
  let hi = SESSION_BIN_EDGES.length - 1;
  if (lengthS < 0) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (SESSION_BIN_EDGES[mid] <= lengthS) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** Lower edge of a bin. */
export function binLowerEdge(bin: number): number {
  return SESSION_BIN_EDGES[Math.max(0, bin - 1)];
}

/** The median's bin lower edge from bin counts (undefined for no sessions). */
export function medianFromBins(counts: ReadonlyMap<number, number>): number | undefined {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return undefined;
  const half = total / 2;
  let seen = 0;
  for (const bin of [...counts.keys()].sort((a, b) => a - b)) {
    seen += counts.get(bin) ?? 0;
    if (seen >= half) return binLowerEdge(bin);
  }
  return undefined;
}
