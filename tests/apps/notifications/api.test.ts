// The API's refusals (tokens, roles, games, every class of bad input, with field paths), templates
// checked against their variables, the topic intake that never stalls on a bad record, and trigger
// rules on player.events.processed that fire once per rule and event (or once per player).
import { randomUUID } from "node:crypto";
import { DurableProducer } from "../../../apps/shared/kafka";
import { createHarness, setUp, waitDeliveries, welcomeTemplate, type Harness } from "./support/harness";

let h: Harness;
let producer: DurableProducer;
const game = () => h.stack.gameId;

beforeAll(async () => {
  h = await createHarness("notify-api");
  producer = new DurableProducer(h.stack.kafka);
  await producer.connect();
  await h.start();
  await setUp(h, "welcome", "p-api");
});
afterAll(async () => {
  await producer?.close();
  await h?.close();
});

const request = (extra: Record<string, unknown> = {}) => ({ game_id: game(), idempotency_key: randomUUID(), player_id: "p-api", template: "welcome", data: { name: "Al" }, ...extra });

test("tokens: none, expired, another game's, a role too low are refused before anything is stored", async () => {
  const none = await fetch(`${h.url}/v1/notifications`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(request()) });
  expect(none.status).toBe(401);
  const cases: [string, string, number, string][] = [
    ["expired", await h.issuer.mint({ roles: ["service"], games: [game()], ttlSec: -120 }), 401, "token expired"],
    ["other game", await h.token(["service"], ["another-game"]), 403, `does not grant access to game "${game()}"`],
    ["analyst", await h.token(["analyst"]), 403, "needs one of the roles service, admin"],
    ["wrong audience", await h.issuer.mint({ roles: ["service"], games: "*", audience: "something-else" }), 401, "aud"],
  ];
  for (const [what, token, status, message] of cases) {
    const r = await h.api("POST", "/v1/notifications", request(), token);
    expect([what, r.status]).toEqual([what, status]);
    expect(String(r.body.message)).toContain(message);
  }
  const stored = await h.stack.pool.query("SELECT count(*)::int AS n FROM notifications WHERE game_id = $1", [game()]);
  expect(stored.rows[0].n).toBe(0);
});

test("bad requests are 422 with the path of every bad field", async () => {
  const cases: [Record<string, unknown>, string, string][] = [
    [{ player_id: undefined }, "invalid_request", "/player_id"],
    [{ channels: ["pigeon"] }, "invalid_request", "/channels/0"],
    [{ send_at: "tomorrow" }, "invalid_request", "/send_at"],
    [{ data: { name: 7 } }, "invalid_data", "/data/name"],
    [{ data: {} }, "invalid_data", "/data/name"],
    [{ data: { name: "x", nmae: "typo" } }, "invalid_data", "/data/nmae"],
    [{ template: "nope" }, "unknown_template", "/template"],
    [{ channels: ["sms"] }, "channel_not_configured", "/channels/0"],
    [{ channels: ["email", "in_app"] }, "channel_not_configured", "/channels/1"],
  ];
  for (const [change, error, path] of cases) {
    const r = await h.api("POST", "/v1/notifications", request(change));
    expect([path, r.status, r.body.error]).toEqual([path, 422, error]);
    expect((r.body.details as { path: string }[]).map((d) => d.path)).toContain(path);
  }
  expect((await h.api("POST", "/v1/notifications", "{not json")).status).toBe(400);
});

test("a template may only use the variables it declares, in valid Handlebars, without partials; changes are audited", async () => {
  const bad = await h.api("PUT", `/v1/games/${game()}/templates/broken`, {
    ...welcomeTemplate(),
    locales: { en: { email: { subject: "Hi {{nmae}}", text: "{{#if name}}open", html: "{{> footer}}" }, sms: { text: "{{#each name}}{{this}}{{/each}} {{lookup name 'x'}}" } } },
  });
  expect(bad.status).toBe(422);
  expect(bad.body.details).toEqual([
    { path: "/locales/en/email/subject", message: expect.stringContaining('uses "nmae", which is not a declared variable') },
    { path: "/locales/en/email/text", message: expect.stringContaining("is not a valid template") },
    { path: "/locales/en/email/html", message: expect.stringContaining("partials") },
  ]);
  const noDefault = await h.api("PUT", `/v1/games/${game()}/templates/broken`, { ...welcomeTemplate(), default_locale: "de" });
  expect(noDefault.body.details).toEqual([{ path: "/default_locale", message: "has no content in /locales/de" }]);
  const analyst = await h.api("PUT", `/v1/games/${game()}/templates/welcome`, welcomeTemplate(), await h.token(["analyst"]));
  expect(analyst.status).toBe(403);
  const audit = await h.stack.pool.query("SELECT actor, details FROM audit_log WHERE action = 'notifications.template.put' AND target = $1", [`game:${game()}`]);
  expect(audit.rows).toEqual([{ actor: "client:game-server", details: { template: "welcome", category: "transactional", locales: ["en", "fr"] } }]);
});

