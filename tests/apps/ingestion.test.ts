// The ingestion API against the real services: round trip to PostgreSQL, batch partial
// failure, and the precise answer to every class of bad input.
import { randomUUID } from "node:crypto";
import { gzipSync } from "node:zlib";
import { readTopic } from "../../apps/shared/kafka";
import { RunningService } from "../../local/services";
import { createStack, eventually, post, Stack } from "./support/stack";

let stack: Stack;
let ingestion: RunningService;
const h = () => ({ "x-api-key": stack.apiKey });

beforeAll(async () => {
  stack = await createStack("ingestion");
  await stack.startProcessor();
  ingestion = await stack.startIngestion({ API_KEY_CACHE_TTL_MS: "0" });
});
afterAll(async () => stack?.close());

async function storedRows(ids: string[]) {
  const { rows } = await stack.pool.query("SELECT * FROM player_events WHERE event_id = ANY($1::uuid[]) ORDER BY event_id", [ids]);
  return rows;
}

async function waitStored(ids: string[]) {
  return eventually(`${ids.length} events in player_events`, async () => {
    const rows = await storedRows(ids);
    return rows.length === ids.length ? rows : undefined;
  });
}

test("an event posted over HTTP is stored with its fields, aggregated and published as processed", async () => {
  const id = randomUUID();
  const at = new Date(Date.now() - 60_000).toISOString();
  const r = await post(`${stack.ingestionUrl}/v1/events`, {
    type: "purchase", event_id: id, player_id: "p-round", event_time: at, platform: "iPhone OS", app_version: "2.0.1",
    session_id: "s-1", currency: "EUR", amount_minor: 499, item_type: "gems", item_id: "gems_500",
  }, h());
  expect(r.status).toBe(202);
  expect(r.body).toEqual({ accepted: 1, event_ids: [id] });

  const [row] = await waitStored([id]);
  expect(row).toMatchObject({
    event_id: id, game_id: stack.gameId, player_id: "p-round", event_type: "purchase", platform: "ios", app_version: "2.0.1",
    session_id: "s-1", payload: { currency: "EUR", amount_minor: 499, item_type: "gems", item_id: "gems_500" },
  });
  expect(row.event_time.toISOString()).toBe(at);
  expect(row.client_time.toISOString()).toBe(at);
  expect(Math.abs(row.received_at.getTime() - Date.now())).toBeLessThan(60_000);
  expect(row.event_day.getTime()).toBe(Date.parse(at.slice(0, 10)));

  const stats = await stack.pool.query("SELECT events, sessions FROM player_stats WHERE game_id = $1 AND player_id = 'p-round'", [stack.gameId]);
  expect(stats.rows).toEqual([{ events: "1", sessions: "0" }]);
  const rev = await stack.pool.query("SELECT currency, amount_minor FROM player_revenue WHERE game_id = $1 AND player_id = 'p-round'", [stack.gameId]);
  expect(rev.rows).toEqual([{ currency: "EUR", amount_minor: "499" }]);

  const processed = await readTopic(stack.kafka, stack.topics.processed, (seen) => seen.some((m) => m.value?.toString().includes(id)), 20_000);
  const msg = processed.find((m) => m.value?.toString().includes(id));
  expect(msg?.key?.toString()).toBe("p-round");
  expect(JSON.parse(msg?.value?.toString() ?? "{}")).toMatchObject({ event_id: id, platform: "ios", event_day: at.slice(0, 10), game_id: stack.gameId });
});

test("a client clock far in the past is clamped; the client's time is kept alongside", async () => {
  const sent = "2020-01-01T00:00:00.000Z";
  const r = await post(`${stack.ingestionUrl}/v1/events`, { type: "session_start", player_id: "p-clock", event_time: sent }, h());
  expect(r.status).toBe(202);
  const [row] = await waitStored(r.body.event_ids as string[]);
  expect(row.client_time.toISOString()).toBe(sent);
  expect(row.received_at.getTime() - row.event_time.getTime()).toBe(30 * 86_400_000);
});

test("a batch with bad events stores the good ones and reports each bad one by index", async () => {
  const good = [
    { type: "progression", player_id: "p-batch", status: "complete", levels: ["w1", "l2"], score: 10 },
    { type: "session_end", player_id: "p-batch", length_s: 30 },
  ];
  const r = await post(`${stack.ingestionUrl}/v1/events/batch`, {
    events: [good[0], { type: "teleport", player_id: "p-batch" }, { type: "session_end", player_id: 7, length_s: "x" }, good[1], { type: "session_start", player_id: "p-batch", game_id: "someone-else" }],
  }, h());
  expect(r.status).toBe(202);
  expect(r.body.accepted).toBe(2);
  expect(r.body.rejected).toEqual([
    { index: 1, reason: "unknown_type", errors: [{ path: "/type", message: expect.stringContaining("unknown event type") }] },
    { index: 2, reason: "invalid", errors: expect.arrayContaining([{ path: "/player_id", message: "must be string" }, { path: "/length_s", message: "must be integer" }]) },
    { index: 4, reason: "forbidden_game", errors: [{ path: "/game_id", message: expect.stringContaining(stack.gameId) }] },
  ]);
  const rows = await waitStored(r.body.event_ids as string[]);
  expect(rows.map((x) => x.event_type).sort()).toEqual(["progression", "session_end"]);
  const { rows: all } = await stack.pool.query("SELECT count(*)::int AS n FROM player_events WHERE game_id = $1 AND player_id = 'p-batch'", [stack.gameId]);
  expect(all[0].n).toBe(2);
});

