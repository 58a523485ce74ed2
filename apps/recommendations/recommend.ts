// Computes one player's recommendations: the model's nearest items to the player's vector (Qdrant's
// recommend query, the player's point as positive example, abandoned levels as negatives), within the
// game, kind, platform and business rules, minus what the player owns or completed; the rest of the
// page filled from popularity (cold players, cold items, thin filters).
import type { Pool } from "pg";
import { exclusionsFor } from "./exclusions";
import { itemPointId, playerPointId } from "./ids";
import { itemKey, type Kind } from "./interactions";
import type { GameState, LiveModel } from "./live-model";
import type { StoredItem } from "./model-store";
import type { GameRules, RulesCache } from "./rules";
import type { Condition, Filter, Hit, VectorStore } from "./vector-store/types";

export interface RecRequest {
  readonly game: string;
  readonly player: string;
  readonly kind: Kind;
  /** Only items seen on this platform (or on no named platform). */
  readonly platform: string | null;
}

export interface RecItem {
  readonly id: string;
  readonly score: number;
  readonly source: "model" | "popular";
}

export interface Recommendation {
  readonly game: string;
  readonly player: string;
  readonly kind: Kind;
  readonly platform: string | null;
  readonly version: string;
  readonly items: readonly RecItem[];
  readonly generatedAt: string;
}

interface Constraints {
  readonly exclude: ReadonlySet<string>;
  readonly rules: GameRules;
  readonly platform: string | null;
}

/** The store filter: this game and kind only (never another game's items), the platform, the rules, the exclusions. */
export function buildFilter(req: RecRequest, c: Constraints): Filter {
  const must: Condition[] = [
    { key: "type", match: { value: "item" } },
    { key: "game", match: { value: req.game } },
    { key: "kind", match: { value: req.kind } },
  ];
  if (c.platform !== null) must.push({ key: "platforms", match: { any: [c.platform, "*"] } });
  if (c.rules.allow.length > 0) must.push({ key: "item", match: { any: c.rules.allow } });
  const out = [...c.exclude, ...c.rules.deny];
  return { must, ...(out.length > 0 ? { must_not: [{ key: "item", match: { any: out } }] } : {}) };
}

/** Appends popular items that pass the same constraints until the page is full (pure). */
export function fillFromPopular(model: readonly RecItem[], popular: readonly StoredItem[], c: Constraints, limit: number): RecItem[] {
  const out = model.slice(0, limit);
  const taken = new Set(out.map((r) => r.id));
  const allow = new Set(c.rules.allow);
  const deny = new Set(c.rules.deny);
  for (const p of popular) {
    if (out.length >= limit) break;
    if (taken.has(p.item) || c.exclude.has(p.item) || deny.has(p.item) || (allow.size > 0 && !allow.has(p.item))) continue;
    if (c.platform !== null && !p.platforms.includes(c.platform) && !p.platforms.includes("*")) continue;
    out.push({ id: p.item, score: p.popularity, source: "popular" });
    taken.add(p.item);
  }
  return out;
}

export interface EngineDeps {
  readonly store: VectorStore;
  readonly pool: Pool;
  readonly live: LiveModel;
  readonly rules: RulesCache;
}

export class NoModelError extends Error {}

/** Computes a full page (`limit` items at most); callers cache it and slice. */
export async function computeRecommendations(d: EngineDeps, req: RecRequest, limit: number): Promise<Recommendation> {
  const live = d.live.current();
  if (live === null) throw new NoModelError("no model version is live yet: train one with `npm run recommendations -- train`");
  const [state, exclusions, rules] = await Promise.all([d.live.game(live.version, req.game), exclusionsFor(d.pool, req.game, req.player, req.kind), d.rules.get(req.game, req.kind)]);
  if (state === null) throw new NoModelError(`model ${live.version} does not cover game "${req.game}" (no interactions in its window); the next training will`);
  const c: Constraints = { exclude: new Set(exclusions.excluded), rules, platform: req.platform };
  const model = await modelHits(d.store, live.collection, state, req, c, exclusions.abandoned, limit);
  return {
    game: req.game,
    player: req.player,
    kind: req.kind,
    platform: req.platform,
    version: live.version,
    items: fillFromPopular(model, state.popular[req.kind], c, limit),
    generatedAt: new Date().toISOString(),
  };
}

async function modelHits(store: VectorStore, collection: string, state: GameState, req: RecRequest, c: Constraints, abandoned: readonly string[], limit: number): Promise<RecItem[]> {
  const negative = abandoned.filter((item) => state.learned.has(itemKey(req.kind, item))).map((item) => itemPointId(req.game, req.kind, item));
  const positive = [playerPointId(req.game, req.player)];
  const filter = buildFilter(req, c);
  let r = await store.recommend(collection, { positive, negative, filter, limit });
  if (r.kind === "missing_example" && r.id !== positive[0]) r = await store.recommend(collection, { positive, negative: [], filter, limit });
  // A player with no vector in this version (new since training, or no learned items): popularity only.
  if (r.kind === "missing_example") return [];
  return r.hits.map((h: Hit) => ({ id: String(h.payload.item), score: h.score, source: "model" as const }));
}
