// Zero loss under sustained load while the processor is killed with SIGKILL, the ingestion
// service is restarted and the Kafka broker is stopped and started again: afterwards every
// event answered 202 is in PostgreSQL exactly once, and the aggregates count each once.
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { BrokerOptions, REPO_ROOT, startBroker, stopBroker } from "../../local/kafka-broker";
import { freePort } from "../../local/net";
import { RunningService } from "../../local/services";
import { createStack, eventually, post, Stack } from "../apps/support/stack";

// This test stops and starts its broker, so it gets one of its own: other test files
// running at the same time keep theirs.
let broker: BrokerOptions;
let stack: Stack;
beforeAll(async () => {
  broker = { dir: join(REPO_ROOT, ".local", "test", "kafka-zero-loss"), port: await freePort(), heapMb: 384 };
  rmSync(broker.dir, { recursive: true, force: true });
  await startBroker(broker, () => undefined);
});
afterAll(async () => {
  await stack?.close();
  if (broker !== undefined) await stopBroker(broker);
});

interface Tally {
  accepted: Set<string>;
  failed: Set<string>;
  statuses: Map<string, number>;
}

/** Client loops that post events back to back until stopped, remembering what got 202. */
function startLoad(url: string, apiKey: string, loops: number): { tally: Tally; stop: () => Promise<void> } {
  const tally: Tally = { accepted: new Set(), failed: new Set(), statuses: new Map() };
  let running = true;
  const loop = async (n: number) => {
    for (let i = 0; running; i++) {
      const events = Array.from({ length: i % 5 === 0 ? 20 : 1 }, () => ({ type: "session_start", event_id: randomUUID(), player_id: `load-${n}-${i % 7}` }));
      const single = events.length === 1;
      let status: string;
      try {
        const r = await post(`${url}/v1/events${single ? "" : "/batch"}`, single ? events[0] : { events }, { "x-api-key": apiKey });
        status = String(r.status);
      } catch {
        status = "network-error";
      }
      tally.statuses.set(status, (tally.statuses.get(status) ?? 0) + 1);
      for (const e of events) (status === "202" ? tally.accepted : tally.failed).add(e.event_id);
      if (status !== "202") await new Promise((r) => setTimeout(r, 50));
    }
  };
  const done = Promise.all(Array.from({ length: loops }, (_, n) => loop(n)));
  return { tally, stop: async () => void ((running = false), await done) };
}

async function storedCount(): Promise<number> {
  const { rows } = await stack.pool.query("SELECT count(*)::int AS n FROM player_events WHERE game_id = $1", [stack.gameId]);
  return rows[0].n;
}

const waitProgress = (what: string, beyond: number) =>
  eventually(what, async () => ((await storedCount()) > beyond ? true : undefined), 90_000);

test("no event answered 202 is lost or doubled across processor kill -9, ingestion restart and broker restart", async () => {
  stack = await createStack("zero-loss", broker.dir);
  let processor: RunningService = await stack.startProcessor();
  let ingestion: RunningService = await stack.startIngestion();
  const load = startLoad(stack.ingestionUrl, stack.apiKey, 6);

  await waitProgress("first events stored", 200);
  await processor.kill(); // SIGKILL mid-stream: uncommitted batches must be replayed
  processor = await stack.startProcessor();
  await waitProgress("progress after the processor restart", load.tally.accepted.size);

  await ingestion.stop(); // graceful: in-flight requests finish, new ones are refused
  ingestion = await stack.startIngestion();
  await waitProgress("progress after the ingestion restart", load.tally.accepted.size);

  await stopBroker(broker);
  const whileDown = await post(`${stack.ingestionUrl}/v1/events`, { type: "session_start", event_id: randomUUID(), player_id: "down" }, { "x-api-key": stack.apiKey });
  expect(whileDown.status).toBe(503);
  expect(Number(whileDown.headers.get("retry-after"))).toBeGreaterThan(0);
  expect((await fetch(`${stack.ingestionUrl}/readyz`)).status).toBe(503);
  await startBroker(broker, () => undefined);
  await waitProgress("progress after the broker restart", load.tally.accepted.size);
  await load.stop();

  const accepted = [...load.tally.accepted];
  expect(accepted.length).toBeGreaterThan(500);
  expect(load.tally.statuses.get("503") ?? 0).toBeGreaterThan(0);
  for (const id of accepted) expect(load.tally.failed.has(id)).toBe(false);

  const missingCount = async () => {
    const { rows } = await stack.pool.query(
      "SELECT count(*)::int AS n FROM unnest($1::uuid[]) AS a(id) WHERE NOT EXISTS (SELECT 1 FROM player_events e WHERE e.event_id = a.id)",
      [accepted],
    );
    return rows[0].n as number;
  };
  // Give the processor time to drain; then whatever is still missing is a loss.
  await eventually("every accepted event stored", async () => ((await missingCount()) === 0 ? true : undefined), 90_000).catch(() => undefined);
  expect(await missingCount()).toBe(0);
  const { rows: dups } = await stack.pool.query(
    "SELECT count(*)::int AS n FROM (SELECT event_id FROM player_events WHERE game_id = $1 GROUP BY event_id HAVING count(*) > 1) d",
    [stack.gameId],
  );
  expect(dups[0].n).toBe(0);
  // Anything stored beyond the 202s is an event whose answer was an error after Kafka took it
  // (e.g. a timeout): it was sent by this test, never invented.
  const { rows: stored } = await stack.pool.query("SELECT event_id FROM player_events WHERE game_id = $1", [stack.gameId]);
  const sent = new Set([...accepted, ...load.tally.failed]);
  expect(stored.filter((r: { event_id: string }) => !sent.has(r.event_id))).toEqual([]);
  // The aggregates counted each stored event once, despite the replays.
  const { rows: stats } = await stack.pool.query("SELECT sum(events)::int AS events, sum(sessions)::int AS sessions FROM player_stats WHERE game_id = $1", [stack.gameId]);
  expect(stats[0]).toEqual({ events: stored.length, sessions: stored.length });
});
