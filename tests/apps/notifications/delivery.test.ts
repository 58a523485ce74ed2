// Email delivery end to end against a real SMTP server: one request, one mail with the rendered
// template; transient refusals retried with backoff; a permanent refusal dead-lettered at once.
import { randomUUID } from "node:crypto";
import { createHarness, setUp, waitDeliveries, type Harness } from "./support/harness";

let h: Harness;
const BASE_MS = 500;

beforeAll(async () => {
  h = await createHarness("notify-delivery", { NOTIFY_RETRY_BASE_MS: String(BASE_MS), NOTIFY_MAX_ATTEMPTS_EMAIL: "4" });
  await h.start();
  await setUp(h, "welcome", "p-one");
});
afterAll(async () => h?.close());

const send = (body: Record<string, unknown>) => h.api("POST", "/v1/notifications", { game_id: h.stack.gameId, idempotency_key: randomUUID(), ...body });

test("one request: exactly one email, rendered from the template with the variables HTML-escaped in the HTML part", async () => {
  const r = await send({ player_id: "p-one", template: "welcome", data: { name: "Ada <3", code: "X1" } });
  expect(r.status).toBe(202);
  expect(r.body).toEqual({ id: expect.any(String), status: "accepted" });
  const [mail] = await h.smtp.until("the welcome mail", () => (h.smtp.to("p-one@players.test").length > 0 ? h.smtp.to("p-one@players.test") : undefined));
  expect(mail.subject).toBe("Welcome Ada <3");
  expect(mail.text).toBe("Hi Ada <3, your code is X1.");
  expect(mail.html).toBe("<p>Hi <b>Ada &lt;3</b>, your code is X1.</p>");
  expect(mail.from).toBe("noreply@game.test");
  const [d] = await waitDeliveries(h, r.body.id as string, "delivered", (ds) => ds[0]?.status === "delivered");
  expect(d).toMatchObject({ channel: "email", status: "delivered", attempts: 1 });
  expect(d.history).toEqual([expect.objectContaining({ attempt: 1, outcome: "delivered", provider: "smtp-primary" })]);
  // The Message-ID names the delivery, so every attempt of it carries the same one.
  expect(mail.messageId).toMatch(/^<[0-9a-f-]{36}@game\.test>$/);
  await new Promise((r) => setTimeout(r, 1000));
  expect(h.smtp.to("p-one@players.test")).toHaveLength(1);
});

test("a server that refuses twice with 4xx, then accepts: delivered on the third attempt, each wait longer than the backoff's floor", async () => {
  await setUp(h, "welcome", "p-retry");
  h.smtp.answer({ code: 451, message: "4.3.0 try again later" }, { code: 421, message: "4.7.0 busy" });
  const r = await send({ player_id: "p-retry", template: "welcome", data: { name: "Bo" } });
  expect(r.status).toBe(202);
  const [d] = await waitDeliveries(h, r.body.id as string, "three attempts", (ds) => ds[0]?.status === "delivered", 30_000);
  expect(d.history.map((a) => [a.attempt, a.outcome, a.reason])).toEqual([
    [1, "transient", "smtp_451"],
    [2, "transient", "smtp_421"],
    [3, "delivered", null],
  ]);
  expect(h.smtp.to("p-retry@players.test")).toHaveLength(1);
  // Equal jitter: attempt n waits at least half of base * 2^(n-1).
  const gap = (i: number) => Date.parse(d.history[i].started_at) - Date.parse(d.history[i - 1].finished_at as string);
  expect(gap(1)).toBeGreaterThanOrEqual(BASE_MS / 2);
  expect(gap(2)).toBeGreaterThanOrEqual(BASE_MS);
});

test("a permanent refusal (5xx) stops at once: one attempt, then system.dlq with the reason and the attempt history", async () => {
  await setUp(h, "welcome", "p-gone");
  h.smtp.answer({ code: 550, message: "5.1.1 no such mailbox" });
  const r = await send({ player_id: "p-gone", template: "welcome", data: { name: "Cy" } });
  const id = r.body.id as string;
  const [d] = await waitDeliveries(h, id, "dead", (ds) => ds[0]?.status === "dead");
  expect(d.attempts).toBe(1);
  expect(d.reason).toBe("permanent_failure: smtp_550");
  const seen = await h.dlq((recs) => recs.some((m) => m.key?.toString() === id));
  const rec = seen.find((m) => m.key?.toString() === id);
  expect(rec?.headers["dlq-reason"]).toBe("permanent_failure");
  expect(rec?.headers["dlq-channel"]).toBe("email");
  const body = JSON.parse(rec?.value?.toString() ?? "{}");
  expect(body).toMatchObject({ reason: "permanent_failure", failure: "smtp_550", notification: { id, player_id: "p-gone", template: "welcome" } });
  expect(body.attempts).toEqual([expect.objectContaining({ attempt: 1, outcome: "permanent", reason: "smtp_550", response: expect.stringContaining("no such mailbox") })]);
  expect(h.smtp.to("p-gone@players.test")).toHaveLength(0);
});

test("transient refusals beyond the channel's attempt limit go to the DLQ with every attempt", async () => {
  await setUp(h, "welcome", "p-tired");
  h.smtp.answer(...Array.from({ length: 4 }, () => ({ code: 452, message: "4.2.2 mailbox full" })));
  const r = await send({ player_id: "p-tired", template: "welcome", data: { name: "Di" } });
  const id = r.body.id as string;
  const [d] = await waitDeliveries(h, id, "dead after 4", (ds) => ds[0]?.status === "dead", 40_000);
  expect(d.history.map((a) => a.outcome)).toEqual(["transient", "transient", "transient", "transient"]);
  const seen = await h.dlq((recs) => recs.some((m) => m.key?.toString() === id));
  const body = JSON.parse(seen.find((m) => m.key?.toString() === id)?.value?.toString() ?? "{}");
  expect(body.reason).toBe("attempts_exhausted");
  expect(body.attempts).toHaveLength(4);
  expect(h.smtp.to("p-tired@players.test")).toHaveLength(0);
});
