// The dashboard in a real browser: headless Debian chromium signs in through the real users service
// (its own login page, authorization code + PKCE), reads the analytics API through the dashboard's
// server, and shows figures equal to a recount of the seeded events and to what the API answers the
// same token directly; a live tile moves when events are posted to ingestion; role gates hold; the
// player page shows the recommendations service's answer, and only its panel fails when that service does.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { DASHBOARD_QUERIES } from "../../../apps/shared/dashboard-queries";
import { REPO_ROOT } from "../../../local/kafka-broker";
import { appKafkaEnv } from "../../../local/kafka-access";
import { freePort } from "../../../local/net";
import { localOpsEnv } from "../../../local/users";
import { gql, startAnalytics, type AnalyticsProcess } from "../analytics/support/api";
import { isoDay, type GenEvent } from "../analytics/support/dataset";
import { rowsOf, storeBatch } from "../analytics/support/store";
import { getJson, modelLive, trainModel } from "../recommendations/support";
import { createStack, eventually, post, type Stack } from "../support/stack";
import { newClient, newStaff, startUsers, type Users } from "../users/support";
import { recount, seededEvents } from "./dataset";
import { answerHandoffs, startRecommendationsFor } from "./peers";
import { type Browser, buildSpa, type Dashboard, openBrowser, SCREENSHOTS, signIn, startDashboard, tile } from "./support";

const run = randomBytes(3).toString("hex");
const password = `pw-${randomBytes(9).toString("hex")}`;
const email = (who: string) => `${who}-${run}@example.com`;
const today = new Date().toISOString().slice(0, 10);
const range = { from: isoDay(today, -7), to: isoDay(today, -1) };

let stack: Stack;
let users: Users;
let analytics: AnalyticsProcess;
let recs: Awaited<ReturnType<typeof startRecommendationsFor>>;
let dashboard: Dashboard;
let events: GenEvent[];
const browsers: Browser[] = [];
let handoffs: NodeJS.Timeout | undefined;

const staticDir = join(REPO_ROOT, ".local", "test", `dashboard-web-${run}`);

beforeAll(async () => {
  await buildSpa(staticDir);
  stack = await createStack("dashboard");
  // The shortest lifetime the issuer allows: the app renews 30 s before expiry, so a test can see it.
  // An erasure starts GDPR_SETTLE_MS after it is asked for (events accepted before are stored by then);
  // a store waiting on its owner is looked at again within GDPR_MAX_BACKOFF_MS.
  // With its Kafka principal and ingestion's metrics, as `npm run local` runs it (the Operations page's DLQ and status).
  users = await startUsers(`dashboard-${run}`, { env: { USERS_ACCESS_TOKEN_TTL_SEC: "60", GDPR_SETTLE_MS: "500", GDPR_MAX_BACKOFF_MS: "500", ...appKafkaEnv(stack.access, "users", stack.prefix), ...localOpsEnv([stack.ingestionUrl]) } });
  await stack.startProcessor();
  await stack.startIngestion();
  recs = await startRecommendationsFor(stack, users, `dashboard-${run}`);
  analytics = await startAnalytics(stack, users, recs.analyticsEnv);
  const clientId = `dashboard-${run}`;
  // The dashboard's port is known before it starts: its redirect URI is registered with the issuer first.
  const port = await freePort();
  await newClient(stack.pool, { clientId, kind: "public", redirectUris: [`http://127.0.0.1:${port}/dashboard/callback`] });
  for (const [who, roles] of [["admin", ["admin"]], ["analyst", ["analyst"]], ["support", ["support"]]] as const) {
    await newStaff(stack.pool, { email: email(who), password, roles: [...roles], games: [stack.gameId], totp: false });
  }
  // The audit log is platform-wide: an admin of every game.
  await newStaff(stack.pool, { email: email("ops"), password, roles: ["admin"], games: "*", totp: false });
  dashboard = await startDashboard({ issuer: users.issuer, clientId, analyticsUrl: analytics.url, usersUrl: users.url, staticDir, port });
  events = seededEvents(range);
  await storeBatch(stack.pool, rowsOf(stack.gameId, events.map((e) => e.event)));
  // A model over the seeded days (a version covers every game with events in its window).
  await trainModel(stack.pool, recs.env, 8);
  await modelLive(recs.url, stack.gameId, await recs.token());
  handoffs = answerHandoffs(stack);
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  clearInterval(handoffs);
  for (const b of browsers) await b.close();
  await dashboard?.service.stop();
  await analytics?.service.stop();
  await recs?.service.stop();
  await users?.service.stop();
  await stack?.close();
  rmSync(staticDir, { recursive: true, force: true });
});

