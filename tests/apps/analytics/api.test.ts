// The analytics API as a real process over HTTP: metrics over a generated multi-day dataset equal
// answers computed in the test from the events; auth refusals; cost limits; persisted queries; the
// closed-range cache; DataLoader batching; the player timeline.
import { startDevIssuer, type DevIssuer } from "../../../local/dev-issuer";
import { persistedHash, DASHBOARD_QUERIES } from "../../../apps/analytics/persisted";
import { createStack, type Stack } from "../support/stack";
import { gql, metric, startAnalytics, type AnalyticsProcess } from "./support/api";
import { generate, isoDay } from "./support/dataset";
import { expectedMetrics } from "./support/expected";
import { rowsOf, storeBatch } from "./support/store";

const TODAY = new Date().toISOString().slice(0, 10);
const START = isoDay(TODAY, -16);
const events = generate({ startDay: START, days: 10, players: 50, seed: 3 });
const exp = expectedMetrics(events);
const LAST = exp.days[exp.days.length - 1].day;
const range = { from: START, to: LAST };

let stack: Stack;
let issuer: DevIssuer;
let api: AnalyticsProcess;
let analyst: string;

beforeAll(async () => {
  stack = await createStack("analytics-api");
  issuer = await startDevIssuer();
  const rows = rowsOf(stack.gameId, events.map((e) => e.event));
  for (let i = 0; i < rows.length; i += 500) await storeBatch(stack.pool, rows.slice(i, i + 500));
  api = await startAnalytics(stack, issuer);
  analyst = await issuer.mint({ roles: ["analyst"], games: [stack.gameId] });
});

afterAll(async () => {
  await api?.service.stop();
  await issuer?.close();
  await stack?.close();
});

const q = (query: string, variables: Record<string, unknown> = {}, token = analyst) => gql(api.url, token, query, { game: stack.gameId, range, ...variables });

test("active players, windows and sessions equal the answers computed from the events", async () => {
  const r = await q(`query($game: ID!, $range: DateRange!) { game(id: $game) {
    activePlayers(range: $range) { bucket dau newPlayers returningPlayers }
    activeWindows(range: $range) { day dau wau mau stickiness }
    sessions(range: $range) { bucket sessions }
    weekly: activePlayers(range: $range, granularity: WEEK) { bucket dau newPlayers }
  } }`);
  expect(r.body.errors).toBeUndefined();
  const g = r.body.data!.game as Record<string, { bucket?: string; day?: string; dau: number; newPlayers?: number; mau?: number; wau?: number; sessions?: number; returningPlayers?: number }[]>;
  expect(g.activePlayers).toEqual(exp.days.map((d) => ({ bucket: d.day, dau: d.dau, newPlayers: d.newPlayers, returningPlayers: d.dau - d.newPlayers })));
  expect(g.sessions).toEqual(exp.days.map((d) => ({ bucket: d.day, sessions: d.sessions })));
  const windows = exp.windows.filter((w) => w.day <= LAST);
  expect(g.activeWindows).toEqual(windows.map((w) => {
    const dau = exp.days.find((d) => d.day === w.day)?.dau ?? 0;
    return { day: w.day, dau, wau: w.wau, mau: w.mau, stickiness: w.mau === 0 ? null : dau / w.mau };
  }));
  // A week's dau is the mean over its days inside the range; new players add up.
  const weeks = new Map<string, { sum: number; days: number; fresh: number }>();
  for (const d of exp.days) {
    const dow = (new Date(`${d.day}T00:00:00Z`).getUTCDay() + 6) % 7;
    const w = weeks.get(isoDay(d.day, -dow)) ?? { sum: 0, days: 0, fresh: 0 };
    weeks.set(isoDay(d.day, -dow), { sum: w.sum + d.dau, days: w.days + 1, fresh: w.fresh + d.newPlayers });
  }
  expect(g.weekly).toEqual([...weeks].map(([bucket, w]) => ({ bucket, dau: w.sum / w.days, newPlayers: w.fresh })));
});

test("revenue per currency, ARPDAU, ARPPU and conversion equal the answers computed from the events", async () => {
  const r = await q(`query($game: ID!, $range: DateRange!) { game(id: $game) {
    revenue(range: $range) { bucket currency grossMinor payingPlayers firstTimeRevenueMinor arpdauMinor arppuMinor convertedPlayers }
  } }`);
  expect(r.body.errors).toBeUndefined();
  const got = (r.body.data!.game as { revenue: unknown[] }).revenue;
  expect(got).toEqual(exp.revenue.map((x) => {
    const day = exp.days.find((d) => d.day === x.day)!;
    return { bucket: x.day, currency: x.currency, grossMinor: x.gross, payingPlayers: x.payers, firstTimeRevenueMinor: x.first, arpdauMinor: x.gross / day.dau, arppuMinor: x.gross / x.payers, convertedPlayers: day.converted };
  }));
});

