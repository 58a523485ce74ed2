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

/**
 * One statement locks what the batch touches and reads the players' stored state. First (an InitPlan)
 * the game locks, shared: live batches of one game run side by side, a rebuild or an erasure takes
 * it exclusively. Then every batch player's row: new players' rows are inserted, existing ones are
 * "updated" to themselves, which locks them (a concurrent writer of the same player waits) and
 * RETURNING gives their latest committed state; `xmax = 0` tells the rows this statement inserted.
 */
async function lockPlayers(client: PoolClient, b: BatchPartials): Promise<Map<string, PlayerState>> {
  const fresh = [...b.players.values()].map((p) => playerRecord(p.gameId, p.playerId, { firstDay: p.minDay, firstPurchase: p.firstPurchase }));
  const { rows } = await client.query<PlayerRow & { inserted: boolean }>(
    `INSERT INTO rollup_players AS t SELECT * FROM (${recordset("$1", PLAYER_COLUMNS)}) AS s
     WHERE (SELECT count(pg_advisory_xact_lock_shared(k)) FROM (SELECT unnest($2::bigint[]) AS k ORDER BY 1) AS g) >= 0
     ORDER BY game_id, player_id
     ON CONFLICT (game_id, player_id) DO UPDATE SET first_day = t.first_day
     RETURNING ${PLAYER_SELECT}, (t.xmax = 0) AS inserted`,
    [records(PLAYER_COLUMNS, fresh), [...b.games].map(gameLockKey).sort()],
  );
  const stored = new Map<string, PlayerState>();
  for (const r of rows) if (!r.inserted) stored.set(keyOf(r.game_id, r.player_id), playerFromRow(r));
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