test("a notification of another game is not found", async () => {
  const r = await h.api("POST", "/v1/notifications", request());
  const other = await h.api("GET", `/v1/notifications/${r.body.id}`, undefined, await h.token(["support"], ["another-game"]));
  expect(other.status).toBe(404);
  const own = await h.api("GET", `/v1/notifications/${r.body.id}`, undefined, await h.token(["support"]));
  expect(own.status).toBe(200);
});

test("the topic intake sends bad records to the DLQ with the reason and keeps going", async () => {
  const good = request({ player_id: "p-topic" });
  await h.api("PATCH", `/v1/games/${game()}/players/p-topic/preferences`, { email: "p-topic@players.test" });
  await producer.send([
    { topic: h.topics.intake, key: "a", value: "{nope" },
    { topic: h.topics.intake, key: "b", value: JSON.stringify({ ...good, idempotency_key: randomUUID(), player_id: undefined }) },
    { topic: h.topics.intake, key: "c", value: JSON.stringify({ ...good, idempotency_key: randomUUID(), template: "missing" }) },
    { topic: h.topics.intake, key: "d", value: JSON.stringify(good) },
  ]);
  await h.smtp.until("the good record's mail", () => (h.smtp.to("p-topic@players.test").length > 0 ? true : undefined));
  const dlq = await h.dlq((recs) => ["a", "b", "c"].every((k) => recs.some((m) => m.key?.toString() === k)));
  const reasons = Object.fromEntries(dlq.filter((m) => m.headers["dlq-source-topic"] === h.topics.intake).map((m) => [m.key?.toString(), m.headers["dlq-reason"]]));
  expect(reasons).toEqual({ a: "unparseable", b: "schema_invalid", c: "unknown_template" });
  expect(dlq.find((m) => m.key?.toString() === "b")?.headers["dlq-detail"]).toContain("/player_id is required");
});

test("trigger rules on processed events: one notification per rule and event, or once per player", async () => {
  await setUp(h, "receipt", "p-buyer", { category: "critical", default_locale: "en", variables: { item_id: { type: "string", required: true }, amount_minor: { type: "integer" } }, locales: { en: { email: { subject: "Receipt", text: "{{item_id}} {{amount_minor}}" } } } });
  await setUp(h, "first-buy", "p-buyer", { category: "transactional", default_locale: "en", variables: { currency: { type: "string" } }, locales: { en: { email: { subject: "Welcome, buyer", text: "paid in {{currency}}" } } } });
  expect((await h.api("PUT", `/v1/games/${game()}/rules/receipts`, { event_type: "purchase", template: "receipt", channels: ["email"] })).status).toBe(201);
  expect((await h.api("PUT", `/v1/games/${game()}/rules/first`, { event_type: "purchase", match: { currency: ["EUR", "USD"] }, template: "first-buy", channels: ["email"], once_per_player: true })).status).toBe(201);
  const event = (item: string, currency = "EUR") => ({
    event_id: randomUUID(), game_id: game(), player_id: "p-buyer", type: "purchase", currency, amount_minor: 499, item_type: "gems", item_id: item,
    event_time: new Date().toISOString(), received_at: new Date().toISOString(), client_time: null, event_day: new Date().toISOString().slice(0, 10),
  });
  const [e1, e2, e3] = [event("gems_1"), event("gems_2"), event("gems_3", "JPY")];
  const out = (e: object) => ({ topic: h.topics.processed, key: "p-buyer", value: JSON.stringify(e) });
  await producer.send([out(e1), out(e2), out(e1), out(e3)]); // e1 redelivered
  const mails = await h.smtp.until("four mails", () => (h.smtp.to("p-buyer@players.test").length >= 4 ? h.smtp.to("p-buyer@players.test") : undefined));
  await new Promise((r) => setTimeout(r, 1500));
  expect(h.smtp.to("p-buyer@players.test").map((m) => m.text?.trim()).sort()).toEqual(["gems_1 499", "gems_2 499", "gems_3 499", "paid in EUR"]);
  expect(mails.length).toBe(4);
  const keys = await h.stack.pool.query("SELECT idempotency_key FROM notifications WHERE game_id = $1 AND player_id = 'p-buyer' ORDER BY 1", [game()]);
  expect(keys.rows.map((r) => r.idempotency_key)).toEqual(
    [`rule:first:player:p-buyer`, `rule:receipts:event:${e1.event_id}`, `rule:receipts:event:${e2.event_id}`, `rule:receipts:event:${e3.event_id}`].sort(),
  );
  const [d] = await waitDeliveries(h, (await h.stack.pool.query("SELECT notification_id FROM notifications WHERE game_id = $1 AND idempotency_key = $2", [game(), "rule:first:player:p-buyer"])).rows[0].notification_id, "delivered", (ds) => ds[0]?.status === "delivered");
  expect(d.status).toBe("delivered");
});
