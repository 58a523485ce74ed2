// The Operations page's event path in a real browser: an event of a game nobody registered is sent to
// the DLQ by the real processor; the operator sees it (reason, source offset, payload), registers the
// game (the fix), replays it from the page and the event is stored in PostgreSQL; the status shows each
// group's lag equal to a plain Admin client's count, and the ingestion error ratio of what was posted.
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createApiKey } from "../../../apps/shared/apikeys";
import { toWireEvent } from "../../../apps/shared/events/normalize";
import { DurableProducer, readTopic } from "../../../apps/shared/kafka";
import { appKafkaEnv } from "../../../local/kafka-access";
import { REPO_ROOT } from "../../../local/kafka-broker";
import { freePort } from "../../../local/net";
import { localOpsEnv } from "../../../local/users";
import { independentLag, recommendationsReadUpTo } from "../support/lag";
import { createStack, eventually, post, type Stack } from "../support/stack";
import { newClient, newStaff, startUsers, type Users } from "../users/support";
import { type Browser, buildSpa, type Dashboard, openBrowser, SCREENSHOTS, signIn, startDashboard, tile } from "./support";

const run = randomBytes(3).toString("hex");
const password = `pw-${randomBytes(9).toString("hex")}`;
const email = (who: string) => `${who}-${run}@example.com`;
const staticDir = join(REPO_ROOT, ".local", "test", `dashboard-ops-web-${run}`);
let stack: Stack;
let users: Users;
let dashboard: Dashboard;
const browsers: Browser[] = [];

beforeAll(async () => {
  await buildSpa(staticDir);
  stack = await createStack("dash-ops");
  await stack.startProcessor();
  await stack.startIngestion();
  // As `npm run local` runs it: its own Kafka principal, and ingestion's /metrics scraped for the error ratio.
  users = await startUsers(`dash-ops-${run}`, { env: { ...appKafkaEnv(stack.access, "users", stack.prefix), ...localOpsEnv([stack.ingestionUrl], 300) } });
  const port = await freePort();
  const clientId = `dash-ops-${run}`;
  await newClient(stack.pool, { clientId, kind: "public", redirectUris: [`http://127.0.0.1:${port}/dashboard/callback`] });
  await newStaff(stack.pool, { email: email("ops"), password, roles: ["admin"], games: "*", totp: false });
  await newStaff(stack.pool, { email: email("one"), password, roles: ["admin"], games: [stack.gameId], totp: false });
  // The Operations page reads no GraphQL: the users service stands in for analytics.
  dashboard = await startDashboard({ issuer: users.issuer, clientId, analyticsUrl: users.url, usersUrl: users.url, staticDir, port });
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  for (const b of browsers) await b.close();
  await dashboard?.service.stop();
  await users?.service.stop();
  await stack?.close();
  rmSync(staticDir, { recursive: true, force: true });
});

async function operations(who: string): Promise<Browser> {
  const b = await openBrowser();
  browsers.push(b);
  await signIn(b, `${dashboard.url}/dashboard/operations?game=${stack.gameId}`, email(who), password);
  return b;
}

