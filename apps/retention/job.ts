// The daily run: every partition older than the hot window is archived per game, verified from the
// objects, recorded, and only then dropped. Each step can be interrupted (a crash, a SIGKILL) and the
// next run picks up from what S3 and PostgreSQL hold; a partition whose archive fails verification
// stays, with its reason in retention_pending.
import type { Pool } from "pg";
import { appendAudit } from "../shared/audit";
import { readShape } from "../shared/archive/columns";
import { faultPoint } from "../shared/archive/faults";
import { firstHotDay } from "../shared/archive/layout";
import { withArchiveLock } from "../shared/archive/lock";
import { checkArchive } from "../shared/archive/verify";
import type { Logger } from "../shared/logger";
import { inTransaction } from "../shared/pg";
import { archiveDay, type ArchiveTarget } from "./archive";
import { dropPartition, gameTotals, listPartitions, notePending, type Partition, type Totals } from "./partitions";
import { recordArchive } from "./record";

export interface JobDeps {
  readonly pool: Pool;
  readonly target: ArchiveTarget;
  readonly hotDays: number;
  readonly logger: Logger;
  readonly actor: string;
  /** UTC day the run counts from. */
  readonly today: string;
}

export interface RunSummary {
  readonly expired: number;
  readonly archivedDays: number;
  readonly partsWritten: number;
  readonly dropped: readonly string[];
  readonly droppedRows: number;
  /** Expired partitions left in place; `held`: restored on purpose, not a failure. */
  readonly pending: readonly { partition: string; reason: string; held: boolean }[];
}

// Arbitrary constant: one retention run at a time (the CronJob forbids overlap; manual runs may not).
const RUN_LOCK = 4_242_016;

type Outcome = { ok: true; covered: Totals; written: number } | { ok: false; reason: string };

async function archiveGame(d: JobDeps, shape: Awaited<ReturnType<typeof readShape>>, p: Partition, gameId: string): Promise<Outcome> {
  return withArchiveLock(d.pool, gameId, p.day, async () => {
    const client = await d.pool.connect();
    const a = await archiveDay(client, d.target, shape, p.name, gameId, p.day).finally(() => client.release());
    const check = await checkArchive(d.target.bucket, a.stored.manifest);
    if (check.problems.length > 0) {
      await inTransaction(d.pool, (c) =>
        appendAudit(c, { actor: d.actor, action: "retention.verify_failed", target: `archive:${gameId}/${p.day}`, details: { partition: p.name, problems: [...check.problems] } }),
      );
      return { ok: false, reason: `archive of ${gameId} failed verification: ${check.problems.join("; ")}` };
    }
    await recordArchive(d.pool, d.actor, a.stored, check.players);
    return { ok: true, covered: a.covered, written: a.written };
  });
}

async function heldByRestore(pool: Pool, day: string): Promise<string | undefined> {
  const { rows } = await pool.query<{ game_id: string; hold_until: Date }>("SELECT game_id, hold_until FROM retention_restores WHERE day = $1 AND hold_until > now() ORDER BY game_id", [day]);
  return rows.length === 0 ? undefined : `restored for ${rows.map((r) => r.game_id).join(", ")}; kept until ${rows[0].hold_until.toISOString()}`;
}

export async function runRetention(d: JobDeps): Promise<RunSummary> {
  const lock = await d.pool.connect();
  try {
    const { rows } = await lock.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [RUN_LOCK]);
    if (rows[0]?.ok !== true) throw new Error("another retention run holds the run lock; not starting a second one");
    return await runLocked(d);
  } finally {
    await lock.query("SELECT pg_advisory_unlock($1)", [RUN_LOCK]).catch(() => undefined);
    lock.release();
  }
}

async function runLocked(d: JobDeps): Promise<RunSummary> {
  const shape = await readShape(d.pool);
  const first = firstHotDay(d.today, d.hotDays);
  const expired = (await listPartitions(d.pool)).filter((p) => p.day < first);
  d.logger.info({ expired: expired.length, firstHotDay: first, hotDays: d.hotDays }, "retention run");
  const pending: { partition: string; reason: string; held: boolean }[] = [];
  const dropped: string[] = [];
  let archivedDays = 0;
  let partsWritten = 0;
  let droppedRows = 0;
  const leave = async (p: Partition, reason: string, held = false) => {
    pending.push({ partition: p.name, reason, held });
    await notePending(d.pool, p, reason);
    d.logger.warn({ partition: p.name, reason }, "partition kept");
  };
  for (const p of expired) {
    const held = await heldByRestore(d.pool, p.day);
    if (held !== undefined) {
      await leave(p, held, true);
      continue;
    }
    const verified = new Map<string, Totals>();
    const failures: string[] = [];
    for (const gameId of (await gameTotals(d.pool, shape, p.name)).keys()) {
      try {
        const o = await archiveGame(d, shape, p, gameId);
        if (!o.ok) failures.push(o.reason);
        else {
          verified.set(gameId, o.covered);
          archivedDays += 1;
          partsWritten += o.written;
        }
      } catch (err) {
        failures.push(`archiving ${gameId} failed: ${(err as Error).message}`);
      }
    }
    if (failures.length > 0) {
      await leave(p, failures.join("; "));
      continue;
    }
    await faultPoint("before-drop");
    const r = await dropPartition(d.pool, shape, p, verified, d.actor);
    if (!r.dropped) {
      await leave(p, r.reason);
      continue;
    }
    dropped.push(p.name);
    droppedRows += r.rows;
    d.logger.info({ partition: p.name, rows: r.rows, games: verified.size }, "partition archived, verified and dropped");
  }
  return { expired: expired.length, archivedDays, partsWritten, dropped, droppedRows, pending };
}
