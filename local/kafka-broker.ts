// A real single-node KRaft broker from Apache Kafka's own jars (fetched by local/kafka/pom.xml
// into .local/kafka/libs with Maven, cached in ~/.m2), run with the machine's Java.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { principals } from "../infra/kafka/access";
import { BROKER_DN, ensureBrokerTls, TlsFiles } from "./kafka-tls";
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
  /** Folder of this broker's data, config, TLS material, credentials, log and pid file. */
  dir: string;
  port: number;
  heapMb?: number;
}

/**
 * Production's security mode on one machine: clients reach the broker only over SASL_SSL with
 * SCRAM-SHA-512 (users created in the storage format, as KRaft allows); the controller listener is
 * TLS with client certificates; StandardAuthorizer refuses whatever no ACL allows.
 */
function serverProperties(o: BrokerOptions, tls: TlsFiles, admin: ScramUser): string {
  const c = o.port + 1;
  return [
    "process.roles=broker,controller",
    "node.id=1",
    `controller.quorum.voters=1@127.0.0.1:${c}`,
    `listeners=SASL_SSL://127.0.0.1:${o.port},CONTROLLER://127.0.0.1:${c}`,
    `advertised.listeners=SASL_SSL://127.0.0.1:${o.port}`,
    "controller.listener.names=CONTROLLER",
    "listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:SSL",
    "inter.broker.listener.name=SASL_SSL",
    "sasl.enabled.mechanisms=SCRAM-SHA-512",
    "sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512",
    `listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=${jaas(admin)}`,
    "ssl.keystore.type=PEM",
    `ssl.keystore.location=${tls.keystoreFile}`,
    "ssl.truststore.type=PEM",
    `ssl.truststore.location=${tls.caFile}`,
    "listener.name.controller.ssl.client.auth=required",
    "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
    "allow.everyone.if.no.acl.found=false",
    `super.users=User:${admin.username};User:${BROKER_DN}`,
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

/** The SCRAM users of a local broker: every principal the platform creates (apps and platform services). */
export const principalNames = (): string[] => principals({ cdc: true }).map((p) => p.user);

export interface ScramUser {
  username: string;
  password: string;
}

/** How to reach a local broker: written next to its data (mode 600) and read by tests, tools and the bench. */
export interface BrokerAccess {
  bootstrap: string;
  caFile: string;
  /** The super user: creates topics and ACLs; never handed to an app. */
  admin: ScramUser;
  /** Every principal of infra/kafka/access.ts, by user name. */
  users: Record<string, string>;
}

const jaas = (u: ScramUser) => `org.apache.kafka.common.security.scram.ScramLoginModule required username="${u.username}" password="${u.password}";`;
const accessFile = (o: BrokerOptions) => join(o.dir, "access.json");
const ADMIN_USER = "admin";

/** The access file of a broker folder, or undefined before its first start. */
export function readBrokerAccess(dir: string): BrokerAccess | undefined {
  const f = join(dir, "access.json");
  return existsSync(f) ? (JSON.parse(readFileSync(f, "utf8")) as BrokerAccess) : undefined;
}

/** The credentials of a broker folder: kept across restarts, new users added for new principals. */
function brokerCredentials(o: BrokerOptions, tls: TlsFiles): BrokerAccess {
  const prev = readBrokerAccess(o.dir);
  const password = () => randomBytes(24).toString("base64url");
  const users = Object.fromEntries(principalNames().map((u) => [u, prev?.users[u] ?? password()]));
  return { bootstrap: `127.0.0.1:${o.port}`, caFile: tls.caFile, admin: prev?.admin ?? { username: ADMIN_USER, password: password() }, users };
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
  const tls = ensureBrokerTls(join(o.dir, "tls"));
  const prev = readBrokerAccess(o.dir);
  const access = brokerCredentials(o, tls);
  const data = join(o.dir, "data");
  if (prev === undefined && existsSync(join(data, "meta.properties"))) {
    log(`Kafka: ${data} was formatted without SCRAM users (a plaintext broker); formatting it again`);
    rmSync(data, { recursive: true, force: true });
  }
  mkdirSync(data, { recursive: true });
  const props = join(o.dir, "server.properties");
  writeFileSync(props, serverProperties(o, tls, access.admin), { mode: 0o600 });
  writeFileSync(join(o.dir, "log4j.properties"), LOG4J(join(o.dir, "broker.log")));
  writeFileSync(accessFile(o), JSON.stringify(access, null, 2), { mode: 0o600 });
  const cp = `${KAFKA_LIBS}/*`;
  const missing = Object.keys(access.users).filter((u) => prev?.users[u] === undefined);
  if (!existsSync(join(data, "meta.properties"))) {
    const scram = [access.admin, ...Object.entries(access.users).map(([username, password]) => ({ username, password }))].flatMap((u) => [
      "--add-scram",
      `SCRAM-SHA-512=[name=${u.username},password=${u.password}]`,
    ]);
    // `--cluster-id=<id>` in one argument: a base64url id may begin with "-", which the tool would take for an option.
    const clusterId = randomBytes(16).toString("base64url");
    const r = spawnSync(java, ["-cp", cp, "kafka.tools.StorageTool", "format", `--cluster-id=${clusterId}`, "-c", props, ...scram], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`formatting Kafka storage failed: ${r.stderr}`);
    missing.length = 0;
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
  // Generous: a cold JVM start with TLS takes 10-30 s on 2 busy cores.
  await waitFor(`Kafka broker on port ${o.port}`, () => isPortOpen(o.port), 120_000, () => exited);
  // Principals added to infra/kafka/access.ts since this storage was formatted.
  for (const user of missing) addScramUser(java, o, access, user, log);
  return pid;
}

/** Client properties for Kafka's own Java tools (ConfigCommand, ProducerPerformance) as the super user. */
function adminClientProps(o: BrokerOptions, access: BrokerAccess): string {
  const file = join(o.dir, "admin-client.properties");
  writeFileSync(
    file,
    ["security.protocol=SASL_SSL", "sasl.mechanism=SCRAM-SHA-512", `sasl.jaas.config=${jaas(access.admin)}`, "ssl.truststore.type=PEM", `ssl.truststore.location=${access.caFile}`, ""].join("\n"),
    { mode: 0o600 },
  );
  return file;
}

function addScramUser(java: string, o: BrokerOptions, access: BrokerAccess, user: string, log: (line: string) => void): void {
  log(`Kafka: adding SCRAM user ${user}`);
  const r = spawnSync(java, [
    "-cp", `${KAFKA_LIBS}/*`, "-Dlog4j.configuration=file:/dev/null", "kafka.admin.ConfigCommand", "--bootstrap-server", access.bootstrap,
    "--command-config", adminClientProps(o, access), "--alter", "--entity-type", "users", "--entity-name", user,
    "--add-config", `SCRAM-SHA-512=[password=${access.users[user]}]`,
  ], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`adding SCRAM user ${user} failed: ${r.stderr}${r.stdout}`);
}

export async function stopBroker(o: BrokerOptions): Promise<void> {
  const pid = brokerPid(o);
  if (pid !== undefined) await stopProcess(pid, 30_000);
}

/** Kafka's own producer benchmark (the raw baseline of `npm run bench`), from the same jars, over the same SASL_SSL listener. */
export function producerPerfTest(o: BrokerOptions, topic: string, records: number, recordSize: number): string {
  const java = javaBin();
  const access = readBrokerAccess(o.dir);
  if (access === undefined) throw new Error(`no broker access file in ${o.dir}: start the broker first`);
  const r = spawnSync(
    java,
    [
      "-Xmx512m", "-cp", `${KAFKA_LIBS}/*`, "-Dlog4j.configuration=file:/dev/null", "org.apache.kafka.tools.ProducerPerformance",
      "--topic", topic, "--num-records", String(records), "--record-size", String(recordSize), "--throughput", "-1",
      "--producer.config", adminClientProps(o, access),
      "--producer-props", `bootstrap.servers=${access.bootstrap}`, "acks=all", "enable.idempotence=true",
    ],
    { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 },
  );
  if (r.status !== 0) throw new Error(`ProducerPerformance failed: ${r.stderr}`);
  return r.stdout;
}
