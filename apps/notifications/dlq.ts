// What goes to system.dlq: a delivery given up (with its reason and every attempt), or a record of
// the notifications/processed topics that could not become a notification. Pure.
import type { InRecord, OutRecord } from "../shared/kafka";
import type { ClaimedDelivery } from "./model";
import type { AttemptRecord } from "./queue";

export function deadDeliveryRecord(
  topic: string,
  d: ClaimedDelivery,
  dead: { dlqReason: string; reason: string; detail: string },
  attempts: readonly AttemptRecord[],
  now: Date,
): OutRecord {
  const value = {
    source: "notifications",
    reason: dead.dlqReason,
    failure: dead.reason,
    detail: dead.detail,
    notification: { id: d.notificationId, game_id: d.gameId, player_id: d.playerId, template: d.templateId, category: d.category, created_at: d.createdAt.toISOString() },
    delivery: { id: d.deliveryId, channel: d.channel, attempts: attempts.length },
    attempts: attempts.map((a) => ({
      attempt: a.attempt,
      provider: a.provider,
      started_at: a.started_at.toISOString(),
      finished_at: a.finished_at?.toISOString() ?? null,
      outcome: a.outcome,
      reason: a.reason,
      response: a.response,
    })),
  };
  return {
    topic,
    key: d.notificationId,
    value: JSON.stringify(value),
    headers: {
      "dlq-reason": dead.dlqReason,
      "dlq-detail": `${dead.reason}: ${dead.detail}`.slice(0, 2000),
      "dlq-source": "notifications",
      "dlq-channel": d.channel,
      "dlq-attempts": String(attempts.length),
      "dlq-time": now.toISOString(),
    },
  };
}

/** A topic record that could not be taken in, as it was, with why. */
export function poisonRecord(topic: string, r: InRecord, reason: string, detail: string, now: Date): OutRecord {
  return {
    topic,
    key: r.key === null ? null : r.key.toString("utf8"),
    value: r.value ?? Buffer.alloc(0),
    headers: {
      "dlq-reason": reason,
      "dlq-detail": detail.slice(0, 2000),
      "dlq-source": "notifications",
      "dlq-source-topic": r.topic,
      "dlq-source-partition": String(r.partition),
      "dlq-source-offset": r.offset,
      "dlq-time": now.toISOString(),
    },
  };
}
