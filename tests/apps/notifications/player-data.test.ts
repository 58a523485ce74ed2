// The notifications store of the GDPR fan-out: export holds everything about the player that erase
// then removes (what was sent, every attempt, contact points, preferences, push targets), nothing of
// anyone else is touched, erasing twice is a no-op, and a queued notification never goes out after.
import { randomUUID } from "node:crypto";
import { notificationsStore } from "../../../apps/shared/player-data/notifications";
import type { ExportRecord } from "../../../apps/shared/player-data/types";
import { createHarness, setUp, waitDeliveries, type Harness } from "./support/harness";

let h: Harness;

beforeAll(async () => {
  h = await createHarness("notify-gdpr");
  await h.start();
  await setUp(h, "welcome", "p-forget", undefined, { time_zone: "Europe/Berlin", channels: { email: { daily_cap: 5 } } });
  await setUp(h, "welcome", "p-keep");
});
afterAll(async () => h?.close());

const TABLES = ["notifications", "notification_deliveries", "notification_recipients", "notification_channel_prefs", "notification_push_targets", "notification_daily_counts"];
async function rowsOf(player: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = (await h.stack.pool.query(`SELECT count(*)::int AS n FROM ${t} WHERE game_id = $1 AND player_id = $2`, [h.stack.gameId, player])).rows[0].n;
  out.notification_attempts = (
    await h.stack.pool.query("SELECT count(*)::int AS n FROM notification_attempts a JOIN notification_deliveries d USING (delivery_id) WHERE d.game_id = $1 AND d.player_id = $2", [h.stack.gameId, player])
  ).rows[0].n;
  return out;
}

test("export has every record erase removes; erase is idempotent, leaves others alone and stops queued sends", async () => {
  const send = (player: string, extra: Record<string, unknown> = {}) =>
    h.api("POST", "/v1/notifications", { game_id: h.stack.gameId, idempotency_key: randomUUID(), player_id: player, template: "welcome", data: { name: player }, ...extra });
  const sent = await send("p-forget");
  await waitDeliveries(h, sent.body.id as string, "delivered", (ds) => ds[0]?.status === "delivered");
  const queued = await send("p-forget", { send_at: new Date(Date.now() + 2500).toISOString() });
  const other = await send("p-keep");
  await waitDeliveries(h, other.body.id as string, "delivered", (ds) => ds[0]?.status === "delivered");
  await h.stack.pool.query(
    "INSERT INTO notification_push_targets (target_id, game_id, player_id, kind, endpoint) VALUES ($1, $2, 'p-forget', 'fcm', 'fcm-token-of-the-player-0123456789')",
    [randomUUID(), h.stack.gameId],
  );

  const store = notificationsStore(h.stack.pool);
  const player = { gameId: h.stack.gameId, playerId: "p-forget" };
  const before = await rowsOf("p-forget");
  const keepBefore = await rowsOf("p-keep");
  const exported: ExportRecord[] = [];
  const n = await store.export(player, async (r) => void exported.push(r));
  expect(n).toBe(exported.length);
  const byKind = (k: string) => exported.filter((r) => r.kind === k);
  expect(byKind("contact")).toEqual([{ store: "notifications", kind: "contact", data: expect.objectContaining({ email: "p-forget@players.test", time_zone: "Europe/Berlin" }) }]);
  expect(byKind("notification")).toHaveLength(before.notifications);
  expect(byKind("delivery")).toHaveLength(before.notification_deliveries);
  expect(byKind("attempt")).toHaveLength(before.notification_attempts);
  expect(byKind("push_target")).toHaveLength(before.notification_push_targets);
  expect(byKind("channel_preferences")).toEqual([{ store: "notifications", kind: "channel_preferences", data: { channel: "email", opted_out: false, unsubscribed: false, daily_cap: 5 } }]);
  expect(byKind("delivery").map((r) => r.data.rendered)).toContainEqual(expect.objectContaining({ subject: "Welcome p-forget" }));
  expect(byKind("daily_count")).toHaveLength(before.notification_daily_counts);

  const removed = await store.erase(player);
  expect(removed.removed).toBe(Object.values(before).reduce((a, b) => a + b, 0));
  expect(Object.values(await rowsOf("p-forget")).every((v) => v === 0)).toBe(true);
  expect(await rowsOf("p-keep")).toEqual(keepBefore);
  expect(await store.erase(player)).toEqual({ removed: 0 });
  expect(await store.export(player, async () => undefined)).toBe(0);

  // The queued one was due after the erasure: nothing was left to send.
  await new Promise((r) => setTimeout(r, 3500));
  expect(h.smtp.to("p-forget@players.test")).toHaveLength(1);
  expect(queued.status).toBe(202);
});
