// Zero loss under real faults. Clients that retry on 503, timeouts and network errors with the same
// ids (half of them without a client time) keep sending while the processor, ingestion and the
// Kafka broker are killed with SIGKILL and PostgreSQL is restarted. Afterwards every event that got
// a 202 is stored exactly once, player_stats equals a recount from player_events, and every
// partition made progress after the last fault. This file brings its own broker and PostgreSQL,
// which it kills and restarts; other test files keep theirs.
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { ensureDatabase, migrate } from "../../apps/shared/db/migrate";
import { ensurePostgres, Started, stopPostgres } from "../../local/datastores";
import { brokerPid, BrokerOptions, REPO_ROOT, startBroker, stopBroker } from "../../local/kafka-broker";
import { freePort, isAlive } from "../../local/net";
import { RunningService } from "../../local/services";
import { createStack, eventually, post, Stack } from "../apps/support/stack";

const dir = join(REPO_ROOT, ".local", "test", "zero-loss");
let broker: BrokerOptions;
let pg: Started;
let pgUrl: string;
let stack: Stack;
beforeAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  broker = { dir: join(dir, "kafka"), port: await freePort(), heapMb: 384 };
  pgUrl = `postgres://postgres@127.0.0.1:${await freePort()}/gamemetrics_zero_loss`;
  pg = await ensurePostgres(pgUrl, dir, () => undefined);
  await ensureDatabase(pgUrl);
  await migrate(pgUrl);
  await startBroker(broker, () => undefined);
});
afterAll(async () => {
  await stack?.close();
  if (broker !== undefined) await stopBroker(broker);
  if (pg !== undefined) await stopPostgres(pg);
});

interface Load {
  /** Event ids answered 202 at least once. */
  acked: Set<string>;
  statuses: Map<string, number>;
  stop(): Promise<void>;
}

/** Client loops: each request is retried with the same body until it gets a 202 (or the load stops). */
function startLoad(url: () => string, apiKey: string, loops: number): Load {
  const load: Load = { acked: new Set(), statuses: new Map(), stop: async () => undefined };
  let running = true;
  const loop = async (n: number) => {
    for (let i = 0; running; i++) {
      const events = Array.from({ length: i % 4 === 0 ? 20 : 1 }, (_, j) => ({
        type: "session_start",
        event_id: randomUUID(),
        player_id: `load-${n}-${(i + j) % 9}`,
        // half without a client time: their retries get a new server time and must still be one row
        ...((i + j) % 2 === 0 ? { event_time: new Date().toISOString() } : {}),
      }));
      const single = events.length === 1;
      for (let attempt = 0; running; attempt++) {
        let status: string;
        try {
          status = String((await post(`${url()}/v1/events${single ? "" : "/batch"}`, single ? events[0] : { events }, { "x-api-key": apiKey })).status);
        } catch {
          status = "network-error";
        }
        load.statuses.set(status, (load.statuses.get(status) ?? 0) + 1);
        if (status === "202") {
          for (const e of events) load.acked.add(e.event_id);
          break;
        }
        await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
      }
    }
  };
  const done = Promise.all(Array.from({ length: loops }, (_, n) => loop(n)));
  load.stop = async () => void ((running = false), await done);
  return load;
}

const count = async (sql: string, params: unknown[] = []) => ((await stack.pool.query(sql, params)).rows[0]?.n as number) ?? 0;
const stored = () => count("SELECT count(*)::int AS n FROM player_events WHERE game_id = $1", [stack.gameId]);
const progress = async (what: string) => {
  const before = await stored();
  await eventually(what, async () => ((await stored()) > before + 50 ? true : undefined), 60_000);
};
const metric = async (opsPort: string, name: string) => {
  const text = await (await fetch(`http://127.0.0.1:${opsPort}/metrics`)).text();
  return Number(new RegExp(`^${name}\\{[^}]*\\} (\\d+)`, "m").exec(text)?.[1] ?? 0);
};

