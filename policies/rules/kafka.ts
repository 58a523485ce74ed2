import { ALWAYS, FREE, flagProblem, type FlagRequirement, perTypeRule, PRODUCTION, problems, resourceRule, stackRule } from "../engine/define";
import { arr, at, bool, num, obj, type Obj, properties, str, strings } from "../engine/inputs";
import { kindOf } from "../engine/k8s";
import type { PolicyResource, ResourceRule, Rule, RuleInfo } from "../engine/types";

const MSK = "aws:msk/cluster:Cluster";
const MSK_SERVERLESS = "aws:msk/serverlessCluster:ServerlessCluster";
const MSK_CONFIG = "aws:msk/configuration:Configuration";
const KAFKA = "kubernetes:kafka.strimzi.io/*:Kafka";
const TOPIC = "kubernetes:kafka.strimzi.io/*:KafkaTopic";
const USER = "kubernetes:kafka.strimzi.io/*:KafkaUser";
const NODE_POOL = "kubernetes:kafka.strimzi.io/*:KafkaNodePool";
/** Strimzi clients that connect to the brokers themselves (their spec.tls / spec.authentication). */
const CONNECT = "kubernetes:kafka.strimzi.io/*:KafkaConnect";
/** Strimzi listener types that stay inside the cluster network. */
const INTERNAL_LISTENERS = new Set(["internal", "cluster-ip"]);

const isStrimzi = (r: PolicyResource, kind: string) => r.type.startsWith("kubernetes:kafka.strimzi.io/") && kindOf(r.type) === kind;

/** A Strimzi Kafka CR's check over its listeners: one problem, naming the listener, per listener that is not `ok`. */
function eachListener(ok: (l: Obj) => boolean, problem: (l: Obj) => string): (r: PolicyResource) => string[] {
  return (r) =>
    arr(at(r.inputs, "spec.kafka.listeners"))
      .map((l) => obj(l) ?? {})
      .filter((l) => !ok(l))
      .map((l) => `listener ${str(l["name"]) ?? "?"} ${problem(l)}`);
}

/** What carries broker settings: Strimzi Kafka CRs and MSK configurations. */
const BROKER_TYPES = [KAFKA, MSK_CONFIG];

/** Broker settings of a Strimzi Kafka CR (spec.kafka.config) or an MSK configuration (server.properties). */
function brokerConfig(r: PolicyResource): BrokerConfig {
  return r.type === MSK_CONFIG ? properties(r.inputs["serverProperties"]) : obj(at(r.inputs, "spec.kafka.config")) ?? {};
}

type BrokerConfig = Readonly<Record<string, unknown>>;

/**
 * Broker defaults the rules depend on, where a setting is absent; Kafka's (Strimzi) and MSK's differ. MSK's
 * allow.everyone.if.no.acl.found=true lets every authenticated client through when a resource has no ACL.
 */
const BROKER_DEFAULTS: Readonly<Record<"kafka" | "msk", Readonly<Record<string, string>>>> = {
  kafka: { "auto.create.topics.enable": "true" },
  msk: { "auto.create.topics.enable": "false", "allow.everyone.if.no.acl.found": "true" },
};

/** A check that the boolean broker setting `key` is set as `required`, the broker's default counting when absent. */
function brokerFlag(key: string, required: FlagRequirement): (r: PolicyResource) => string[] {
  return (r) => problems(flagProblem(key, brokerConfig(r)[key] ?? BROKER_DEFAULTS[r.type === MSK_CONFIG ? "msk" : "kafka"][key], required));
}

/** `<setting> is <value>; required: <min> or more` when a broker count is below `min` (unset counts as 0). */
function belowMinimum(setting: string, value: unknown, min: number): string | undefined {
  return (num(value) ?? 0) >= min ? undefined : `${setting} is ${String(value ?? "unset")}; required: ${min} or more`;
}

/** A rule over KafkaTopics and the broker defaults they fall back to (Strimzi Kafka config or MSK configuration). */
function topicAndBrokerRule(
  def: RuleInfo & { topic: (r: PolicyResource) => string[]; broker: (config: BrokerConfig) => string[] },
): ResourceRule {
  const { topic, broker, ...info } = def;
  return resourceRule({
    ...info,
    appliesTo: [...BROKER_TYPES, TOPIC],
    check: (r) => (isStrimzi(r, "KafkaTopic") ? topic(r) : broker(brokerConfig(r))),
  });
}

