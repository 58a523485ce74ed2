// Player.recommendations against the real recommendations service, with real tokens of the users
// service: analytics calls it with its own client-credentials token (the client the users service
// registers on start-up), support and admins see the same page the service answers, analysts are
// refused; no model, a slow or failing service and a stopped one each give an error on that field only,
// with the rest of the answer and HTTP 200.
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import { serviceTokenSource } from "../../../apps/shared/auth/service-token";
import { ANALYTICS_CLIENT_ID } from "../../../apps/shared/auth/platform-clients";
import { plantedDataset } from "../../../apps/recommendations/planted";
import type { RunningService } from "../../../local/services";
import { newClient, secrets, startUsers, type Users } from "../users/support";
import { createRecsSlice, getJson, modelLive, type RecsSlice } from "../recommendations/support";
import { gql, metric, startAnalytics, type AnalyticsProcess } from "./support/api";

const QUERY = `query ($game: ID!, $player: ID!, $kind: RecommendationKind, $limit: Int) {
  game(id: $game) { player(id: $player) { summary { events } recommendations(kind: $kind, limit: $limit) { kind modelVersion items { id score source } } } }
}`;
type Answer = { game: { player: { summary: { events: number } | null; recommendations: { kind: string; modelVersion: string; items: { id: string; score: number; source: string }[] } | null } } };

const run = randomBytes(3).toString("hex");
const planted = plantedDataset({ game: "a", players: 60, items: 24, segments: 3, perPlayer: 10, inGroup: 0.85, days: 10, now: Date.now(), seed: 21 });
let s: RecsSlice;
let users: Users;
let recs: { service: RunningService; url: string };
let analytics: AnalyticsProcess;
let hanging: Server;
let flaky: AnalyticsProcess;
let tokens: Record<"support" | "analyst" | "analytics", () => Promise<string>>;

const ask = async (token: string, vars: Record<string, unknown>, url = analytics.url) => gql(url, token, QUERY, { game: s.stack.gameId, player: "player-1", ...vars });

beforeAll(async () => {
  s = await createRecsSlice("analytics-recs");
  // The issuer on the slice's own database: it registers analytics' client there on start-up.
  users = await startUsers(`analytics-recs-${run}`, { env: { DATABASE_URL: s.stack.databaseUrl } });
  const tokenUrl = `${users.issuer}/token`;
  const tokenOf = async (role: "support" | "analyst") => {
    const { secret } = await newClient(s.stack.pool, { clientId: `${role}-${run}`, kind: "confidential", roles: [role], games: [s.stack.gameId] });
    return serviceTokenSource({ tokenUrl, clientId: `${role}-${run}`, clientSecret: async () => secret as string });
  };
  const analyticsSecret = secrets.clientSecret(ANALYTICS_CLIENT_ID, 1);
  tokens = { support: await tokenOf("support"), analyst: await tokenOf("analyst"), analytics: serviceTokenSource({ tokenUrl, clientId: ANALYTICS_CLIENT_ID, clientSecret: async () => analyticsSecret }) };
  await s.send(planted.players);
  recs = await s.startRecommendations({ AUTH_ISSUER: users.issuer });
  const client = { AUTH_TOKEN_URL: tokenUrl, AUTH_CLIENT_SECRET: analyticsSecret };
  analytics = await startAnalytics(s.stack, users, { ...client, RECOMMENDATIONS_URL: recs.url });
  // A recommendations stand-in that never answers, behind a second analytics with a short deadline.
  hanging = createServer(() => undefined);
  await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", resolve));
  const port = (hanging.address() as { port: number }).port;
  flaky = await startAnalytics(s.stack, users, { ...client, RECOMMENDATIONS_URL: `http://127.0.0.1:${port}`, ANALYTICS_RECOMMENDATIONS_TIMEOUT_MS: "300" });
}, 180_000);

afterAll(async () => {
  await flaky?.service.stop();
  await analytics?.service.stop();
  hanging?.closeAllConnections();
  hanging?.close();
  await users?.service.stop();
  await s?.close();
});

test("before any model: the field is null with UPSTREAM_UNAVAILABLE saying so, the summary answers, HTTP 200", async () => {
  const r = await ask(await tokens.support(), {});
  expect(r.status).toBe(200);
  const p = (r.body.data as Answer).game.player;
  expect(p.summary?.events).toBe(planted.players.find((x) => x.player === "player-1")?.touches.length);
  expect(p.recommendations).toBeNull();
  expect(r.body.errors).toEqual([expect.objectContaining({ message: expect.stringContaining("no recommendations model is live yet"), extensions: expect.objectContaining({ code: "UPSTREAM_UNAVAILABLE", reason: "no_model" }) })]);
});

describe("with a trained model", () => {
  beforeAll(async () => {
    await s.train();
    await modelLive(recs.url, s.stack.gameId, await tokens.analytics());
  }, 60_000);

  it("support gets the page the service answers analytics' own token, items and levels", async () => {
    const pages = [];
    for (const [kind, q] of [["ITEMS", "items"], ["LEVELS", "levels"]] as const) {
      const r = await ask(await tokens.support(), { kind, limit: 5 });
      expect([r.status, r.body.errors]).toEqual([200, undefined]);
      const direct = await getJson(`${recs.url}/v1/games/${s.stack.gameId}/players/player-1/recommendations?kind=${q}&limit=5`, await tokens.analytics());
      const got = (r.body.data as Answer).game.player.recommendations;
      expect(got).toEqual({ kind, modelVersion: direct.body.model_version, items: direct.body.items });
      pages.push(got);
    }
    expect(pages[0]?.items).toHaveLength(5); // the planted players touch items only: levels may well be empty
    expect(await metric(analytics.url, "analytics_recommendations_calls_total")).toBeGreaterThanOrEqual(2);
  });

  it("is authorized like the other player fields (an analyst is refused) and checks its limit", async () => {
    const refused = await ask(await tokens.analyst(), {});
    expect(refused.body.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
    expect((refused.body.data as { game: { player: null } } | null)?.game.player ?? null).toBeNull();
    const bad = await ask(await tokens.support(), { limit: 51 });
    expect(bad.body.errors?.[0]).toMatchObject({ message: "limit: 51 is not a count from 1 to 50", extensions: { code: "BAD_USER_INPUT" } });
    expect((bad.body.data as Answer).game.player.summary).not.toBeNull();
  });

  it("a service that does not answer in time costs the deadline, not the query", async () => {
    const t0 = Date.now();
    const r = await ask(await tokens.support(), {}, flaky.url);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(r.status).toBe(200);
    expect((r.body.data as Answer).game.player).toMatchObject({ summary: { events: expect.any(Number) }, recommendations: null });
    expect(r.body.errors?.[0]).toMatchObject({ message: "the recommendations service did not answer within 300 ms", extensions: { code: "UPSTREAM_UNAVAILABLE", reason: "timeout" } });
  });

  it("a stopped service is an error on the field only", async () => {
    await recs.service.stop();
    const r = await ask(await tokens.support(), {});
    expect(r.status).toBe(200);
    expect((r.body.data as Answer).game.player.summary).not.toBeNull();
    expect(r.body.errors?.[0]).toMatchObject({ message: "the recommendations service could not be reached", extensions: { code: "UPSTREAM_UNAVAILABLE", reason: "unreachable" } });
  });
});
