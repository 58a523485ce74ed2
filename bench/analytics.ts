// `npm run bench:analytics -- [--events 10000000] [--days 30] [--players 100000] [--json]`
// Loads the dataset with COPY, builds the rollups with the rebuild, then times every dashboard
// question from the rollups and by a raw scan of player_events in the same run, the GraphQL API over
// HTTP (uncached and cached), the rollup storage against raw, and what the rollups cost the processor.
import { parseArgs } from "node:util";
import { persistedHash, DASHBOARD_QUERIES } from "../apps/analytics/persisted";
import { createReader } from "../apps/analytics/reader";
import { createApiKey } from "../apps/shared/apikeys";
import { Client, Pool } from "pg";
import { inTransaction } from "../apps/shared/pg";
import { addDays } from "../apps/shared/rollups/model";
import { dayRange, rebuildDays } from "../apps/shared/rollups/rebuild";
import { ROLLUP_TABLES } from "../apps/shared/rollups/sql";
import { startDevIssuer } from "../local/dev-issuer";
import { appKafkaEnv } from "../local/kafka-access";
import { freePort } from "../local/net";
import { downDataPlane, profile, upDataPlane } from "../local/platform";
import { startService } from "../local/services";
import { copyDataset } from "./analytics/dataset";
import { processorCost } from "./analytics/processor-cost";
import { QUESTIONS } from "./analytics/queries";

const GAME = "bench-analytics";

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "10000000" }, days: { type: "string", default: "30" }, players: { type: "string", default: "100000" },
    "rollup-runs": { type: "string", default: "200" }, "raw-runs": { type: "string", default: "5" }, "processor-events": { type: "string", default: "150000" },
    json: { type: "boolean", default: false },
  },
});
const size = { events: Number(values.events), days: Number(values.days), players: Number(values.players) };
const log = (l: string) => void (values.json ? process.stderr : process.stdout).write(`${l}\n`);

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

async function time<T>(fn: () => Promise<T>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

async function series(runs: number, fn: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) ms.push(await time(fn));
  return { p50: pct(ms, 50), p99: pct(ms, 99) };
}

