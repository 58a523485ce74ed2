// Turns one game's players and their touches into a model: items with popularity and factors,
// players with vectors, exclusions. Pure: training, evaluation and tests all call it.
import { type AlsParams, foldIn, trainAls } from "./model/als";
import { type Exclusion, exclusionsOf, type InteractionPolicy, itemKey, type Kind, type PlayerItem, summarize } from "./interactions";
import type { PlayerTouches } from "./source";

export interface ModelParams extends AlsParams {
  /** Items seen by fewer distinct players are not learned (popularity serves them). */
  readonly minSupport: number;
}

export interface ItemRow {
  readonly kind: Kind;
  readonly item: string;
  /** Σ of the players' decayed strengths: what the popularity fallback ranks by. */
  readonly popularity: number;
  readonly players: number;
  /** Platforms it was seen on; ["*"] when no event named one. */
  readonly platforms: string[];
  readonly vector: Float32Array | null;
}

export interface PlayerRow {
  readonly player: string;
  readonly vector: Float32Array;
}

export interface GameModel {
  readonly game: string;
  readonly dim: number;
  readonly gram: Float64Array;
  readonly items: ItemRow[];
  readonly players: PlayerRow[];
  readonly exclusions: { readonly player: string; readonly exclusions: Exclusion[] }[];
  readonly interactions: number;
}

interface ItemAcc {
  kind: Kind;
  item: string;
  popularity: number;
  players: number;
  platforms: Set<string>;
  index: number;
}

/** The observed warm items of one player, as fold-in input. */
export function observedOf(items: Iterable<PlayerItem>, vectorOf: (key: string) => ArrayLike<number> | undefined): { vector: ArrayLike<number>; strength: number }[] {
  const out: { vector: ArrayLike<number>; strength: number }[] = [];
  for (const s of items) {
    const vector = vectorOf(itemKey(s.kind, s.item));
    if (vector !== undefined && s.strength > 0) out.push({ vector, strength: s.strength });
  }
  return out;
}

export function buildGameModel(game: string, players: readonly PlayerTouches[], asOf: number, policy: InteractionPolicy, p: ModelParams): GameModel {
  const summaries = players.map((pt) => ({ player: pt.player, items: summarize(pt.touches, asOf, policy) }));
  const acc = new Map<string, ItemAcc>();
  for (const s of summaries) {
    for (const [key, it] of s.items) {
      let a = acc.get(key);
      if (a === undefined) acc.set(key, (a = { kind: it.kind, item: it.item, popularity: 0, players: 0, platforms: new Set(), index: -1 }));
      a.popularity += it.strength;
      a.players += 1;
      for (const pl of it.platforms) a.platforms.add(pl);
    }
  }
  const warm = [...acc.entries()].filter(([, a]) => a.players >= p.minSupport);
  warm.forEach(([, a], i) => (a.index = i));
  const learners = summaries.filter((s) => [...s.items.keys()].some((k) => (acc.get(k)?.index ?? -1) >= 0));
  const cells = { player: [] as number[], item: [] as number[], strength: [] as number[] };
  learners.forEach((s, u) => {
    for (const [key, it] of s.items) {
      const i = acc.get(key)!.index;
      if (i < 0 || it.strength <= 0) continue;
      cells.player.push(u);
      cells.item.push(i);
      cells.strength.push(it.strength);
    }
  });
  const k = p.factors;
  const model =
    warm.length === 0
      ? { itemFactors: new Float32Array(0), itemGram: new Float64Array(k * k) }
      : trainAls({ players: learners.length, items: warm.length, player: Int32Array.from(cells.player), item: Int32Array.from(cells.item), strength: Float32Array.from(cells.strength) }, p);
  const vectorOf = (key: string): Float32Array | undefined => {
    const i = acc.get(key)?.index ?? -1;
    return i < 0 ? undefined : model.itemFactors.subarray(i * k, (i + 1) * k);
  };
  const items: ItemRow[] = [...acc.entries()].map(([key, a]) => ({
    kind: a.kind,
    item: a.item,
    popularity: a.popularity,
    players: a.players,
    platforms: a.platforms.size === 0 ? ["*"] : [...a.platforms].sort(),
    vector: vectorOf(key) === undefined ? null : Float32Array.from(vectorOf(key)!),
  }));
  const playerRows: PlayerRow[] = learners.map((s) => ({ player: s.player, vector: foldIn(model.itemGram, k, p, observedOf(s.items.values(), vectorOf)) }));
  return {
    game,
    dim: k,
    gram: model.itemGram,
    items,
    players: playerRows,
    exclusions: summaries.map((s) => ({ player: s.player, exclusions: exclusionsOf(s.items.values(), policy) })).filter((e) => e.exclusions.length > 0),
    interactions: cells.player.length,
  };
}