async function browserFor(who: string, path = "/dashboard/", width = 1280): Promise<Browser> {
  const b = await openBrowser(width);
  browsers.push(b);
  await signIn(b, `${dashboard.url}${path}${path.includes("?") ? "&" : "?"}game=${stack.gameId}&from=${range.from}&to=${range.to}`, email(who), password);
  return b;
}

test("an admin signs in through the issuer and the overview shows the recounted figures, equal to the API's", async () => {
  const b = await browserFor("admin");
  const authorizations: string[] = [];
  b.page.on("request", (r) => r.url().includes("/dashboard/graphql") && authorizations.push(r.headers()["authorization"] ?? ""));
  await b.page.reload();
  await b.page.waitForSelector("header nav");
  const want = recount(events, range);
  expect(await tile(b.page, "dau")).toBe(String(want.dau));
  expect(await tile(b.page, "mau")).toBe(String(want.mau));
  expect(await tile(b.page, "new-players")).toBe(String(want.newPlayers));
  expect(await tile(b.page, "sessions")).toBe(String(want.sessions));
  expect(await tile(b.page, "revenue")).toBe(want.revenue);
  await b.page.locator(".chart canvas").first().waitFor();

  // The same token, straight to the API (not through the dashboard's server).
  const token = authorizations.find((a) => a.startsWith("Bearer "))?.slice(7);
  expect(token).toBeDefined();
  const api = await gql(analytics.url, token, DASHBOARD_QUERIES.overview, { game: stack.gameId, range });
  const g = (api.body.data as { game: { activeWindows: { mau: number }[]; activePlayers: { dau: number; newPlayers: number }[]; sessionLengths: { sessions: number } } }).game;
  expect(g.activePlayers[g.activePlayers.length - 1].dau).toBe(want.dau);
  expect(g.activeWindows[g.activeWindows.length - 1].mau).toBe(want.mau);
  expect(g.activePlayers.reduce((s, p) => s + p.newPlayers, 0)).toBe(want.newPlayers);
  expect(g.sessionLengths.sessions).toBe(want.sessions);

  const nav = await b.page.locator("header nav a").allInnerTexts();
  expect(nav).toEqual(["Overview", "Retention", "Funnels & economy", "Errors", "Player lookup", "Operations"]);
  await b.page.screenshot({ path: join(SCREENSHOTS, "overview.png"), fullPage: true });
  expect(b.problems).toEqual([]);
});

test("a live tile changes within 2 s of events posted to ingestion", async () => {
  const b = await browserFor("admin");
  const events = async () => Number((await tile(b.page, "live-events")).replace(/,/g, ""));
  await eventually("the live tiles connected", async () => (Number.isNaN(await events()) ? undefined : true), 20_000);
  // The analytics consumer starts at the newest record: probe until it is assigned and reading.
  await eventually("the live consumer reading", async () => {
    const before = await events();
    expect((await post(`${stack.ingestionUrl}/v1/events`, { type: "design", player_id: "probe", design_id: "probe" }, { "x-api-key": stack.apiKey })).status).toBe(202);
    await new Promise((r) => setTimeout(r, 1500));
    return (await events()) > before ? true : undefined;
  }, 60_000);
  const before = await events();
  const batch = Array.from({ length: 6 }, (_, i) => ({ type: "session_start", player_id: `live-${run}-${i}` }));
  expect((await post(`${stack.ingestionUrl}/v1/events/batch`, { events: batch }, { "x-api-key": stack.apiKey })).status).toBe(202);
  const t0 = Date.now();
  await eventually("the tile to count the batch", async () => ((await events()) >= before + 6 ? true : undefined), 5_000);
  expect(Date.now() - t0).toBeLessThan(2000);
  expect(Number(await tile(b.page, "live-concurrent"))).toBeGreaterThanOrEqual(6);
  await b.page.screenshot({ path: join(SCREENSHOTS, "overview-live.png") });
});

