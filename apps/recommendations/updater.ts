// The online half of the model: player.events.processed -> exclusions, player vectors, cache.
// For each batch: record new exclusions; re-fold the touched players' vectors from their stored
// events (window, decayed) against the live version's item factors; write the vectors that moved;
// invalidate the cached pages of players whose exclusions changed or whose vector moved. Everything is
// recomputed from stored state, so a replayed batch (the processed topic is at-least-once) changes nothing.
import type { Pool } from "pg";
import type { Counter } from "prom-client";
import type { InRecord } from "../shared/kafka";
import type { Logger } from "../shared/logger";
import type { RecommendationCache } from "./cache";
import { recordExclusions, type PlayerExclusion } from "./exclusions";
import { observedOf } from "./game-model";
import { collectionOf, itemPointId, playerPointId } from "./ids";
import { exclusionsOf, type InteractionPolicy, summarize, type Touch, touchOf } from "./interactions";
import type { Live, LiveModel } from "./live-model";
import { foldIn } from "./model/als";
import { cosine } from "./model/linalg";
import { playerVectors, upsertPlayerVectors } from "./model-store";
import { scanPlayers } from "./source";
import type { VectorStore } from "./vector-store/types";

/** A vector that turned less than this (cosine to the old one) is not a meaningful change. */
export const MOVE_COSINE = 0.995;

export interface UpdaterDeps {
  readonly pool: Pool;
  readonly store: VectorStore;
  readonly live: LiveModel;
  readonly cache: RecommendationCache;
  readonly policy: InteractionPolicy;
  readonly windowDays: number;
  readonly logger: Logger;
  readonly metrics: { readonly interactions: Counter; readonly refolded: Counter; readonly invalidated: Counter };
}

interface PlayerRef {
  readonly game: string;
  readonly player: string;
}

const refKey = (p: PlayerRef) => `${p.game}/${p.player}`;

/** The interactions in a batch of processed events (pure); unparseable records are skipped. */
export function batchTouches(records: readonly InRecord[], policy: InteractionPolicy): { player: PlayerRef; touch: Touch }[] {
  const out: { player: PlayerRef; touch: Touch }[] = [];
  for (const r of records) {
    let e: Record<string, unknown>;
    try {
      e = JSON.parse(r.value?.toString("utf8") ?? "") as Record<string, unknown>;
    } catch {
      continue;
    }
    const { type, game_id: game, player_id: player, event_time: time, platform } = e;
    if (typeof type !== "string" || typeof game !== "string" || typeof player !== "string" || typeof time !== "string") continue;
    const touch = touchOf(type, e, Date.parse(time), typeof platform === "string" ? platform : null, policy);
    if (touch !== null) out.push({ player: { game, player }, touch });
  }
  return out;
}

export async function handleProcessed(records: readonly InRecord[], d: UpdaterDeps): Promise<{ touched: number; changed: number }> {
  const touches = batchTouches(records, d.policy);
  if (touches.length === 0) return { touched: 0, changed: 0 };
  d.metrics.interactions.inc(touches.length);
  const direct: PlayerExclusion[] = touches.flatMap(({ player, touch }) =>
    touch.owns || touch.completes ? [{ ...player, kind: touch.kind, item: touch.item, reason: touch.owns ? "owned" : "completed", at: new Date(touch.at) } as const] : [],
  );
  const changed = await recordExclusions(d.pool, direct);
  const players = [...new Map(touches.map(({ player }) => [refKey(player), player])).values()];
  // The alias is read per batch, not from the poll, so a swap is seen by the next batch at the latest.
  const live = await d.live.refresh();
  if (live !== null) for (const k of await refold(d, live, players)) changed.add(k);
  const invalid = [...changed].map((k) => players.find((p) => refKey(p) === k) ?? { game: k.slice(0, k.indexOf("/")), player: k.slice(k.indexOf("/") + 1) });
  await d.cache.invalidate(invalid);
  d.metrics.invalidated.inc(invalid.length);
  return { touched: players.length, changed: invalid.length };
}

/**
 * Recomputes players' vectors in `live` from their stored events; writes and returns (as game/player
 * keys) those that moved or whose abandoned levels changed.
 */
export async function refold(d: Omit<UpdaterDeps, "cache">, live: Live, players: readonly PlayerRef[]): Promise<Set<string>> {
  const changed = new Set<string>();
  const now = Date.now();
  const byGame = new Map<string, { player: string; items: ReturnType<typeof summarize> }[]>();
  for await (const pt of scanPlayers(d.pool, { from: new Date(now - d.windowDays * 86_400_000), until: new Date(now + 3_600_000), players }, d.policy)) {
    const list = byGame.get(pt.game) ?? byGame.set(pt.game, []).get(pt.game)!;
    list.push({ player: pt.player, items: summarize(pt.touches, now, d.policy) });
  }
  for (const [game, summaries] of byGame) {
    const abandoned: PlayerExclusion[] = summaries.flatMap((s) =>
      exclusionsOf(s.items.values(), d.policy).filter((e) => e.reason === "abandoned").map((e) => ({ ...e, game, player: s.player, at: new Date(now) })),
    );
    for (const k of await recordExclusions(d.pool, abandoned)) changed.add(k);
    const state = await d.live.game(live.version, game);
    if (state === null) continue;
    const wanted = new Set(summaries.flatMap((s) => [...s.items.keys()]).filter((k) => state.learned.has(k)));
    const ids = new Map([...wanted].map((k) => [itemPointId(game, k.slice(0, k.indexOf(":")) as "items" | "levels", k.slice(k.indexOf(":") + 1)), k]));
    const vectors = new Map((await d.store.retrieve(live.collection, [...ids.keys()], true)).map((p) => [ids.get(p.id)!, p.vector!]));
    const old = new Map((await d.store.retrieve(live.collection, summaries.map((s) => playerPointId(game, s.player)), true)).map((p) => [p.id, p.vector!]));
    const moved: { player: string; vector: Float32Array }[] = [];
    for (const s of summaries) {
      const observed = observedOf(s.items.values(), (k) => vectors.get(k));
      if (observed.length === 0) continue;
      const vector = foldIn(state.gram, state.dim, state, observed);
      const before = old.get(playerPointId(game, s.player));
      if (before === undefined || cosine(before, vector) < MOVE_COSINE) moved.push({ player: s.player, vector });
    }
    if (moved.length === 0) continue;
    await upsertPlayerVectors(d.pool, live.version, game, moved);
    await d.store.upsert(live.collection, moved.map((m) => ({ id: playerPointId(game, m.player), vector: m.vector, payload: { type: "player", game, player: m.player } })));
    d.metrics.refolded.inc(moved.length);
    for (const m of moved) changed.add(`${game}/${m.player}`);
  }
  return changed;
}

/**
 * After a swap to `version`: re-folds, into it, the players whose vectors moved in `previous` after
 * `version` was trained, so interactions between training and swap are not lost.
 */
export async function catchUp(d: Omit<UpdaterDeps, "cache">, version: string, previous: string): Promise<number> {
  const { rows } = await d.pool.query<{ as_of: Date }>("SELECT as_of FROM rec_models WHERE version = $1", [version]);
  if (rows.length === 0) return 0;
  const live: Live = { version, collection: collectionOf(version) };
  let n = 0;
  for await (const page of playerVectors(d.pool, previous, rows[0].as_of)) n += (await refold(d, live, page)).size;
  return n;
}
