// The model's rows in PostgreSQL (migration 040): versions, per-game Gram matrices, items, players.
import type { Pool, PoolClient } from "pg";
import type { GameModel, ItemRow } from "./game-model";
import type { Kind } from "./interactions";
import { fromBytes, toBytes } from "./model/linalg";
import { inTransaction } from "../shared/pg";

const CHUNK = 5000;

function chunks<T>(rows: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

export async function createModel(pool: Pool, version: string, params: object, windowFrom: Date, asOf: Date): Promise<void> {
  await pool.query("INSERT INTO rec_models (version, status, params, window_from, as_of) VALUES ($1, 'building', $2, $3, $4)", [version, JSON.stringify(params), windowFrom, asOf]);
}

export async function finishModel(pool: Pool, version: string, status: "ready" | "failed", stats: object): Promise<void> {
  await pool.query("UPDATE rec_models SET status = $2, stats = $3, ready_at = CASE WHEN $2 = 'ready' THEN now() END WHERE version = $1", [version, status, JSON.stringify(stats)]);
}

/** Writes one game's rows of a version in one transaction. */
export async function writeGameModel(pool: Pool, version: string, gm: GameModel): Promise<void> {
  await inTransaction(pool, async (c) => {
    const gram = Buffer.from(gm.gram.buffer, gm.gram.byteOffset, gm.gram.byteLength);
    await c.query("INSERT INTO rec_model_games (version, game_id, dim, gram, players, items, interactions) VALUES ($1, $2, $3, $4, $5, $6, $7)", [
      version, gm.game, gm.dim, gram, gm.players.length, gm.items.length, gm.interactions,
    ]);
    for (const part of chunks(gm.items)) {
      await c.query(
        `INSERT INTO rec_items (version, game_id, kind, item_id, popularity, players, platforms, vector)
         SELECT $1, $2, k, i, p, n, string_to_array(pl, ','), v FROM unnest($3::text[], $4::text[], $5::real[], $6::int[], $7::text[], $8::bytea[]) AS t(k, i, p, n, pl, v)`,
        [version, gm.game, part.map((r) => r.kind), part.map((r) => r.item), part.map((r) => r.popularity), part.map((r) => r.players), part.map((r) => r.platforms.join(",")), part.map((r) => (r.vector === null ? null : toBytes(r.vector)))],
      );
    }
    for (const part of chunks(gm.players)) await upsertPlayerVectors(c, version, gm.game, part);
  });
}

export async function upsertPlayerVectors(c: Pool | PoolClient, version: string, game: string, rows: readonly { player: string; vector: Float32Array }[]): Promise<void> {
  if (rows.length === 0) return;
  await c.query(
    `INSERT INTO rec_players (version, game_id, player_id, vector)
     SELECT $1, $2, p, v FROM unnest($3::text[], $4::bytea[]) AS t(p, v)
     ON CONFLICT (version, game_id, player_id) DO UPDATE SET vector = EXCLUDED.vector, updated_at = now()`,
    [version, game, rows.map((r) => r.player), rows.map((r) => toBytes(r.vector))],
  );
}

export interface ModelRow {
  readonly version: string;
  readonly params: Record<string, unknown>;
  readonly asOf: Date;
  readonly readyAt: Date;
}

export async function readyModels(pool: Pool): Promise<ModelRow[]> {
  const { rows } = await pool.query<{ version: string; params: Record<string, unknown>; as_of: Date; ready_at: Date }>(
    "SELECT version, params, as_of, ready_at FROM rec_models WHERE status = 'ready' ORDER BY ready_at DESC, version DESC",
  );
  return rows.map((r) => ({ version: r.version, params: r.params, asOf: r.as_of, readyAt: r.ready_at }));
}

export async function modelParams(pool: Pool, version: string): Promise<Record<string, unknown> | null> {
  const { rows } = await pool.query<{ params: Record<string, unknown> }>("SELECT params FROM rec_models WHERE version = $1", [version]);
  return rows[0]?.params ?? null;
}

export interface GameMeta {
  readonly dim: number;
  readonly gram: Float64Array;
}

export async function gameMeta(pool: Pool, version: string, game: string): Promise<GameMeta | null> {
  const { rows } = await pool.query<{ dim: number; gram: Buffer }>("SELECT dim, gram FROM rec_model_games WHERE version = $1 AND game_id = $2", [version, game]);
  if (rows.length === 0) return null;
  const copy = new Uint8Array(rows[0].gram);
  return { dim: rows[0].dim, gram: new Float64Array(copy.buffer) };
}

export type StoredItem = Omit<ItemRow, "vector"> & { readonly game: string; readonly vector: Float32Array | null };

interface ItemDbRow {
  game_id: string;
  kind: Kind;
  item_id: string;
  popularity: number;
  players: number;
  platforms: string[];
  vector: Buffer | null;
}

const toItem = (r: ItemDbRow): StoredItem => ({
  game: r.game_id, kind: r.kind, item: r.item_id, popularity: r.popularity, players: r.players, platforms: r.platforms, vector: r.vector === null ? null : fromBytes(r.vector),
});

/** The most popular items of a game and kind, most popular first. */
export async function popularItems(pool: Pool, version: string, game: string, kind: Kind, limit: number): Promise<StoredItem[]> {
  const { rows } = await pool.query<ItemDbRow>(
    "SELECT game_id, kind, item_id, popularity, players, platforms, vector FROM rec_items WHERE version = $1 AND game_id = $2 AND kind = $3 ORDER BY popularity DESC, item_id LIMIT $4",
    [version, game, kind, limit],
  );
  return rows.map(toItem);
}

/** Pages through the learned items of a version (keyset pagination: flat memory at any size). */
export async function* vectorItems(pool: Pool, version: string, page = CHUNK): AsyncGenerator<StoredItem[]> {
  let after: [string, string, string] = ["", "", ""];
  for (;;) {
    const { rows } = await pool.query<ItemDbRow>(
      `SELECT game_id, kind, item_id, popularity, players, platforms, vector FROM rec_items
       WHERE version = $1 AND vector IS NOT NULL AND (game_id, kind, item_id) > ($2, $3, $4) ORDER BY game_id, kind, item_id LIMIT $5`,
      [version, ...after, page],
    );
    if (rows.length === 0) return;
    yield rows.map(toItem);
    const last = rows[rows.length - 1];
    after = [last.game_id, last.kind, last.item_id];
  }
}

export interface StoredPlayer {
  readonly game: string;
  readonly player: string;
  readonly vector: Float32Array;
}

/** Pages through a version's player vectors, optionally only those updated since `since`. */
export async function* playerVectors(pool: Pool, version: string, since: Date | null = null, page = CHUNK): AsyncGenerator<StoredPlayer[]> {
  let after: [string, string] = ["", ""];
  for (;;) {
    const { rows } = await pool.query<{ game_id: string; player_id: string; vector: Buffer }>(
      `SELECT game_id, player_id, vector FROM rec_players WHERE version = $1 AND ($2::timestamptz IS NULL OR updated_at > $2)
       AND (game_id, player_id) > ($3, $4) ORDER BY game_id, player_id LIMIT $5`,
      [version, since, ...after, page],
    );
    if (rows.length === 0) return;
    yield rows.map((r) => ({ game: r.game_id, player: r.player_id, vector: fromBytes(r.vector) }));
    const last = rows[rows.length - 1];
    after = [last.game_id, last.player_id];
  }
}

/** Drops every version but `keep` (cascades to its games, items and players). */
export async function pruneModels(pool: Pool, keep: readonly string[]): Promise<string[]> {
  const { rows } = await pool.query<{ version: string }>("DELETE FROM rec_models WHERE NOT (version = ANY($1::text[])) AND (status <> 'building' OR created_at < now() - interval '1 day') RETURNING version", [keep]);
  return rows.map((r) => r.version);
}

/** The vector sizes of a version's games (one, for a consistent model). */
export async function gameDims(pool: Pool, version: string): Promise<Set<number>> {
  const { rows } = await pool.query<{ dim: number }>("SELECT DISTINCT dim FROM rec_model_games WHERE version = $1", [version]);
  return new Set(rows.map((r) => r.dim));
}