test("retention, funnels and errors pages render the API's data (and are keyboard reachable)", async () => {
  const b = await browserFor("analyst", "/dashboard/retention");
  await b.page.locator("table.heatmap tbody tr").first().waitFor();
  const cohorts = new Set(events.map((e) => e.day)).size;
  expect(await b.page.locator("table.heatmap tbody tr").count()).toBeLessThanOrEqual(cohorts);
  await b.page.screenshot({ path: join(SCREENSHOTS, "retention.png"), fullPage: true });
  // Keyboard: Tab from the top reaches the skip link, then the navigation.
  await b.page.keyboard.press("Tab");
  expect(await b.page.evaluate("document.activeElement && document.activeElement.textContent")).toBe("Skip to content");
  await b.page.getByRole("link", { name: "Funnels & economy" }).click();
  await b.page.getByRole("table", { name: "Progression per level path" }).waitFor();
  const paths = new Set(events.filter((e) => e.event.type === "progression").map((e) => (e.event as { levels: string[] }).levels.join(":")));
  expect(await b.page.getByRole("table", { name: "Progression per level path" }).locator("tbody tr").count()).toBe(paths.size);
  await b.page.screenshot({ path: join(SCREENSHOTS, "funnels.png"), fullPage: true });
  await b.page.getByRole("link", { name: "Errors" }).click();
  const severities = new Set(events.filter((e) => e.event.type === "error").map((e) => (e.event as { severity: string }).severity));
  if (severities.size === 0) await b.page.getByText("No errors in this range.").waitFor();
  else {
    await b.page.getByRole("table", { name: "Errors by severity" }).waitFor();
    expect(await b.page.getByRole("table", { name: "Errors by severity" }).locator("tbody tr").count()).toBe(severities.size);
  }
  await b.page.screenshot({ path: join(SCREENSHOTS, "errors.png"), fullPage: true });
  expect(b.problems).toEqual([]);
});

test("roles gate the navigation: an analyst has no player lookup, support has only that", async () => {
  const analyst = await browserFor("analyst");
  expect(await analyst.page.locator("header nav a").allInnerTexts()).not.toContain("Player lookup");
  await analyst.page.goto(`${dashboard.url}/dashboard/players?game=${stack.gameId}`);
  await analyst.page.getByText("There is no such page for your roles.").waitFor();

  const support = await browserFor("support", "/dashboard/players");
  expect(await support.page.locator("header nav a").allInnerTexts()).toEqual(["Player lookup"]);
  const player = "pager";
  await support.page.fill("#player-id", player);
  await support.page.keyboard.press("Enter");
  const mine = events.filter((e) => e.event.player_id === player);
  expect(await tile(support.page, "player-events")).toBe(String(mine.length));
  expect(await tile(support.page, "player-sessions")).toBe("0");
  const timeline = support.page.getByRole("table", { name: "Timeline, newest first" });
  await timeline.waitFor();
  expect(await timeline.locator("tbody tr").count()).toBe(Math.min(50, mine.length));
  await support.page.getByRole("button", { name: "Older" }).click();
  await support.page.locator("button:enabled", { hasText: "Newer" }).waitFor();
  expect(await timeline.locator("tbody tr").count()).toBe(mine.length - 50);
  expect(await support.page.getByRole("button", { name: "Older" }).isDisabled()).toBe(true);
  await support.page.screenshot({ path: join(SCREENSHOTS, "player.png"), fullPage: true });
});

