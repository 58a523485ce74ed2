// The PostgreSQL side of retention: which daily partitions exist, what each game has in one (a row
// count and a content digest computed by the database itself), streaming its rows in canonical form,
// and the drop that re-checks, under a lock that stops writes, that nothing changed since verification.
import type { Pool, PoolClient } from "pg";
import { appendAudit } from "../shared/audit";
import { canonicalSql, ident, rowHashSql, type TableShape } from "../shared/archive/columns";
import { dayOfPartition } from "../shared/archive/layout";
import type { CanonicalRow } from "../shared/archive/rows";

export interface Partition {
  readonly name: string;
  readonly day: string;
}

export interface Totals {
  readonly rows: number;
  readonly digest: string;
}

export async function listPartitions(db: Pool | PoolClient, table = "player_events"): Promise<Partition[]> {
  const { rows } = await db.query<{ name: string }>(
    "SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass",
    [table],
  );
  return rows
    .map((r) => ({ name: r.name, day: dayOfPartition(r.name) }))
    .filter((p): p is Partition => p.day !== undefined)
    .sort((a, b) => a.day.localeCompare(b.day));
}

/** Rows and digest per game in one partition (one scan). */
export async function gameTotals(db: Pool | PoolClient, shape: TableShape, partition: string, gameId?: string): Promise<Map<string, Totals>> {
  const { rows } = await db.query<{ game_id: string; rows: string; digest: string }>(
    `SELECT game_id, count(*) AS rows, coalesce(sum(${rowHashSql(shape.columns)}), 0)::text AS digest FROM ${ident(partition)}
      ${gameId === undefined ? "" : "WHERE game_id = $1"} GROUP BY game_id`,
    gameId === undefined ? [] : [gameId],
  );
  return new Map(rows.map((r) => [r.game_id, { rows: Number(r.rows), digest: r.digest }]));
}

const FETCH_ROWS = 2000;

/**
 * Streams one game's rows of a partition as canonical rows, ordered by player (so each player's rows
 * sit in as few objects as possible), within the caller's transaction. `where` adds a condition on
 * alias `p` (the rows not yet archived).
 */
export async function* streamRows(client: PoolClient, shape: TableShape, partition: string, gameId: string, where = ""): AsyncGenerator<CanonicalRow[]> {
  const order = ["player_id", "event_time", ...shape.key].filter((c, i, all) => all.indexOf(c) === i && shape.columns.some((x) => x.name === c));
  await client.query(
    `DECLARE archive_rows NO SCROLL CURSOR FOR SELECT ${shape.columns.map((c) => canonicalSql(c, "p.")).join(", ")}
       FROM ${ident(partition)} p WHERE p.game_id = $1 ${where} ORDER BY ${order.map((c) => `p.${ident(c)}`).join(", ")}`,
    [gameId],
  );
  try {
    for (;;) {
      const { rows } = await client.query<(string | null)[]>({ text: `FETCH ${FETCH_ROWS} FROM archive_rows`, rowMode: "array" });
      if (rows.length === 0) return;
      yield rows;
    }
  } finally {
    await client.query("CLOSE archive_rows");
  }
}

export type DropResult = { readonly dropped: true; readonly rows: number } | { readonly dropped: false; readonly reason: string };

const sameTotals = (a: ReadonlyMap<string, Totals>, b: ReadonlyMap<string, Totals>): boolean =>
  a.size === b.size && [...a].every(([g, t]) => b.get(g)?.rows === t.rows && b.get(g)?.digest === t.digest);

/**
 * Drops a partition whose every game was verified with `verified` totals. Inside one transaction:
 * block writes to the partition, recount, drop only if nothing changed, audit. A late event or an
 * erasure since verification leaves the partition for the next run.
 */
export async function dropPartition(pool: Pool, shape: TableShape, p: Partition, verified: ReadonlyMap<string, Totals>, actor: string): Promise<DropResult> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    // Never queue the event path behind us for long: dropping needs a brief exclusive lock on player_events.
    await client.query("SET LOCAL lock_timeout = '5s'");
    await client.query(`LOCK TABLE ${ident(p.name)} IN SHARE MODE`);
    const now = await gameTotals(client, shape, p.name);
    if (!sameTotals(now, verified)) {
      await client.query("ROLLBACK");
      return { dropped: false, reason: "rows changed after verification (late events or an erasure); the next run archives the difference" };
    }
    const rows = [...now.values()].reduce((n, t) => n + t.rows, 0);
    await client.query(`DROP TABLE ${ident(p.name)}`);
    await client.query("UPDATE retention_archives SET dropped_at = now() WHERE day = $1 AND dropped_at IS NULL", [p.day]);
    await client.query("DELETE FROM retention_pending WHERE partition = $1", [p.name]);
    await appendAudit(client, {
      actor,
      action: "retention.drop",
      target: `partition:${p.name}`,
      details: { day: p.day, rows, games: [...now].map(([gameId, t]) => ({ gameId, rows: t.rows, rowsDigest: t.digest })) },
    });
    await client.query("COMMIT");
    return { dropped: true, rows };
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

export async function notePending(pool: Pool, p: Partition, reason: string): Promise<void> {
  await pool.query(
    `INSERT INTO retention_pending (partition, day, reason) VALUES ($1, $2, $3)
     ON CONFLICT (partition) DO UPDATE SET reason = EXCLUDED.reason, updated_at = now()`,
    [p.name, p.day, reason],
  );
}
