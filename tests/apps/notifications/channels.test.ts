// Push, SMS and in-app against real peers: a Web Push service over HTTPS that decrypts the payload
// and verifies VAPID (gone subscriptions removed), an SNS Query endpoint, and in-app WebSocket
// clients on another pod than the one that sends (fan-out through Redis).
import { randomBytes, randomUUID } from "node:crypto";
import { request } from "node:http";
import webpush from "web-push";
import { freePort } from "../../../local/net";
import { pushPeer, selfSignedTls, snsPeer, subscriber } from "./support/peers";
import { createHarness, setUp, waitDeliveries, type Harness } from "./support/harness";

let h: Harness;
let push: Awaited<ReturnType<typeof pushPeer>>;
let sns: Awaited<ReturnType<typeof snsPeer>>;
const [ok, gone] = [subscriber("/push/ok"), subscriber("/push/gone")];
const template = {
  category: "transactional",
  default_locale: "en",
  variables: { level: { type: "string", required: true } },
  locales: { en: { push: { subject: "Level up", text: "You finished {{level}}" }, sms: { text: "GG: {{level}} done" }, in_app: { subject: "Level up", text: "{{level}} complete" } } },
};

beforeAll(async () => {
  const tls = selfSignedTls();
  push = await pushPeer(tls, { "/push/ok": 201, "/push/gone": 410 }, [ok, gone]);
  sns = await snsPeer();
  const vapid = webpush.generateVAPIDKeys();
  h = await createHarness("notify-channels", {
    VAPID_PUBLIC_KEY: vapid.publicKey,
    VAPID_PRIVATE_KEY: vapid.privateKey,
    VAPID_SUBJECT: "mailto:ops@game.test",
    NODE_EXTRA_CA_CERTS: tls.certFile,
    SMS_PROVIDER: "sns",
    SMS_SNS_REGION: "eu-west-1",
    SMS_SNS_ENDPOINT: sns.endpoint,
    AWS_ACCESS_KEY_ID: "AKIDLOCALPEER",
    AWS_SECRET_ACCESS_KEY: "local-peer-secret",
    INAPP_TICKET_SECRET: randomUUID() + randomUUID(),
  });
  await h.start();
  await setUp(h, "level", "p-set", template);
});
afterAll(async () => {
  await h?.close();
  await Promise.allSettled([push?.close(), sns?.close()]);
});

const send = (player: string, channels: string[], level = "w1-l2") =>
  h.api("POST", "/v1/notifications", { game_id: h.stack.gameId, idempotency_key: randomUUID(), player_id: player, template: "level", channels, data: { level } });
const addTarget = (player: string, s: ReturnType<typeof ok.subscription>) => h.api("POST", `/v1/games/${h.stack.gameId}/players/${player}/push-targets`, { kind: "webpush", subscription: s });

test("web push: the payload arrives encrypted for the subscription, signed with VAPID; a gone subscription is removed", async () => {
  expect((await addTarget("p-push", ok.subscription(push.origin))).status).toBe(201);
  expect((await addTarget("p-push", gone.subscription(push.origin))).status).toBe(201);
  const r = await send("p-push", ["push"]);
  const [d] = await waitDeliveries(h, r.body.id as string, "pushed", (ds) => ds[0]?.status === "delivered");
  expect(d.history[0].response).toMatch(/webpush: 1\/2 delivered; http_410/);
  expect(push.received).toEqual([
    { path: "/push/ok", payload: { title: "Level up", body: "You finished w1-l2", notification_id: r.body.id }, vapid: { sub: "mailto:ops@game.test", aud: push.origin }, urgency: "normal" },
  ]);
  const left = await h.stack.pool.query("SELECT endpoint FROM notification_push_targets WHERE game_id = $1 AND player_id = 'p-push'", [h.stack.gameId]);
  expect(left.rows.map((x) => x.endpoint)).toEqual([`${push.origin}/push/ok`]);
});

test("web push to a player whose only subscription is gone: a permanent failure, dead-lettered after one attempt", async () => {
  await addTarget("p-nopush", gone.subscription(push.origin));
  const r = await send("p-nopush", ["push"]);
  const [d] = await waitDeliveries(h, r.body.id as string, "dead", (ds) => ds[0]?.status === "dead");
  expect(d).toMatchObject({ attempts: 1, reason: "permanent_failure: http_410" });
  const left = await h.stack.pool.query("SELECT count(*)::int AS n FROM notification_push_targets WHERE game_id = $1 AND player_id = 'p-nopush'", [h.stack.gameId]);
  expect(left.rows[0].n).toBe(0);
});

test("SMS through SNS: a signed Publish with the rendered text; an invalid number is refused for good", async () => {
  await h.api("PATCH", `/v1/games/${h.stack.gameId}/players/p-sms/preferences`, { phone: "+15550001234" });
  await h.api("PATCH", `/v1/games/${h.stack.gameId}/players/p-badsms/preferences`, { phone: "+15550001230" });
  const [a, b] = [await send("p-sms", ["sms"]), await send("p-badsms", ["sms"])];
  const [da] = await waitDeliveries(h, a.body.id as string, "texted", (ds) => ds[0]?.status === "delivered");
  expect(da.history[0].response).toBe("published m-1");
  expect(sns.received).toEqual([{ phone: "+15550001234", message: "GG: w1-l2 done", type: "Transactional", signed: true }]);
  const [db] = await waitDeliveries(h, b.body.id as string, "refused", (ds) => ds[0]?.status === "dead");
  expect(db).toMatchObject({ attempts: 1, reason: "permanent_failure: sns_invalidparameter" });
});

test("in-app: a client connected to another pod receives the notification the first pod sent", async () => {
  const apiOnly = await h.start({ NOTIFY_DISPATCH_CONCURRENCY: "0" }, await freePort());
  const t = await fetch(`${apiOnly.url}/v1/games/${h.stack.gameId}/players/p-app/inbox-tickets`, { method: "POST", headers: { authorization: `Bearer ${await h.token()}` } });
  expect(t.status).toBe(201);
  const { ticket } = (await t.json()) as { ticket: string };
  const ws = new WebSocket(`${apiOnly.url.replace("http", "ws")}/v1/inbox?ticket=${ticket}`);
  const messages: Record<string, unknown>[] = [];
  await new Promise<void>((resolve, reject) => {
    ws.onmessage = (m) => {
      messages.push(JSON.parse(String(m.data)));
      if (messages.length === 1) resolve();
    };
    ws.onerror = () => reject(new Error("websocket failed"));
  });
  expect(messages[0]).toEqual({ type: "ready", game_id: h.stack.gameId, player_id: "p-app" });
  const r = await send("p-app", ["in_app"], "w2-l1");
  await waitDeliveries(h, r.body.id as string, "published", (ds) => ds[0]?.status === "delivered");
  for (let i = 0; i < 50 && messages.length < 2; i += 1) await new Promise((res) => setTimeout(res, 100));
  expect(messages[1]).toMatchObject({ type: "notification", notification_id: r.body.id, title: "Level up", body: "w2-l1 complete" });
  ws.close();
  // Without a valid ticket there is no socket.
  const refused = await new Promise<number | undefined>((resolve, reject) => {
    const req = request(`${apiOnly.url}/v1/inbox?ticket=forged`, { headers: { connection: "upgrade", upgrade: "websocket", "sec-websocket-version": "13", "sec-websocket-key": randomBytes(16).toString("base64") } });
    req.on("response", (res) => resolve(res.statusCode));
    req.on("upgrade", () => reject(new Error("upgraded with a forged ticket")));
    req.on("error", reject);
    req.end();
  });
  expect(refused).toBe(401);
});