test("the player page shows the recommendations service's answer; when it is down only that panel says so", async () => {
  const b = await browserFor("support", "/dashboard/players");
  await b.page.fill("#player-id", "p1");
  await b.page.keyboard.press("Enter");
  const items = b.page.getByRole("table", { name: "Recommended items" });
  await items.waitFor({ timeout: 20_000 });
  const direct = await getJson(`${recs.url}/v1/games/${stack.gameId}/players/p1/recommendations?kind=items&limit=10`, await recs.token());
  const ids = (direct.body.items as { id: string }[]).map((i) => i.id);
  expect(ids.length).toBeGreaterThan(0);
  expect(await items.locator("tbody th").allInnerTexts()).toEqual(ids);
  await b.page.screenshot({ path: join(SCREENSHOTS, "player-recommendations.png"), fullPage: true });

  await recs.service.stop();
  await b.page.fill("#player-id", "pager");
  await b.page.keyboard.press("Enter");
  await b.page.getByTestId("recommendations").getByRole("alert").filter({ hasText: "Could not load: the recommendations service could not be reached" }).waitFor();
  expect(await tile(b.page, "player-events")).toBe(String(events.filter((e) => e.event.player_id === "pager").length));
  await b.page.getByRole("table", { name: "Timeline, newest first" }).waitFor();
  await b.page.screenshot({ path: join(SCREENSHOTS, "player-recommendations-down.png"), fullPage: true });
  // The API answered 200 with the error on the field: the page saw no failed request.
  expect(b.problems).toEqual([]);
});

test("works at 1024 px, survives a game without data, and signs out at the issuer", async () => {
  const b = await browserFor("admin", "/dashboard/", 1024);
  await b.page.goto(`${dashboard.url}/dashboard/?game=${stack.gameId}&from=${isoDay(today, -60)}&to=${isoDay(today, -50)}`);
  await b.page.getByText("No activity in this range.").waitFor();
  expect(await tile(b.page, "dau")).toBe("0");
  expect(await b.page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(1024);
  await b.page.screenshot({ path: join(SCREENSHOTS, "empty-1024.png"), fullPage: true });
  await b.page.getByRole("button", { name: "Sign out" }).click();
  await b.page.waitForURL((u) => u.href.startsWith(users.issuer), { timeout: 10_000 });
});

test("operations: an admin creates an API key that ingestion then accepts, and revokes it", async () => {
  const b = await browserFor("admin", "/dashboard/operations");
  await b.page.getByRole("button", { name: "Create API key" }).click();
  const key = (await b.page.getByTestId("new-key").innerText()).trim();
  expect(key).toMatch(/^gm_[0-9a-f]{16}_/);
  const keyId = key.split("_")[1];
  const row = b.page.locator(`tr[data-key="${keyId}"]`);
  await row.getByText("active").waitFor();
  const sent = await post(`${stack.ingestionUrl}/v1/events`, { type: "design", player_id: "key-check", design_id: "ui.key" }, { "x-api-key": key });
  expect(sent.status).toBe(202);
  await b.page.screenshot({ path: join(SCREENSHOTS, "operations-keys.png"), fullPage: true });
  await row.getByRole("button", { name: `Revoke ${keyId}` }).click();
  await row.getByText(/^revoked /).waitFor();
  const { rows } = await stack.pool.query<{ revoked: boolean }>("SELECT revoked_at IS NOT NULL AS revoked FROM api_keys WHERE key_id = $1", [keyId]);
  expect(rows).toEqual([{ revoked: true }]);
});

test("operations: an admin of every game reads the audit log (filtered) and verifies the chain; others are refused", async () => {
  const b = await browserFor("ops", "/dashboard/operations");
  // This test's own staff accounts were created (audited) before it signed in.
  await b.page.fill("#audit-action", "staff.create");
  await b.page.keyboard.press("Enter");
  const table = b.page.getByRole("table", { name: "Audit log, newest first" });
  await table.getByText(`"email":"${email("ops")}"`, { exact: false }).first().waitFor();
  const actions = await table.locator("tbody tr td:nth-child(4)").allInnerTexts();
  expect(new Set(actions)).toEqual(new Set(["staff.create"]));
  const { rows } = await stack.pool.query<{ n: string }>("SELECT count(*) AS n FROM audit_log WHERE action = 'staff.create'");
  expect(actions).toHaveLength(Math.min(25, Number(rows[0].n)));
  await b.page.getByRole("button", { name: "Verify chain" }).click();
  await b.page.getByTestId("verdict").filter({ hasText: /Chain (intact|broken)/ }).waitFor({ timeout: 30_000 });
  await b.page.screenshot({ path: join(SCREENSHOTS, "operations.png"), fullPage: true });
  expect(b.problems).toEqual([]);

  // An admin of one game sees the page but the users service refuses the platform-wide log.
  const one = await browserFor("admin", "/dashboard/operations");
  await one.page.getByText("Could not load: the audit log covers every game").waitFor();
  const analyst = await browserFor("analyst");
  expect(await analyst.page.locator("header nav a").allInnerTexts()).not.toContain("Operations");
});

test("an admin exports and erases a player from the lookup page and sees each store's progress to done", async () => {
  const b = await browserFor("admin", "/dashboard/players");
  for (const [player, kind] of [["pager", "export"], ["erase-me", "erase"]] as const) {
    await b.page.fill("#player-id", player);
    await b.page.keyboard.press("Enter");
    await b.page.getByRole("heading", { name: "Data requests (GDPR)" }).waitFor();
    if (kind === "export") await b.page.getByRole("button", { name: "Export data" }).click();
    else {
      await b.page.getByRole("button", { name: "Erase player…" }).click();
      await b.page.getByRole("button", { name: `Confirm erasure of ${player}` }).click();
    }
    const status = b.page.getByTestId("gdpr-status");
    await status.filter({ hasText: new RegExp(`^${kind} [0-9a-f-]{36}: done$`) }).waitFor({ timeout: 30_000 });
    const requestId = (await status.innerText()).split(" ")[1].replace(/:$/, "");
    const onScreen = await b.page.getByRole("table", { name: "Progress per store" }).locator("tbody tr").evaluateAll((rows) => rows.map((r) => [r.querySelector("th")?.textContent ?? "", r.querySelector("td")?.textContent ?? ""]));
    const { rows } = await stack.pool.query<{ store: string; status: string }>("SELECT store, status FROM gdpr_request_stores WHERE request_id = $1 ORDER BY store", [requestId]);
    expect(onScreen).toEqual(rows.map((r) => [r.store, r.status]));
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(["done"]));
    await b.page.screenshot({ path: join(SCREENSHOTS, `gdpr-${kind}.png`), fullPage: true });
  }
  const left = await stack.pool.query("SELECT 1 FROM player_events WHERE game_id = $1 AND player_id = 'erase-me'", [stack.gameId]);
  expect(left.rowCount).toBe(0);
  expect(b.problems).toEqual([]);
}, 90_000);

