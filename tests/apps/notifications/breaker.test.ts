// A provider that is down: after a few refused connections its breaker opens, deliveries wait
// without spending attempts, critical mail fails over to the second SMTP server, and when the
// provider is back one trial send closes the breaker and the waiting mail goes out.
import { randomUUID } from "node:crypto";
import { freePort } from "../../../local/net";
import { SmtpSink } from "../../../local/smtp-sink";
import { createHarness, setUp, waitDeliveries, welcomeTemplate, type Harness } from "./support/harness";

let h: Harness;
let failover: SmtpSink;
let primaryPort: number;
let primary: SmtpSink | undefined;
let url: string;

beforeAll(async () => {
  failover = await SmtpSink.start();
  primaryPort = await freePort(); // nothing listens here yet: connections are refused
  h = await createHarness("notify-breaker", {
    SMTP_PORT: String(primaryPort),
    SMTP_FAILOVER_HOST: "127.0.0.1",
    SMTP_FAILOVER_PORT: String(failover.port),
    SMTP_FAILOVER_REQUIRE_TLS: "false",
    NOTIFY_BREAKER_VOLUME: "3",
    NOTIFY_BREAKER_ERROR_PERCENT: "50",
    NOTIFY_BREAKER_RESET_MS: "3000",
    NOTIFY_RETRY_BASE_MS: "300",
    NOTIFY_MAX_ATTEMPTS_EMAIL: "20",
  });
  url = (await h.start()).url;
  await setUp(h, "welcome", "p-down");
  await setUp(h, "receipt", "p-down", welcomeTemplate({ category: "critical" }));
});
afterAll(async () => {
  await h?.close();
  await Promise.allSettled([failover?.close(), primary?.close()]);
});

const send = (template: string) => h.api("POST", "/v1/notifications", { game_id: h.stack.gameId, idempotency_key: randomUUID(), player_id: "p-down", template, data: { name: template } });

async function breakerState(provider: string): Promise<number | undefined> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith("notifications_breaker_state{") && l.includes(`provider="${provider}"`));
  return line === undefined ? undefined : Number(line.split(" ").pop());
}

test("refused connections open the primary's breaker; mail waits without attempts, critical mail fails over, recovery closes it", async () => {
  const early = [await send("welcome"), await send("welcome"), await send("welcome")].map((r) => r.body.id as string);
  for (const id of early) await waitDeliveries(h, id, "a refused attempt", (ds) => ds[0]?.history.some((a) => a.reason === "connection_refused") === true);
  for (let i = 0; i < 50 && (await breakerState("smtp-primary")) !== 1; i += 1) await new Promise((r) => setTimeout(r, 100));
  expect(await breakerState("smtp-primary")).toBe(1);

  // While it is open, nothing is tried against the primary.
  const waiting = (await send("welcome")).body.id as string;
  const [w] = await waitDeliveries(h, waiting, "deferred by the breaker", (ds) => ds[0]?.reason === "breaker_open");
  expect(w).toMatchObject({ status: "pending", attempts: 0 });

  const critical = (await send("receipt")).body.id as string;
  const [c] = await waitDeliveries(h, critical, "critical delivered by the failover", (ds) => ds[0]?.status === "delivered");
  expect(c.history.at(-1)).toMatchObject({ outcome: "delivered", provider: "smtp-failover" });
  expect(failover.to("p-down@players.test").map((m) => m.subject)).toEqual(["Welcome receipt"]);

  // The provider comes back: after the reset time one trial closes the breaker and the backlog drains.
  primary = await SmtpSink.start({ port: primaryPort });
  for (const id of [...early, waiting]) await waitDeliveries(h, id, "delivered after recovery", (ds) => ds[0]?.status === "delivered", 30_000);
  expect(await breakerState("smtp-primary")).toBe(0);
  expect(primary.to("p-down@players.test")).toHaveLength(4);
  // Non-critical mail never went to the failover server.
  expect(failover.to("p-down@players.test")).toHaveLength(1);
});
