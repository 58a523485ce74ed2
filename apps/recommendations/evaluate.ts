// Offline evaluation: the model against the popularity baseline on held-out interactions, with
// precision@k, recall@k and catalog coverage side by side. Pure on in-memory data; the CLI feeds it a
// planted dataset or a time split of the stored events.
import type { Pool } from "pg";
import { buildGameModel, type ModelParams } from "./game-model";
import { type InteractionPolicy, itemKey, type Kind, type Touch } from "./interactions";
import { dot } from "./model/linalg";
import { type PlayerTouches, scanPlayers } from "./source";
import { pushTop } from "./vector-store/embedded";
import type { Hit } from "./vector-store/types";

export interface Metrics {
  readonly precision: number;
  readonly recall: number;
  readonly coverage: number;
}

export interface Evaluation {
  readonly game: string;
  readonly kind: Kind;
  /** Players with at least one held-out item (the ones measured). */
  readonly players: number;
  readonly catalog: number;
  readonly model: Metrics;
  readonly popularity: Metrics;
}

function measure(recs: Map<string, readonly string[]>, test: ReadonlyMap<string, ReadonlySet<string>>, catalog: number, k: number): Metrics {
  let p = 0;
  let r = 0;
  const shown = new Set<string>();
  for (const [player, truth] of test) {
    const list = recs.get(player) ?? [];
    list.forEach((i) => shown.add(i));
    const hits = list.filter((i) => truth.has(i)).length;
    p += hits / k;
    r += hits / truth.size;
  }
  const n = Math.max(1, test.size);
  return { precision: p / n, recall: r / n, coverage: catalog === 0 ? 0 : shown.size / catalog };
}

/** Trains on `train`, recommends k items of `kind` per test player (their train items excluded), scores both rankers. */
export function evaluateSplit(game: string, kind: Kind, train: readonly PlayerTouches[], test: ReadonlyMap<string, ReadonlySet<string>>, asOf: number, policy: InteractionPolicy, params: ModelParams, k = 10): Evaluation {
  const gm = buildGameModel(game, train, asOf, policy, params);
  const items = gm.items.filter((i) => i.kind === kind);
  const learned = items.filter((i) => i.vector !== null);
  const popular = [...items].sort((a, b) => b.popularity - a.popularity).map((i) => i.item);
  const vectors = new Map(gm.players.map((p) => [p.player, p.vector]));
  const seen = new Map(train.map((t) => [t.player, new Set(t.touches.filter((x) => x.kind === kind).map((x) => x.item))]));
  const modelRecs = new Map<string, string[]>();
  const popRecs = new Map<string, string[]>();
  for (const player of test.keys()) {
    const own = seen.get(player) ?? new Set<string>();
    const popularFor = (taken: Set<string>) => popular.filter((i) => !own.has(i) && !taken.has(i));
    popRecs.set(player, popularFor(new Set()).slice(0, k));
    const x = vectors.get(player);
    const top: Hit[] = [];
    if (x !== undefined) for (const it of learned) if (!own.has(it.item)) pushTop(top, { id: it.item, score: dot(x, it.vector!), payload: {} }, k);
    const picked = top.map((h) => h.id);
    modelRecs.set(player, [...picked, ...popularFor(new Set(picked)).slice(0, k - picked.length)]);
  }
  return { game, kind, players: test.size, catalog: items.length, model: measure(modelRecs, test, items.length, k), popularity: measure(popRecs, test, items.length, k) };
}

/** Holds out the items each player first touched at or after `split` (train: everything before). */
export function timeSplit(players: readonly PlayerTouches[], split: number, kind: Kind): { train: PlayerTouches[]; test: Map<string, Set<string>> } {
  const train: PlayerTouches[] = [];
  const test = new Map<string, Set<string>>();
  for (const p of players) {
    const before: Touch[] = p.touches.filter((t) => t.at < split);
    const known = new Set(before.filter((t) => t.kind === kind).map((t) => itemKey(t.kind, t.item)));
    const later = new Set(p.touches.filter((t) => t.at >= split && t.kind === kind && !known.has(itemKey(t.kind, t.item))).map((t) => t.item));
    if (before.length > 0) train.push({ ...p, touches: before });
    if (before.length > 0 && later.size > 0) test.set(p.player, later);
  }
  return { train, test };
}

/** A time split of the stored events, per game and kind, reported as it comes out. */
export async function evaluateStored(pool: Pool, o: { from: Date; split: Date; until: Date; games?: readonly string[]; policy: InteractionPolicy; params: ModelParams }): Promise<Evaluation[]> {
  const byGame = new Map<string, PlayerTouches[]>();
  for await (const pt of scanPlayers(pool, { from: o.from, until: o.until, games: o.games }, o.policy)) (byGame.get(pt.game) ?? byGame.set(pt.game, []).get(pt.game)!).push(pt);
  const out: Evaluation[] = [];
  for (const [game, players] of byGame) {
    for (const kind of ["items", "levels"] as const) {
      const { train, test } = timeSplit(players, o.split.getTime(), kind);
      if (test.size > 0) out.push(evaluateSplit(game, kind, train, test, o.split.getTime(), o.policy, o.params));
    }
  }
  return out;
}

/** The side-by-side table the CLI prints. */
export function formatEvaluations(label: string, rows: readonly Evaluation[]): string {
  const f = (n: number) => n.toFixed(3);
  const lines = [
    `${label}`,
    "game/kind                players  catalog  P@10 model  P@10 pop  ratio   R@10 model  R@10 pop  coverage model  coverage pop",
    ...rows.map((r) =>
      [
        `${r.game}/${r.kind}`.padEnd(24),
        String(r.players).padStart(7),
        String(r.catalog).padStart(8),
        f(r.model.precision).padStart(11),
        f(r.popularity.precision).padStart(9),
        (r.popularity.precision === 0 ? "   n/a" : `${(r.model.precision / r.popularity.precision).toFixed(2)}x`).padStart(6),
        f(r.model.recall).padStart(11),
        f(r.popularity.recall).padStart(9),
        f(r.model.coverage).padStart(15),
        f(r.popularity.coverage).padStart(13),
      ].join("  "),
    ),
  ];
  return lines.join("\n");
}
