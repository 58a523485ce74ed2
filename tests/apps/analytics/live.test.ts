// Live counters end to end: events posted to ingestion reach a graphql-ws subscriber through the real
// processor, player.events.processed and the analytics pod's own consumer group, within 2 s; two pods
// each see every update; a subscriber that stops reading is dropped; a late event invalidates the
// closed-range cache.
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { startDevIssuer, type DevIssuer } from "../../../local/dev-issuer";
import { createStack, eventually, post, type Stack } from "../support/stack";
import { gql, metric, startAnalytics, type AnalyticsProcess } from "./support/api";
import { isoDay } from "./support/dataset";

interface Snapshot {
  eventsPerMinute: { type: string; count: number }[];
  concurrentPlayers: number;
  revenueToday: { currency: string; amountMinor: number }[];
}

let stack: Stack;
let issuer: DevIssuer;
let pods: AnalyticsProcess[];
let token: string;
const clients: Client[] = [];

const SUBSCRIPTION = "subscription($g: ID!) { liveCounters(gameId: $g) { eventsPerMinute { type count } concurrentPlayers revenueToday { currency amountMinor } } }";

beforeAll(async () => {
  stack = await createStack("analytics-live");
  issuer = await startDevIssuer();
  await stack.startProcessor();
  await stack.startIngestion();
  pods = [await startAnalytics(stack, issuer), await startAnalytics(stack, issuer)];
  token = await issuer.mint({ roles: ["analyst"], games: [stack.gameId] });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  for (const p of pods ?? []) await p.service.stop();
  await issuer?.close();
  await stack?.close();
});