test("the access token is renewed through the issuer with the refresh token, and the pages keep working", async () => {
  const b = await browserFor("analyst");
  const signedInAt = Date.now();
  const grants: string[] = [];
  b.page.on("request", (r) => r.url().startsWith(`${users.issuer}/token`) && grants.push(new URLSearchParams(r.postData() ?? "").get("grant_type") ?? ""));
  await tile(b.page, "dau");
  // Past the renewal point (60 s tokens, renewed with 30 s left).
  await new Promise((r) => setTimeout(r, Math.max(0, 31_000 - (Date.now() - signedInAt))));
  await b.page.getByRole("link", { name: "Errors" }).click();
  await b.page.getByRole("heading", { name: "Errors by severity" }).waitFor();
  await b.page.getByRole("table", { name: "Errors by severity" }).or(b.page.getByText("No errors in this range.")).waitFor();
  expect(grants).toEqual(["refresh_token"]);
  expect(b.problems).toEqual([]);
}, 60_000);

test("the bundle's initial JavaScript (what index.html loads) stays within 250 KB gzip", () => {
  const html = readFileSync(join(staticDir, "index.html"), "utf8");
  const scripts = [...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="\/dashboard\/([^"]+\.js)"/g)].map((m) => m[1]);
  expect(scripts.length).toBeGreaterThan(0);
  const gzipKb = scripts.reduce((s, f) => s + gzipSync(readFileSync(join(staticDir, f)), { level: 9 }).length, 0) / 1024;
  expect(gzipKb).toBeLessThanOrEqual(250);
  // No inline script anywhere (the CSP forbids them): every script is a file.
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
});
