// The operators' API on the event path, against the real broker and database: the DLQ newest first
// with its reasons, sources and payload previews, paged; a replay after the fix stores the event once
// and is audited; bad bodies are refused field by field; consumer lag equals a plain Admin client's
// count; the ingestion error ratio comes from this service's own scrapes of ingestion's /metrics
// (the local source: no Prometheus here; ops-prometheus.test.ts runs the cluster's source).
import { randomBytes } from "node:crypto";
import * as oidc from "openid-client";
import { createApiKey } from "../../../apps/shared/apikeys";
import { toWireEvent } from "../../../apps/shared/events/normalize";
import { DurableProducer, type InRecord, readTopic } from "../../../apps/shared/kafka";
import { appKafkaEnv } from "../../../local/kafka-access";
import { localOpsEnv } from "../../../local/users";
import { independentLag, recommendationsReadUpTo } from "../support/lag";
import { createStack, eventually, post, type Stack } from "../support/stack";
import { newClient, startUsers, type Users } from "./support";

const run = randomBytes(3).toString("hex");
let stack: Stack;
let users: Users;
let poison: DurableProducer;
let dlq: InRecord[];
const tokens: Record<string, string> = {};
const later = () => `${stack.gameId}-later`;
const big = JSON.stringify({ type: "design", player_id: "p-ops", design_id: "x".repeat(10_000) });

async function tokenFor(u: Users, clientId: string, roles: ("admin" | "support")[], games: "*" | string[]): Promise<string> {
  const { secret } = await newClient(stack.pool, { clientId, kind: "confidential", roles, games });
  const config = await oidc.discovery(new URL(u.issuer), clientId, undefined, oidc.ClientSecretBasic(secret as string), { execute: [oidc.allowInsecureRequests] });
  return (await oidc.clientCredentialsGrant(config, { scope: "api" })).access_token;
}