/** Subscribes and records every snapshot with the time it arrived. */
function subscribe(url: string): { seen: { at: number; snap: Snapshot }[]; errors: unknown[] } {
  const out = { seen: [] as { at: number; snap: Snapshot }[], errors: [] as unknown[] };
  const client = createClient({ url: url.replace("http", "ws") + "/graphql", webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
  clients.push(client);
  client.subscribe<{ liveCounters: Snapshot }>({ query: SUBSCRIPTION, variables: { g: stack.gameId } }, {
    next: (v) => v.data && out.seen.push({ at: Date.now(), snap: v.data.liveCounters }),
    error: (e) => out.errors.push(e),
    complete: () => undefined,
  });
  return out;
}

const count = (s: Snapshot, type: string) => s.eventsPerMinute.find((e) => e.type === type)?.count ?? 0;

test("every pod's subscribers see events posted to ingestion within 2 s", async () => {
  const subs = pods.map((p) => subscribe(p.url));
  await eventually("a first snapshot on both pods", async () => (subs.every((s) => s.seen.length > 0) ? true : undefined), 20_000);
  // The consumers start at the newest record: wait until both pods are assigned before posting.
  await eventually("both live consumers reading", async () => {
    const probe = await post(`${stack.ingestionUrl}/v1/events`, { type: "design", player_id: "probe", design_id: "probe" }, { "x-api-key": stack.apiKey });
    expect(probe.status).toBe(202);
    await new Promise((r) => setTimeout(r, 1500));
    return subs.every((s) => count(s.seen[s.seen.length - 1].snap, "design") > 0) ? true : undefined;
  }, 60_000);
  const events = [
    ...Array.from({ length: 5 }, (_, i) => ({ type: "session_start", player_id: `live-${i}` })),
    { type: "session_end", player_id: "live-0", length_s: 30 },
    { type: "purchase", player_id: "live-1", currency: "EUR", amount_minor: 1234, item_type: "gems", item_id: "g" },
  ];
  const posted = await post(`${stack.ingestionUrl}/v1/events/batch`, { events }, { "x-api-key": stack.apiKey });
  expect(posted.status).toBe(202);
  const t0 = Date.now();
  for (const s of subs) {
    const hit = await eventually("the posted events in a snapshot", async () =>
      s.seen.find((x) => x.at >= t0 && count(x.snap, "session_start") === 5 && x.snap.concurrentPlayers === 4 && x.snap.revenueToday.some((r) => r.currency === "EUR" && r.amountMinor === 1234)), 10_000);
    expect(hit.at - t0).toBeLessThan(2000);
    expect(count(hit.snap, "purchase")).toBe(1);
  }
  expect(subs.flatMap((s) => s.errors)).toEqual([]);
});

test("a subscription without a valid token, or for another game, is refused", async () => {
  const refused = await new Promise<unknown>((resolve) => {
    const c = createClient({ url: pods[0].url.replace("http", "ws") + "/graphql", webSocketImpl: WebSocket, connectionParams: { authorization: "Bearer not.a.token" }, retryAttempts: 0, onNonLazyError: resolve, lazy: false });
    clients.push(c);
  });
  expect(refused).toBeDefined();
  const other = await issuer.mint({ roles: ["analyst"], games: ["another-game"] });
  const c = createClient({ url: pods[0].url.replace("http", "ws") + "/graphql", webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${other}` }, retryAttempts: 0 });
  clients.push(c);
  const err = await new Promise<unknown>((resolve) => c.subscribe({ query: SUBSCRIPTION, variables: { g: stack.gameId } }, { next: () => undefined, error: resolve, complete: () => resolve("completed") }));
  expect(JSON.stringify(err)).toContain("FORBIDDEN");
});

test("a subscriber that stops reading is dropped, not buffered without bound", async () => {
  const fast = await startAnalytics(stack, issuer, { ANALYTICS_LIVE_TICK_MS: "50", ANALYTICS_WS_MAX_LAG_MS: "1000" });
  try {
    const ws = new WebSocket(fast.url.replace("http", "ws") + "/graphql", "graphql-transport-ws");
    await new Promise((r) => ws.once("open", r));
    ws.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${token}` } }));
    await new Promise((r) => ws.once("message", r)); // connection_ack
    ws.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query: SUBSCRIPTION, variables: { g: stack.gameId } } }));
    await new Promise((r) => ws.once("message", r)); // the first snapshot
    (ws as unknown as { _socket: { pause(): void } })._socket.pause(); // stop reading: the server's sends back up
    await eventually("the slow subscriber dropped", async () => ((await metric(fast.url, "analytics_live_dropped_total")) >= 1 ? true : undefined), 15_000);
    expect(await metric(fast.url, "analytics_live_subscribers")).toBe(0);
    const closed = new Promise((r) => ws.once("close", r));
    (ws as unknown as { _socket: { resume(): void } })._socket.resume();
    await closed;
  } finally {
    await fast.service.stop();
  }
});

test("a late event for a closed day invalidates the cached answer of that day", async () => {
  const day = isoDay(new Date().toISOString().slice(0, 10), -3);
  const query = "query($g: ID!, $r: DateRange!) { game(id: $g) { activePlayers(range: $r) { bucket dau } } }";
  const vars = { g: stack.gameId, r: { from: day, to: day } };
  const before = await gql(pods[0].url, token, query, vars);
  expect(before.body.data).toEqual({ game: { activePlayers: [] } });
  const hits = await metric(pods[0].url, "analytics_cache_hits_total");
  expect((await gql(pods[0].url, token, query, vars)).body).toEqual(before.body);
  expect(await metric(pods[0].url, "analytics_cache_hits_total")).toBe(hits + 1);
  const late = await post(`${stack.ingestionUrl}/v1/events`, { type: "session_start", player_id: "late-one", event_time: `${day}T12:00:00Z` }, { "x-api-key": stack.apiKey });
  expect(late.status).toBe(202);
  await eventually("the late event in the answer", async () => {
    const r = await gql(pods[0].url, token, query, vars);
    return JSON.stringify(r.body.data) === JSON.stringify({ game: { activePlayers: [{ bucket: day, dau: 1 }] } }) ? true : undefined;
  }, 20_000);
  expect(await metric(pods[0].url, "analytics_cache_invalidations_total")).toBeGreaterThanOrEqual(1);
});
