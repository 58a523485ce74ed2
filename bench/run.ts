// `npm run bench [-- --json]`: the event path under load on this machine, next to raw
// baselines measured in the same run. Figures, not assertions: the machine is shared and noisy.
import { join } from "node:path";
import { Pool } from "pg";
import { createApiKey } from "../apps/shared/apikeys";
import { GameEvent } from "../apps/shared/events/catalog";
import { toWireEvent } from "../apps/shared/events/normalize";
import { createTopics, deleteTopics, DurableProducer, topicNames } from "../apps/shared/kafka";
import { createLogger } from "../apps/shared/logger";
import { freePort } from "../local/net";
import { adminKafka, appKafkaEnv, KafkaApp, provisionKafka } from "../local/kafka-access";
import { brokerOptions, downDataPlane, profile, upDataPlane } from "../local/platform";
import { startService } from "../local/services";
import { kafkaProducerBaseline, pgCopyBaseline } from "./baselines";
import { endToEndMs, httpLoad, rssMb, storedRate, waitQuiet } from "./measure";
import { BenchReport, printTable } from "./report";

const JSON_OUT = process.argv.includes("--json");
const SECONDS = 10;
const PROCESSOR_EVENTS = 100_000;
const log = (l: string): void => void (JSON_OUT ? process.stderr : process.stdout).write(`[bench] ${l}\n`);

