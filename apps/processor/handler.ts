import type { Pool } from "pg";
import type { Counter, Histogram } from "prom-client";
import type { WireEvent } from "../shared/events/catalog";
import type { Validation } from "../shared/events/validate";
import type { InRecord, OutRecord, Topics } from "../shared/kafka";
import type { Logger } from "../shared/logger";
import { inTransaction } from "../shared/pg";
import { applyRollups } from "../shared/rollups";
import { decode, Decoded } from "./enrich";
import { GameDirectory, insertEvents, Partitions } from "./store";

export interface ProcessorDeps {
  pool: Pool;
  topics: Topics;
  validate: (input: unknown) => Validation<WireEvent>;
  games: GameDirectory;
  partitions: Partitions;
  /** Resolves when Kafka acknowledged every record (acks=all). */
  send: (records: OutRecord[]) => Promise<void>;
  logger: Logger;
  metrics: { stored: Counter; duplicates: Counter; dlq: Counter<"reason">; batchSeconds: Histogram };
}

export function dlqRecord(d: Extract<Decoded, { kind: "dlq" }>, dlqTopic: string, now: Date): OutRecord {
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
 * Handles one batch of one partition. Order matters for zero loss: poison to the DLQ
 * (acked), then one database transaction, then the processed topic (acked); the caller
 * commits offsets only after this resolves, so a crash anywhere replays the batch and the
 * primary key makes the replay a no-op.
 */
export async function processBatch(records: InRecord[], deps: ProcessorDeps): Promise<{ stored: number; duplicates: number; dlq: number }> {
  const stop = deps.metrics.batchSeconds.startTimer();
  const decoded = records.map((r) => decode(r, deps.validate));
  const known = await deps.games.filterKnown(decoded.flatMap((d) => (d.kind === "ok" ? [d.event.game_id] : [])));
  const judged: Decoded[] = decoded.map((d) =>
    d.kind === "ok" && !known.has(d.event.game_id)
      ? { kind: "dlq", reason: "unknown_game", detail: `game "${d.event.game_id}" is not registered`, record: d.record }
      : d,
  );
  const good = judged.flatMap((d) => (d.kind === "ok" ? [d] : []));
  const poison = judged.flatMap((d) => (d.kind === "dlq" ? [d] : []));

  if (poison.length > 0) {
    const now = new Date();
    await deps.send(poison.map((p) => dlqRecord(p, deps.topics.dlq, now)));
    for (const p of poison) {
      deps.metrics.dlq.inc({ reason: p.reason });
      deps.logger.warn({ reason: p.reason, detail: p.detail, partition: p.record.partition, offset: p.record.offset }, "poison message sent to DLQ");
    }
  }
  let stored = 0;
  if (good.length > 0) {
    const client = await deps.pool.connect();
    try {
      await deps.partitions.ensure(client, good.map((g) => g.row.event_day));
    } finally {
      client.release();
    }
    stored = await inTransaction(deps.pool, async (c) => {
      const added = await insertEvents(c, good.map((g) => g.row));
      await applyRollups(c, added); // same transaction: rollups count exactly the rows stored
      return added.length;
    });
    // At-least-once downstream: replays republish, consumers dedupe on event_id.
    await deps.send(good.map((g) => ({ topic: deps.topics.processed, key: g.event.player_id, value: JSON.stringify(g.event) })));
  }
  deps.metrics.stored.inc(stored);
  deps.metrics.duplicates.inc(good.length - stored);
  stop();
  return { stored, duplicates: good.length - stored, dlq: poison.length };
}
