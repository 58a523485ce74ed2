// The part of a player's data only this service can reach: their cached pages in Redis and their
// point in the vector store (in the embedded store it lives in this process's memory). Served to the
// GDPR job over apps/shared/player-data/http.ts (playerDataRoutes). Their PostgreSQL rows (vectors
// per version, exclusions) are the shared store apps/shared/player-data/recommendations.ts.
import type { PlayerDataStore } from "../shared/player-data/types";
import type { RecommendationCache } from "./cache";
import { playerPointId, versionOf } from "./ids";
import type { VectorStore } from "./vector-store/types";

export const RECOMMENDATIONS_STORE = "recommendations";

export function recommendationsStore(cache: RecommendationCache, store: VectorStore): PlayerDataStore {
  const collections = async () => (await store.listCollections()).filter((c) => versionOf(c) !== null);
  return {
    name: RECOMMENDATIONS_STORE,
    export: async (p, emit) => {
      let n = 0;
      for (const [field, value] of Object.entries(await cache.entries(p.gameId, p.playerId))) {
        await emit({ store: RECOMMENDATIONS_STORE, kind: "cache_entry", data: { field, value: field === "_gen" ? Number(value) : (JSON.parse(value) as Record<string, unknown>) } });
        n++;
      }
      for (const collection of await collections()) {
        for (const point of await store.retrieve(collection, [playerPointId(p.gameId, p.playerId)], true)) {
          await emit({ store: RECOMMENDATIONS_STORE, kind: "vector_point", data: { collection, id: point.id, payload: { ...point.payload }, vector: Array.from(point.vector ?? []) } });
          n++;
        }
      }
      return n;
    },
    erase: async (p) => {
      let removed = await cache.erase(p.gameId, p.playerId);
      const id = playerPointId(p.gameId, p.playerId);
      for (const collection of await collections()) {
        removed += (await store.retrieve(collection, [id], false)).length;
        await store.deletePoints(collection, [id]);
      }
      return { removed };
    },
  };
}
