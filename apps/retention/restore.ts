// `retention restore --game G --from D --to D`: loads archived days back into their partitions for
// reprocessing. Objects are checked against the manifest as they are read (a day whose objects fail
// is rolled back whole), rows go in with ON CONFLICT DO NOTHING (a second restore adds nothing, and
// aggregates are not touched: they already count these rows), and the job keeps the restored days
// for the hold period before archiving and dropping them again.
import type { Pool } from "pg";
import { appendAudit } from "../shared/audit";
import { ident, readShape, type Column, type TableShape } from "../shared/archive/columns";
import { daysBetween } from "../shared/archive/layout";
import { withArchiveLock } from "../shared/archive/lock";
import { readManifest, shapeOf } from "../shared/archive/manifest";
import { sqlText, type CanonicalRow } from "../shared/archive/rows";
import { checkPart } from "../shared/archive/verify";
import { inTransaction } from "../shared/pg";
import type { Bucket } from "../shared/s3/objects";

export interface RestoreDeps {
  readonly pool: Pool;
  readonly bucket: Bucket;
  readonly prefix: string;
  readonly actor: string;
  readonly holdDays: number;
}

export type DayRestore = { readonly day: string; readonly archived: number; readonly inserted: number } | { readonly day: string; readonly missing: true };

/** Columns to restore: the archive's that the table still has; refuses when the table needs more. */
export function restoreColumns(archived: TableShape, table: TableShape, hasDefault: ReadonlySet<string>): Column[] {
  const names = new Set(archived.columns.map((c) => c.name));
  const lacking = table.columns.filter((c) => !names.has(c.name) && !c.nullable && !hasDefault.has(c.name)).map((c) => c.name);
  if (lacking.length > 0) throw new Error(`the archive has no values for required column(s) ${lacking.join(", ")} of ${table.table}; add defaults before restoring`);
  return table.columns.filter((c) => names.has(c.name));
}

function insertSql(cols: readonly Column[]): string {
  const list = cols.map((c) => ident(c.name)).join(", ");
  const casts = cols.map((c, i) => `u.c${i}::${c.sqlType}`).join(", ");
  const arrays = cols.map((_, i) => `$${i + 1}::text[]`).join(", ");
  return `INSERT INTO player_events (${list}) SELECT ${casts} FROM unnest(${arrays}) AS u(${cols.map((_, i) => `c${i}`).join(", ")}) ON CONFLICT DO NOTHING`;
}

export async function restoreDays(d: RestoreDeps, gameId: string, from: string, to: string): Promise<DayRestore[]> {
  const table = await readShape(d.pool);
  const { rows: defaults } = await d.pool.query<{ name: string }>("SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'player_events' AND column_default IS NOT NULL");
  const hasDefault = new Set(defaults.map((r) => r.name));
  const out: DayRestore[] = [];
  for (const day of daysBetween(from, to)) {
    out.push(
      await withArchiveLock(d.pool, gameId, day, async () => {
        const stored = await readManifest(d.bucket, d.prefix, gameId, day);
        if (stored === undefined) return { day, missing: true as const };
        const archived = shapeOf(stored.manifest);
        const cols = restoreColumns(archived, table, hasDefault);
        const idx = cols.map((c) => archived.columns.findIndex((a) => a.name === c.name));
        const sql = insertSql(cols);
        return inTransaction(d.pool, async (c) => {
          await c.query("SELECT gm_ensure_event_partition($1::date)", [day]);
          let inserted = 0;
          const insert = async (rows: CanonicalRow[]) => {
            const r = await c.query(sql, idx.map((i, k) => rows.map((row) => sqlText(cols[k], row[i]))));
            inserted += r.rowCount ?? 0;
          };
          for (const part of stored.manifest.parts) {
            const check = await checkPart(d.bucket, archived, part, insert);
            if (check.problems.length > 0) throw new Error(`restore of ${gameId} ${day} stopped, nothing of the day was loaded: ${check.problems.join("; ")}`);
          }
          await c.query(
            `INSERT INTO retention_restores (game_id, day, rows, hold_until) VALUES ($1, $2, $3, now() + make_interval(days => $4))
             ON CONFLICT (game_id, day) DO UPDATE SET rows = EXCLUDED.rows, restored_at = now(), hold_until = EXCLUDED.hold_until`,
            [gameId, day, stored.manifest.rows, d.holdDays],
          );
          await appendAudit(c, {
            actor: d.actor,
            action: "retention.restore",
            target: `archive:${gameId}/${day}`,
            details: { archivedRows: stored.manifest.rows, inserted, rowsDigest: stored.manifest.rowsDigest, manifestSha256: stored.sha256, generation: stored.manifest.generation },
          });
          return { day, archived: stored.manifest.rows, inserted };
        });
      }),
    );
  }
  return out;
}
