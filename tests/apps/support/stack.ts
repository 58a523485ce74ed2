// One isolated slice of the platform per test file: its own topic prefix, consumer group,
// game and API key on the shared test broker and database, and its own service processes.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { Pool } from "pg";
import { createApiKey } from "../../../apps/shared/apikeys";
import { KafkaOptions, topicNames, Topics } from "../../../apps/shared/kafka";
import { createLogger } from "../../../apps/shared/logger";
import { adminKafka, appKafka, appKafkaEnv, KafkaApp, provisionKafka } from "../../../local/kafka-access";
import { BrokerAccess, readBrokerAccess, REPO_ROOT } from "../../../local/kafka-broker";
import { freePort } from "../../../local/net";
import { RunningService, startService } from "../../../local/services";
import { testEnv } from "./env";

export interface Stack {
  name: string;
  /** What this stack's topic and consumer-group names start with (its ACLs are granted under it). */
  prefix: string;
  topics: Topics;
  /** The broker's super user: for test readers and writers that act as no app. */
  kafka: KafkaOptions;
  /** As one app's own principal (what its ACLs allow). */
  kafkaAs(app: KafkaApp): KafkaOptions;
  /** The environment of an app's process on this stack: the shared settings plus its own Kafka principal and group. */
  envFor(app: KafkaApp): Record<string, string>;
  access: BrokerAccess;
  databaseUrl: string;
  pool: Pool;
  gameId: string;
  apiKey: string;
  ingestionUrl: string;
  serviceEnv: Record<string, string>;
  startIngestion(extra?: Record<string, string>): Promise<RunningService>;
  startProcessor(): Promise<RunningService>;
  close(): Promise<void>;
}

/**
 * `brokerDir` defaults to the shared test broker; a test that restarts its broker brings its own.
 * `databaseUrl` defaults to the shared test database; a test that owns every row of a table brings a scratch one.
 */
export async function createStack(name: string, brokerDir: string = testEnv("kafkaDir"), rateLimitPerSec = 1_000_000, databaseUrl = testEnv("databaseUrl")): Promise<Stack> {
  const run = `${name}-${Date.now().toString(36)}-${randomBytes(2).toString("hex")}`;
  const prefix = `t.${run}.`;
  const topics = topicNames(prefix);
  const access = readBrokerAccess(brokerDir);
  if (access === undefined) throw new Error(`no Kafka broker access file in ${brokerDir}`);
  const logger = createLogger("test", "error");
  const kafka: KafkaOptions = { ...adminKafka(access, `test-${name}`, logger), retries: 3 };
  await provisionKafka(access, prefix, logger);
  const pool = new Pool({ connectionString: databaseUrl, max: 4 });
  pool.on("error", () => undefined); // a test that restarts PostgreSQL closes idle clients under the pool
  const gameId = `g-${run}`;
  const { key } = await createApiKey(pool, gameId, rateLimitPerSec);
  const [port, opsPort] = [await freePort(), await freePort()];
  const ingestionUrl = `http://127.0.0.1:${port}`;
  const serviceEnv: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: testEnv("redisUrl"),
    PORT: String(port),
    PROCESSOR_OPS_PORT: String(opsPort),
    DRAIN_DELAY_MS: "200",
    PROCESSOR_SESSION_TIMEOUT_MS: "6000",
    LOG_LEVEL: "info",
  };
  const logs = join(REPO_ROOT, ".local", "test", "logs");
  const running = new Set<RunningService>();
  const track = (s: RunningService) => {
    running.add(s);
    s.child.once("exit", () => running.delete(s));
    return s;
  };
  return {
    name,
    prefix,
    topics,
    kafka,
    kafkaAs: (app) => ({ ...appKafka(access, app, logger), retries: 3 }),
    envFor: (app) => ({ ...serviceEnv, ...appKafkaEnv(access, app, prefix) }),
    access,
    databaseUrl,
    pool,
    gameId,
    apiKey: key,
    ingestionUrl,
    serviceEnv,
    startIngestion: async (extra = {}) =>
      track(await startService("ingestion", { ...serviceEnv, ...appKafkaEnv(access, "ingestion", prefix), ...extra }, `${ingestionUrl}/readyz`, join(logs, `${run}-ingestion.log`))),
    startProcessor: async () =>
      track(await startService("processor", { ...serviceEnv, ...appKafkaEnv(access, "processor", prefix) }, `http://127.0.0.1:${opsPort}/readyz`, join(logs, `${run}-processor.log`))),
    close: async () => {
      await Promise.all([...running].map((s) => s.stop()));
      await pool.end();
    },
  };
}

export interface Reply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const r = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await r.text();
  return { status: r.status, headers: r.headers, body: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

/** Polls until check returns a value that is not undefined, or fails with what it waited for. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
