// Poison messages on player.events.raw land in system.dlq with their reason and source,
// while the good messages around them are stored and the consumer keeps going.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { createApiKey } from "../../apps/shared/apikeys";
import { toWireEvent } from "../../apps/shared/events/normalize";
import { REPO_ROOT } from "../../local/kafka-broker";
import { testEnv } from "../apps/support/env";
import { DurableProducer, readTopic } from "../../apps/shared/kafka";
import { createStack, eventually, Stack } from "../apps/support/stack";

let stack: Stack;
let producer: DurableProducer;

beforeAll(async () => {
  stack = await createStack("dlq");
  producer = new DurableProducer(stack.kafkaAs("ingestion")); // only ingestion may write raw events
  await producer.connect();
  await stack.startProcessor();
});
afterAll(async () => {
  await producer?.close();
  await stack?.close();
});

test("poison goes to the DLQ with reason and source headers; good neighbours are stored", async () => {
  const now = Date.now();
  const good = (n: number) => toWireEvent({ type: "design", player_id: "p-dlq", design_id: `dlq.good${n}` }, stack.gameId, now);
  const [g1, g2, g3] = [good(1), good(2), good(3)];
  const unknownGame = toWireEvent({ type: "session_start", player_id: "p-dlq" }, `${stack.gameId}-later`, now);
  const raw = (value: string) => ({ topic: stack.topics.raw, key: "p-dlq", value });
  await producer.send([
    raw(JSON.stringify(g1)),
    raw("{not json"),
    raw(JSON.stringify({ ...g2, event_id: undefined, type: "session_end" })), // no event_id, no length_s
    raw(JSON.stringify(unknownGame)),
    raw(JSON.stringify(g2)),
  ]);

  const dlq = await readTopic(stack.kafka, stack.topics.dlq, (seen) => seen.length >= 3, 60_000);
  expect(dlq).toHaveLength(3);
  const byReason = Object.fromEntries(dlq.map((m) => [m.headers["dlq-reason"], m]));
  expect(Object.keys(byReason).sort()).toEqual(["schema_invalid", "unknown_game", "unparseable"]);
  expect(byReason.unparseable.value?.toString()).toBe("{not json");
  expect(byReason.schema_invalid.headers["dlq-detail"]).toContain("/event_id is required");
  expect(byReason.schema_invalid.headers["dlq-detail"]).toContain("/length_s is required");
  expect(byReason.unknown_game.headers["dlq-detail"]).toContain(`${stack.gameId}-later`);
  const offsets = dlq.map((m) => Number(m.headers["dlq-source-offset"])).sort((a, b) => a - b);
  for (const m of dlq) {
    expect(m.headers["dlq-source-topic"]).toBe(stack.topics.raw);
    expect(Number.isInteger(Number(m.headers["dlq-source-partition"]))).toBe(true);
    expect(Date.parse(m.headers["dlq-time"])).toBeGreaterThanOrEqual(now);
    expect(m.key?.toString()).toBe("p-dlq");
  }
  expect(offsets[2] - offsets[0]).toBe(2); // the three consecutive poison records of one partition

  // the consumer went on: a message sent after the poison is stored too
  await producer.send([raw(JSON.stringify(g3))]);
  const ids = [g1.event_id, g2.event_id, g3.event_id];
  const n = await eventually("good events stored", async () => {
    const { rows } = await stack.pool.query("SELECT count(*)::int AS n FROM player_events WHERE event_id = ANY($1::uuid[])", [ids]);
    return rows[0].n === 3 ? 3 : undefined;
  });
  expect(n).toBe(3);
  const { rows } = await stack.pool.query("SELECT count(*)::int AS n FROM player_events WHERE game_id = $1", [stack.gameId]);
  expect(rows[0].n).toBe(3);
  const metrics = await (await fetch(`http://127.0.0.1:${stack.serviceEnv.PROCESSOR_OPS_PORT}/metrics`)).text();
  expect(metrics).toMatch(/processor_events_dlq_total\{reason="unparseable",service="processor"\} 1/);
});

