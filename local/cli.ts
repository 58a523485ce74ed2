// `npm run local` (foreground), `npm run local:up` / `npm run local:down` (background).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createApiKey } from "../apps/shared/apikeys";
import { str } from "../apps/shared/config";
import { createPool } from "../apps/shared/pg";
import { analyticsHelp, startLocalAnalytics } from "./analytics";
import { dashboardRedirectUris, startLocalDashboard } from "./dashboard";
import { sendDemoTraffic, waitStored } from "./demo";
import { appKafkaEnv, KafkaApp } from "./kafka-access";
import { REPO_ROOT } from "./kafka-broker";
import { isAlive, stopProcess } from "./net";
import { DataPlane, downDataPlane, profile, upDataPlane } from "./platform";
import { startLocalNotifications, type LocalNotifications } from "./notifications";
import { MissingPrerequisite } from "./prereqs";
import { LOCAL_ARCHIVES_BUCKET, LOCAL_S3_CREDENTIALS, upLocalS3 } from "./s3-peers";
import { startService } from "./services";
import { localOpsEnv, startUsers, usersLines, type LocalUsers } from "./users";
import { localRecommendationsUrl, startLocalRecommendations } from "./recommendations";

const ENV_FILE = join(REPO_ROOT, ".local", "env.json");
const DEMO_GAME = "demo-game";
/** Issues the notifications API's dev tokens; it lives in this process (so only while `npm run local` runs). */
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
  ANALYTICS_URL: string;
  DASHBOARD_URL: string;
  pids: { ingestion: number; processor: number; users: number; analytics: number; recommendations: number; dashboard: number; s3proxy?: number } & LocalNotifications["pids"];
  users: Omit<LocalUsers, "service" | "token" | "secrets">;
  NOTIFICATIONS: Omit<LocalNotifications, "pids">;
  S3_ENDPOINT: string;
  ARCHIVES_BUCKET: string;
  RECOMMENDATIONS_URL: string;
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
    const s3 = await upLocalS3(Number(str(process.env, "S3PROXY_PORT", "9333")), join(p.dir, "s3proxy"), log);
    if (s3.startedPid !== undefined) pids.push(s3.startedPid);
    const key = await createApiKey(pool, DEMO_GAME, 1000);
    const env = { DATABASE_URL: p.databaseUrl, REDIS_URL: p.redisUrl, LOG_LEVEL: "info" };
    const kafkaEnv = (app: KafkaApp) => appKafkaEnv(dataPlane.kafka.access, app, "");
    const logs = join(p.dir, "logs");
    const processor = await startService("processor", { ...env, ...kafkaEnv("processor"), PROCESSOR_OPS_PORT: String(opsPort) }, `http://127.0.0.1:${opsPort}/readyz`, join(logs, "processor.log"));
    pids.push(processor.pid);
    log(`processor: consuming player.events.raw (pid ${processor.pid}, logs ${join(logs, "processor.log")})`);
    const ingestionUrl = `http://127.0.0.1:${ingestionPort}`;
    const ingestion = await startService("ingestion", { ...env, ...kafkaEnv("ingestion"), PORT: String(ingestionPort) }, `${ingestionUrl}/readyz`, join(logs, "ingestion.log"));
    pids.push(ingestion.pid);
    log(`ingestion: listening on ${ingestionUrl} (pid ${ingestion.pid}, logs ${join(logs, "ingestion.log")})`);
    // As its own Kafka principal (the Operations page's DLQ browser and consumer lag); it registers the
    // dashboard's client for the local dashboard's URL on start-up, as in the cluster.
    const users = await startUsers(pool, { ...env, ...kafkaEnv("users"), ...localOpsEnv([ingestionUrl]), USERS_DASHBOARD_REDIRECT_URIS: dashboardRedirectUris() }, usersPort, logs);
    pids.push(users.service.pid);
    log(`users: OIDC issuer ${users.url}/oauth (pid ${users.service.pid}, logs ${join(logs, "users.log")})`);
    // The analytics API verifies the users service's tokens and calls recommendations (started below) with its own, as in the cluster.
    // Its live counters consume player.events.processed as its own Kafka principal, like every app.
    const analytics = await startLocalAnalytics({ env: { ...env, ...kafkaEnv("analytics") }, users, recommendationsUrl: localRecommendationsUrl(), logs, log });
    pids.push(analytics.pid);
    const dashboard = await startLocalDashboard({ usersUrl: users.url, analyticsUrl: analytics.url, logs, log });
    pids.push(dashboard.pid);

    log("sending a short burst of demo traffic...");
    const ids = await sendDemoTraffic(ingestionUrl, key.key, 40);
    const stored = await waitStored(pool, ids, 30_000);
    log(`demo: ${ids.length} events accepted, ${stored} stored in PostgreSQL`);
    const notifications = await startLocalNotifications({ ...env, ...kafkaEnv("notifications") }, DEMO_GAME, { issuer: `${users.url}/oauth`, token: users.token }, logs, log);
    pids.push(notifications.pids.notifications, notifications.pids.smtpSink);
    const recs = await startLocalRecommendations({ env: { ...env, ...kafkaEnv("recommendations") }, issuer: `${users.url}/oauth`, logs, pool, log });
    pids.push(recs.pid);
    const state: LocalEnv = {
      INGESTION_URL: ingestionUrl,
      PROCESSOR_OPS_URL: `http://127.0.0.1:${opsPort}`,
      DATABASE_URL: p.databaseUrl,
      REDIS_URL: p.redisUrl,
      KAFKA_BROKERS: dataPlane.kafka.bootstrap,
      API_KEY: key.key,
      GAME_ID: DEMO_GAME,
      ANALYTICS_URL: analytics.url,
      DASHBOARD_URL: dashboard.url,
      pids: { ingestion: ingestion.pid, processor: processor.pid, users: users.service.pid, analytics: analytics.pid, dashboard: dashboard.pid, ...notifications.pids, recommendations: recs.pid, ...(s3.startedPid === undefined ? {} : { s3proxy: s3.startedPid }) },
      RECOMMENDATIONS_URL: recs.url,
      users: { url: users.url, admin: users.admin, client: users.client },
      NOTIFICATIONS: { url: notifications.url, mailsUrl: notifications.mailsUrl, smtp: notifications.smtp },
      S3_ENDPOINT: s3.endpoint,
      ARCHIVES_BUCKET: LOCAL_ARCHIVES_BUCKET,
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
    `  Kafka           ${s.KAFKA_BROKERS}  (SASL_SSL, SCRAM-SHA-512; CA ${s.dataPlane.kafka.access.caFile}, per-app users in ${s.dataPlane.kafka.access.caFile.replace(/tls\/ca\.crt$/, "access.json")})`,
    `  PostgreSQL      ${s.DATABASE_URL}`,
    `  dev API key     ${s.API_KEY}  (game ${s.GAME_ID})`,
    ...usersLines(s.users),
    `  dashboard       ${s.DASHBOARD_URL}/dashboard/?game=${s.GAME_ID}  (sign in as the dev admin above)`,
    `  S3 (S3Proxy)    ${s.S3_ENDPOINT}  bucket ${s.ARCHIVES_BUCKET}`,
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
    ...analyticsHelp(s.ANALYTICS_URL, s.GAME_ID),
    `  notifications   ${s.NOTIFICATIONS.url}/v1/notifications  (mail sink SMTP ${s.NOTIFICATIONS.smtp}, received mails: curl -s ${s.NOTIFICATIONS.mailsUrl})`,
    `    curl -s -X POST ${s.NOTIFICATIONS.url}/v1/notifications -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \\`,
    `      -d '{"game_id":"${s.GAME_ID}","idempotency_key":"hello-1","player_id":"p1","template":"welcome","data":{"name":"you"}}'`,
    "  retention (archive days older than the hot window to S3, then drop them; report; restore):",
    `    S3_ENDPOINT=${s.S3_ENDPOINT} AWS_ACCESS_KEY_ID=${LOCAL_S3_CREDENTIALS.AWS_ACCESS_KEY_ID} AWS_SECRET_ACCESS_KEY=${LOCAL_S3_CREDENTIALS.AWS_SECRET_ACCESS_KEY} \\`,
    `      ARCHIVES_BUCKET=${s.ARCHIVES_BUCKET} DATABASE_URL=${s.DATABASE_URL} npm run retention -- report`,
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