test("no event answered 202 is lost or doubled across SIGKILL of processor, ingestion and broker, and a PostgreSQL restart", async () => {
  stack = await createStack("zero-loss", broker.dir, 1_000_000, pgUrl);
  let processor: RunningService = await stack.startProcessor();
  let ingestion: RunningService = await stack.startIngestion();
  const load = startLoad(() => stack.ingestionUrl, stack.apiKey, 6);
  const ops = stack.serviceEnv.PROCESSOR_OPS_PORT;

  await progress("first events stored");
  // SIGKILL mid-stream: batches stored but not committed are replayed. A kill replays only when it
  // lands between a batch's rows and its offsets' commit, so kill until one does (each new process counts afresh).
  let replayed = false;
  for (let kill = 1; kill <= 5 && !replayed; kill++) {
    await processor.kill();
    processor = await stack.startProcessor();
    replayed = await eventually("a replay (the new processor met rows already stored)", async () => ((await metric(ops, "processor_events_duplicate_total")) > 0 ? true : undefined), 15_000).then(
      () => true,
      () => false,
    );
    if (!replayed) await progress(`progress before processor kill ${kill + 1}`);
  }
  expect(replayed).toBe(true);

  await ingestion.kill(); // SIGKILL: in-flight requests fail, clients retry the same ids
  ingestion = await stack.startIngestion();
  await progress("progress after ingestion was killed");

  const kafkaPid = brokerPid(broker) as number;
  process.kill(kafkaPid, "SIGKILL");
  await eventually("the broker gone", async () => (isAlive(kafkaPid) ? undefined : true), 10_000);
  await eventually("503 while Kafka is down", async () => ((load.statuses.get("503") ?? 0) > 0 ? true : undefined), 30_000);
  await startBroker(broker, () => undefined);
  await progress("progress after the broker was killed");

  await stopPostgres(pg); // a restart (fast shutdown: connections are cut)
  pg = await ensurePostgres(pgUrl, dir, () => undefined);
  const faultsOver = new Date();
  await progress("progress after PostgreSQL restarted");
  await load.stop();

  expect(processor.child.exitCode).toBeNull(); // neither service crashed through the restarts
  expect(ingestion.child.exitCode).toBeNull();
  const acked = [...load.acked];
  expect(acked.length).toBeGreaterThan(1000);
  const missing = () => count("SELECT count(*)::int AS n FROM unnest($1::uuid[]) AS a(id) WHERE NOT EXISTS (SELECT 1 FROM player_events e WHERE e.game_id = $2 AND e.event_id = a.id)", [acked, stack.gameId]);
  await eventually("every acknowledged event stored", async () => ((await missing()) === 0 ? true : undefined), 60_000).catch(() => undefined);
  expect(await missing()).toBe(0);
  expect(await count("SELECT count(*)::int AS n FROM (SELECT event_id FROM player_events WHERE game_id = $1 GROUP BY event_id HAVING count(*) > 1) d", [stack.gameId])).toBe(0);
  // player_stats equals a recount from the stored rows, player by player
  const { rows: mismatched } = await stack.pool.query(
    `SELECT coalesce(s.player_id, e.player_id) AS player FROM player_stats s
     FULL JOIN (SELECT player_id, count(*) AS events, count(*) FILTER (WHERE event_type = 'session_start') AS sessions FROM player_events WHERE game_id = $1 GROUP BY 1) e
       ON e.player_id = s.player_id
     WHERE (s.game_id = $1 OR s.game_id IS NULL) AND (s.events IS DISTINCT FROM e.events OR s.sessions IS DISTINCT FROM e.sessions)`,
    [stack.gameId],
  );
  expect(mismatched).toEqual([]);
  // every partition of the raw topic stored events after the last fault, and none lags behind
  const { rows: parts } = await stack.pool.query("SELECT src_partition AS p, max(stored_at) AS last FROM player_events WHERE game_id = $1 GROUP BY 1 ORDER BY 1", [stack.gameId]);
  expect(parts.map((r) => r.p)).toEqual([0, 1]);
  for (const r of parts) expect(r.last.getTime()).toBeGreaterThan(faultsOver.getTime());
  await eventually("no lag on any partition", async () => {
    const text = await (await fetch(`http://127.0.0.1:${ops}/metrics`)).text();
    const lags = [...text.matchAll(/^processor_consumer_lag\{partition="(\d)"[^}]*\} (\d+)/gm)];
    return lags.length === 2 && lags.every((m) => m[2] === "0") ? true : undefined;
  }, 30_000);
});
