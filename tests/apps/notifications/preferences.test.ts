// Consent and preferences decide what goes out: quiet hours in the player's time zone defer, opt-out
// and hard unsubscribe suppress (critical bypasses the first, never the second), marketing needs
// consent, erased players get nothing, a daily cap holds, digests merge, locales fall back.
import { randomUUID } from "node:crypto";
import { createHarness, setUp, waitDeliveries, welcomeTemplate, type Harness } from "./support/harness";

let h: Harness;
const game = () => h.stack.gameId;

beforeAll(async () => {
  h = await createHarness("notify-prefs");
  await h.start();
  await setUp(h, "welcome", "p-setup");
  await setUp(h, "receipt", "p-setup", welcomeTemplate({ category: "critical" }));
  await setUp(h, "promo", "p-setup", welcomeTemplate({ category: "marketing" }));
});
afterAll(async () => h?.close());

const send = (player: string, template: string, extra: Record<string, unknown> = {}) =>
  h.api("POST", "/v1/notifications", { game_id: game(), idempotency_key: randomUUID(), player_id: player, template, data: { name: player }, channels: ["email"], ...extra });
const prefs = (player: string, patch: Record<string, unknown>) => h.api("PATCH", `/v1/games/${game()}/players/${player}/preferences`, { email: `${player}@players.test`, ...patch });
const settled = (id: string) => waitDeliveries(h, id, "settled", (ds) => ds.every((d) => !["pending", "sending"].includes(d.status) || d.reason === "quiet_hours"));
const hhmm = (minutes: number) => {
  const m = ((minutes % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
};

test("quiet hours in the player's time zone defer all but critical until they end", async () => {
  // Asia/Kolkata is UTC+05:30 all year: the player's wall clock, computed without the service's code.
  const now = new Date();
  const localMinutes = (now.getUTCHours() * 60 + now.getUTCMinutes() + 330) % 1440;
  await prefs("p-quiet", { time_zone: "Asia/Kolkata", quiet_hours: { start: hhmm(localMinutes - 60), end: hhmm(localMinutes + 60) } });
  const r = await send("p-quiet", "welcome");
  const [d] = await waitDeliveries(h, r.body.id as string, "deferred", (ds) => ds[0]?.reason === "quiet_hours");
  expect(d.status).toBe("pending");
  expect(d.attempts).toBe(0);
  // The window ends at local (now + 60 min), to the minute.
  const expectedEnd = Math.floor(now.getTime() / 60_000) * 60_000 + 60 * 60_000;
  expect(Math.abs(Date.parse(d.due_at) - expectedEnd)).toBeLessThanOrEqual(60_000);
  const c = await send("p-quiet", "receipt");
  await waitDeliveries(h, c.body.id as string, "critical delivered", (ds) => ds[0]?.status === "delivered");
  expect(h.smtp.to("p-quiet@players.test").map((m) => m.subject)).toEqual(["Welcome p-quiet"]);
});

test("an opt-out suppresses all but critical; a hard unsubscribe suppresses critical too", async () => {
  await prefs("p-out", { channels: { email: { opted_out: true } } });
  const [a, b] = [await send("p-out", "welcome"), await send("p-out", "receipt")];
  expect((await settled(a.body.id as string))[0]).toMatchObject({ status: "suppressed", reason: "opted_out", attempts: 0 });
  expect((await settled(b.body.id as string))[0]).toMatchObject({ status: "delivered" });
  await prefs("p-out", { channels: { email: { unsubscribed: true } } });
  const c = await send("p-out", "receipt");
  expect((await settled(c.body.id as string))[0]).toMatchObject({ status: "suppressed", reason: "unsubscribed" });
  expect(h.smtp.to("p-out@players.test")).toHaveLength(1);
  const got = await h.api("GET", `/v1/games/${game()}/players/p-out/preferences`);
  expect(got.body.channels).toMatchObject({ email: { opted_out: true, unsubscribed: true, daily_cap: null } });
});

test("marketing needs the player's marketing consent from their profile", async () => {
  await prefs("p-mkt", {});
  const before = await send("p-mkt", "promo");
  expect((await settled(before.body.id as string))[0]).toMatchObject({ status: "suppressed", reason: "no_marketing_consent" });
  await h.stack.pool.query("INSERT INTO player_profiles (game_id, player_id, marketing_consent) VALUES ($1, 'p-mkt', true)", [game()]);
  const after = await send("p-mkt", "promo");
  expect((await settled(after.body.id as string))[0]).toMatchObject({ status: "delivered" });
});

test("an erased or suppressed player gets nothing: new requests are dropped unstored, queued ones are suppressed", async () => {
  await prefs("p-erased", {});
  const later = await send("p-erased", "receipt", { send_at: new Date(Date.now() + 3000).toISOString() });
  expect(later.status).toBe(202);
  await h.stack.pool.query("INSERT INTO player_suppressions (game_id, player_id, reason) VALUES ($1, 'p-erased', 'erasure')", [game()]);
  const now = await send("p-erased", "receipt");
  expect(now.status).toBe(202);
  expect(now.body.status).toBe("suppressed");
  const stored = await h.stack.pool.query("SELECT count(*)::int AS n FROM notifications WHERE game_id = $1 AND player_id = 'p-erased'", [game()]);
  expect(stored.rows[0].n).toBe(1);
  expect((await waitDeliveries(h, later.body.id as string, "suppressed at send time", (ds) => ds[0]?.status === "suppressed"))[0].reason).toBe("player_suppressed");
  expect(h.smtp.to("p-erased@players.test")).toHaveLength(0);
});

test("a daily cap per channel holds for non-critical notifications and lets critical through", async () => {
  await prefs("p-cap", { channels: { email: { daily_cap: 1 } } });
  const first = await send("p-cap", "welcome");
  await waitDeliveries(h, first.body.id as string, "first", (ds) => ds[0]?.status === "delivered");
  const second = await send("p-cap", "welcome");
  expect((await settled(second.body.id as string))[0]).toMatchObject({ status: "suppressed", reason: "daily_cap" });
  const critical = await send("p-cap", "receipt");
  expect((await settled(critical.body.id as string))[0]).toMatchObject({ status: "delivered" });
  expect(h.smtp.to("p-cap@players.test")).toHaveLength(2);
});

test("non-critical notifications of one template within the digest window go out as one mail", async () => {
  const digest = welcomeTemplate({
    digest_window_sec: 2,
    locales: { en: { email: { subject: "News for {{name}}", text: "{{name}}: {{code}}", digest: { subject: "{{count}} updates", text: "{{#each items}}[{{code}}]{{/each}}" } } } },
  });
  await setUp(h, "news", "p-digest", digest);
  const ids: string[] = [];
  for (const code of ["a", "b", "c"]) ids.push((await send("p-digest", "news", { data: { name: "p-digest", code } })).body.id as string);
  const [mail] = await h.smtp.until("the digest", () => (h.smtp.to("p-digest@players.test").length > 0 ? h.smtp.to("p-digest@players.test") : undefined), 15_000);
  expect(mail.subject).toBe("3 updates");
  expect(mail.text?.trim()).toBe("[a][b][c]");
  await waitDeliveries(h, ids[0], "the digest delivered", (ds) => ds[0]?.status === "delivered");
  expect((await h.delivery(ids[1]))[0].status).toBe("digested");
  await new Promise((r) => setTimeout(r, 2500));
  expect(h.smtp.to("p-digest@players.test")).toHaveLength(1);
});

test("the locale comes from the request, then the player, then the template's default (with language fallback)", async () => {
  await prefs("p-fr", { locale: "fr-CA" });
  await send("p-fr", "welcome", { data: { name: "Zoé", code: "7" } });
  await send("p-fr", "welcome", { locale: "en", data: { name: "Zoé", code: "8" } });
  const mails = await h.smtp.until("two mails", () => (h.smtp.to("p-fr@players.test").length >= 2 ? h.smtp.to("p-fr@players.test") : undefined));
  expect(mails.map((m) => m.text?.trim()).sort()).toEqual(["Hi Zoé, your code is 8.", "Salut Zoé, ton code est 7."]);
});
