// The one function the processor calls, inside its transaction, with the rows its insert actually
// added: read the touched state (locking each player's row first), plan in JS, write set-based.
import type { PoolClient } from "pg";
import { aggregate, type BatchPartials } from "./aggregate";
import { DayState, keyOf, PlayerState, StoredEvent } from "./model";
import { Neighbours, planBatch, planPlayers, type BatchPlan } from "./plan";
import { gameLockKey } from "./locks";
import { dayFromRow, daySelect, playerFromRow, PLAYER_COLUMNS, PLAYER_SELECT, playerRecord, type DayRow, type PlayerRow } from "./rows";
import { recordset, records } from "./sql";
import { writePlan } from "./write";

async function lockGames(client: PoolClient, games: Iterable<string>): Promise<void> {
  // Shared: live batches of one game run side by side; a rebuild or an erasure takes it exclusively.
  await client.query("SELECT pg_advisory_xact_lock_shared(k) FROM unnest($1::bigint[]) AS k ORDER BY k", [[...games].map(gameLockKey).sort()]);
}

/**
 * Locks every batch player's row: new players get theirs inserted (a concurrent writer of the same new
 * player waits on the insert), existing ones are selected FOR UPDATE. Returns the stored states.
 */
async function lockPlayers(client: PoolClient, b: BatchPartials): Promise<Map<string, PlayerState>> {
  const fresh = [...b.players.values()].map((p) => playerRecord(p.gameId, p.playerId, { firstDay: p.minDay, firstPurchase: p.firstPurchase }));
  const { rows: inserted } = await client.query<{ game_id: string; player_id: string }>(
    `INSERT INTO rollup_players AS t SELECT * FROM (${recordset("$1", PLAYER_COLUMNS)}) AS s ORDER BY game_id, player_id
     ON CONFLICT DO NOTHING RETURNING game_id, player_id`,
    [records(PLAYER_COLUMNS, fresh)],
  );
  const mine = new Set(inserted.map((r) => keyOf(r.game_id, r.player_id)));
  const rest = [...b.players.values()].filter((p) => !mine.has(keyOf(p.gameId, p.playerId)));
  const stored = new Map<string, PlayerState>();
  if (rest.length === 0) return stored;
  const { rows } = await client.query<PlayerRow>(
    `SELECT ${PLAYER_SELECT} FROM rollup_players t JOIN unnest($1::text[], $2::text[]) AS k(game_id, player_id) USING (game_id, player_id)
     ORDER BY game_id, player_id FOR UPDATE OF t`,
    [rest.map((p) => p.gameId), rest.map((p) => p.playerId)],
  );
  for (const r of rows) stored.set(keyOf(r.game_id, r.player_id), playerFromRow(r));
  return stored;
}

interface TouchedRow extends DayRow {
  prev: string | null;
  next: string | null;
}

async function readDays(client: PoolClient, b: BatchPartials, changed: ReadonlySet<string>) {
  const keys = [...b.days.values()];
  const days = new Map<string, DayState>();
  const neighbours = new Map<string, Neighbours>();
  const daysOfChanged = new Map<string, string[]>();
  const { rows } = await client.query<TouchedRow>(
    `SELECT k.game_id, k.player_id, to_char(k.day, 'YYYY-MM-DD') AS day, ${daySelect("d")},
       CASE WHEN d.game_id IS NULL THEN (SELECT to_char(max(p.day), 'YYYY-MM-DD') FROM rollup_player_days p
         WHERE p.game_id = k.game_id AND p.player_id = k.player_id AND p.day < k.day) END AS prev,
       CASE WHEN d.game_id IS NULL THEN (SELECT to_char(min(p.day), 'YYYY-MM-DD') FROM rollup_player_days p
         WHERE p.game_id = k.game_id AND p.player_id = k.player_id AND p.day > k.day) END AS next,
       d.game_id IS NOT NULL AS found
     FROM unnest($1::text[], $2::text[], $3::date[]) AS k(game_id, player_id, day)
     LEFT JOIN rollup_player_days d ON d.game_id = k.game_id AND d.player_id = k.player_id AND d.day = k.day`,
    [keys.map((k) => k.gameId), keys.map((k) => k.playerId), keys.map((k) => k.day)],
  );
  for (const r of rows as (TouchedRow & { found: boolean })[]) {
    const dk = keyOf(r.game_id, r.player_id, r.day);
    if (r.found) days.set(dk, dayFromRow(r));
    else neighbours.set(dk, { prev: r.prev, next: r.next });
  }
  if (changed.size > 0) {
    const players = [...changed].map((pk) => b.players.get(pk)!);
    const { rows: all } = await client.query<DayRow>(
      `SELECT t.game_id, t.player_id, to_char(t.day, 'YYYY-MM-DD') AS day, ${daySelect("t")} FROM rollup_player_days t
       JOIN unnest($1::text[], $2::text[]) AS k(game_id, player_id) USING (game_id, player_id)`,
      [players.map((p) => p.gameId), players.map((p) => p.playerId)],
    );
    for (const r of all) {
      const pk = keyOf(r.game_id, r.player_id);
      days.set(keyOf(r.game_id, r.player_id, r.day), dayFromRow(r));
      daysOfChanged.set(pk, [...(daysOfChanged.get(pk) ?? []), r.day]);
    }
  }
  return { days, neighbours, daysOfChanged };
}

/** What one call wrote, for metrics and the cache invalidation of closed days. */
export interface RollupResult {
  readonly playerDays: number;
  /** Days (per game) whose counters changed. */
  readonly days: ReadonlyMap<string, ReadonlySet<string>>;
}

export async function planRollups(client: PoolClient, events: readonly StoredEvent[]): Promise<BatchPlan & { partials: BatchPartials }> {
  const partials = aggregate(events);
  await lockGames(client, partials.games);
  const storedPlayers = await lockPlayers(client, partials);
  const { plans, changed } = planPlayers(partials, storedPlayers);
  const stored = await readDays(client, partials, changed);
  return { ...planBatch(partials, plans, changed, stored), partials };
}

/**
 * Folds newly stored events into the rollups. Call it in the same transaction as the insert, with
 * only the rows the insert added: a redelivered event is not among them, so nothing counts twice.
 */
export async function applyRollups(client: PoolClient, events: readonly StoredEvent[]): Promise<RollupResult> {
  if (events.length === 0) return { playerDays: 0, days: new Map() };
  const plan = await planRollups(client, events);
  await writePlan(client, plan, plan.partials);
  const days = new Map<string, Set<string>>();
  for (const d of plan.days) days.set(d.gameId, (days.get(d.gameId) ?? new Set()).add(d.day));
  return { playerDays: plan.days.length, days };
}
