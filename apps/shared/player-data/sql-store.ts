// A store over PostgreSQL tables keyed by (game_id, player_id): export walks each table in pages
// (keyset on the given columns, so a player with millions of rows is read in bounded memory), erase
// deletes from every table in one transaction. Plain SQL: the tables' owners name them here.
import type { Pool } from "pg";
import type { EraseResult, ExportRecord, PlayerDataStore, PlayerRef } from "./types";

export interface PlayerTable {
  /** The record kind in the export (`event`, `stats`, `consent_change`). */
  readonly kind: string;
  readonly table: string;
  /** Unique per player, in export order: the keyset of the pages. */
  readonly keyColumns: readonly string[];
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

function checked(t: PlayerTable): PlayerTable {
  for (const name of [t.table, ...t.keyColumns]) if (!IDENT.test(name)) throw new Error(`player table ${t.table}: "${name}" is not a plain SQL identifier`);
  if (t.keyColumns.length === 0) throw new Error(`player table ${t.table}: keyColumns must name at least one column`);
  return t;
}

/**
 * The keys travel as text: node-postgres turns timestamptz into a millisecond Date, and a page
 * boundary at microsecond precision would then read rows twice.
 */
async function exportTable(pool: Pool, store: string, t: PlayerTable, p: PlayerRef, emit: (r: ExportRecord) => Promise<void>, pageSize: number): Promise<number> {
  const keys = t.keyColumns.join(", ");
  const keyText = t.keyColumns.map((c, i) => `${c}::text AS "__key${i}"`).join(", ");
  const after = t.keyColumns.map((_, i) => `$${i + 4}`).join(", ");
  let last: unknown[] | undefined;
  let n = 0;
  for (;;) {
    const where = last === undefined ? "" : ` AND (${keys}) > (${after})`;
    const { rows } = await pool.query<Record<string, unknown>>(
      `SELECT *, ${keyText} FROM ${t.table} WHERE game_id = $1 AND player_id = $2${where} ORDER BY ${keys} LIMIT $3`,
      [p.gameId, p.playerId, pageSize, ...(last ?? [])],
    );
    for (const row of rows) {
      const data = { ...row };
      t.keyColumns.forEach((_, i) => delete data[`__key${i}`]);
      await emit({ store, kind: t.kind, data });
    }
    n += rows.length;
    if (rows.length < pageSize) return n;
    const tail = rows[rows.length - 1];
    last = t.keyColumns.map((_, i) => tail[`__key${i}`]);
  }
}

export function sqlStore(name: string, pool: Pool, tables: readonly PlayerTable[], pageSize = 5000): PlayerDataStore {
  const parts = tables.map(checked);
  return {
    name,
    export: async (p, emit) => {
      let n = 0;
      for (const t of parts) n += await exportTable(pool, name, t, p, emit, pageSize);
      return n;
    },
    erase: async (p): Promise<EraseResult> => {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        let removed = 0;
        for (const t of parts) removed += (await client.query(`DELETE FROM ${t.table} WHERE game_id = $1 AND player_id = $2`, [p.gameId, p.playerId])).rowCount ?? 0;
        await client.query("COMMIT");
        return { removed };
      } catch (err) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
  };
}
