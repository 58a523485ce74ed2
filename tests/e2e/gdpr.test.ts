// GDPR end to end over the real event path: players send events through ingestion into PostgreSQL,
// a game server exports and then erases one of them through the users service. Afterwards no store
// holds anything of that player, the other player's figures are unchanged, the export held every
// record the erasure removed, and events sent after the request are acknowledged and dropped.
// Consent: withdrawn analytics consent drops new events without touching history, until given again.
import { randomUUID } from "node:crypto";
import { gunzipSync } from "node:zlib";
import * as oidc from "openid-client";
import { verifyAuditChain } from "../../apps/shared/audit";
import { type ExportRecord, playerDataStores } from "../../apps/shared/player-data";
import { newClient, startUsers, type Users } from "../apps/users/support";
import { answerArchivesEvery300ms, type ArchivesAnswerer } from "../apps/support/retention-handoffs";
import { createStack, eventually, post, type Stack } from "../apps/support/stack";

let stack: Stack;
let users: Users;
let token: string;
let clientId: string;
let retention: ArchivesAnswerer;
const [gone, stay, shy] = ["p-gone", "p-stay", "p-shy"];

beforeAll(async () => {
  stack = await createStack("gdpr");
  await stack.startProcessor();
  await stack.startIngestion({ SUPPRESSION_REFRESH_MS: "200" });
  // The archives step is handed to the retention job, which answers below; the job looks again within 500 ms.
  users = await startUsers("gdpr", { env: { GDPR_SETTLE_MS: "3000", GDPR_MAX_BACKOFF_MS: "500" } });
  // What the daily retention run does first, run here every 300 ms: answer the archives hand-offs.
  retention = answerArchivesEvery300ms(stack.pool, `t-${stack.name}`);
  clientId = `gs-${stack.gameId}`.slice(0, 60);
  const { secret } = await newClient(stack.pool, { clientId, kind: "confidential", roles: ["service"], games: [stack.gameId] });
  const config = await oidc.discovery(new URL(users.issuer), clientId, undefined, oidc.ClientSecretBasic(secret as string), { execute: [oidc.allowInsecureRequests] });
  token = (await oidc.clientCredentialsGrant(config, { scope: "api" })).access_token;
});
afterAll(async () => {
  retention?.stop();
  await users?.service.stop();
  await stack?.close();
});

