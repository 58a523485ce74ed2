import type { Pool } from "pg";
import type { WireEvent } from "../shared/events/catalog";
import type { Validation } from "../shared/events/validate";
import type { InRecord, OutRecord, Topics } from "../shared/kafka";
import type { Logger } from "../shared/logger";
import { inTransaction } from "../shared/pg";
import { decode, Decoded, EventRow } from "./enrich";
import type { ProcessorMetrics } from "./metrics";
import { GameDirectory, insertEvents, isMissingPartition, Partitions } from "./store";

export interface ProcessorDeps {
  pool: Pool;
  topics: Topics;
  validate: (input: unknown) => Validation<WireEvent>;
  games: GameDirectory;
  partitions: Partitions;
  /** Resolves when Kafka acknowledged every record (acks=all). */
  send: (records: OutRecord[]) => Promise<void>;
  /** Publishes to player.events.processed, retrying until it succeeds; rejects only when the service stops. */
  republish: (records: OutRecord[]) => Promise<void>;
  logger: Logger;
  metrics: Pick<ProcessorMetrics, "stored" | "duplicates" | "dlq" | "batchSeconds" | "dbErrors">;
}

type Poison = Extract<Decoded, { kind: "dlq" }>;
type Good = Extract<Decoded, { kind: "ok" }>;

export function dlqRecord(d: Poison, dlqTopic: string, now: Date): OutRecord {
  const r = d.record;
  return {
    topic: dlqTopic,
    key: r.key === null ? null : r.key.toString("utf8"),
    value: r.value ?? Buffer.alloc(0),
    headers: {
      "dlq-reason": d.reason,
      "dlq-detail": d.detail.slice(0, 2000),
      "dlq-source-topic": r.topic,
      "dlq-source-partition": String(r.partition),
      "dlq-source-offset": r.offset,
      "dlq-time": now.toISOString(),
    },
  };
}

/**
 * A deterministic refusal of the data (SQLSTATE class 22 data exception, 23 integrity violation,
 * 54 program limit such as an index row too large): the same rows fail again on every retry.
 * Anything else (connection lost, server shutting down, timeouts, deadlocks) is worth retrying.
 */
export function isDataError(err: unknown): err is Error & { code: string } {
  const code = (err as { code?: unknown }).code;
  return typeof code === "string" && /^(22|23|54)/.test(code);
}

/**
 * Stores rows in one transaction; when PostgreSQL refuses the data, splits the rows in halves and
 * stores each half on its own, down to the single rows it refuses. Returns what was stored and what
 * was refused with the database's reason. Each stored half is committed: a crash replays the batch
 * and the stored halves are no-ops.
 */
async function storeIsolating(rows: Good[], deps: ProcessorDeps, partitionsChecked = false): Promise<{ stored: number; refused: Poison[] }> {
  try {
    return { stored: await inTransaction(deps.pool, (c) => insertEvents(c, rows.map((g) => g.row))), refused: [] };
  } catch (err) {
    if (isMissingPartition(err) && !partitionsChecked) {
      // The day was archived and dropped after this process first saw it: make it again and retry once
      // (the retention job archives the late rows on its next run).
      deps.partitions.forget(rows.map((g) => g.row.event_day));
      await ensurePartitions(rows.map((g) => g.row), deps);
      return storeIsolating(rows, deps, true);
    }
    if (!isDataError(err)) throw err;
    deps.metrics.dbErrors.inc({ kind: "data" });
    if (rows.length === 1) {
      const detail = `PostgreSQL refused the row: ${err.code} ${err.message}`;
      return { stored: 0, refused: [{ kind: "dlq", reason: "db_refused", detail, record: rows[0].record }] };
    }
    const mid = rows.length >> 1;
    const a = await storeIsolating(rows.slice(0, mid), deps);
    const b = await storeIsolating(rows.slice(mid), deps);
    return { stored: a.stored + b.stored, refused: [...a.refused, ...b.refused] };
  }
}

async function ensurePartitions(rows: EventRow[], deps: ProcessorDeps): Promise<void> {
  const client = await deps.pool.connect();
  try {
    await deps.partitions.ensure(client, rows.map((r) => r.event_day));
  } finally {
    client.release();
  }
}

/**
 * Handles one batch of one partition. Order matters for zero loss and for one DLQ record per
 * poison record: the database transaction(s) first, then the DLQ (acked); a failure anywhere
 * before that throws, nothing is committed and the batch is replayed, the stored rows being
 * no-ops. The republish to player.events.processed is not waited for here: `durable` resolves once
 * it is acknowledged, and the consumer commits the batch's offsets only then, while the next batch
 * is already being stored.
 */
export async function processBatch(records: InRecord[], deps: ProcessorDeps): Promise<{ stored: number; duplicates: number; dlq: number; durable: Promise<void> }> {
  const stop = deps.metrics.batchSeconds.startTimer();
  const decoded = records.map((r) => decode(r, deps.validate));
  const known = await deps.games.filterKnown(decoded.flatMap((d) => (d.kind === "ok" ? [d.event.game_id] : [])));
  const good: Good[] = [];
  const poison: Poison[] = [];
  for (const d of decoded) {
    if (d.kind === "dlq") poison.push(d);
    else if (!known.has(d.event.game_id)) poison.push({ kind: "dlq", reason: "unknown_game", detail: `game "${d.event.game_id}" is not registered`, record: d.record });
    else good.push(d);
  }

  let stored = 0;
  let kept = good;
  if (good.length > 0) {
    await ensurePartitions(good.map((g) => g.row), deps);
    const r = await storeIsolating(good, deps).catch((err: unknown) => {
      deps.metrics.dbErrors.inc({ kind: "unavailable" });
      throw err;
    });
    stored = r.stored;
    if (r.refused.length > 0) {
      const refused = new Set(r.refused.map((p) => p.record));
      kept = good.filter((g) => !refused.has(g.record));
      poison.push(...r.refused);
    }
  }
  if (poison.length > 0) {
    const now = new Date();
    await deps.send(poison.map((p) => dlqRecord(p, deps.topics.dlq, now)));
    for (const p of poison) {
      deps.metrics.dlq.inc({ reason: p.reason });
      deps.logger.warn({ reason: p.reason, detail: p.detail, partition: p.record.partition, offset: p.record.offset }, "poison record sent to the DLQ");
    }
  }
  // At-least-once downstream: replays republish, consumers dedupe on (game_id, event_id).
  const durable = kept.length === 0 ? Promise.resolve() : deps.republish(kept.map((g) => ({ topic: deps.topics.processed, key: g.event.player_id, value: JSON.stringify(g.event) })));
  deps.metrics.stored.inc(stored);
  deps.metrics.duplicates.inc(kept.length - stored);
  stop();
  return { stored, duplicates: kept.length - stored, dlq: poison.length, durable };
}