async function main(): Promise<void> {
  const base = new URL(process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/gamemetrics");
  base.pathname = `${base.pathname}_bench_analytics`;
  const url = base.toString();
  // A clean database per run: the figures never depend on what an earlier run left.
  const admin = new Client({ connectionString: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres" });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${base.pathname.slice(1)}" WITH (FORCE)`);
  await admin.end();
  const plane = await upDataPlane({ ...profile("bench"), databaseUrl: url }, "", log);
  try {
    // The live consumer runs as the analytics principal, as in the cluster (the broker speaks only SASL_SSL).
    await bench(url, appKafkaEnv(plane.kafka.access, "analytics", ""));
  } finally {
    await downDataPlane(plane, log);
  }
}

async function bench(url: string, kafkaEnv: Record<string, string>): Promise<void> {
  const pool = new Pool({ connectionString: url, max: 4 });
  await createApiKey(pool, GAME);
  const today = new Date().toISOString().slice(0, 10);
  const first = addDays(today, -size.days);
  const last = addDays(today, -1);
  for (const d of dayRange(addDays(first, -1), today)) await pool.query("SELECT gm_ensure_event_partition($1::date)", [d]);

  log(`loading ${size.events} events, ${size.days} days, ${size.players} players with COPY...`);
  let loaded = { rows: 0, playerDays: 0 };
  const copyMs = await time(async () => (loaded = await copyDataset(url, GAME, size, first)));
  await pool.query("ANALYZE player_events");
  log(`  ${loaded.rows} rows in ${(copyMs / 1000).toFixed(1)} s; building the rollups (rebuild)...`);
  const rebuildMs = await time(() => inTransaction(pool, (c) => rebuildDays(c, GAME, dayRange(first, last))));
  for (const t of ROLLUP_TABLES) await pool.query(`VACUUM ANALYZE ${t}`);
  const size_ = async (sql: string) => Number((await pool.query<{ b: string }>(sql)).rows[0].b);
  const rawBytes = await size_("SELECT sum(pg_total_relation_size(inhrelid))::text AS b FROM pg_inherits WHERE inhparent = 'player_events'::regclass");
  const rollupBytes = await size_(`SELECT sum(pg_total_relation_size(t))::text AS b FROM unnest(ARRAY[${ROLLUP_TABLES.map((t) => `'${t}'::regclass`).join(",")}]) t`);

  const db = createReader(pool, 600_000);
  const range = { from: first, to: last };
  const rows: { question: string; rollupP50: number; rollupP99: number; rawP50: number; rawP99: number; speedup: number }[] = [];
  for (const q of QUESTIONS) {
    log(`  ${q.name}...`);
    for (let i = 0; i < 5; i++) await q.rollup(db, GAME, range);
    const r = await series(Number(values["rollup-runs"]), () => q.rollup(db, GAME, range));
    const rr = q.rawRange?.(range) ?? range;
    const raw = await series(Number(values["raw-runs"]), () => pool.query(q.raw, [GAME, rr.from, rr.to]));
    rows.push({ question: q.name, rollupP50: r.p50, rollupP99: r.p99, rawP50: raw.p50, rawP99: raw.p99, speedup: raw.p50 / r.p50 });
  }

  // The whole API over HTTP: the dashboard's persisted overview, uncached (range open: ends today) and cached.
  const issuer = await startDevIssuer();
  const port = await freePort();
  const api = await startService("analytics", { DATABASE_URL: url, PORT: String(port), AUTH_ISSUER: issuer.issuer, ...kafkaEnv, ANALYTICS_CACHE_PREFIX: `bench:${Date.now()}:`, LOG_LEVEL: "warn" }, `http://127.0.0.1:${port}/readyz`, ".local/bench/logs/analytics.log");
  const token = await issuer.mint({ roles: ["analyst"], games: [GAME] });
  const call = (to: string) => fetch(`http://127.0.0.1:${port}/graphql`, {
    method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ persisted: true, query: persistedHash(DASHBOARD_QUERIES.overview), variables: { game: GAME, range: { from: first, to } } }),
  }).then(async (r) => { if (r.status !== 200) throw new Error(`overview answered ${r.status}: ${await r.text()}`); return r.text(); });
  for (let i = 0; i < 5; i++) await call(today);
  const http = { uncached: await series(200, () => call(today)), cached: await series(200, () => call(last)) };
  await api.stop();
  await issuer.close();

  log(`  processor store step with and without rollups (${values["processor-events"]} events x 3)...`);
  const cost = await processorCost(pool, Number(values["processor-events"]), size.days);
  await pool.end();

  const median = (xs: number[]) => pct(xs, 50);
  const report = {
    ran: { ...size, rowsLoaded: loaded.rows, playerDays: loaded.playerDays },
    load: { copySeconds: copyMs / 1000, copyRowsPerSec: loaded.rows / (copyMs / 1000), rebuildSeconds: rebuildMs / 1000 },
    storage: { rawMb: rawBytes / 2 ** 20, rollupMb: rollupBytes / 2 ** 20, rollupShare: rollupBytes / rawBytes },
    questions: rows,
    httpOverview: http,
    processor: { ...cost, withoutMedian: median(cost.withoutPerSec), withMedian: median(cost.withPerSec), usPerEventAdded: 1e6 / median(cost.withPerSec) - 1e6 / median(cost.withoutPerSec) },
  };
  if (values.json) return void process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  const f = (n: number, d = 1) => n.toFixed(d);
  log(`\nanalytics bench: ${loaded.rows} events, ${size.days} days, ${size.players} players, ${loaded.playerDays} player-days`);
  log(`load: COPY ${f(report.load.copySeconds)} s (${f(report.load.copyRowsPerSec, 0)} rows/s); rollups rebuilt in ${f(report.load.rebuildSeconds)} s`);
  log(`storage: raw ${f(report.storage.rawMb)} MB, rollups ${f(report.storage.rollupMb)} MB (${f(report.storage.rollupShare * 100)} % of raw)`);
  log("question                                              rollup p50/p99 ms    raw p50/p99 ms     raw/rollup");
  for (const r of rows) log(`${r.question.padEnd(54)}${`${f(r.rollupP50, 2)} / ${f(r.rollupP99, 2)}`.padEnd(21)}${`${f(r.rawP50, 0)} / ${f(r.rawP99, 0)}`.padEnd(19)}${f(r.speedup, 0)}x`);
  log(`GraphQL overview over HTTP (4 metrics): uncached p50 ${f(http.uncached.p50, 2)} / p99 ${f(http.uncached.p99, 2)} ms; cached p50 ${f(http.cached.p50, 2)} / p99 ${f(http.cached.p99, 2)} ms`);
  log(`processor store step, events/s: without rollups ${cost.withoutPerSec.map((x) => f(x, 0)).join(", ")}; with ${cost.withPerSec.map((x) => f(x, 0)).join(", ")} (+${f(report.processor.usPerEventAdded)} µs/event); rebuild = live: ${cost.rebuildEqualsLive}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:analytics failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
