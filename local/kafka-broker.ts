// A real single-node KRaft broker from Apache Kafka's own jars (fetched by local/kafka/pom.xml
// into .local/kafka/libs with Maven, cached in ~/.m2), run with the machine's Java.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fetchMavenJars } from "./maven";
import { isAlive, isPortOpen, stopProcess, waitFor } from "./net";
import { javaMajorVersion, MissingPrerequisite, requireCommand } from "./prereqs";

export const REPO_ROOT = join(__dirname, "..");
const POM = join(REPO_ROOT, "local", "kafka", "pom.xml");
export const KAFKA_LIBS = join(REPO_ROOT, ".local", "kafka", "libs");

/** Fetches the jars once (and again only when the pom changes). */
export function ensureKafkaJars(log: (line: string) => void): void {
  fetchMavenJars(POM, KAFKA_LIBS, "Apache Kafka jars", log);
}

export interface BrokerOptions {
  /** Folder of this broker's data, config, log and pid file. */
  dir: string;
  port: number;
  heapMb?: number;
}

function serverProperties(o: BrokerOptions): string {
  const c = o.port + 1;
  return [
    "process.roles=broker,controller",
    "node.id=1",
    `controller.quorum.voters=1@127.0.0.1:${c}`,
    `listeners=PLAINTEXT://127.0.0.1:${o.port},CONTROLLER://127.0.0.1:${c}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${o.port}`,
    "controller.listener.names=CONTROLLER",
    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
    "inter.broker.listener.name=PLAINTEXT",
    `log.dirs=${join(o.dir, "data")}`,
    "num.partitions=2",
    "offsets.topic.replication.factor=1",
    "offsets.topic.num.partitions=4",
    "transaction.state.log.replication.factor=1",
    "transaction.state.log.min.isr=1",
    "group.initial.rebalance.delay.ms=0",
    "auto.create.topics.enable=false",
    "log.segment.delete.delay.ms=1000", // deleted topics (bench runs) free their disk at once
    "",
  ].join("\n");
}

const LOG4J = (file: string) =>
  [
    "log4j.rootLogger=WARN, file",
    "log4j.logger.kafka.server.KafkaServer=INFO",
    "log4j.logger.kafka.server.BrokerServer=INFO",
    "log4j.appender.file=org.apache.log4j.FileAppender",
    `log4j.appender.file.File=${file}`,
    "log4j.appender.file.layout=org.apache.log4j.PatternLayout",
    "log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n",
    "",
  ].join("\n");

export function javaBin(): string {
  const java = requireCommand("java");
  const major = javaMajorVersion(java);
  if (major < 17) throw new MissingPrerequisite(`missing Java 17+ (found Java ${major}; install: apt-get install openjdk-17-jre-headless)`);
  return java;
}

const pidFile = (o: BrokerOptions) => join(o.dir, "broker.pid");

/** The pid of a broker started from this folder that is still running. */
export function brokerPid(o: BrokerOptions): number | undefined {
  if (!existsSync(pidFile(o))) return undefined;
  const pid = Number(readFileSync(pidFile(o), "utf8"));
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
}

/** Starts the broker in the background (formatting its storage the first time); resolves when it accepts connections. */
export async function startBroker(o: BrokerOptions, log: (line: string) => void): Promise<number> {
  const java = javaBin();
  ensureKafkaJars(log);
  if (await isPortOpen(o.port)) throw new Error(`port ${o.port} is already in use; set KAFKA_PORT to a free port`);
  mkdirSync(join(o.dir, "data"), { recursive: true });
  const props = join(o.dir, "server.properties");
  writeFileSync(props, serverProperties(o));
  writeFileSync(join(o.dir, "log4j.properties"), LOG4J(join(o.dir, "broker.log")));
  const cp = `${KAFKA_LIBS}/*`;
  if (!existsSync(join(o.dir, "data", "meta.properties"))) {
    const r = spawnSync(java, ["-cp", cp, "kafka.tools.StorageTool", "format", "-t", randomBytes(16).toString("base64url"), "-c", props], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`formatting Kafka storage failed: ${r.stderr}`);
  }
  const out = openSync(join(o.dir, "broker.out"), "a");
  const child = spawn(
    java,
    [`-Xmx${o.heapMb ?? 512}m`, "-Xss1m", `-Dlog4j.configuration=file:${join(o.dir, "log4j.properties")}`, "-cp", cp, "kafka.Kafka", props],
    { detached: true, stdio: ["ignore", out, out] },
  );
  child.unref();
  const pid = child.pid as number;
  writeFileSync(pidFile(o), String(pid));
  let exited: string | undefined;
  child.once("exit", (code, signal) => (exited = `exit ${code ?? signal}; see ${join(o.dir, "broker.log")}`));
  await waitFor(`Kafka broker on port ${o.port}`, () => isPortOpen(o.port), 60_000, () => exited);
  return pid;
}

export async function stopBroker(o: BrokerOptions): Promise<void> {
  const pid = brokerPid(o);
  if (pid !== undefined) await stopProcess(pid, 30_000);
}

/** Kafka's own producer benchmark (the raw baseline of `npm run bench`), from the same jars. */
export function producerPerfTest(bootstrap: string, topic: string, records: number, recordSize: number): string {
  const java = javaBin();
  const r = spawnSync(
    java,
    [
      "-Xmx512m", "-cp", `${KAFKA_LIBS}/*`, "-Dlog4j.configuration=file:/dev/null", "org.apache.kafka.tools.ProducerPerformance",
      "--topic", topic, "--num-records", String(records), "--record-size", String(recordSize), "--throughput", "-1",
      "--producer-props", `bootstrap.servers=${bootstrap}`, "acks=all", "enable.idempotence=true",
    ],
    { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 },
  );
  if (r.status !== 0) throw new Error(`ProducerPerformance failed: ${r.stderr}`);
  return r.stdout;
}

