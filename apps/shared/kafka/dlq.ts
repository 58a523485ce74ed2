// The DLQ's records as operators see them, and their replay (pure): one code path for the CLI
// (apps/admin/dlq.ts) and the users service's operator API. Producers of system.dlq (the processor,
// notifications) describe each record in dlq-* headers; a replay sends the record as it was first sent
// to its source topic, marked with the DLQ record it came from.
import type { InRecord, OutRecord } from "./types";

/** The headers every DLQ producer writes (dlq-source-* only for a record taken from a topic). */
export const DLQ_HEADERS = {
  reason: "dlq-reason",
  detail: "dlq-detail",
  time: "dlq-time",
  sourceTopic: "dlq-source-topic",
  sourcePartition: "dlq-source-partition",
  sourceOffset: "dlq-source-offset",
  /** On a replayed record: `<dlq topic>@<dlq offset>`. */
  replayOf: "dlq-replay-of",
} as const;

/** Payload previews stop here: enough to see what was wrong, never megabytes into a page. */
export const PREVIEW_BYTES = 4096;

export interface DlqSource {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

export interface DlqItem {
  readonly offset: string;
  /** When the record was dead-lettered (its dlq-time, else the broker's timestamp). */
  readonly time: string;
  readonly reason: string | null;
  readonly detail: string | null;
  /** Where it was read from; null for a record that was never on a topic (a notification delivery given up). */
  readonly source: DlqSource | null;
  readonly key: string | null;
  readonly payload: { readonly preview: string; readonly bytes: number; readonly truncated: boolean };
}

function source(h: Readonly<Record<string, string>>): DlqSource | null {
  const topic = h[DLQ_HEADERS.sourceTopic];
  const partition = Number(h[DLQ_HEADERS.sourcePartition]);
  const offset = h[DLQ_HEADERS.sourceOffset];
  return topic === undefined || offset === undefined || !Number.isInteger(partition) ? null : { topic, partition, offset };
}

/** One record as the browser and `npm run dlq -- list` show it. */
export function dlqItem(r: InRecord, previewBytes = PREVIEW_BYTES): DlqItem {
  const h = r.headers;
  const value = r.value ?? Buffer.alloc(0);
  const time = h[DLQ_HEADERS.time];
  return {
    offset: r.offset,
    time: time !== undefined && !Number.isNaN(Date.parse(time)) ? new Date(time).toISOString() : new Date(r.timestamp).toISOString(),
    reason: h[DLQ_HEADERS.reason] ?? null,
    detail: h[DLQ_HEADERS.detail] ?? null,
    source: source(h),
    key: r.key?.toString("utf8") ?? null,
    // A cut may split a UTF-8 sequence: the decoder shows U+FFFD there, which is what a preview should.
    payload: { preview: value.subarray(0, previewBytes).toString("utf8"), bytes: value.length, truncated: value.length > previewBytes },
  };
}

/** What to act on: given DLQ offsets, every record of a reason, or everything. */
export type DlqChoice = { readonly offsets: readonly string[] } | { readonly reason: string } | { readonly all: true };

/** The chosen records, in DLQ order; `missing` names the offsets asked for that the topic does not hold. */
export function chooseDlqRecords(records: readonly InRecord[], choice: DlqChoice): { chosen: InRecord[]; missing: string[] } {
  if ("offsets" in choice) {
    const byOffset = new Map(records.map((r) => [r.offset, r]));
    const asked = [...new Set(choice.offsets)];
    return { chosen: records.filter((r) => asked.includes(r.offset)), missing: asked.filter((o) => !byOffset.has(o)) };
  }
  if ("reason" in choice) return { chosen: records.filter((r) => r.headers[DLQ_HEADERS.reason] === choice.reason), missing: [] };
  return { chosen: [...records], missing: [] };
}

/**
 * The record to send again, to its source topic as first sent; undefined for a record that names no
 * source topic (a dead notification delivery: the notifications service retries those, a topic cannot).
 */
export function dlqReplay(r: InRecord, dlqTopic: string): OutRecord | undefined {
  const topic = r.headers[DLQ_HEADERS.sourceTopic];
  if (topic === undefined) return undefined;
  return { topic, key: r.key?.toString("utf8") ?? null, value: r.value ?? Buffer.alloc(0), headers: { [DLQ_HEADERS.replayOf]: `${dlqTopic}@${r.offset}` } };
}