const noMskOnFree = resourceRule({
  name: "kafka-no-msk-on-free",
  description: "The free tier runs Kafka on Strimzi; MSK is never free, so it needs an explicit exception.",
  remediation: "Use gamemetrics:kafka.mode=strimzi on free stacks, or record the exception by setting this rule to advisory in the policy config.",
  levels: FREE,
  appliesTo: [MSK, MSK_SERVERLESS],
  check: () => ["MSK cluster on the free tier (billed per broker-hour and storage)"],
});

const tls = perTypeRule({
  name: "kafka-tls",
  description: "Kafka traffic is TLS-encrypted: client to broker and between brokers.",
  remediation: "Strimzi: tls true on every listener and spec.tls on KafkaConnect. MSK: encryptionInTransit clientBroker \"TLS\" and inCluster true.",
  levels: ALWAYS,
  checks: {
    [KAFKA]: eachListener((l) => bool(l["tls"]) === true, () => "has no TLS"),
    [CONNECT]: (r) => (obj(at(r.inputs, "spec.tls")) === undefined ? ["KafkaConnect connects without spec.tls"] : []),
    [MSK]: (r) => {
      const transit = obj(at(r.inputs, "encryptionInfo.encryptionInTransit")) ?? {};
      return problems(
        (transit["clientBroker"] ?? "TLS") !== "TLS" && `clientBroker is ${String(transit["clientBroker"])}; required: TLS`,
        bool(transit["inCluster"]) === false && "inCluster encryption is off",
      );
    },
  },
});

/** KafkaUsers and KafkaConnect state their own authentication. */
function clientScram(r: PolicyResource): string[] {
  const type = at(r.inputs, "spec.authentication.type");
  return type === "scram-sha-512" ? [] : [`${kindOf(r.type)} authentication is ${String(type)}; required: scram-sha-512`];
}

const scram = perTypeRule({
  name: "kafka-scram",
  description: "Every Kafka client authenticates with SASL/SCRAM-SHA-512; no unauthenticated access.",
  remediation: "Strimzi: authentication type scram-sha-512 on listeners, KafkaUsers and KafkaConnect. MSK: clientAuthentication.sasl.scram true, unauthenticated false.",
  levels: ALWAYS,
  checks: {
    [KAFKA]: eachListener((l) => at(l, "authentication.type") === "scram-sha-512", () => "does not use scram-sha-512"),
    [USER]: clientScram,
    [CONNECT]: clientScram,
    [MSK]: (r) => {
      const auth = obj(r.inputs["clientAuthentication"]) ?? {};
      return problems(
        bool(at(auth, "sasl.scram")) !== true && "SASL/SCRAM is not enabled",
        bool(auth["unauthenticated"]) === true && "unauthenticated access is enabled",
      );
    },
  },
});

const mskEncryption = resourceRule({
  name: "kafka-msk-encryption-at-rest",
  description: "MSK encrypts broker storage with a customer-managed KMS key.",
  remediation: "Set encryptionInfo.encryptionAtRestKmsKeyArn to the platform's KMS key.",
  levels: ALWAYS,
  appliesTo: [MSK],
  check: (r) => (str(at(r.inputs, "encryptionInfo.encryptionAtRestKmsKeyArn")) ? [] : ["no customer KMS key for encryption at rest"]),
});

const noPublicAccess = perTypeRule({
  name: "kafka-no-public-access",
  description: "Kafka brokers are reachable only inside the VPC/cluster: no public MSK access, only internal Strimzi listeners.",
  remediation: "Strimzi: listener type internal (or cluster-ip). MSK: connectivityInfo.publicAccess.type DISABLED.",
  levels: ALWAYS,
  checks: {
    [KAFKA]: eachListener((l) => INTERNAL_LISTENERS.has(str(l["type"]) ?? ""), (l) => `is of external type ${String(l["type"])}`),
    [MSK]: (r) => {
      const type = at(r.inputs, "brokerNodeGroupInfo.connectivityInfo.publicAccess.type") ?? "DISABLED";
      return type === "DISABLED" ? [] : [`public access is ${String(type)}`];
    },
  },
});

const REPLICATION_KEYS = ["default.replication.factor", "offsets.topic.replication.factor", "transaction.state.log.replication.factor"];

