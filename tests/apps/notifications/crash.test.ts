// Never twice: the same request over the API twice and on the topic, the service killed with SIGKILL
// while the SMTP server holds its reply, the topic read again from the start by a new consumer group
// (a real redelivery) and the message published once more: one email, one notification row.
import { randomUUID } from "node:crypto";
import { DurableProducer } from "../../../apps/shared/kafka";
import { createHarness, setUp, waitDeliveries, type Harness } from "./support/harness";

let h: Harness;
let producer: DurableProducer;

beforeAll(async () => {
  // A claim outlives the send timeout; a dead worker's claim is taken over after it.
  h = await createHarness("notify-crash", { NOTIFY_LEASE_MS: "6000", NOTIFY_SEND_TIMEOUT_MS: "5000" });
  producer = new DurableProducer(h.stack.kafka);
  await producer.connect();
});
afterAll(async () => {
  await producer?.close();
  await h?.close();
});

async function metric(url: string, line: RegExp): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text.split("\n").filter((l) => line.test(l)).reduce((n, l) => n + Number(l.split(" ").pop()), 0);
}

test("a request sent twice, published twice and redelivered after kill -9 mid-send: exactly one email", async () => {
  const first = await h.start();
  await setUp(h, "welcome", "p-crash");
  const request = { game_id: h.stack.gameId, idempotency_key: `order-${randomUUID()}`, player_id: "p-crash", template: "welcome", data: { name: "Kim", code: "K9" } };
  h.smtp.answer({ holdMs: 120_000 });
  await producer.send([{ topic: h.topics.intake, key: request.player_id, value: JSON.stringify(request) }]);
  const a = await h.api("POST", "/v1/notifications", request);
  const b = await h.api("POST", "/v1/notifications", request);
  // Whichever came first (the topic copy or the first POST) created it; the second POST found it.
  expect([200, 202]).toContain(a.status);
  expect(b.status).toBe(200);
  expect(b.body).toEqual({ id: a.body.id, status: "duplicate" });
  const id = a.body.id as string;

  // The whole mail reached the server and it has not answered yet: kill the service now.
  await h.smtp.until("the mail held before its reply", () => (h.smtp.holding > 0 ? true : undefined));
  await first.kill();
  await new Promise((r) => setTimeout(r, 300));
  expect(h.smtp.to("p-crash@players.test")).toHaveLength(0);

  // A new group reads the topic from the beginning: the message comes again, for real; and once more on top.
  // The app's ACLs admit only its own group, so this one reader runs as the broker's super user.
  const { username, password } = h.stack.access.admin;
  const second = await h.start({ KAFKA_CONSUMER_GROUP: `${h.env.KAFKA_CONSUMER_GROUP}-after-crash`, KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password });
  await producer.send([{ topic: h.topics.intake, key: request.player_id, value: JSON.stringify(request) }]);
  const [d] = await waitDeliveries(h, id, "delivered after the claim expired", (ds) => ds[0]?.status === "delivered", 30_000);
  expect(d.history.map((x) => [x.attempt, x.outcome, x.reason])).toEqual([
    [1, "interrupted", "worker_lost"],
    [2, "delivered", null],
  ]);
  const duplicates = await h.stack.pool.query("SELECT count(*)::int AS n FROM notifications WHERE game_id = $1 AND idempotency_key = $2", [h.stack.gameId, request.idempotency_key]);
  expect(duplicates.rows[0].n).toBe(1);
  // Both topic copies reached the new consumer and were recognised as the same request.
  const seen = async () => metric(second.url, /^notifications_requests_total\{.*source="topic".*outcome="duplicate"/);
  for (let i = 0; i < 100 && (await seen()) < 2; i += 1) await new Promise((r) => setTimeout(r, 200));
  expect(await seen()).toBe(2);
  await new Promise((r) => setTimeout(r, 1500));
  const mails = h.smtp.to("p-crash@players.test");
  expect(mails).toHaveLength(1);
  expect(mails[0].text).toBe("Hi Kim, your code is K9.");
});

test("the same idempotency key with a different request is refused, not merged", async () => {
  const request = { game_id: h.stack.gameId, idempotency_key: `k-${randomUUID()}`, player_id: "p-crash", template: "welcome", data: { name: "Kim" } };
  const a = await h.api("POST", "/v1/notifications", request);
  expect(a.status).toBe(202);
  const b = await h.api("POST", "/v1/notifications", { ...request, data: { name: "Someone else" } });
  expect(b.status).toBe(409);
  expect(b.body).toMatchObject({ error: "idempotency_conflict", details: { id: a.body.id } });
  const rows = await h.stack.pool.query("SELECT count(*)::int AS n FROM notifications WHERE idempotency_key = $1", [request.idempotency_key]);
  expect(rows.rows[0].n).toBe(1);
});