const call = async (method: string, path: string, token: string | undefined, body?: unknown, base = users.url) => {
  const r = await fetch(`${base}${path}`, { method, headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { "content-type": "application/json" }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: r.status, body: (await r.json()) as Record<string, any> };
};
const replay = (body: unknown, token = tokens.admin) => call("POST", "/v1/ops/dlq/replay", token, body);

beforeAll(async () => {
  stack = await createStack("ops");
  await stack.startProcessor();
  await stack.startIngestion();
  users = await startUsers(`ops-${run}`, { env: { ...appKafkaEnv(stack.access, "users", stack.prefix), ...localOpsEnv([stack.ingestionUrl], 300) } });
  tokens.admin = await tokenFor(users, `ops-admin-${run}`, ["admin"], "*");
  tokens.oneGame = await tokenFor(users, `ops-one-${run}`, ["admin"], [stack.gameId]);
  tokens.support = await tokenFor(users, `ops-desk-${run}`, ["support"], "*");
  // Poison as ingestion would send it (only its principal writes raw events): a game not registered yet,
  // text that is no JSON, and a 10 KB event that fails the schema.
  poison = new DurableProducer(stack.kafkaAs("ingestion"));
  await poison.connect();
  const lost = toWireEvent({ type: "session_start", player_id: "p-ops" }, later(), Date.now());
  await poison.send([JSON.stringify(lost), "{not json", big].map((value) => ({ topic: stack.topics.raw, key: "p-ops", value })));
  dlq = await readTopic(stack.kafka, stack.topics.dlq, (seen) => seen.length >= 3, 60_000);
}, 120_000);
afterAll(async () => {
  await poison?.close();
  await users?.service.stop();
  await stack?.close();
});

test("only admins of every game see the DLQ and the status", async () => {
  for (const [method, path] of [["GET", "/v1/ops/dlq"], ["GET", "/v1/ops/status"], ["POST", "/v1/ops/dlq/replay"]] as const) {
    const body = method === "POST" ? { reason: "unknown_game" } : undefined;
    expect([(await call(method, path, undefined, body)).status, (await call(method, path, tokens.support, body)).status]).toEqual([401, 403]);
    expect(await call(method, path, tokens.oneGame, body)).toMatchObject({ status: 403, body: { message: expect.stringMatching(/covers every game: it needs an admin of all games$/) } });
  }
});

test("lists the DLQ newest first with reason, source, key and a payload preview; filters by reason; pages", async () => {
  const page = await call("GET", "/v1/ops/dlq", tokens.admin);
  expect(page.status).toBe(200);
  expect(page.body).toMatchObject({ topic: stack.topics.dlq, held: 3, nextBefore: null });
  const items = page.body.items as Record<string, any>[];
  expect(items.map((i) => i.offset)).toEqual(dlq.map((r) => r.offset).reverse());
  for (const r of dlq) {
    const item = items.find((i) => i.offset === r.offset);
    expect(item).toMatchObject({
      reason: r.headers["dlq-reason"], detail: r.headers["dlq-detail"], key: "p-ops", time: new Date(r.headers["dlq-time"]).toISOString(), replayable: true,
      source: { topic: stack.topics.raw, partition: Number(r.headers["dlq-source-partition"]), offset: r.headers["dlq-source-offset"] },
    });
  }
  const schema = items.find((i) => i.reason === "schema_invalid");
  expect(schema?.payload).toEqual({ preview: big.slice(0, 4096), bytes: big.length, truncated: true });
  expect(items.find((i) => i.reason === "unparseable")?.payload).toEqual({ preview: "{not json", bytes: 9, truncated: false });

  const lost = await call("GET", "/v1/ops/dlq?reason=unknown_game", tokens.admin);
  expect((lost.body.items as { detail: string }[]).map((i) => i.detail)).toEqual([`game "${later()}" is not registered`]);
  const paged: string[] = [];
  for (let before: string | null = ""; before !== null; ) {
    const p = await call("GET", `/v1/ops/dlq?limit=1${before === "" ? "" : `&before=${before}`}`, tokens.admin);
    paged.push(...(p.body.items as { offset: string }[]).map((i) => i.offset));
    before = p.body.nextBefore as string | null;
  }
  expect(paged).toEqual(dlq.map((r) => r.offset).reverse());
});

test("refuses a bad replay naming the field; a record from no topic is not replayed", async () => {
  const details = async (body: unknown) => {
    const r = await replay(body);
    return [r.status, (r.body.details as { path: string }[]).map((d) => d.path)];
  };
  expect(await details({})).toEqual([400, ["/"]]);
  expect(await details({ offsets: ["1", "x"] })).toEqual([400, ["/offsets/1"]]);
  expect(await details({ offsets: ["0"], reason: "unknown_game" })).toEqual([400, ["/"]]);
  expect(await details({ reason: "Not A Reason" })).toEqual([400, ["/reason"]]);
  expect(await details({ offsets: [dlq[0].offset, "999999"] })).toEqual([404, ["/offsets/1"]]);
  expect(await details({ reason: "no_such_reason" })).toEqual([404, ["/reason"]]);
  // What the notifications service writes for a delivery it gave up: no source topic to send it back to.
  const admin = new DurableProducer(stack.kafka);
  await admin.connect();
  await admin.send([{ topic: stack.topics.dlq, key: "n-1", value: "{}", headers: { "dlq-reason": "delivery_failed", "dlq-source": "notifications", "dlq-time": new Date().toISOString() } }]);
  await admin.close();
  const [dead] = await readTopic(stack.kafka, stack.topics.dlq, (seen) => seen.length >= 4, 30_000).then((all) => all.filter((r) => r.headers["dlq-reason"] === "delivery_failed"));
  const refused = await replay({ offsets: [dead.offset] });
  expect(refused).toMatchObject({ status: 409, body: { error: "not_replayable", details: [{ path: "/offsets/0", message: expect.stringContaining("names no source topic") }] } });
  expect((await call("GET", "/v1/ops/dlq?reason=delivery_failed", tokens.admin)).body.items).toEqual([expect.objectContaining({ offset: dead.offset, source: null, replayable: false })]);
});

test("after the fix a replay stores the event once, however often it is sent, and each replay is audited", async () => {
  const lost = dlq.find((r) => r.headers["dlq-reason"] === "unknown_game") as InRecord;
  await createApiKey(stack.pool, later()); // the fix: the game exists now
  await new Promise((r) => setTimeout(r, 5500)); // the processor asks again about a missing game after 5 s
  expect(await replay({ offsets: [lost.offset] })).toEqual({ status: 200, body: { replayed: 1, offsets: [lost.offset], skipped: [] } });
  expect((await replay({ reason: "unknown_game" })).body).toEqual({ replayed: 1, offsets: [lost.offset], skipped: [] });
  const stored = async () => (await stack.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM player_events WHERE game_id = $1", [later()])).rows[0].n;
  await eventually("the replayed event stored", async () => ((await stored()) > 0 ? true : undefined));
  const replays = await readTopic(stack.kafka, stack.topics.raw, (seen) => seen.filter((r) => r.headers["dlq-replay-of"] !== undefined).length >= 2, 30_000);
  expect(replays.filter((r) => r.headers["dlq-replay-of"] !== undefined).map((r) => [r.headers["dlq-replay-of"], r.value?.toString()])).toEqual(
    [1, 2].map(() => [`${stack.topics.dlq}@${lost.offset}`, lost.value?.toString()]),
  );
  await new Promise((r) => setTimeout(r, 1000));
  expect(await stored()).toBe(1);
  const { rows } = await stack.pool.query<{ actor: string; target: string; details: unknown }>("SELECT actor, target, details FROM audit_log WHERE action = 'dlq.replay' AND target = $1 ORDER BY seq", [`topic:${stack.topics.dlq}`]);
  expect(rows).toEqual([
    { actor: `client:ops-admin-${run}`, target: `topic:${stack.topics.dlq}`, details: { offsets: [lost.offset], reason: null, skipped: [] } },
    { actor: `client:ops-admin-${run}`, target: `topic:${stack.topics.dlq}`, details: { offsets: [lost.offset], reason: "unknown_game", skipped: [] } },
  ]);
}, 60_000);

test("the status: each group's lag equals a plain Admin client's count, and the error ratio is scraped from ingestion", async () => {
  const status = () => call("GET", "/v1/ops/status", tokens.admin).then((r) => r.body);
  // Nothing posted to ingestion yet: no ratio to show, and the page is told why.
  const before = (await status()).errorRatio;
  expect([before.ok, before.source, before.value?.ratio ?? null, typeof before.why]).toEqual([true, "scrape", null, "string"]);
  // The recommendations group reads one processed event of player p-lag, then stops: the next events of
  // that player (one key, one partition) are its lag.
  const send = (events: object[]) => post(`${stack.ingestionUrl}/v1/events/batch`, { events }, { "x-api-key": stack.apiKey });
  const design = { type: "design", player_id: "p-lag", design_id: "ui.lag" };
  const group = await recommendationsReadUpTo(stack, "p-lag");
  expect((await send([design, design, design, design, { type: "no_such_type", player_id: "p-lag" }])).status).toBe(202);
  await eventually("four more events processed", async () => ((await independentLag(stack.kafka, group))[stack.topics.processed] === 4 ? true : undefined));
  const lagOf = (s: Record<string, any>, g: string) => Object.fromEntries(((s.lag.groups as { group: string; topics: { topic: string; lag: number }[] }[]).find((x) => x.group === g)?.topics ?? []).map((t) => [t.topic, t.lag]));
  const now = await status();
  expect(now.lag.ok).toBe(true);
  expect(lagOf(now, group)).toEqual(await independentLag(stack.kafka, group));
  // The processor catches up: its lag, as shown, reaches what the Admin client counts once both settle.
  const processor = `${stack.prefix}gamemetrics.processor`;
  await eventually("the processor's lag shown as counted", async () => {
    const [shown, counted] = [lagOf(await status(), processor), await independentLag(stack.kafka, processor)];
    return JSON.stringify(shown) === JSON.stringify(counted) && counted[stack.topics.raw] === 0 ? true : undefined;
  });
  // 5 accepted and 1 rejected of the 6 posted: every event this file sent to ingestion.
  const ratio = await eventually("the scrapes to see the batch", async () => {
    const e = (await status()).errorRatio;
    return e.value?.received === 6 ? e : undefined;
  });
  expect(ratio).toMatchObject({ ok: true, source: "scrape", value: { ratio: 1 / 6, rejected: 1, received: 6, source: "scrape" } });
}, 90_000);

test("with Kafka away the DLQ answers 503 and the status shows the error, the error ratio still there", async () => {
  const away = await startUsers(`ops-away-${run}`, { env: { ...appKafkaEnv(stack.access, "users", stack.prefix), KAFKA_BROKERS: "127.0.0.1:1", ...localOpsEnv([stack.ingestionUrl], 300) } });
  try {
    const token = await tokenFor(away, `ops-away-${run}`, ["admin"], "*");
    expect(await call("GET", "/v1/ops/dlq", token, undefined, away.url)).toMatchObject({ status: 503, body: { error: "kafka_unavailable" } });
    const s = await call("GET", "/v1/ops/status", token, undefined, away.url);
    expect(s).toMatchObject({ status: 200, body: { lag: { ok: false, error: expect.any(String) }, errorRatio: { ok: true, source: "scrape" } } });
  } finally {
    await away.service.stop();
  }
}, 60_000);
