// `npm run bench [-- --json]`: the event path on this machine next to raw baselines measured in the
// same run: a warm broker, wrk in its own process, the processor paused during ingestion phases and
// its drain measured on its own, an open-loop sweep, the median of 3 with the spread, CPU per process.
// Figures, not assertions: the machine is shared and noisy.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { Pool } from "pg";
import { createApiKey } from "../apps/shared/apikeys";
import { GameEvent } from "../apps/shared/events/catalog";
import { toWireEvent } from "../apps/shared/events/normalize";
import { createTopics, deleteTopics, DurableProducer, topicNames } from "../apps/shared/kafka";
import { createLogger } from "../apps/shared/logger";
import { adminKafka, appKafka, appKafkaEnv, provisionKafka } from "../local/kafka-access";
import { brokerPid } from "../local/kafka-broker";
import { freePort } from "../local/net";
import { brokerOptions, downDataPlane, profile, upDataPlane } from "../local/platform";
import { RunningService, startService } from "../local/services";
import { bareHttpServer, kafkaProducerBaseline, pgCopyBaseline } from "./baselines";
import { endToEndMs, peakRssMb, requireWrk, stats, storedRate, withCpu, wrk } from "./measure";
import { printReport, type BenchReport } from "./report";

const JSON_OUT = process.argv.includes("--json");
const RUNS = 3;
const SECONDS = 10;
const DRAIN_EVENTS = 100_000;
const SWEEP = [2000, 5000, 10_000, 15_000, 20_000, 25_000, 30_000];
const log = (l: string): void => void (JSON_OUT ? process.stderr : process.stdout).write(`[bench] ${l}\n`);
const sample: GameEvent = { type: "progression", player_id: "bench-player", status: "complete", levels: ["world1", "level3"], score: 1200, platform: "android", app_version: "1.4.2" };

