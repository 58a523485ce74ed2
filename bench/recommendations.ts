// `npm run bench:recommendations [-- --json]`: trains on 100k players × 10k items (planted interactions
// in a scratch database), starts the service on its embedded index and measures cache hits and misses
// over HTTP, next to raw baselines measured in the same run: a bare HTTP server answering a page of
// the same size, a Redis HMGET of a cached page, and the exact scan itself in this process.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Client, Pool } from "pg";
import { int } from "../apps/shared/config";
import { ensureDatabase, migrate } from "../apps/shared/db/migrate";
import { createTopics, deleteTopics } from "../apps/shared/kafka";
import { createLogger } from "../apps/shared/logger";
import { createRedis } from "../apps/shared/redis";
import { loadRecommendationsConfig } from "../apps/recommendations/config";
import { itemPointId, playerPointId } from "../apps/recommendations/ids";
import { playerVectors, vectorItems } from "../apps/recommendations/model-store";
import { train } from "../apps/recommendations/train";
import { EmbeddedStore } from "../apps/recommendations/vector-store/embedded";
import { startDevIssuer } from "../local/dev-issuer";
import { REPO_ROOT } from "../local/kafka-broker";
import { adminKafka, appKafkaEnv } from "../local/kafka-access";
import { freePort, waitFor } from "../local/net";
import { downDataPlane, profile, upDataPlane } from "../local/platform";
import { startService } from "../local/services";
import { loadPlanted } from "./recommendations-data";

const env = process.env;
const SIZE = { players: int(env, "BENCH_RECS_PLAYERS", 100_000, 100, 10_000_000), items: int(env, "BENCH_RECS_ITEMS", 10_000, 10, 1_000_000), perPlayer: 20 };
const SAMPLES = { players: int(env, "BENCH_RECS_SAMPLE_PLAYERS", 4000, 10, 100_000), hits: int(env, "BENCH_RECS_HITS", 16_000, 10, 1_000_000), concurrency: 8 };
const json = process.argv.includes("--json");
const log = (s: string) => void process.stderr.write(`[bench:recommendations] ${s}\n`);

interface Latency {
  n: number;
  p50: number;
  p99: number;
  max: number;
  perSec: number;
}

function summarize(ms: number[], seconds: number): Latency {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { n: s.length, p50: at(0.5), p99: at(0.99), max: s[s.length - 1], perSec: s.length / seconds };
}

/** `n` calls of `one(i)` from `concurrency` sequential workers; each call timed. */
async function timed(n: number, concurrency: number, one: (i: number) => Promise<void>): Promise<Latency> {
  const ms: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let i = next++; i < n; i = next++) {
      const t = performance.now();
      await one(i);
      ms.push(performance.now() - t);
    }
  }));
  return summarize(ms, (performance.now() - t0) / 1000);
}

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;