test("the retention cohort table and classic D1/D7 equal the answers computed from the events", async () => {
  const r = await q(`query($game: ID!, $c: DateRange!) { game(id: $game) { retention(cohorts: $c, days: [1, 7]) { days classic cohorts { day size retained } } } }`, { c: range });
  expect(r.body.errors).toBeUndefined();
  const t = (r.body.data!.game as { retention: { days: number[]; classic: (number | null)[]; cohorts: { day: string; size: number; retained: (number | null)[] }[] } }).retention;
  const cohorts = [...new Set(exp.firstDay.values())].sort();
  const retainedOn = (c: string, n: number) => [...exp.firstDay].filter(([p, d]) => d === c && exp.activeDays.get(p)!.has(isoDay(c, n))).length;
  const size = (c: string) => [...exp.firstDay.values()].filter((d) => d === c).length;
  expect(t.days).toEqual([1, 7]);
  expect(t.cohorts).toEqual(cohorts.map((c) => ({ day: c, size: size(c), retained: [1, 7].map((n) => (isoDay(c, n) < TODAY ? retainedOn(c, n) : null)) })));
  const classic = (n: number) => {
    const reached = cohorts.filter((c) => isoDay(c, n) < TODAY);
    return reached.reduce((s, c) => s + retainedOn(c, n), 0) / reached.reduce((s, c) => s + size(c), 0);
  };
  expect(t.classic).toEqual([classic(1), classic(7)]);
});

test("funnels, breakdowns and the session median come from the rollups as computed from the events", async () => {
  const r = await q(`query($game: ID!, $range: DateRange!) { game(id: $game) {
    progression(range: $range) { path starts fails completes failRate }
    byPlatform: activePlayers(range: $range, breakdown: [PLATFORM]) { bucket group { platform appVersion } dau }
    sessionLengths(range: $range) { sessions medianLengthS }
  } }`);
  expect(r.body.errors).toBeUndefined();
  const g = r.body.data!.game as { progression: { path: string; starts: number; fails: number; completes: number; failRate: number }[]; byPlatform: { bucket: string; group: { platform: string; appVersion: null }; dau: number }[]; sessionLengths: { sessions: number; medianLengthS: number } };
  expect([...g.progression].sort((a, b) => a.path.localeCompare(b.path))).toEqual(exp.funnels.map((f) => ({ path: f.path, starts: f.starts, fails: f.fails, completes: f.completes, failRate: f.fails / f.starts })));
  const perDay = new Map<string, number>();
  for (const p of g.byPlatform) {
    expect(p.group.appVersion).toBeNull();
    perDay.set(p.bucket, (perDay.get(p.bucket) ?? 0) + p.dau);
  }
  expect(Object.fromEntries(perDay)).toEqual(Object.fromEntries(exp.days.map((d) => [d.day, d.dau])));
  const lengths = events.flatMap((e) => (e.event.type === "session_end" ? [e.event.length_s] : [])).sort((a, b) => a - b);
  const median = lengths[Math.ceil(lengths.length / 2) - 1];
  expect(g.sessionLengths.sessions).toBe(exp.days.reduce((s, d) => s + d.sessions, 0));
  expect(g.sessionLengths.medianLengthS).toBeLessThanOrEqual(median);
  expect(g.sessionLengths.medianLengthS).toBeGreaterThan(median / 1.11);
});