test("an event of an unregistered game lands in the DLQ; after the game is registered it is replayed from the page and stored", async () => {
  // Ingestion takes events only with a game's key, and a key registers its game: the event reaches raw
  // events as ingestion's principal sends them, for a game that does not exist yet.
  const game = `${stack.gameId}-new`;
  const lost = toWireEvent({ type: "session_start", player_id: "p-replay" }, game, Date.now());
  const producer = new DurableProducer(stack.kafkaAs("ingestion"));
  await producer.connect();
  await producer.send([{ topic: stack.topics.raw, key: "p-replay", value: JSON.stringify(lost) }]);
  await producer.close();
  const [dead] = await readTopic(stack.kafka, stack.topics.dlq, (seen) => seen.length >= 1, 60_000);
  expect(dead.headers["dlq-reason"]).toBe("unknown_game");

  const b = await operations("ops");
  const row = b.page.locator(`tbody[data-offset="${dead.offset}"]`);
  await row.getByText("unknown_game").waitFor();
  expect(await row.locator("td").nth(3).innerText()).toBe(`${stack.topics.raw}[${dead.headers["dlq-source-partition"]}]@${dead.headers["dlq-source-offset"]}`);
  await row.getByRole("button", { name: /^Show payload/ }).click();
  expect(await row.getByTestId(`payload-${dead.offset}`).innerText()).toContain(`"event_id": "${lost.event_id}"`);
  expect(await row.getByRole("button", { name: /^Hide payload/ }).getAttribute("aria-expanded")).toBe("true");
  await b.page.screenshot({ path: join(SCREENSHOTS, "operations-dlq.png"), fullPage: true });

  // The fix: the game is registered. The processor asks again about a missing game after 5 s.
  await createApiKey(stack.pool, game);
  await new Promise((r) => setTimeout(r, 5500));
  await row.getByRole("button", { name: `Replay ${dead.offset}` }).click();
  // The confirmation takes the focus: the keyboard confirms it.
  expect(await b.page.evaluate("document.activeElement && document.activeElement.textContent")).toBe("Confirm replay");
  await b.page.keyboard.press("Enter");
  await b.page.getByTestId("replay-result").filter({ hasText: `Replayed 1 record(s): ${dead.offset}.` }).waitFor();
  const stored = async () => (await stack.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM player_events WHERE game_id = $1 AND event_id = $2", [game, lost.event_id])).rows[0].n;
  await eventually("the replayed event stored", async () => ((await stored()) === 1 ? true : undefined));

  // Every record of the reason, again: a replay is idempotent, the event stays stored once.
  await b.page.fill("#dlq-reason", "unknown_game");
  await b.page.keyboard.press("Enter");
  await b.page.getByRole("table", { name: "DLQ records, newest first" }).locator("tbody").first().waitFor();
  await b.page.getByRole("button", { name: "Replay all unknown_game…" }).click();
  await b.page.getByRole("button", { name: "Confirm replay" }).click();
  await b.page.getByTestId("replay-result").filter({ hasText: `Replayed 1 record(s): ${dead.offset}.` }).waitFor();
  await new Promise((r) => setTimeout(r, 1500));
  expect(await stored()).toBe(1);
  const { rows } = await stack.pool.query<{ actor: string; details: { offsets: string[] } }>("SELECT actor, details FROM audit_log WHERE action = 'dlq.replay' AND target = $1 ORDER BY seq", [`topic:${stack.topics.dlq}`]);
  expect(rows.map((r) => [r.actor.startsWith("staff:"), r.details.offsets])).toEqual([[true, [dead.offset]], [true, [dead.offset]]]);
  await b.page.screenshot({ path: join(SCREENSHOTS, "operations-dlq-replayed.png"), fullPage: true });

  await b.page.fill("#dlq-reason", "no_such_reason");
  await b.page.keyboard.press("Enter");
  await b.page.getByText("No DLQ records with reason no_such_reason.").waitFor();
  expect(b.problems).toEqual([]);
}, 120_000);

test("the status shows each group's lag as a plain Admin client counts it, and the ingestion error ratio", async () => {
  // The recommendations group reads one processed event of player p-lag and stops: the next four of
  // that player (one key, one partition) are its lag. One event of the batch is refused by ingestion.
  const send = (events: object[]) => post(`${stack.ingestionUrl}/v1/events/batch`, { events }, { "x-api-key": stack.apiKey });
  const design = { type: "design", player_id: "p-lag", design_id: "ui.lag" };
  const group = await recommendationsReadUpTo(stack, "p-lag");
  expect((await send([design, design, design, design, { type: "no_such_type", player_id: "p-lag" }])).status).toBe(202);
  const processor = `${stack.prefix}gamemetrics.processor`;
  const counted = await eventually("four events behind, the processor caught up", async () => {
    const [r, p] = [await independentLag(stack.kafka, group), await independentLag(stack.kafka, processor)];
    return r[stack.topics.processed] === 4 && p[stack.topics.raw] === 0 ? { [group]: r, [processor]: p } : undefined;
  });

  const b = await operations("ops");
  const lagCell = (g: string, t: string) => b.page.locator(`tr[data-group="${g}"][data-topic="${t}"] td[data-testid="lag"]`);
  for (const [g, topics] of Object.entries(counted)) {
    for (const [t, lag] of Object.entries(topics)) expect({ g, t, shown: await lagCell(g, t).innerText() }).toEqual({ g, t, shown: String(lag) });
  }
  // 5 accepted and 1 rejected: every event posted to ingestion in this file (the DLQ's event went to Kafka directly).
  await eventually("the scrapes to see the batch", async () => {
    await b.page.reload();
    return (await b.page.getByTestId("error-ratio-note").innerText()).startsWith("1 of 6 events rejected") ? true : undefined;
  });
  expect(await tile(b.page, "error-ratio")).toBe("16.7 %");
  expect(await b.page.getByTestId("error-ratio-note").innerText()).toMatch(/^1 of 6 events rejected over \d+ s, from this service's scrapes of ingestion \/metrics$/);
  await b.page.screenshot({ path: join(SCREENSHOTS, "operations-status.png"), fullPage: true });
  expect(b.problems).toEqual([]);
}, 120_000);

test("an admin of one game sees the page, and the platform-wide panels say they need an admin of every game", async () => {
  const b = await operations("one");
  await b.page.getByText("Could not load the status: the event path's status covers every game").waitFor();
  await b.page.getByText("Could not load the DLQ: the DLQ covers every game").waitFor();
  await b.page.getByRole("button", { name: "Create API key" }).waitFor();
  await b.page.screenshot({ path: join(SCREENSHOTS, "operations-one-game.png"), fullPage: true });
});
