// The data plane of the local platform: Kafka, PostgreSQL, Redis, schema and topics.
// Reuses what is reachable, starts what is not, and remembers what it started so that
// `down` stops exactly that.
import { join } from "node:path";
import { str } from "../apps/shared/config";
import { ensureDatabase, migrate } from "../apps/shared/db/migrate";
import { createLogger } from "../apps/shared/logger";
import { provisionKafka } from "./kafka-access";
import { BrokerAccess, BrokerOptions, readBrokerAccess, REPO_ROOT, startBroker, stopBroker } from "./kafka-broker";
import { ensurePostgres, ensureRedis, Started, stopPostgres, stopRedis } from "./datastores";
import { isPortOpen } from "./net";

export type ProfileName = "dev" | "test" | "bench";

/** Where one profile's services live; every value can be overridden by the environment. */
export interface Profile {
  name: ProfileName;
  dir: string;
  kafkaPort: number;
  databaseUrl: string;
  redisUrl: string;
}

const DB_NAMES = { test: "gamemetrics_test" } as const;
const KAFKA_PORTS: Record<ProfileName, number> = { dev: 9092, test: 19092, bench: 9092 };

/** dev and bench share the dev broker; tests get their own broker and database so they never touch dev data. */
export function profile(name: ProfileName, env: NodeJS.ProcessEnv = process.env): Profile {
  const base = new URL(str(env, "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gamemetrics"));
  // TEST_DATABASE lets several checkouts run their tests side by side on one PostgreSQL.
  // The bench's database is named after the dev one (gamemetrics_<you>_bench): it truncates its tables.
  if (name === "test") base.pathname = `/${str(env, "TEST_DATABASE", DB_NAMES.test)}`;
  if (name === "bench") base.pathname = `${base.pathname}_bench`;
  const portKey = name === "test" ? "KAFKA_TEST_PORT" : "KAFKA_PORT";
  const kafkaPort = Number(str(env, portKey, String(KAFKA_PORTS[name])));
  if (!Number.isInteger(kafkaPort) || kafkaPort < 1 || kafkaPort > 65_534) {
    throw new Error(`config ${portKey}="${env[portKey]}" is invalid: expected a port from 1 to 65534 (the controller uses port + 1)`);
  }
  const brokerDir = name === "test" ? "test" : "dev";
  return {
    name,
    dir: join(REPO_ROOT, ".local", brokerDir),
    kafkaPort,
    databaseUrl: base.toString(),
    redisUrl: str(env, "REDIS_URL", "redis://127.0.0.1:6379"),
  };
}

export interface DataPlane {
  profile: Profile;
  kafka: { bootstrap: string; startedPid?: number; access: BrokerAccess };
  postgres: Started;
  redis: Started;
}

export const brokerOptions = (p: Profile): BrokerOptions => ({ dir: join(p.dir, "kafka"), port: p.kafkaPort });

export async function upDataPlane(p: Profile, topicPrefix: string, log: (line: string) => void): Promise<DataPlane> {
  const redis = await ensureRedis(p.redisUrl, p.dir, log);
  const postgres = await ensurePostgres(p.databaseUrl, p.dir, log);
  let startedPid: number | undefined;
  const broker = brokerOptions(p);
  if (await isPortOpen(p.kafkaPort)) {
    // Reused only when it is this checkout's broker: its credentials and CA live in its folder.
    if (readBrokerAccess(broker.dir)?.bootstrap !== `127.0.0.1:${p.kafkaPort}`) {
      throw new Error(`port ${p.kafkaPort} is in use by a process that is not this checkout's broker (${broker.dir}); set ${p.name === "test" ? "KAFKA_TEST_PORT" : "KAFKA_PORT"} to a free port`);
    }
    log(`Kafka: reusing the broker on 127.0.0.1:${p.kafkaPort}`);
  } else {
    log(`Kafka: starting a KRaft broker on 127.0.0.1:${p.kafkaPort}, SASL_SSL + SCRAM-SHA-512, ACLs (${broker.dir})`);
    startedPid = await startBroker(broker, log);
  }
  const access = readBrokerAccess(broker.dir) as BrokerAccess;
  const bootstrap = access.bootstrap;
  await ensureDatabase(p.databaseUrl);
  const applied = await migrate(p.databaseUrl);
  log(`PostgreSQL: database ${new URL(p.databaseUrl).pathname.slice(1)} ${applied.length > 0 ? `migrated (${applied.join(", ")})` : "schema up to date"}`);
  await provisionKafka(access, topicPrefix, createLogger("local", "error"));
  return { profile: p, kafka: { bootstrap, startedPid, access }, postgres, redis };
}

/** Stops only what upDataPlane started. */
export async function downDataPlane(d: DataPlane, log: (line: string) => void): Promise<void> {
  if (d.kafka.startedPid !== undefined) {
    log("Kafka: stopping the broker");
    await stopBroker(brokerOptions(d.profile));
  }
  if (d.postgres.dataDir !== undefined) {
    log("PostgreSQL: stopping the throwaway server");
    await stopPostgres(d.postgres);
  }
  if (d.redis.pid !== undefined) {
    log("Redis: stopping the throwaway server");
    await stopRedis(d.redis);
  }
}
