// A generated dataset with planted structure, for tests, the evaluation and the bench: players belong
// to segments, each segment prefers one group of items, and all items share a skewed global
// popularity (so popularity is a fair, non-trivial baseline). Pure and seeded.
import { rng } from "./model/linalg";
import type { Touch } from "./interactions";
import type { PlayerTouches } from "./source";

export interface PlantedSpec {
  readonly game: string;
  readonly players: number;
  readonly items: number;
  readonly segments: number;
  /** Interactions per player. */
  readonly perPlayer: number;
  /** Share of a player's interactions inside their segment's group; the rest follow global popularity. */
  readonly inGroup: number;
  readonly days: number;
  readonly now: number;
  readonly seed: number;
  /** Index of the first player: a large dataset is generated in slices (player-<first> ...). */
  readonly firstPlayer?: number;
}

export interface Planted {
  readonly players: PlayerTouches[];
  readonly segmentOf: (player: string) => number;
  readonly groupOf: (item: string) => number;
  readonly itemIds: readonly string[];
}

export const plantedItem = (i: number): string => `item-${i}`;
export const plantedPlayer = (i: number): string => `player-${i}`;

/** Zipf(1) sampler over n ranks by inverse CDF on a precomputed table. */
function zipf(n: number, rand: () => number): () => number {
  const cdf = new Float64Array(n);
  let s = 0;
  for (let i = 0; i < n; i++) cdf[i] = s += 1 / (i + 1);
  return () => {
    const u = rand() * s;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export function plantedDataset(spec: PlantedSpec): Planted {
  const rand = rng(spec.seed);
  const groupOf = (i: number) => i % spec.segments;
  const perGroup = Math.ceil(spec.items / spec.segments);
  const inGroupRank = zipf(perGroup, rand);
  const globalRank = zipf(spec.items, rand);
  // A fixed random order of items gives global popularity no relation to the groups.
  const order = Array.from({ length: spec.items }, (_, i) => i).sort(() => rand() - 0.5);
  const platforms = ["ios", "android", "web"];
  const players: PlayerTouches[] = [];
  const first = spec.firstPlayer ?? 0;
  for (let p = first; p < first + spec.players; p++) {
    const segment = p % spec.segments;
    const touches: Touch[] = [];
    for (let n = 0; n < spec.perPlayer; n++) {
      let item: number;
      if (rand() < spec.inGroup) {
        item = Math.min(inGroupRank() * spec.segments + segment, spec.items - 1);
        if (groupOf(item) !== segment) item = segment;
      } else item = order[globalRank()];
      const at = spec.now - rand() * spec.days * 86_400_000;
      touches.push({ kind: "items", item: plantedItem(item), weight: 2, at, platform: platforms[p % platforms.length], owns: false, completes: false, fails: false });
    }
    players.push({ game: spec.game, player: plantedPlayer(p), touches });
  }
  return {
    players,
    segmentOf: (player) => Number(player.slice("player-".length)) % spec.segments,
    groupOf: (item) => groupOf(Number(item.slice("item-".length))),
    itemIds: Array.from({ length: spec.items }, (_, i) => plantedItem(i)),
  };
}