test("auth: no token, another issuer, an expired token, another game and the wrong role are refused with codes", async () => {
  const query = "query($game: ID!, $range: DateRange!) { game(id: $game) { activePlayers(range: $range) { dau } } }";
  const none = await q(query, {}, "");
  expect(none.status).toBe(401);
  expect(none.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  const noHeader = await gql(api.url, undefined, "{ __typename }");
  expect([noHeader.status, noHeader.body.errors?.[0].extensions?.code]).toEqual([401, "UNAUTHENTICATED"]);
  const other = await startDevIssuer();
  try {
    const forged = await q(query, {}, await other.mint({ roles: ["analyst"], games: [stack.gameId] }));
    expect([forged.status, forged.body.errors?.[0].extensions?.code]).toEqual([401, "UNAUTHENTICATED"]);
  } finally {
    await other.close();
  }
  const expired = await q(query, {}, await issuer.mint({ roles: ["analyst"], games: [stack.gameId], ttlSec: -120 }));
  expect([expired.status, expired.body.errors?.[0].message]).toEqual([401, "token expired"]);
  const otherGame = await q(query, {}, await issuer.mint({ roles: ["analyst"], games: ["some-other-game"] }));
  expect(otherGame.body.errors?.[0].extensions?.code).toBe("FORBIDDEN");
  expect(otherGame.body.data).toBeNull();
  const support = await q(query, {}, await issuer.mint({ roles: ["support"], games: "*" }));
  expect(support.body.errors?.[0]).toMatchObject({ extensions: { code: "FORBIDDEN" } });
});

test("cost control: range x granularity, unknown dimensions, depth and cost are refused with codes and field paths", async () => {
  const long = await q("query($game: ID!, $r: DateRange!) { game(id: $game) { eventCounts(range: $r, granularity: HOUR) { events } } }", { r: { from: "2020-01-01", to: "2020-03-01" } });
  expect(long.body.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "range" } });
  const badDay = await q("query($game: ID!) { game(id: $game) { activePlayers(range: {from: \"2024-02-30\", to: \"2024-03-01\"}) { dau } } }");
  expect(badDay.body.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "range.from" } });
  const country = await q("query($game: ID!, $range: DateRange!) { game(id: $game) { activePlayers(range: $range, breakdown: [COUNTRY]) { dau } } }");
  expect(country.body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
  expect(country.body.errors?.[0].message).toContain("COUNTRY is not collected");
  const fields = Array.from({ length: 100 }, (_, i) => `a${i}: activePlayers(range: $range) { bucket dau newPlayers returningPlayers group { platform appVersion isPaying } }`).join("\n");
  const costly = await q(`query($game: ID!, $range: DateRange!) { game(id: $game) { ${fields} } }`);
  expect(costly.status).toBe(400);
  expect(costly.body.errors?.[0].extensions?.code).toBe("QUERY_TOO_COSTLY");
  const deep = await q("query($game: ID!) { game(id: $game) { player(id: \"p1\") { timeline { events { eventId } } summary { revenue { currency } } } } }", {}, await issuer.mint({ roles: ["support"], games: [stack.gameId] }));
  expect(deep.body.errors).toBeUndefined();
  const tooDeep = await q("{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }");
  expect(tooDeep.body.errors?.[0].extensions?.code).toBe("QUERY_TOO_COSTLY");
});

test("persisted dashboard queries run by hash, and a closed range is served from the cache", async () => {
  const body = { persisted: true };
  const first = await gql(api.url, analyst, persistedHash(DASHBOARD_QUERIES.overview), { game: stack.gameId, range }, body);
  expect(first.body.errors).toBeUndefined();
  const hits = await metric(api.url, "analytics_cache_hits_total");
  const again = await gql(api.url, analyst, persistedHash(DASHBOARD_QUERIES.overview), { game: stack.gameId, range }, body);
  expect(again.body).toEqual(first.body);
  expect(await metric(api.url, "analytics_cache_hits_total")).toBeGreaterThanOrEqual(hits + 4);
  const unknown = await gql(api.url, analyst, "0".repeat(64), {}, body);
  expect(unknown.body.errors?.length).toBe(1);
});

test("player summaries for many players are fetched in one DataLoader batch; the timeline pages newest first", async () => {
  const support = await issuer.mint({ roles: ["support"], games: [stack.gameId] });
  const ids = ["p1", "p2", "p3", "p4", "nobody"];
  const before = await metric(api.url, "analytics_player_loader_batch_size_count");
  const r = await q(`query($game: ID!, $ids: [ID!]!) { game(id: $game) { players(ids: $ids) { id summary { activeDays firstDay } } } }`, { ids }, support);
  expect(r.body.errors).toBeUndefined();
  const players = (r.body.data!.game as { players: { id: string; summary: { activeDays: number; firstDay: string } | null }[] }).players;
  expect(players).toEqual(ids.map((id) => ({ id, summary: exp.activeDays.has(id) ? { activeDays: exp.activeDays.get(id)!.size, firstDay: exp.firstDay.get(id)! } : null })));
  expect(await metric(api.url, "analytics_player_loader_batch_size_count")).toBe(before + 1);

  const mine = events.filter((e) => e.event.player_id === "p1").map((e) => e.event.event_id);
  const seen: string[] = [];
  let after: string | null = null;
  do {
    const page = await q(`query($game: ID!, $after: String) { game(id: $game) { player(id: "p1") { timeline(first: 7, after: $after) { nextCursor events { eventId time } } } } }`, { after }, support);
    expect(page.body.errors).toBeUndefined();
    const t = ((page.body.data!.game as { player: { timeline: { nextCursor: string | null; events: { eventId: string; time: string }[] } } }).player.timeline);
    seen.push(...t.events.map((e) => e.eventId));
    after = t.nextCursor;
  } while (after !== null);
  expect(seen.sort()).toEqual([...mine].sort());
});
