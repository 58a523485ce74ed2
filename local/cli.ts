// `npm run local` (foreground), `npm run local:up` / `npm run local:down` (background).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createApiKey } from "../apps/shared/apikeys";
import { str } from "../apps/shared/config";
import { createPool } from "../apps/shared/pg";
import { sendDemoTraffic, waitStored } from "./demo";
import { REPO_ROOT } from "./kafka-broker";
import { isAlive, stopProcess } from "./net";
import { DataPlane, downDataPlane, profile, upDataPlane } from "./platform";
import { MissingPrerequisite } from "./prereqs";
import { startService } from "./services";
import { startUsers, usersLines, type LocalUsers } from "./users";
import { startLocalRecommendations } from "./recommendations";

const ENV_FILE = join(REPO_ROOT, ".local", "env.json");
const DEMO_GAME = "demo-game";
const log = (line: string): void => {
  process.stdout.write(`[local] ${line}\n`);
};

export interface LocalEnv {
  INGESTION_URL: string;
  PROCESSOR_OPS_URL: string;
  DATABASE_URL: string;
  REDIS_URL: string;
  KAFKA_BROKERS: string;
  API_KEY: string;
  GAME_ID: string;
  RECOMMENDATIONS_URL: string;
  pids: { ingestion: number; processor: number; users: number; recommendations: number };
  users: Omit<LocalUsers, "service">;
  dataPlane: DataPlane;
}

async function up(): Promise<LocalEnv> {
  const p = profile("dev");
  const ingestionPort = Number(str(process.env, "INGESTION_PORT", "8080"));
  const opsPort = Number(str(process.env, "PROCESSOR_OPS_PORT", "9091"));
  const usersPort = Number(str(process.env, "USERS_PORT", "8083"));
  const dataPlane = await upDataPlane(p, "", log);
  const pool = createPool(p.databaseUrl, 2);
  const pids: number[] = [];
  try {
    const key = await createApiKey(pool, DEMO_GAME, 1000);
    const env = { DATABASE_URL: p.databaseUrl, REDIS_URL: p.redisUrl, KAFKA_BROKERS: dataPlane.kafka.bootstrap, LOG_LEVEL: "info" };
    const logs = join(p.dir, "logs");
    const processor = await startService("processor", { ...env, PROCESSOR_OPS_PORT: String(opsPort) }, `http://127.0.0.1:${opsPort}/readyz`, join(logs, "processor.log"));
    pids.push(processor.pid);
    log(`processor: consuming player.events.raw (pid ${processor.pid}, logs ${join(logs, "processor.log")})`);
    const ingestionUrl = `http://127.0.0.1:${ingestionPort}`;
    const ingestion = await startService("ingestion", { ...env, PORT: String(ingestionPort) }, `${ingestionUrl}/readyz`, join(logs, "ingestion.log"));
    pids.push(ingestion.pid);
    log(`ingestion: listening on ${ingestionUrl} (pid ${ingestion.pid}, logs ${join(logs, "ingestion.log")})`);

    const users = await startUsers(pool, env, usersPort, logs);
    pids.push(users.service.pid);
    log(`users: OIDC issuer ${users.url}/oauth (pid ${users.service.pid}, logs ${join(logs, "users.log")})`);

    log("sending a short burst of demo traffic...");
    const ids = await sendDemoTraffic(ingestionUrl, key.key, 40);
    const stored = await waitStored(pool, ids, 30_000);
    log(`demo: ${ids.length} events accepted, ${stored} stored in PostgreSQL`);
    const recs = await startLocalRecommendations({ env, issuer: `${users.url}/oauth`, logs, pool, log });
    pids.push(recs.pid);
    const state: LocalEnv = {
      INGESTION_URL: ingestionUrl,
      PROCESSOR_OPS_URL: `http://127.0.0.1:${opsPort}`,
      DATABASE_URL: p.databaseUrl,
      REDIS_URL: p.redisUrl,
      KAFKA_BROKERS: dataPlane.kafka.bootstrap,
      API_KEY: key.key,
      GAME_ID: DEMO_GAME,
      RECOMMENDATIONS_URL: recs.url,
      pids: { ingestion: ingestion.pid, processor: processor.pid, users: users.service.pid, recommendations: recs.pid },
      users: { url: users.url, admin: users.admin, client: users.client },
      dataPlane,
    };
    mkdirSync(join(REPO_ROOT, ".local"), { recursive: true });
    writeFileSync(ENV_FILE, JSON.stringify(state, null, 2));
    printWhereToLook(state);
    return state;
  } catch (err) {
    log("start-up failed; stopping what was started");
    for (const pid of pids.reverse()) await stopProcess(pid, 20_000);
    await downDataPlane(dataPlane, log);
    throw err;
  } finally {
    await pool.end();
  }
}

