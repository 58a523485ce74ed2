// Abuse at the edge against the real service: gzip bombs, floods of invalid keys, batches that
// count as their events against the rate limit, browsers from origins a game did not allow.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { createApiKey } from "../../apps/shared/apikeys";
import { RunningService } from "../../local/services";
import { createStack, post, Stack } from "./support/stack";

let stack: Stack;
let ingestion: RunningService;
beforeAll(async () => {
  stack = await createStack("abuse");
  ingestion = await stack.startIngestion({ FAILED_AUTH_PER_SEC: "20", FAILED_AUTH_BURST: "40" });
});
afterAll(async () => stack?.close());

/** CPU seconds (user + system) the process has used so far, from /proc. */
function cpuSeconds(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (100/s on Linux)
}
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]) / 1024;

test("a gzip bomb costs at most the body limit of inflating, not its expansion", async () => {
  const bomb = gzipSync(Buffer.alloc(512 * 1024 * 1024)); // 512 MB of zeros in ~0.5 MB
  expect(bomb.length).toBeLessThan(1024 * 1024);
  const before = cpuSeconds(ingestion.pid);
  for (let i = 0; i < 5; i++) {
    const r = await post(`${stack.ingestionUrl}/v1/events/batch`, bomb, { "x-api-key": stack.apiKey, "content-encoding": "gzip" });
    expect(r.status).toBe(413);
  }
  // Inflating 5 × 512 MB takes several CPU seconds; stopping at 1 MB takes a few milliseconds each.
  expect(cpuSeconds(ingestion.pid) - before).toBeLessThan(1.5);
});

test("a flood of random keys is refused with bounded memory and bounded database lookups", async () => {
  const rss0 = rssMb(ingestion.pid);
  const statuses = new Map<number, number>();
  const t0 = Date.now();
  for (let round = 0; round < 40; round++) {
    const replies = await Promise.all(
      Array.from({ length: 50 }, () => post(`${stack.ingestionUrl}/v1/events`, { type: "session_start", player_id: "p" }, { "x-api-key": `gm_${randomBytes(8).toString("hex")}_${randomBytes(32).toString("base64url")}` })),
    );
    for (const r of replies) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
  }
  const secs = (Date.now() - t0) / 1000;
  // Only the source's failed-attempt budget reached the key lookup (a database query each): burst + rate × time.
  expect(statuses.get(401) ?? 0).toBeLessThanOrEqual(40 + Math.ceil(20 * secs) + 5);
  expect(statuses.get(429) ?? 0).toBeGreaterThan(1000);
  expect([...statuses.keys()].sort()).toEqual([401, 429]);
  expect(rssMb(ingestion.pid) - rss0).toBeLessThan(40);
  // A valid key from another source is unaffected... and from this one, too, once its budget refills.
  await new Promise((r) => setTimeout(r, 2500));
  expect((await post(`${stack.ingestionUrl}/v1/events`, { type: "session_start", player_id: "p" }, { "x-api-key": stack.apiKey })).status).toBe(202);
});

test("the rate limit counts events: one batch of 100 takes 100 of the key's tokens", async () => {
  const key = await createApiKey(stack.pool, stack.gameId, 50); // 50 events/s, burst 100
  const batch = { events: Array.from({ length: 100 }, (_, i) => ({ type: "design", player_id: "p-rate", design_id: `rate.e${i}` })) };
  expect((await post(`${stack.ingestionUrl}/v1/events/batch`, batch, { "x-api-key": key.key })).status).toBe(202);
  const second = await post(`${stack.ingestionUrl}/v1/events/batch`, batch, { "x-api-key": key.key });
  expect(second.status).toBe(429);
  expect(second.body.error).toBe("rate_limited");
  expect(Number(second.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
});

test("CORS: preflight without a key; the key's origins only", async () => {
  const pre = await fetch(`${stack.ingestionUrl}/v1/events`, { method: "OPTIONS", headers: { origin: "https://play.example", "access-control-request-method": "POST", "access-control-request-headers": "x-api-key, content-type" } });
  expect(pre.status).toBe(204);
  expect(pre.headers.get("access-control-allow-origin")).toBe("https://play.example");
  expect(pre.headers.get("access-control-allow-headers")).toContain("x-api-key");
  const key = await createApiKey(stack.pool, stack.gameId);
  await stack.pool.query("UPDATE api_keys SET cors_origins = '{https://play.example}' WHERE key_id = $1", [key.keyId]);
  const ev = { type: "session_start", player_id: "p-cors" };
  const ok = await fetch(`${stack.ingestionUrl}/v1/events`, { method: "POST", headers: { "content-type": "application/json", "x-api-key": key.key, origin: "https://play.example" }, body: JSON.stringify(ev) });
  expect(ok.status).toBe(202);
  expect(ok.headers.get("access-control-allow-origin")).toBe("https://play.example");
  const other = await post(`${stack.ingestionUrl}/v1/events`, ev, { "x-api-key": key.key, origin: "https://evil.example" });
  expect(other.status).toBe(403);
  expect(other.body.error).toBe("forbidden_origin");
});
