// The notifications tables as a due-time queue: accept (idempotent by the unique key), claim due
// deliveries with a lease, record each attempt and its outcome. Plain SQL, one concern per function.
import { randomUUID } from "node:crypto";
import type { Pool, PoolClient } from "pg";
import { inTransaction } from "../shared/pg";
import type { AcceptResult, Category, Channel, ClaimedDelivery, ContentParts, NewNotification } from "./model";

export const digestKey = (n: Pick<NewNotification, "gameId" | "playerId" | "templateId">, channel: Channel): string => `${n.gameId}|${n.playerId}|${n.templateId}|${channel}`;

async function addDelivery(c: PoolClient, n: NewNotification, channel: Channel, now: Date): Promise<void> {
  const due = new Date(Math.max(now.getTime(), n.sendAt?.getTime() ?? 0));
  let status = "pending";
  let into: string | null = null;
  let key: string | null = null;
  if (n.digestWindowSec > 0) {
    key = digestKey(n, channel);
    // An open digest is a pending delivery never tried yet; a claimed one is skipped, not waited for.
    const open = await c.query<{ delivery_id: string; due_at: Date }>(
      "SELECT delivery_id, due_at FROM notification_deliveries WHERE digest_key = $1 AND status = 'pending' AND attempts = 0 AND digest_into IS NULL ORDER BY due_at LIMIT 1 FOR UPDATE SKIP LOCKED",
      [key],
    );
    if (open.rows.length > 0) {
      status = "digested";
      into = open.rows[0].delivery_id;
    } else {
      due.setTime(due.getTime() + n.digestWindowSec * 1000);
    }
  }
  await c.query(
    `INSERT INTO notification_deliveries (delivery_id, notification_id, game_id, player_id, channel, status, due_at, digest_key, digest_into)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [randomUUID(), n.id, n.gameId, n.playerId, channel, status, due, key, into],
  );
}

const INSERT_NOTIFICATION = `INSERT INTO notifications (notification_id, game_id, idempotency_key, request_hash, player_id, template_id, category, locale, data, source, send_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
  ON CONFLICT ON CONSTRAINT notifications_idempotency_key DO NOTHING`;

const notificationParams = (n: NewNotification) => [n.id, n.gameId, n.idempotencyKey, n.requestHash, n.playerId, n.templateId, n.category, n.locale, JSON.stringify(n.data), n.source, n.sendAt];

async function earlier(q: Pool | PoolClient, n: NewNotification): Promise<AcceptResult> {
  const { rows } = await q.query<{ notification_id: string; request_hash: string }>("SELECT notification_id, request_hash FROM notifications WHERE game_id = $1 AND idempotency_key = $2", [
    n.gameId,
    n.idempotencyKey,
  ]);
  return { status: rows[0].request_hash === n.requestHash ? "duplicate" : "conflict", id: rows[0].notification_id };
}

/**
 * Writes the notification and one delivery per channel, or finds the earlier one with the same key.
 * Without a digest it is one statement (one round trip, atomic on its own); a digest needs the
 * open delivery looked up and locked first, in a transaction.
 */
export async function accept(pool: Pool, n: NewNotification, now = new Date()): Promise<AcceptResult> {
  if (n.digestWindowSec === 0) {
    const { rows } = await pool.query<{ inserted: boolean }>(
      `WITH n AS (${INSERT_NOTIFICATION} RETURNING notification_id),
       d AS (
         INSERT INTO notification_deliveries (delivery_id, notification_id, game_id, player_id, channel, status, due_at)
         SELECT gen_random_uuid(), n.notification_id, $2, $5, c, 'pending', GREATEST(now(), COALESCE($11, now())) FROM n, unnest($12::text[]) AS c
         RETURNING 1
       )
       SELECT EXISTS (SELECT 1 FROM n) AS inserted, (SELECT count(*) FROM d) AS deliveries`,
      [...notificationParams(n), n.channels],
    );
    return rows[0].inserted ? { status: "accepted", id: n.id, deliveries: n.channels.length } : earlier(pool, n);
  }
  return inTransaction(pool, async (c) => {
    const ins = await c.query(INSERT_NOTIFICATION, notificationParams(n));
    if (ins.rowCount === 0) return earlier(c, n);
    for (const channel of n.channels) await addDelivery(c, n, channel, now);
    return { status: "accepted", id: n.id, deliveries: n.channels.length };
  });
}

interface ClaimRow {
  delivery_id: string;
  lease_id: string;
  notification_id: string;
  game_id: string;
  player_id: string;
  channel: Channel;
  attempts: number;
  was: string;
  digest_key: string | null;
  rendered: ContentParts | null;
  template_id: string;
  category: Category;
  locale: string | null;
  data: Record<string, unknown>;
  created_at: Date;
}

/**
 * Claims up to `limit` due deliveries until now + leaseMs. A delivery still `sending` whose lease
 * ran out belonged to a worker that died mid-send: its open attempt is closed as interrupted.
 */
export async function claimDue(pool: Pool, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  const { rows } = await pool.query<ClaimRow>(
    `WITH due AS (
       SELECT delivery_id, status AS was FROM notification_deliveries
       WHERE status IN ('pending', 'sending') AND due_at <= now()
       ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED
     ), lost AS (
       UPDATE notification_attempts a SET outcome = 'interrupted', reason = 'worker_lost', finished_at = clock_timestamp()
       FROM due WHERE due.was = 'sending' AND a.delivery_id = due.delivery_id AND a.outcome IS NULL
       RETURNING 1
     )
     UPDATE notification_deliveries d SET status = 'sending', due_at = now() + $2 * interval '1 millisecond', lease_id = gen_random_uuid(), updated_at = now()
     FROM due, notifications n
     WHERE d.delivery_id = due.delivery_id AND n.notification_id = d.notification_id
     RETURNING d.delivery_id, d.lease_id, d.notification_id, d.game_id, d.player_id, d.channel, d.attempts, due.was, d.digest_key, d.rendered,
               n.template_id, n.category, n.locale, n.data, n.created_at`,
    [limit, leaseMs],
  );
  return rows.map((r) => ({
    deliveryId: r.delivery_id,
    leaseId: r.lease_id,
    notificationId: r.notification_id,
    gameId: r.game_id,
    playerId: r.player_id,
    channel: r.channel,
    attempts: r.attempts,
    wasInterrupted: r.was === "sending",
    digestKey: r.digest_key,
    rendered: r.rendered,
    templateId: r.template_id,
    category: r.category,
    locale: r.locale,
    data: r.data,
    createdAt: r.created_at,
  }));
}

/** The data of every notification merged into a digest delivery, oldest first (the delivery's own first). */
export async function digestItems(pool: Pool, d: ClaimedDelivery): Promise<Record<string, unknown>[]> {
  const { rows } = await pool.query<{ data: Record<string, unknown> }>(
    `SELECT n.data FROM notification_deliveries d JOIN notifications n USING (notification_id)
     WHERE d.digest_into = $1 ORDER BY n.created_at, n.notification_id`,
    [d.deliveryId],
  );
  return [d.data, ...rows.map((r) => r.data)];
}

/**
 * Gives a claimed delivery back until `dueAt`: without an attempt (quiet hours, an open breaker) or
 * after a transient failure. Every update names the claim's lease: a worker whose lease ran out
 * (and whose delivery another worker took) changes nothing.
 */
export async function release(pool: Pool, d: Pick<ClaimedDelivery, "deliveryId" | "leaseId">, dueAt: Date, reason: string): Promise<void> {
  await pool.query("UPDATE notification_deliveries SET status = 'pending', due_at = $3, reason = $4, lease_id = NULL, updated_at = now() WHERE delivery_id = $1 AND lease_id = $2", [
    d.deliveryId,
    d.leaseId,
    dueAt,
    reason,
  ]);
}

/** Ends a delivery without sending it (suppressed), or after its last attempt (delivered, dead). */
export async function settle(
  pool: Pool,
  d: Pick<ClaimedDelivery, "deliveryId" | "leaseId">,
  status: "delivered" | "suppressed" | "dead",
  fields: { reason?: string; provider?: string; ref?: string } = {},
): Promise<boolean> {
  const r = await pool.query(
    `UPDATE notification_deliveries SET status = $2, reason = $3, provider = COALESCE($4, provider), provider_ref = $5,
       delivered_at = CASE WHEN $2 = 'delivered' THEN now() END, lease_id = NULL, updated_at = now()
     WHERE delivery_id = $1 AND lease_id = $6`,
    [d.deliveryId, status, fields.reason ?? null, fields.provider ?? null, fields.ref ?? null, d.leaseId],
  );
  return r.rowCount === 1;
}

/**
 * Starts attempt n (recorded before the send, so a crash mid-send leaves a trace) and stores the
 * rendering; null when the claim was lost meanwhile.
 */
export async function beginAttempt(pool: Pool, d: ClaimedDelivery, provider: string, rendered: ContentParts): Promise<number | null> {
  const attempt = d.attempts + 1;
  const r = await pool.query(
    `WITH upd AS (
       UPDATE notification_deliveries SET attempts = $2, rendered = COALESCE(rendered, $4::jsonb), provider = $3, updated_at = now()
       WHERE delivery_id = $1 AND lease_id = $5 RETURNING delivery_id
     )
     INSERT INTO notification_attempts (delivery_id, attempt, provider) SELECT delivery_id, $2, $3 FROM upd`,
    [d.deliveryId, attempt, provider, JSON.stringify(rendered), d.leaseId],
  );
  return r.rowCount === 1 ? attempt : null;
}

/** Closes an attempt with its outcome and the provider's answer. */
export async function finishAttempt(pool: Pool, deliveryId: string, attempt: number, outcome: "delivered" | "transient" | "permanent", reason: string | null, response: string): Promise<void> {
  await pool.query("UPDATE notification_attempts SET outcome = $3, reason = $4, response = $5, finished_at = clock_timestamp() WHERE delivery_id = $1 AND attempt = $2", [
    deliveryId,
    attempt,
    outcome,
    reason,
    response.slice(0, 2000),
  ]);
}

export interface AttemptRecord {
  attempt: number;
  provider: string;
  started_at: Date;
  finished_at: Date | null;
  outcome: string | null;
  reason: string | null;
  response: string | null;
}

export async function attemptHistory(pool: Pool, deliveryId: string): Promise<AttemptRecord[]> {
  const { rows } = await pool.query<AttemptRecord>(
    "SELECT attempt, provider, started_at, finished_at, outcome, reason, response FROM notification_attempts WHERE delivery_id = $1 ORDER BY attempt",
    [deliveryId],
  );
  return rows;
}

/**
 * Reserves one send against the player's daily cap for the channel; false when the cap is reached.
 * Reserved before the send, so concurrent workers can never exceed it; given back if nothing went out.
 */
export async function reserveCap(pool: Pool, d: ClaimedDelivery, day: string, limit: number): Promise<boolean> {
  const { rowCount } = await pool.query(
    `INSERT INTO notification_daily_counts AS c (game_id, player_id, channel, day, sent) SELECT $1, $2, $3, $4::date, 1 WHERE $5 > 0
     ON CONFLICT (game_id, player_id, channel, day) DO UPDATE SET sent = c.sent + 1 WHERE c.sent < $5`,
    [d.gameId, d.playerId, d.channel, day, limit],
  );
  return rowCount === 1;
}

export async function returnCap(pool: Pool, d: ClaimedDelivery, day: string): Promise<void> {
  await pool.query("UPDATE notification_daily_counts SET sent = sent - 1 WHERE game_id = $1 AND player_id = $2 AND channel = $3 AND day = $4::date AND sent > 0", [
    d.gameId,
    d.playerId,
    d.channel,
    day,
  ]);
}

/** Due and waiting deliveries, for the queue-depth gauge. */
export async function queueDepth(pool: Pool): Promise<{ due: number; waiting: number }> {
  const { rows } = await pool.query<{ due: number; waiting: number }>(
    "SELECT count(*) FILTER (WHERE due_at <= now())::int AS due, count(*) FILTER (WHERE due_at > now())::int AS waiting FROM notification_deliveries WHERE status IN ('pending', 'sending')",
  );
  return rows[0];
}