async function main(): Promise<void> {
  requireWrk();
  const p = profile("bench");
  const plane = await upDataPlane(p, "", log);
  const access = plane.kafka.access;
  const logger = createLogger("bench", "error");
  const kafka = adminKafka(access, "bench", logger);
  const broker = brokerOptions(p);
  const run = `bench.${Date.now().toString(36)}`;
  const pool = new Pool({ connectionString: p.databaseUrl, max: 2 });
  const started: RunningService[] = [];
  const logs = join(p.dir, "logs");
  const env = { DATABASE_URL: p.databaseUrl, REDIS_URL: p.redisUrl, LOG_LEVEL: "warn" };
  /** A fresh slice: topics + ACLs under its own prefix, a game and key. */
  const slice = async (name: string) => {
    const prefix = `${run}.${name}.`;
    await provisionKafka(access, prefix, logger);
    const game = `${run}-${name}`.replace(/\./g, "-");
    const { key } = await createApiKey(pool, game, 10_000_000);
    return { prefix, game, key, topics: topicNames(prefix) };
  };
  const service = async (name: "ingestion" | "processor", prefix: string, extra: Record<string, string>, ready: string) => {
    const s = await startService(name, { ...env, ...appKafkaEnv(access, name, prefix), ...extra }, ready, join(logs, `${run}-${name}.log`));
    started.push(s);
    return s;
  };
  const pgBackends = async () => (await pool.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'gamemetrics'")).rows.map((r) => r.pid);
  try {
    await pool.query("TRUNCATE player_events, player_event_ids, player_stats, player_revenue");
    const recordSize = JSON.stringify(toWireEvent(sample, "bench-game-0000", Date.now())).length;
    await createTopics(kafka, [{ topic: `${run}.perf`, partitions: 2 }, { topic: `${run}.clients`, partitions: 2 }]);
    log("warming the broker (ProducerPerformance, 200000 records, discarded)...");
    kafkaProducerBaseline(broker, `${run}.perf`, 200_000, recordSize);

    log(`baselines, ${RUNS} runs each: ProducerPerformance, COPY into player_events, bare node:http, both Kafka clients...`);
    const base = { kafka: [] as number[], kafkaP99: [] as number[], copy: [] as number[], http: [] as number[], clients: { kafkajs: [] as Record<string, { recordsPerSec: number; cpuUsPerRecord: number }>[], platformatic: [] as Record<string, { recordsPerSec: number; cpuUsPerRecord: number }>[] } };
    const accessFile = join(broker.dir, "access.json");
    const barePort = await freePort();
    const bare = await bareHttpServer(barePort);
    for (let i = 0; i < RUNS; i++) {
      const k = kafkaProducerBaseline(broker, `${run}.perf`, 200_000, recordSize);
      base.kafka.push(k.recordsPerSec);
      base.kafkaP99.push(k.p99LatencyMs);
      base.copy.push(await pgCopyBaseline(p.databaseUrl, DRAIN_EVENTS, `${run}-copy`.replace(/\./g, "-")));
      base.http.push(wrk(`http://127.0.0.1:${barePort}/`, JSON.stringify(sample), { "content-type": "application/json" }, 50, 5).reqPerSec);
      for (const lib of ["kafkajs", "platformatic"] as const) {
        const r = spawnSync(process.execPath, ["--import", "tsx", join(__dirname, "kafka-clients.ts"), lib, accessFile, `${run}.clients`, "100000", String(recordSize)], { encoding: "utf8" });
        if (r.status !== 0) throw new Error(`${lib} client bench failed: ${r.stderr}`);
        base.clients[lib].push(JSON.parse(r.stdout.trim().split("\n").pop() as string));
      }
    }
    bare.stop();

    log(`ingestion, processor paused: single events (wrk, 50 connections) and batches of 100 (8 connections), ${RUNS} × ${SECONDS} s...`);
    const load = await slice("load");
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const ingestion = await service("ingestion", load.prefix, { PORT: String(port) }, `${url}/readyz`);
    const headers = { "content-type": "application/json", "x-api-key": load.key };
    const cpuPids = { ingestion: () => [ingestion.pid], broker: () => [brokerPid(broker) ?? 0] };
    const single = [];
    const batch = [];
    for (let i = 0; i < RUNS; i++) {
      single.push(await withCpu(cpuPids, () => wrk(`${url}/v1/events`, JSON.stringify(sample), headers, 50, SECONDS)));
      batch.push(await withCpu(cpuPids, () => wrk(`${url}/v1/events/batch`, JSON.stringify({ events: Array(100).fill(sample) }), headers, 8, SECONDS)));
    }
    log(`open-loop sweep, single events, ${SWEEP.join(", ")} req/s × 5 s...`);
    const bodyFile = join(mkdtempSync(join(tmpdir(), "gm-ol-")), "body.json");
    writeFileSync(bodyFile, JSON.stringify(sample));
    const sweep: { rate: number; p99Ms: number; ok: number; failed: number }[] = [];
    for (const rate of SWEEP) {
      const r = spawnSync(process.execPath, ["--import", "tsx", join(__dirname, "open-loop.ts"), `${url}/v1/events`, load.key, bodyFile, String(rate), "5"], { encoding: "utf8" });
      const one = JSON.parse(r.stdout.trim()) as { rate: number; p99Ms: number; ok: number; failed: number };
      sweep.push(one);
      if (one.p99Ms > 250) break; // far past the knee
    }
    const ingestionRss = peakRssMb(ingestion.pid);

    log(`processor: ${DRAIN_EVENTS} events pre-loaded, drained into PostgreSQL, ${RUNS} runs...`);
    const drains = [];
    let processorRss = 0;
    for (let i = 0; i < RUNS; i++) {
      const d = await slice(`drain${i}`);
      const producer = new DurableProducer(appKafka(access, "ingestion", logger));
      await producer.connect();
      const now = Date.now();
      for (let j = 0; j < DRAIN_EVENTS; j += 5000) {
        await producer.send(Array.from({ length: 5000 }, (_, k) => {
          const e = toWireEvent({ ...sample, player_id: `p-${(j + k) % 5000}` }, d.game, now);
          return { topic: d.topics.raw, key: e.player_id, value: JSON.stringify(e) };
        }));
      }
      await producer.close();
      const ops = await freePort();
      let proc: RunningService | undefined;
      const measured = await withCpu(
        { processor: () => (proc === undefined ? [] : [proc.pid]), broker: () => [brokerPid(broker) ?? 0], postgres: pgBackends },
        async () => {
          proc = await service("processor", d.prefix, { PROCESSOR_OPS_PORT: String(ops) }, `http://127.0.0.1:${ops}/readyz`);
          return storedRate(pool, d.game, DRAIN_EVENTS, 300_000);
        },
      );
      drains.push(measured);
      processorRss = Math.max(processorRss, peakRssMb((proc as unknown as RunningService).pid));
      await (proc as unknown as RunningService).stop();
    }

    log("end to end: a fresh slice with ingestion and processor, 200 req/s for 5 s (open loop)...");
    const e2e = await slice("e2e");
    const [p2, ops2] = [await freePort(), await freePort()];
    await service("processor", e2e.prefix, { PROCESSOR_OPS_PORT: String(ops2) }, `http://127.0.0.1:${ops2}/readyz`);
    await service("ingestion", e2e.prefix, { PORT: String(p2) }, `http://127.0.0.1:${p2}/readyz`);
    spawnSync(process.execPath, ["--import", "tsx", join(__dirname, "open-loop.ts"), `http://127.0.0.1:${p2}/v1/events`, e2e.key, bodyFile, "200", "5"], { encoding: "utf8" });
    await new Promise((r) => setTimeout(r, 3000));
    const latency = await endToEndMs(pool, e2e.game);

    const report: BenchReport = {
      machine: { cores: cpus().length, loadAverage1m: loadavg()[0], note: "services, load generators, baselines and other developers' work share these cores" },
      baselines: {
        kafkaProducerPerf: { ...stats(base.kafka), p99Ms: stats(base.kafkaP99).median, recordSize },
        pgCopyIntoPlayerEvents: stats(base.copy),
        bareHttp202: stats(base.http),
      },
      kafkaClients: Object.fromEntries(
        (["kafkajs", "platformatic"] as const).map((lib) => [lib, {
          produce: stats(base.clients[lib].map((r) => r.produce.recordsPerSec)),
          produceCpuUs: stats(base.clients[lib].map((r) => r.produce.cpuUsPerRecord)),
          consume: stats(base.clients[lib].map((r) => r.consume.recordsPerSec)),
          consumeCpuUs: stats(base.clients[lib].map((r) => r.consume.cpuUsPerRecord)),
        }]),
      ) as BenchReport["kafkaClients"],
      single: {
        reqPerSec: stats(single.map((s) => s.value.reqPerSec)),
        p99Ms: stats(single.map((s) => s.value.p99Ms)),
        non2xx: single.reduce((a, s) => a + s.value.non2xx + s.value.errors, 0),
        cores: { ingestion: stats(single.map((s) => s.cores.ingestion)).median, broker: stats(single.map((s) => s.cores.broker)).median },
      },
      batch100: {
        eventsPerSec: stats(batch.map((s) => s.value.reqPerSec * 100)),
        p99Ms: stats(batch.map((s) => s.value.p99Ms)),
        non2xx: batch.reduce((a, s) => a + s.value.non2xx + s.value.errors, 0),
        cores: { ingestion: stats(batch.map((s) => s.cores.ingestion)).median, broker: stats(batch.map((s) => s.cores.broker)).median },
      },
      sweep: { points: sweep, highestRateP99Under25Ms: Math.max(0, ...sweep.filter((s) => s.p99Ms < 25 && s.failed === 0).map((s) => s.rate)) },
      processor: {
        eventsPerSec: stats(drains.map((d) => d.value)),
        cores: { processor: stats(drains.map((d) => d.cores.processor)).median, broker: stats(drains.map((d) => d.cores.broker)).median, postgres: stats(drains.map((d) => d.cores.postgres)).median },
      },
      endToEnd: { p50Ms: latency.p50, p99Ms: latency.p99, samples: latency.n },
      rssMb: { ingestionPeak: ingestionRss, processorPeak: processorRss },
    };
    if (JSON_OUT) process.stdout.write(JSON.stringify(report, null, 2) + "\n");
    else printReport(report);
  } finally {
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
    await deleteTopics(kafka, `${run}.`).catch((err: Error) => log(`could not delete the bench topics: ${err.message}`));
    await pool.end();
    await downDataPlane(plane, log);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`[bench] failed: ${(err as Error).message}\n`);
  process.exit(1);
});