async function main(): Promise<void> {
  const p = profile("bench");
  const prefix = `bench.recs.${process.pid}.`;
  const plane = await upDataPlane(p, prefix, log);
  // The broker speaks only SASL_SSL: topics as the super user, the service as its own principal.
  const kafka = adminKafka(plane.kafka.access, "bench", createLogger("bench", "error"));
  await createTopics(kafka, [{ topic: `${prefix}recommendations.generated`, partitions: 1 }]);
  const url = new URL(p.databaseUrl);
  url.pathname = "/gamemetrics_bench_recs";
  const databaseUrl = url.toString();
  const admin = new Client({ connectionString: p.databaseUrl });
  await admin.connect();
  await admin.query("DROP DATABASE IF EXISTS gamemetrics_bench_recs WITH (FORCE)");
  await admin.end();
  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl);
  const pool = new Pool({ connectionString: databaseUrl, max: 4 });
  const game = "bench-recs";
  const stops: (() => Promise<void>)[] = [];
  try {
    const now = Date.now();
    log(`writing ${SIZE.players} players × ${SIZE.perPlayer} interactions over ${SIZE.items} items into player_events...`);
    let t = performance.now();
    const rows = await loadPlanted(pool, { game, ...SIZE }, now, log);
    const loadSec = (performance.now() - t) / 1000;
    log("training...");
    const config = loadRecommendationsConfig({ RECOMMENDATIONS_REPEATABLE_ITEM_TYPES: "booster" });
    t = performance.now();
    const report = await train(pool, { windowDays: 30, params: config.training.params, policy: config.policy }, log);
    const trainSec = (performance.now() - t) / 1000;
    const trainRssMb = process.memoryUsage().rss / 1024 / 1024;

    const issuer = await startDevIssuer();
    stops.push(() => issuer.close());
    const token = await issuer.mint({ roles: ["service"], games: [game], clientId: "bench" });
    const port = Number(env.RECOMMENDATIONS_PORT ?? (await freePort()));
    const base = `http://127.0.0.1:${port}`;
    const cachePrefix = `bench.${process.pid}.rec:`;
    log("starting the service (it loads the version into its embedded index before it is ready)...");
    t = performance.now();
    const service = await startService(
      "recommendations",
      { DATABASE_URL: databaseUrl, REDIS_URL: p.redisUrl, ...appKafkaEnv(plane.kafka.access, "recommendations", prefix), RECOMMENDATIONS_PORT: String(port), RECOMMENDATIONS_CACHE_PREFIX: cachePrefix, AUTH_ISSUER: issuer.issuer, RECOMMENDATIONS_REPEATABLE_ITEM_TYPES: "booster", LOG_LEVEL: "warn" },
      `${base}/readyz`,
      join(REPO_ROOT, ".local", "bench", "recommendations.log"),
    );
    stops.push(() => service.stop());
    const startSec = (performance.now() - t) / 1000;

    const outcomes: Record<string, number> = {};
    let body = "";
    const get = async (player: number) => {
      const r = await fetch(`${base}/v1/games/${game}/players/player-${player}/recommendations?limit=10`, { headers: { authorization: `Bearer ${token}` } });
      body = await r.text();
      if (r.status !== 200) throw new Error(`answered ${r.status}: ${body}`);
      const o = r.headers.get("x-cache") ?? "none";
      outcomes[o] = (outcomes[o] ?? 0) + 1;
    };
    await timed(200, SAMPLES.concurrency, (i) => get(SIZE.players - 1 - i)); // warm-up: JIT, connections, JWKS
    for (const k of Object.keys(outcomes)) delete outcomes[k];
    log(`misses: ${SAMPLES.players} distinct players...`);
    const miss = await timed(SAMPLES.players, SAMPLES.concurrency, (i) => get(i));
    const missOutcomes = { ...outcomes };
    for (const k of Object.keys(outcomes)) delete outcomes[k];
    log(`hits: ${SAMPLES.hits} requests over the same players...`);
    const hit = await timed(SAMPLES.hits, SAMPLES.concurrency, (i) => get(i % SAMPLES.players));
    const hitOutcomes = { ...outcomes };
    const serviceRssMb = rssMb(service.pid);

    // Baselines, same run, same client.
    const floorPort = await freePort();
    const floor = spawn(process.execPath, ["-e", `require("http").createServer((q, s) => s.writeHead(200, {"content-type": "application/json"}).end(${JSON.stringify(body)})).listen(${floorPort}, "127.0.0.1")`], { stdio: "ignore" });
    stops.push(async () => void floor.kill());
    await waitFor("bare HTTP server", async () => (await fetch(`http://127.0.0.1:${floorPort}/`).then((r) => r.ok, () => false)), 10_000);
    const bareHttp = await timed(SAMPLES.hits, SAMPLES.concurrency, async () => void (await (await fetch(`http://127.0.0.1:${floorPort}/`)).text()));
    const redis = createRedis({ url: p.redisUrl, cluster: false });
    stops.push(async () => void (await redis.quit()));
    const redisGet = await timed(SAMPLES.hits, SAMPLES.concurrency, async (i) => void (await redis.hmget(`${cachePrefix}{${game}/player-${i % SAMPLES.players}}`, "items|", "_gen")));
    const scan = new EmbeddedStore();
    await scan.createCollection("c", config.training.params.factors, "Dot");
    await scan.createKeywordIndex("c", "game");
    for await (const page of vectorItems(pool, report.version)) await scan.upsert("c", page.map((i) => ({ id: itemPointId(i.game, i.kind, i.item), vector: i.vector!, payload: { type: "item", game: i.game, kind: i.kind, item: i.item, platforms: i.platforms } })));
    for await (const page of playerVectors(pool, report.version)) await scan.upsert("c", page.map((pl) => ({ id: playerPointId(pl.game, pl.player), vector: pl.vector, payload: { type: "player" } })));
    const filter = { must: [{ key: "type", match: { value: "item" } }, { key: "game", match: { value: game } }, { key: "kind", match: { value: "items" } }] };
    const rawScan = await timed(SAMPLES.players, 1, async (i) => {
      const r = await scan.recommend("c", { positive: [playerPointId(game, `player-${i}`)], negative: [], filter, limit: 50 });
      if (r.kind !== "ok" || r.hits.length !== 50) throw new Error(`the raw scan for player-${i} found ${r.kind === "ok" ? r.hits.length : r.kind}`);
    });

    const g = report.games[0];
    // Other work on a shared machine moves every figure; the baselines beside them move with it.
    const load = loadavg().map((l) => l.toFixed(1)).join(" ");
    const result = {
      loadAverage: loadavg(),
      dataset: { players: SIZE.players, items: SIZE.items, events: rows, learnedItems: g?.learnedItems, playersWithVectors: g?.players, interactions: g?.interactions },
      seconds: { load: loadSec, train: trainSec, serviceStart: startSec },
      trainRssMb,
      serviceRssMb,
      hit: { ...hit, outcomes: hitOutcomes },
      miss: { ...miss, outcomes: missOutcomes },
      baselines: { bareHttp, redisHmget: redisGet, exactScan: rawScan },
      targets: { hitP99Ms: 20, missP99Ms: 100 },
    };
    if (json) return void process.stdout.write(`${JSON.stringify(result)}\n`);
    const row = (name: string, l: Latency) => `  ${name.padEnd(34)} ${l.p50.toFixed(2).padStart(7)} ${l.p99.toFixed(2).padStart(7)} ${l.max.toFixed(1).padStart(7)} ${l.perSec.toFixed(0).padStart(8)}`;
    const lines = [
      `recommendations bench: ${SIZE.players} players × ${SIZE.items} items, ${rows} events; ${g?.learnedItems} items learned, ${g?.players} player vectors, ${g?.interactions} interactions`,
      `  load ${loadSec.toFixed(1)} s (${(rows / loadSec).toFixed(0)} rows/s), train ${trainSec.toFixed(1)} s (bench RSS ${trainRssMb.toFixed(0)} MB), service start incl. index load ${startSec.toFixed(1)} s, service RSS ${serviceRssMb.toFixed(0)} MB`,
      `  load average during the run: ${load} (${cpus().length} cores)`,
      `  ${"".padEnd(34)} ${"p50 ms".padStart(7)} ${"p99 ms".padStart(7)} ${"max ms".padStart(7)} ${"req/s".padStart(8)}   (${SAMPLES.concurrency} concurrent)`,
      row(`cache hit  (${JSON.stringify(hitOutcomes)})`, hit),
      row(`cache miss (${JSON.stringify(missOutcomes)})`, miss),
      row("baseline: bare HTTP, same body", bareHttp),
      row("baseline: Redis HMGET of a page", redisGet),
      row("baseline: exact scan, in process", rawScan),
      `  hit p99 ${hit.p99.toFixed(2)} ms (target < 20: ${hit.p99 < 20 ? "met" : "MISSED"}), ${(hit.p99 / bareHttp.p99).toFixed(1)}x the bare HTTP p99`,
      `  miss p99 ${miss.p99.toFixed(2)} ms (target < 100: ${miss.p99 < 100 ? "met" : "MISSED"}), of which the scan's own p99 is ${rawScan.p99.toFixed(2)} ms`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await pool.end();
    const drop = new Client({ connectionString: p.databaseUrl });
    await drop.connect();
    await drop.query("DROP DATABASE IF EXISTS gamemetrics_bench_recs WITH (FORCE)").catch(() => undefined);
    await drop.end();
    await deleteTopics(kafka, prefix).catch(() => undefined);
    await downDataPlane(plane, log);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:recommendations failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