function printWhereToLook(s: LocalEnv): void {
  const lines = [
    "",
    "GameMetrics local platform is up:",
    `  ingestion API   ${s.INGESTION_URL}/v1/events  (health ${s.INGESTION_URL}/readyz, metrics ${s.INGESTION_URL}/metrics)`,
    `  processor       ${s.PROCESSOR_OPS_URL}/metrics`,
    `  Kafka           ${s.KAFKA_BROKERS}`,
    `  PostgreSQL      ${s.DATABASE_URL}`,
    `  dev API key     ${s.API_KEY}  (game ${s.GAME_ID})`,
    ...usersLines(s.users),
    "",
    "  send an event:",
    `    curl -s -X POST ${s.INGESTION_URL}/v1/events -H 'content-type: application/json' -H 'x-api-key: ${s.API_KEY}' \\`,
    `      -d '{"type":"design","player_id":"p1","design_id":"ui.hello"}'`,
    `  recommendations ${s.RECOMMENDATIONS_URL}  (embedded vector index in the service process; Qdrant only in the cluster)`,
    `    curl -s -H "authorization: Bearer $TOKEN" \\`,
    `      '${s.RECOMMENDATIONS_URL}/v1/games/${s.GAME_ID}/players/player-1/recommendations?kind=levels&limit=5'`,
    "    retrain: npm run recommendations -- train   (the service loads the new version within 10 s)",
    "  see the stored events:",
    `    psql ${s.DATABASE_URL} -c "SELECT event_type, count(*) FROM player_events WHERE game_id = '${s.GAME_ID}' GROUP BY 1"`,
    `  environment for other tools: ${ENV_FILE}`,
    "",
  ];
  process.stdout.write(lines.join("\n") + "\n");
}

async function down(s: LocalEnv): Promise<void> {
  for (const [name, pid] of Object.entries(s.pids)) {
    if (isAlive(pid)) {
      log(`${name}: stopping (pid ${pid})`);
      await stopProcess(pid, 20_000);
    }
  }
  await downDataPlane(s.dataPlane, log);
  rmSync(ENV_FILE, { force: true });
  log("stopped everything this platform started");
}

async function main(command: string | undefined): Promise<void> {
  if (command === "up" || command === "run") {
    if (existsSync(ENV_FILE)) throw new Error(`${ENV_FILE} exists: the platform is already up (npm run local:down first)`);
    const s = await up();
    if (command === "up") {
      log("running in the background; stop it with: npm run local:down");
      return;
    }
    log("press Ctrl-C to stop");
    // The services are detached children, so nothing else keeps this process alive.
    const keepAlive = setInterval(() => undefined, 60_000);
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    clearInterval(keepAlive);
    process.stdout.write("\n");
    await down(s);
  } else if (command === "down") {
    if (!existsSync(ENV_FILE)) {
      log("nothing to stop (no .local/env.json)");
      return;
    }
    await down(JSON.parse(readFileSync(ENV_FILE, "utf8")) as LocalEnv);
  } else {
    throw new Error("usage: tsx local/cli.ts run | up | down");
  }
}

main(process.argv[2]).catch((err: unknown) => {
  process.stderr.write(err instanceof MissingPrerequisite ? `[local] ${err.message}\n` : `[local] failed: ${(err as Error).message}\n`);
  process.exit(1);
});
