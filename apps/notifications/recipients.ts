// A player's contact points and preferences (PATCH semantics: a field present is set, null clears
// it, absent is left alone) and push targets, plus the batched reads the dispatcher makes.
import { randomUUID } from "node:crypto";
import type { Pool, PoolClient } from "pg";
import { CHANNELS, type Channel, NO_RECIPIENT, type PushTarget, type Recipient } from "./model";

export interface PreferencesPatch {
  email?: string | null;
  phone?: string | null;
  locale?: string | null;
  time_zone?: string;
  quiet_hours?: { start: string; end: string } | null;
  channels?: Partial<Record<Channel, { opted_out?: boolean; unsubscribed?: boolean; daily_cap?: number | null }>>;
}

export async function patchPreferences(c: PoolClient, gameId: string, playerId: string, p: PreferencesPatch): Promise<void> {
  const cols: [string, unknown][] = [];
  if (p.email !== undefined) cols.push(["email", p.email]);
  if (p.phone !== undefined) cols.push(["phone", p.phone]);
  if (p.locale !== undefined) cols.push(["locale", p.locale]);
  if (p.time_zone !== undefined) cols.push(["time_zone", p.time_zone]);
  if (p.quiet_hours !== undefined) cols.push(["quiet_start", p.quiet_hours?.start ?? null], ["quiet_end", p.quiet_hours?.end ?? null]);
  const names = cols.map(([n]) => n);
  await c.query(
    `INSERT INTO notification_recipients (game_id, player_id${names.map((n) => `, ${n}`).join("")}) VALUES ($1, $2${names.map((_, i) => `, $${i + 3}`).join("")})
     ON CONFLICT (game_id, player_id) DO UPDATE SET updated_at = now()${names.map((n) => `, ${n} = EXCLUDED.${n}`).join("")}`,
    [gameId, playerId, ...cols.map(([, v]) => v)],
  );
  for (const [channel, prefs] of Object.entries(p.channels ?? {})) {
    const set = (["opted_out", "unsubscribed", "daily_cap"] as const).filter((k) => prefs[k] !== undefined);
    if (set.length === 0) continue;
    await c.query(
      `INSERT INTO notification_channel_prefs (game_id, player_id, channel${set.map((k) => `, ${k}`).join("")}) VALUES ($1, $2, $3${set.map((_, i) => `, $${i + 4}`).join("")})
       ON CONFLICT (game_id, player_id, channel) DO UPDATE SET ${set.map((k) => `${k} = EXCLUDED.${k}`).join(", ")}`,
      [gameId, playerId, channel, ...set.map((k) => prefs[k])],
    );
  }
}

interface RecipientRow {
  player_id: string;
  email: string | null;
  phone: string | null;
  locale: string | null;
  time_zone: string | null;
  quiet_start: string | null;
  quiet_end: string | null;
  prefs: { channel: Channel; opted_out: boolean; unsubscribed: boolean; daily_cap: number | null }[] | null;
}

/** Contact points and preferences of several players of one game; players without any get the defaults. */
export async function loadRecipients(pool: Pool, gameId: string, playerIds: readonly string[]): Promise<Map<string, Recipient>> {
  const { rows } = await pool.query<RecipientRow>(
    `SELECT p.player_id, r.email, r.phone, r.locale, r.time_zone, to_char(r.quiet_start, 'HH24:MI') AS quiet_start, to_char(r.quiet_end, 'HH24:MI') AS quiet_end,
            (SELECT json_agg(json_build_object('channel', c.channel, 'opted_out', c.opted_out, 'unsubscribed', c.unsubscribed, 'daily_cap', c.daily_cap))
               FROM notification_channel_prefs c WHERE c.game_id = $1 AND c.player_id = p.player_id) AS prefs
     FROM unnest($2::text[]) AS p(player_id) LEFT JOIN notification_recipients r ON r.game_id = $1 AND r.player_id = p.player_id`,
    [gameId, [...new Set(playerIds)]],
  );
  return new Map(
    rows.map((r) => [
      r.player_id,
      {
        email: r.email,
        phone: r.phone,
        locale: r.locale,
        timeZone: r.time_zone ?? NO_RECIPIENT.timeZone,
        quietHours: r.quiet_start === null || r.quiet_end === null ? null : { start: r.quiet_start, end: r.quiet_end },
        channels: Object.fromEntries((r.prefs ?? []).map((c) => [c.channel, { optedOut: c.opted_out, unsubscribed: c.unsubscribed, dailyCap: c.daily_cap }])),
      },
    ]),
  );
}

/** The preferences in the API's shape. */
export async function getPreferences(pool: Pool, gameId: string, playerId: string): Promise<Record<string, unknown>> {
  const r = (await loadRecipients(pool, gameId, [playerId])).get(playerId) ?? NO_RECIPIENT;
  return {
    email: r.email,
    phone: r.phone,
    locale: r.locale,
    time_zone: r.timeZone,
    quiet_hours: r.quietHours,
    channels: Object.fromEntries(
      CHANNELS.map((c) => {
        const p = r.channels[c];
        return [c, { opted_out: p?.optedOut ?? false, unsubscribed: p?.unsubscribed ?? false, daily_cap: p?.dailyCap ?? null }];
      }),
    ),
  };
}

export async function addPushTarget(pool: Pool, gameId: string, playerId: string, t: Omit<PushTarget, "targetId">): Promise<string> {
  const { rows } = await pool.query<{ target_id: string }>(
    `INSERT INTO notification_push_targets (target_id, game_id, player_id, kind, endpoint, p256dh, auth) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (game_id, player_id, kind, endpoint) DO UPDATE SET p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth
     RETURNING target_id`,
    [randomUUID(), gameId, playerId, t.kind, t.endpoint, t.p256dh, t.auth],
  );
  return rows[0].target_id;
}

export async function removePushTargets(pool: Pool, targetIds: readonly string[]): Promise<number> {
  if (targetIds.length === 0) return 0;
  const r = await pool.query("DELETE FROM notification_push_targets WHERE target_id = ANY($1::uuid[])", [targetIds]);
  return r.rowCount ?? 0;
}

export async function removePushTarget(pool: Pool, gameId: string, playerId: string, targetId: string): Promise<boolean> {
  const r = await pool.query("DELETE FROM notification_push_targets WHERE game_id = $1 AND player_id = $2 AND target_id = $3", [gameId, playerId, targetId]);
  return r.rowCount === 1;
}

export async function pushTargets(pool: Pool, gameId: string, playerId: string): Promise<PushTarget[]> {
  const { rows } = await pool.query<{ target_id: string; kind: "webpush" | "fcm"; endpoint: string; p256dh: string | null; auth: string | null }>(
    "SELECT target_id, kind, endpoint, p256dh, auth FROM notification_push_targets WHERE game_id = $1 AND player_id = $2 ORDER BY created_at",
    [gameId, playerId],
  );
  return rows.map((r) => ({ targetId: r.target_id, kind: r.kind, endpoint: r.endpoint, p256dh: r.p256dh, auth: r.auth }));
}