const api = async (method: string, path: string, body?: unknown) => {
  const r = await fetch(`${users.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, body: r.headers.get("content-type")?.includes("json") === true ? await r.json() : Buffer.from(await r.arrayBuffer()) };
};

const eventsOf = (player: string, n: number) =>
  Array.from({ length: n }, (_, i) =>
    i % 3 === 0
      ? { type: "session_start", player_id: player, event_id: randomUUID() }
      : i % 3 === 1
        ? { type: "purchase", player_id: player, event_id: randomUUID(), currency: "EUR", amount_minor: 100 + i, item_type: "gems", item_id: "g" }
        : { type: "design", player_id: player, event_id: randomUUID(), design_id: `ui.step.${i}` },
  );

async function send(events: { event_id: string }[]): Promise<string[]> {
  const r = await post(`${stack.ingestionUrl}/v1/events/batch`, { events }, { "x-api-key": stack.apiKey });
  expect(r.status).toBe(202);
  return events.map((e) => e.event_id);
}

const stored = async (ids: string[]) => (await stack.pool.query("SELECT count(*)::int AS n FROM player_events WHERE event_id = ANY($1::uuid[])", [ids])).rows[0].n as number;
const waitStored = (ids: string[]) => eventually(`${ids.length} events stored`, async () => ((await stored(ids)) === ids.length ? true : undefined));

async function snapshot(player: string) {
  const q = (sql: string) => stack.pool.query(sql, [stack.gameId, player]).then((r) => r.rows);
  return {
    events: await q("SELECT event_id, event_type, payload FROM player_events WHERE game_id = $1 AND player_id = $2 ORDER BY event_id"),
    stats: await q("SELECT * FROM player_stats WHERE game_id = $1 AND player_id = $2"),
    revenue: await q("SELECT * FROM player_revenue WHERE game_id = $1 AND player_id = $2 ORDER BY currency"),
  };
}

async function finished(requestId: string) {
  return eventually(`GDPR request ${requestId} done`, async () => {
    const r = await api("GET", `/v1/gdpr/requests/${requestId}`);
    return (r.body as { status: string }).status === "done" ? (r.body as { stores: { store: string; removed: number | null; exported: number | null }[] }) : undefined;
  }, 60_000);
}

test("export, then erasure: nothing of the player remains anywhere, others are untouched, late events are dropped", async () => {
  const goneIds = await send(eventsOf(gone, 12));
  await waitStored([...goneIds, ...(await send(eventsOf(stay, 9)))]);
  expect((await api("PUT", `/v1/players/${stack.gameId}/${gone}/profile`, { displayName: "Gone", country: "FR", marketingConsent: true })).status).toBe(200);
  const before = await snapshot(stay);
  expect(before.events).toHaveLength(9);

  const exp = await api("POST", `/v1/players/${stack.gameId}/${gone}/export`);
  expect(exp.status).toBe(202);
  const exportStatus = await finished((exp.body as { requestId: string }).requestId);
  const doc = await api("GET", `/v1/gdpr/requests/${(exp.body as { requestId: string }).requestId}/document`);
  expect(doc.status).toBe(200);
  const records = gunzipSync(doc.body as Buffer).toString("utf8").trim().split("\n").map((l) => JSON.parse(l) as ExportRecord);
  expect(records[0]).toMatchObject({ store: "_request", data: { playerId: gone } });
  const exportedIds = records.filter((r) => r.store === "raw_events").map((r) => r.data.event_id).sort();
  expect(exportedIds).toEqual([...goneIds].sort());
  expect(records.filter((r) => r.store === "profiles").map((r) => r.kind).sort()).toEqual(["consent_change", "profile"]);

  const erase = await api("POST", `/v1/players/${stack.gameId}/${gone}/erase`);
  expect(erase.status).toBe(202);
  await new Promise((r) => setTimeout(r, 600)); // ingestion's suppression list refreshes every 200 ms
  const lateIds = await send(eventsOf(gone, 3)); // acknowledged...
  const eraseStatus = await finished((erase.body as { requestId: string }).requestId);

  // Every record the erasure removed was in the export.
  for (const s of eraseStatus.stores) {
    expect({ store: s.store, removed: s.removed }).toEqual({ store: s.store, removed: exportStatus.stores.find((x) => x.store === s.store)?.exported });
  }
  // A search of every store finds nothing of the player.
  const stores = playerDataStores({ pool: stack.pool, serviceUrls: {}, serviceToken: async () => token });
  for (const { store } of stores) {
    const found: ExportRecord[] = [];
    // The users service hands the archives to the retention job; the archive itself is searched here.
    const searched = store.name === retention.archives.name ? retention.archives : store;
    await searched.export({ gameId: stack.gameId, playerId: gone }, async (r) => void found.push(r));
    expect({ store: store.name, found }).toEqual({ store: store.name, found: [] });
  }
  // ...and dropped: a late event never reaches the database, the drops are counted.
  await new Promise((r) => setTimeout(r, 1500));
  expect(await stored(lateIds)).toBe(0);
  const metrics = await (await fetch(`${stack.ingestionUrl}/metrics`)).text();
  expect(Number(/ingestion_events_suppressed_total\{[^}]*\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(3);
  expect(await snapshot(stay)).toEqual(before);
  expect(await verifyAuditChain(stack.pool)).toMatchObject({ ok: true });
  const audit = await stack.pool.query("SELECT action FROM audit_log WHERE target = $1 ORDER BY seq", [`player:${stack.gameId}/${gone}`]);
  expect(audit.rows.map((r) => r.action)).toEqual([
    "gdpr.export.requested", ...Array(stores.length).fill("gdpr.export.store_done"), "gdpr.export.completed",
    "gdpr.erase.requested", ...Array(stores.length).fill("gdpr.erase.store_done"), "gdpr.erase.completed",
  ]);
});

test("withdrawn analytics consent drops new events and keeps history; given again, events flow", async () => {
  const first = await send(eventsOf(shy, 2));
  await waitStored(first);
  expect((await api("PUT", `/v1/players/${stack.gameId}/${shy}/profile`, { analyticsConsent: false })).status).toBe(200);
  await new Promise((r) => setTimeout(r, 600));
  const dropped = await send(eventsOf(shy, 2));
  expect((await api("PUT", `/v1/players/${stack.gameId}/${shy}/profile`, { analyticsConsent: true })).status).toBe(200);
  await new Promise((r) => setTimeout(r, 600));
  const again = await send(eventsOf(shy, 2));
  await waitStored(again);
  expect(await stored(first)).toBe(2);
  expect(await stored(dropped)).toBe(0);
  const profile = await api("GET", `/v1/players/${stack.gameId}/${shy}/profile`);
  expect((profile.body as { consentHistory: { purpose: string; granted: boolean; source: string }[] }).consentHistory).toEqual([
    expect.objectContaining({ purpose: "analytics", granted: false, source: `client:${clientId}` }),
    expect.objectContaining({ purpose: "analytics", granted: true }),
  ]);
});