async function main(): Promise<void> {
  const p = profile("bench");
  const plane = await upDataPlane(p, "", log);
  const run = `bench.${Date.now().toString(36)}`;
  const kafka = adminKafka(plane.kafka.access, "bench", createLogger("bench", "error"));
  const pool = new Pool({ connectionString: p.databaseUrl, max: 2 });
  const started: { stop(): Promise<void> }[] = [];
  try {
    // The bench database is the bench's own: start every run from empty tables.
    await pool.query("TRUNCATE player_events, player_stats, player_revenue");
    const game = run.replace(/\./g, "-");
    const { key } = await createApiKey(pool, game, 10_000_000);
    await provisionKafka(plane.kafka.access, `${run}.`, kafka.logger);
    const [port, ops, ops2] = [await freePort(), await freePort(), await freePort()];
    const env = { DATABASE_URL: p.databaseUrl, REDIS_URL: p.redisUrl, LOG_LEVEL: "warn" };
    const kafkaEnv = (app: KafkaApp, prefix: string) => appKafkaEnv(plane.kafka.access, app, prefix);
    const logs = join(p.dir, "logs");
    const processor = await startService("processor", { ...env, ...kafkaEnv("processor", `${run}.`), PROCESSOR_OPS_PORT: String(ops) }, `http://127.0.0.1:${ops}/readyz`, join(logs, `${run}-processor.log`));
    started.push(processor);
    const url = `http://127.0.0.1:${port}`;
    const ingestion = await startService("ingestion", { ...env, ...kafkaEnv("ingestion", `${run}.`), PORT: String(port) }, `${url}/readyz`, join(logs, `${run}-ingestion.log`));
    started.push(ingestion);

    const sample: GameEvent = { type: "progression", player_id: "bench-player", status: "complete", levels: ["world1", "level3"], score: 1200, platform: "android", app_version: "1.4.2" };
    const recordSize = JSON.stringify(toWireEvent(sample, game, Date.now())).length;

    log(`baseline: Kafka ProducerPerformance, 200000 records of ${recordSize} B, acks=all...`);
    await createTopics(kafka, [{ topic: `${run}.perf`, partitions: 2 }]);
    const kafkaBase = kafkaProducerBaseline(brokerOptions(p), `${run}.perf`, 200_000, recordSize);
    log("baseline: raw COPY of 100000 rows into PostgreSQL...");
    const copyBase = await pgCopyBaseline(p.databaseUrl, 100_000);

    log(`single events: ${SECONDS} s, 50 connections...`);
    const single = await httpLoad(`${url}/v1/events`, key, JSON.stringify(sample), 50, SECONDS);
    log(`batches of 100: ${SECONDS} s, 8 connections...`);
    const batch = await httpLoad(`${url}/v1/events/batch`, key, JSON.stringify({ events: Array(100).fill(sample) }), 8, SECONDS);
    log("waiting for the processor to drain the backlog of the load phases...");
    await waitQuiet(pool, game);
    log("end to end: 200 req/s for 5 s...");
    const e2eBody = JSON.stringify({ ...sample, player_id: "e2e-probe" });
    await httpLoad(`${url}/v1/events`, key, e2eBody, 4, 5, 200);
    await new Promise((r) => setTimeout(r, 3000)); // let the processor catch up before reading latencies
    const e2e = await endToEndMs(pool, game, "e2e-probe");
    const rss = { ingestion: rssMb(ingestion.pid), processor: rssMb(processor.pid) };

    log(`processor: ${PROCESSOR_EVENTS} events pre-loaded into Kafka, then drained into PostgreSQL...`);
    const drainRun = `${run}.drain`;
    const drainTopics = topicNames(`${drainRun}.`);
    await provisionKafka(plane.kafka.access, `${drainRun}.`, kafka.logger);
    const drainGame = drainRun.replace(/\./g, "-");
    await createApiKey(pool, drainGame);
    const producer = new DurableProducer(kafka);
    await producer.connect();
    const now = Date.now();
    for (let i = 0; i < PROCESSOR_EVENTS; i += 5000) {
      const chunk = Array.from({ length: Math.min(5000, PROCESSOR_EVENTS - i) }, (_, j) => {
        const e = toWireEvent({ ...sample, player_id: `p-${(i + j) % 5000}` }, drainGame, now);
        return { topic: drainTopics.raw, key: e.player_id, value: JSON.stringify(e) };
      });
      await producer.send(chunk);
    }
    await producer.close();
    const drainer = await startService("processor", { ...env, ...kafkaEnv("processor", `${drainRun}.`), PROCESSOR_OPS_PORT: String(ops2) }, `http://127.0.0.1:${ops2}/readyz`, join(logs, `${run}-drain.log`));
    started.push(drainer);
    const processorRate = await storedRate(pool, drainGame, PROCESSOR_EVENTS, 300_000);
    const drainRss = rssMb(drainer.pid);

    const report: BenchReport & Record<string, unknown> = {
      machine: { cores: (await import("node:os")).cpus().length, note: "all services, load generator and baselines share these cores" },
      ingestion: {
        single: { ...single, targetReqPerSec: 15_000, targetP99Ms: 25 },
        batch100: { eventsPerSec: batch.reqPerSec * 100, p50Ms: batch.p50Ms, p99Ms: batch.p99Ms, non2xx: batch.non2xx, target: 100_000 },
      },
      processor: { eventsPerSec: processorRate, target: 50_000 },
      endToEnd: { p50Ms: e2e.p50, p99Ms: e2e.p99, samples: e2e.n, targetP99Ms: 2000 },
      rssMb: { ingestionPeak: rss.ingestion.peak, processorPeak: Math.max(rss.processor.peak, drainRss.peak), target: 200 },
      baselines: { kafkaProducerPerf: { ...kafkaBase, recordSize }, pgCopyRowsPerSec: copyBase },
      ratios: {
        singleEventsVsKafka: single.reqPerSec / kafkaBase.recordsPerSec,
        batchEventsVsKafka: (batch.reqPerSec * 100) / kafkaBase.recordsPerSec,
        processorVsCopy: processorRate / copyBase,
      },
    };
    if (JSON_OUT) process.stdout.write(JSON.stringify(report, null, 2) + "\n");
    else printTable(report);
  } finally {
    for (const s of started.reverse()) await s.stop();
    await deleteTopics(kafka, `${run}.`).catch((err: Error) => log(`could not delete the bench topics: ${err.message}`));
    await pool.end();
    await downDataPlane(plane, log);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`[bench] failed: ${(err as Error).message}\n`);
  process.exit(1);
});
