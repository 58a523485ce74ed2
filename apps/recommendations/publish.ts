// Publishes a model version into a vector store: a new collection, filled completely, then the live
// alias swapped onto it in one step, so serving never reads a half-written collection. The previous
// collection stays (a pod that has not seen the swap yet still finds it); older ones are dropped.
import type { Pool } from "pg";
import { collectionOf, itemPointId, LIVE_ALIAS, PAYLOAD_INDEXES, playerPointId, versionOf } from "./ids";
import { gameDims, playerVectors, vectorItems } from "./model-store";
import type { Point, VectorStore } from "./vector-store/types";

export interface PublishReport {
  readonly version: string;
  readonly collection: string;
  readonly previous: string | null;
  readonly items: number;
  readonly players: number;
  readonly caughtUp: number;
  readonly dropped: readonly string[];
  readonly seconds: number;
}

/**
 * `catchUp(previousVersion)` re-folds the players whose vectors moved in the previous version after
 * this one was trained, once the alias points here (events between training and swap are not lost).
 */
export async function publish(store: VectorStore, pool: Pool, version: string, catchUp?: (previous: string) => Promise<number>): Promise<PublishReport> {
  const t0 = Date.now();
  const collection = collectionOf(version);
  const live = await store.aliasTarget(LIVE_ALIAS);
  const previous = live === null ? null : versionOf(live);
  const dims = await gameDims(pool, version);
  if (dims.size > 1) throw new Error(`model ${version} mixes vector sizes ${[...dims].join(", ")}`);
  const dim = [...dims][0];
  let items = 0;
  let players = 0;
  if (live !== collection) {
    if ((await store.listCollections()).includes(collection)) await store.deleteCollection(collection); // an interrupted earlier attempt
    await store.createCollection(collection, dim ?? 1, "Dot");
    for (const field of PAYLOAD_INDEXES) await store.createKeywordIndex(collection, field);
    for await (const page of vectorItems(pool, version)) {
      const points: Point[] = page.map((i) => ({
        id: itemPointId(i.game, i.kind, i.item),
        vector: i.vector!,
        payload: { type: "item", game: i.game, kind: i.kind, item: i.item, platforms: i.platforms, popularity: i.popularity },
      }));
      await store.upsert(collection, points);
      items += points.length;
    }
    for await (const page of playerVectors(pool, version)) {
      await store.upsert(collection, page.map((p) => ({ id: playerPointId(p.game, p.player), vector: p.vector, payload: { type: "player", game: p.game, player: p.player } })));
      players += page.length;
    }
    await store.swapAlias(LIVE_ALIAS, collection);
  }
  const caughtUp = previous !== null && previous !== version && catchUp !== undefined ? await catchUp(previous) : 0;
  const keep = new Set([collection, ...(live === null ? [] : [live])]);
  const dropped = (await store.listCollections()).filter((c) => versionOf(c) !== null && !keep.has(c));
  for (const c of dropped) await store.deleteCollection(c);
  return { version, collection, previous: previous === version ? null : previous, items, players, caughtUp, dropped, seconds: (Date.now() - t0) / 1000 };
}