test("a record the database refuses is isolated: the DLQ gets it once with PostgreSQL's reason, its neighbours are stored", async () => {
  const now = Date.now();
  const ok = (n: number) => toWireEvent({ type: "design", player_id: "p-refused", design_id: `refused.good${n}` }, stack.gameId, now);
  const good = Array.from({ length: 9 }, (_, i) => ok(i));
  // Valid on the wire, refused by PostgreSQL: neither text nor jsonb hold U+0000 (ingestion refuses it at the edge).
  const refused = { ...ok(99), player_id: "nul\u0000inside" };
  const raw = (e: object) => ({ topic: stack.topics.raw, key: "p-refused", value: JSON.stringify(e) });
  await producer.send([...good.slice(0, 4).map(raw), raw(refused), ...good.slice(4).map(raw)]);

  const ids = good.map((g) => g.event_id);
  await eventually("the good neighbours stored", async () => {
    const { rows } = await stack.pool.query("SELECT count(*)::int AS n FROM player_events WHERE event_id = ANY($1::uuid[])", [ids]);
    return rows[0].n === good.length ? true : undefined;
  });
  const dlq = await readTopic(stack.kafka, stack.topics.dlq, (seen) => seen.some((m) => m.headers["dlq-reason"] === "db_refused"), 30_000);
  const mine = dlq.filter((m) => m.headers["dlq-reason"] === "db_refused");
  expect(mine).toHaveLength(1);
  expect(JSON.parse(mine[0].value?.toString() ?? "{}").event_id).toBe(refused.event_id);
  expect(mine[0].headers["dlq-detail"]).toMatch(/^PostgreSQL refused the row: 22P05 unsupported Unicode escape sequence/); // the rows travel as jsonb
  expect(mine[0].headers["dlq-source-topic"]).toBe(stack.topics.raw);
  // the partition keeps moving: an event sent afterwards on the same key is stored
  const later = ok(100);
  await producer.send([raw(later)]);
  await eventually("an event after the refused one stored", async () => {
    const { rows } = await stack.pool.query("SELECT 1 FROM player_events WHERE event_id = $1", [later.event_id]);
    return rows.length === 1 ? true : undefined;
  });
  const metrics = await (await fetch(`http://127.0.0.1:${stack.serviceEnv.PROCESSOR_OPS_PORT}/metrics`)).text();
  expect(metrics).toMatch(/processor_events_dlq_total\{reason="db_refused",service="processor"\} 1\n/);
  expect(metrics).toMatch(/processor_stalled\{service="processor"\} 0/);
});

const dlqCli = (...args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", join(REPO_ROOT, "apps", "admin", "dlq.ts"), ...args, "--access-file", join(testEnv("kafkaDir"), "access.json")], {
    cwd: REPO_ROOT,
    env: { ...process.env, KAFKA_TOPIC_PREFIX: stack.topics.raw.slice(0, -"player.events.raw".length), KAFKA_BROKERS: undefined },
    encoding: "utf8",
  });

test("`npm run dlq` lists and shows DLQ records and, after the fix, replays them idempotently", async () => {
  const list = dlqCli("list", "--reason", "unknown_game");
  expect(list.status).toBe(0);
  expect(list.stdout).toMatch(/^1 of \d+ records in /);
  const offset = list.stdout.split("\n")[1].split("\t")[0];
  const show = dlqCli("show", offset);
  expect(JSON.parse(show.stdout).headers["dlq-reason"]).toBe("unknown_game");
  // the fix: the game is registered now; replaying twice stores the event once
  await createApiKey(stack.pool, `${stack.gameId}-later`);
  await new Promise((r) => setTimeout(r, 5500)); // the processor asks again about a missing game after 5 s
  for (let i = 0; i < 2; i++) expect(dlqCli("replay", "--reason", "unknown_game").stdout).toContain("replayed 1 record(s)");
  const n = await eventually("the replayed event stored", async () => {
    const { rows } = await stack.pool.query("SELECT count(*)::int AS n FROM player_events WHERE game_id = $1", [`${stack.gameId}-later`]);
    return rows[0].n > 0 ? rows[0].n : undefined;
  });
  await new Promise((r) => setTimeout(r, 1000));
  const { rows } = await stack.pool.query("SELECT count(*)::int AS n FROM player_events WHERE game_id = $1", [`${stack.gameId}-later`]);
  expect([n, rows[0].n]).toEqual([1, 1]);
  expect(dlqCli("replay").status).toBe(1); // nothing chosen: usage, no replay of everything by accident
});