test("a gzip batch is accepted; a batch that is all bad is refused", async () => {
  const gz = gzipSync(JSON.stringify({ events: [{ type: "design", player_id: "p-gz", design_id: "ui.menu.open", value: 2 }] }));
  const r = await post(`${stack.ingestionUrl}/v1/events/batch`, gz, { ...h(), "content-encoding": "gzip" });
  expect(r.status).toBe(202);
  await waitStored(r.body.event_ids as string[]);
  const bad = await post(`${stack.ingestionUrl}/v1/events/batch`, { events: [{ type: "nope", player_id: "p" }] }, h());
  expect(bad.status).toBe(422);
  expect(bad.body).toMatchObject({ error: "invalid_events", details: [{ index: 0, reason: "unknown_type" }] });
});

test("a client retry with the same id creates one row and counts once, with or without its own time; another game may use the same id", async () => {
  const noTime = { type: "session_start", event_id: randomUUID(), player_id: "p-retry" };
  const withTime = { type: "purchase", event_id: randomUUID(), player_id: "p-retry", event_time: new Date(Date.now() - 5000).toISOString(), currency: "EUR", amount_minor: 100, item_type: "t", item_id: "i" };
  for (let i = 0; i < 3; i++) {
    expect((await post(`${stack.ingestionUrl}/v1/events`, noTime, h())).status).toBe(202);
    expect((await post(`${stack.ingestionUrl}/v1/events/batch`, { events: [withTime, noTime] }, h())).status).toBe(202);
    await new Promise((r) => setTimeout(r, 20)); // a later server time for the retry without a client time
  }
  const { createApiKey } = await import("../../apps/shared/apikeys");
  const other = await createApiKey(stack.pool, `${stack.gameId}-b`);
  expect((await post(`${stack.ingestionUrl}/v1/events`, noTime, { "x-api-key": other.key })).status).toBe(202);
  await eventually("the other game's event stored", async () => {
    const { rows } = await stack.pool.query("SELECT 1 FROM player_events WHERE game_id = $1 AND event_id = $2", [`${stack.gameId}-b`, noTime.event_id]);
    return rows.length === 1 ? true : undefined;
  });
  await waitStored([withTime.event_id]);
  await new Promise((r) => setTimeout(r, 1500)); // the later retries went through the same partition: they are processed by now
  const { rows } = await stack.pool.query("SELECT event_id, count(*)::int AS n FROM player_events WHERE game_id = $1 AND player_id = 'p-retry' GROUP BY 1", [stack.gameId]);
  expect(rows.sort((a, b) => (a.event_id < b.event_id ? -1 : 1))).toEqual([noTime.event_id, withTime.event_id].sort().map((event_id) => ({ event_id, n: 1 })));
  const stats = await stack.pool.query("SELECT events, sessions FROM player_stats WHERE game_id = $1 AND player_id = 'p-retry'", [stack.gameId]);
  expect(stats.rows).toEqual([{ events: "2", sessions: "1" }]);
  const rev = await stack.pool.query("SELECT amount_minor, purchases FROM player_revenue WHERE game_id = $1 AND player_id = 'p-retry'", [stack.gameId]);
  expect(rev.rows).toEqual([{ amount_minor: "100", purchases: "1" }]);
});