const replication = topicAndBrokerRule({
  name: "kafka-replication-factor",
  description: "Production topics and internal topics keep 3 replicas.",
  remediation: "Use the production topic catalog (RF 3) and broker defaults default/offsets/transaction replication factor 3.",
  levels: PRODUCTION,
  topic: (topic) => {
    const replicas = num(at(topic.inputs, "spec.replicas"));
    return replicas !== undefined && replicas >= 3 ? [] : [`topic replicas ${replicas ?? "unset"}; required: 3 or more`];
  },
  broker: (config) => problems(...REPLICATION_KEYS.map((k) => belowMinimum(k, config[k], 3))),
});

const minIsr = topicAndBrokerRule({
  name: "kafka-min-insync-replicas",
  description: "Production brokers require min.insync.replicas 2, so acks=all survives one broker loss without data loss.",
  remediation: "Set min.insync.replicas=2 in the broker config (Strimzi spec.kafka.config or the MSK configuration); topics must not lower it.",
  levels: PRODUCTION,
  topic: (topic) => {
    const isr = obj(at(topic.inputs, "spec.config"))?.["min.insync.replicas"];
    return isr === undefined || (num(isr) ?? 0) >= 2 ? [] : [`topic min.insync.replicas is ${String(isr)}; required: 2 or more`];
  },
  broker: (config) => problems(belowMinimum("min.insync.replicas", config["min.insync.replicas"], 2)),
});

const noAutoCreate = resourceRule({
  name: "kafka-no-auto-create-topics",
  description: "Brokers never auto-create topics: every topic comes from the typed catalog.",
  remediation: "Set auto.create.topics.enable=false in the broker config.",
  levels: ALWAYS,
  appliesTo: BROKER_TYPES,
  check: brokerFlag("auto.create.topics.enable", "false"),
});

const aclsEnforced = perTypeRule({
  name: "kafka-acls-least-privilege",
  description: "ACLs are enforced (Strimzi simple authorization; MSK allow.everyone.if.no.acl.found=false) and no user holds a wildcard ACL.",
  remediation: "Set spec.kafka.authorization.type simple (MSK: allow.everyone.if.no.acl.found=false); derive each user's ACLs from the app-to-topic table, with literal names.",
  levels: ALWAYS,
  checks: {
    [KAFKA]: (r) => (at(r.inputs, "spec.kafka.authorization.type") === undefined ? ["no authorization: ACLs are not enforced"] : []),
    [USER]: (r) =>
      arr(at(r.inputs, "spec.authorization.acls"))
        .map((a) => obj(obj(a)?.["resource"]) ?? {})
        .filter((res) => res["name"] === "*" || (res["patternType"] === "prefix" && res["name"] === ""))
        .map((res) => `wildcard ACL on ${String(res["type"])} "${String(res["name"])}"`),
    [MSK_CONFIG]: brokerFlag("allow.everyone.if.no.acl.found", "false"),
  },
});

/** Broker count of the stack: Strimzi node pools with the broker role, or MSK broker nodes. */
const brokers = stackRule({
  name: "kafka-brokers-production",
  description: "Production Kafka has at least 3 brokers (one per AZ) so RF 3 / min ISR 2 can hold.",
  remediation: "Use the production Kafka profile (3 brokers); MSK numberOfBrokerNodes 3 or more.",
  levels: PRODUCTION,
  appliesTo: [NODE_POOL, KAFKA, MSK],
  check(resources) {
    const violations = resources
      .filter((r) => r.type === MSK && (num(r.inputs["numberOfBrokerNodes"]) ?? 0) < 3)
      .map((r) => ({ resource: r, message: `numberOfBrokerNodes is ${String(r.inputs["numberOfBrokerNodes"])}; required: 3 or more` }));
    const clusters = resources.filter((r) => isStrimzi(r, "Kafka"));
    const pools = resources.filter((r) => isStrimzi(r, "KafkaNodePool") && strings(at(r.inputs, "spec.roles")).includes("broker"));
    // Without node pools (ZooKeeper-era CRs) the count is spec.kafka.replicas.
    const strimziBrokers =
      pools.length > 0
        ? pools.reduce((n, p) => n + (num(at(p.inputs, "spec.replicas")) ?? 0), 0)
        : clusters.reduce((n, c) => n + (num(at(c.inputs, "spec.kafka.replicas")) ?? 0), 0);
    if (clusters.length > 0 && strimziBrokers < 3) {
      violations.push({ resource: clusters[0], message: `${strimziBrokers} Strimzi broker(s) in node pools; required: 3 or more` });
    }
    return violations;
  },
});

export const KAFKA_RULES: readonly Rule[] = [noMskOnFree, tls, scram, mskEncryption, noPublicAccess, replication, minIsr, noAutoCreate, aclsEnforced, brokers];