const big = "x".repeat(70_000);
interface BadInput {
  name: string;
  send: () => Promise<{ status: number; body: Record<string, unknown> }>;
  status: number;
  error: string;
  /** A field path the error details must name. */
  path?: string;
}
const badInputs: BadInput[] = [
  { name: "malformed JSON", send: () => post(`${stack.ingestionUrl}/v1/events`, '{"type":', h()), status: 400, error: "malformed_json" },
  { name: "empty body", send: () => post(`${stack.ingestionUrl}/v1/events`, "", h()), status: 400, error: "empty_body" },
  { name: "wrong field types", send: () => post(`${stack.ingestionUrl}/v1/events`, { type: "design", player_id: 1, design_id: "a" }, h()), status: 422, error: "invalid_event", path: "/player_id" },
  { name: "missing required field", send: () => post(`${stack.ingestionUrl}/v1/events`, { type: "progression", player_id: "p", status: "start" }, h()), status: 422, error: "invalid_event", path: "/levels" },
  { name: "field not in the catalog", send: () => post(`${stack.ingestionUrl}/v1/events`, { type: "session_start", player_id: "p", cheat: true }, h()), status: 422, error: "invalid_event", path: "/cheat" },
  { name: "unknown event type", send: () => post(`${stack.ingestionUrl}/v1/events`, { type: "teleport", player_id: "p" }, h()), status: 422, error: "unknown_event_type", path: "/type" },
  { name: "batch over 1,000 events", send: () => post(`${stack.ingestionUrl}/v1/events/batch`, { events: Array(1001).fill({}) }, h()), status: 422, error: "invalid_event", path: "/events" },
  { name: "single event over 64 KB", send: () => post(`${stack.ingestionUrl}/v1/events`, { type: "design", player_id: big, design_id: "a" }, h()), status: 413, error: "payload_too_large" },
  { name: "batch over 1 MB", send: () => post(`${stack.ingestionUrl}/v1/events/batch`, { events: Array(16).fill({ type: "design", player_id: big, design_id: "a" }) }, h()), status: 413, error: "payload_too_large" },
  { name: "gzip body that decompresses over 1 MB", send: () => post(`${stack.ingestionUrl}/v1/events/batch`, gzipSync(JSON.stringify({ events: Array(16).fill({ x: big }) })), { ...h(), "content-encoding": "gzip" }), status: 413, error: "payload_too_large" },
  { name: "broken gzip", send: () => post(`${stack.ingestionUrl}/v1/events/batch`, "not gzip", { ...h(), "content-encoding": "gzip" }), status: 400, error: "malformed_gzip" },
  { name: "unsupported content type", send: () => post(`${stack.ingestionUrl}/v1/events`, "hello", { ...h(), "content-type": "text/plain" }), status: 415, error: "unsupported_media_type" },
  { name: "unsupported content encoding", send: () => post(`${stack.ingestionUrl}/v1/events`, "x", { ...h(), "content-encoding": "br" }), status: 415, error: "unsupported_encoding" },
  { name: "missing API key", send: () => post(`${stack.ingestionUrl}/v1/events`, { type: "session_start", player_id: "p" }), status: 401, error: "missing_api_key" },
  { name: "unknown API key", send: () => post(`${stack.ingestionUrl}/v1/events`, { type: "session_start", player_id: "p" }, { "x-api-key": `gm_0123456789abcdef_${"A".repeat(43)}` }), status: 401, error: "invalid_api_key" },
  { name: "another game's events", send: () => post(`${stack.ingestionUrl}/v1/events`, { type: "session_start", player_id: "p", game_id: "other-game" }, h()), status: 403, error: "forbidden_game", path: "/game_id" },
];

test.each(badInputs)("$name gets its precise status and error", async ({ send, status, error, path }) => {
  const r = await send();
  expect(r.status).toBe(status);
  expect(r.body.error).toBe(error);
  expect(typeof r.body.message).toBe("string");
  if (path !== undefined) expect(r.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
});

test("a key over its rate limit gets 429 with Retry-After, counted per key in Redis", async () => {
  const { createApiKey } = await import("../../apps/shared/apikeys");
  const slow = await createApiKey(stack.pool, stack.gameId, 3);
  const replies = await Promise.all(Array.from({ length: 12 }, () => post(`${stack.ingestionUrl}/v1/events`, { type: "session_start", player_id: "p-rl" }, { "x-api-key": slow.key })));
  const limited = replies.filter((r) => r.status === 429);
  expect(limited.length).toBeGreaterThan(0);
  expect(replies.filter((r) => r.status === 202).length).toBeLessThanOrEqual(6); // at most two 1 s windows
  expect(limited[0].body.error).toBe("rate_limited");
  expect(Number(limited[0].headers.get("retry-after"))).toBeGreaterThan(0);
  // the limit is per key: the main key is unaffected
  expect((await post(`${stack.ingestionUrl}/v1/events`, { type: "session_start", player_id: "p-rl" }, h())).status).toBe(202);
});

test("health, readiness and metrics report the service state", async () => {
  expect((await fetch(`${stack.ingestionUrl}/healthz`)).status).toBe(200);
  expect(await (await fetch(`${stack.ingestionUrl}/readyz`)).json()).toEqual({ ready: true });
  const metrics = await (await fetch(`${stack.ingestionUrl}/metrics`)).text();
  expect(metrics).toMatch(/ingestion_events_accepted_total\{type="purchase",service="ingestion"\} [1-9]/);
  expect(metrics).toMatch(/ingestion_events_rejected_total\{reason="unknown_type",service="ingestion"\} [1-9]/);
  expect(metrics).toMatch(/ingestion_produce_latency_seconds_count\{service="ingestion"\} [1-9]/);
  expect(metrics).toContain("process_resident_memory_bytes");
  expect(ingestion.pid).toBeGreaterThan(0);
});
