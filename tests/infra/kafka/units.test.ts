import { rawFromConfigMap, resolveConfig, type PlatformConfig, type RawConfig } from "../../../infra/config";
import { appAcls, principals } from "../../../infra/kafka/access";
import { kafkaContract } from "../../../infra/kafka/contract";
import { scramJaasConfig } from "../../../infra/kafka/credentials";
import { mskBrokerCount } from "../../../infra/config/sections/kafka";
import { mskAdminPolicy, mskAdminScript, mskResourceArn, mskSecretName, mskServerProperties } from "../../../infra/kafka/msk-settings";
import { brokerConfig, kafkaSpec, nodePools, userSpec } from "../../../infra/kafka/strimzi-spec";
import { maxReplicas, minInsyncReplicas, topicSpecs } from "../../../infra/kafka/topics";
import { kafkaNote } from "../../../infra/kafka/notes";
import { planNotes } from "../../../infra/tools/plan-notes";
import { readStackConfig } from "../../../infra/tools/stack-config";
import { configProblems } from "../config-problems";
import { scriptAcls, scriptTopics } from "./expected";

function stackWith(stack: "dev" | "prod", kafka: Record<string, unknown> = {}, network: Record<string, unknown> = {}): RawConfig {
  const base = rawFromConfigMap(readStackConfig(stack).values) as Record<string, unknown>;
  return { ...base, kafka: { ...(base.kafka as object | undefined), ...kafka }, network: { ...(base.network as object | undefined), ...network } };
}

const problems = configProblems;

const resolved = (stack: "dev" | "prod", kafka: Record<string, unknown> = {}): PlatformConfig => resolveConfig(stack, stackWith(stack, kafka));

describe("kafka config", () => {
  it.each([
    [{ mode: "kinesis" }, 'gamemetrics:kafka.mode is "kinesis"; allowed: one of "strimzi", "msk"'],
    [{ brokers: 0 }, "gamemetrics:kafka.brokers is 0; allowed: an integer from 1 to 30"],
    [{ mskInstanceType: "m5.large" }, 'gamemetrics:kafka.mskInstanceType is "m5.large"; allowed: an MSK broker type such as kafka.m5.large'],
    [{ mskLogRetentionDays: 10 }, "gamemetrics:kafka.mskLogRetentionDays is 10; allowed: one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (days CloudWatch Logs accepts)"],
    [{ cdc: "yes" }, 'gamemetrics:kafka.cdc is "yes"; allowed: true or false'],
  ])("rejects %j naming key, value and allowed values", (override, message) => {
    expect(problems(stackWith("dev", override))).toEqual([message]);
  });

  it("production needs as many brokers as the topics' replication factor", () => {
    expect(problems(stackWith("prod", { brokers: 2 }))).toEqual([
      "gamemetrics:kafka.brokers is 2 on the production tier, whose topics have replication factor 3; allowed: 3 or more",
    ]);
  });

  it("brokers that are the KRaft quorum must be odd", () => {
    expect(problems(stackWith("dev", { brokers: 2 }))).toEqual([
      "gamemetrics:kafka.brokers is 2 with gamemetrics:kafka.dedicatedControllers false (brokers are the KRaft quorum); allowed: an odd count, or dedicatedControllers true",
    ]);
  });

  it("MSK brokers per AZ times the AZs must reach the replication factor", () => {
    expect(problems(stackWith("prod", { mode: "msk" }, { azCount: 2, workloadAzCount: 2 }))).toContain(
      "gamemetrics:kafka.mskBrokersPerAz 1 gives 2 MSK brokers over 2 AZs, below the production tier's replication factor 3; allowed: 2 or more per AZ",
    );
    expect(problems(stackWith("dev", { mode: "msk" }))).toEqual([]);
  });

  it("the plan says MSK is never free, only when MSK is chosen on the free tier", () => {
    const note = (c: PlatformConfig) => planNotes(c).filter((n) => n.includes("kafka.mode"));
    expect(note(resolved("dev", { mode: "msk" }))).toEqual([expect.stringContaining('gamemetrics:kafka.mode is "msk", which is never free')]);
    expect(note(resolved("dev"))).toEqual([]);
    expect(note(resolved("prod", { mode: "msk" }))).toEqual([]);
  });

  it("the plan summarises mode, brokers and the apps' topics", () => {
    const prod = kafkaNote(resolved("prod"));
    expect(prod).toContain("Strimzi on EKS, 3 broker(s) + 3 KRaft controllers");
    expect(prod).toContain("player.events.raw 12/3, player.events.processed 6/3, recommendations.generated 6/3, notifications 1/3, system.dlq 1/3");
    expect(kafkaNote(resolved("dev", { mode: "msk" }))).toContain("MSK 3.9.x, 2 x kafka.t3.small");
    expect(planNotes(resolved("dev"))).toContain(kafkaNote(resolved("dev")));
  });
});

describe("topic catalog", () => {
  it("min ISR is RF-1 capped at 2, never below 1", () => {
    expect([1, 2, 3, 5].map(minInsyncReplicas)).toEqual([1, 1, 2, 2]);
  });

  it("the highest replication factor is 3 in production and 1 on free", () => {
    expect([maxReplicas("production"), maxReplicas("free")]).toEqual([3, 1]);
  });

  it("state topics keep everything; Connect topics are compacted and exist only with CDC", () => {
    const specs = Object.fromEntries(topicSpecs("production", { cdc: true }).map((t) => [t.name, t]));
    expect(specs["kafkasql-journal"].config).toMatchObject({ "cleanup.policy": "delete", "retention.ms": -1, "retention.bytes": -1 });
    expect(specs["connect-cdc.offsets"]).toMatchObject({ partitions: 25, config: { "cleanup.policy": "compact" } });
    expect(topicSpecs("production", { cdc: false }).map((t) => t.name)).not.toContain("connect-cdc.offsets");
  });
});

describe("ACL derivation", () => {
  it("a producer-only app gets no group and no Read", () => {
    expect(appAcls("ingestion")).toEqual([{ resource: { type: "topic", name: "player.events.raw", patternType: "literal" }, operations: ["Write", "Describe"] }]);
  });

  it("no app gets Create, cluster rights or a prefix pattern (but the analytics and users groups' own prefixes)", () => {
    const prefixes = new Set(["gamemetrics.analytics.", "gamemetrics.users."]);
    for (const p of principals({ cdc: true }).filter((x) => x.user.startsWith("app-"))) {
      for (const rule of p.acls) {
        expect(rule.operations).not.toContain("Create");
        const prefixed = rule.resource.type === "group" && prefixes.has(rule.resource.name);
        expect([rule.resource.patternType, prefixed ? rule.resource.name : ""]).toEqual(prefixed ? ["prefix", rule.resource.name] : ["literal", ""]);
      }
    }
  });

  it("an observer of the consumers may only describe the others' groups and topics, and reads only its own", () => {
    const rules = appAcls("users");
    const others = rules.filter((r) => r.resource.type === "group" && r.resource.name !== "gamemetrics.users.");
    expect(others.map((r) => r.operations)).toEqual(others.map(() => ["Describe"]));
    expect(rules.filter((r) => r.operations.includes("Read")).map((r) => r.resource.name).sort()).toEqual(["gamemetrics.users.", "system.dlq"]);
    expect(rules.filter((r) => r.operations.includes("Write")).map((r) => r.resource.name)).toEqual(["player.events.raw"]);
    expect(appAcls("processor").some((r) => r.resource.type === "group" && r.operations.includes("Describe"))).toBe(false);
  });

  it("the CDC worker exists only with CDC", () => {
    expect(principals({ cdc: false }).map((p) => p.user)).not.toContain("cdc-connect");
    expect(principals({ cdc: true }).map((p) => p.user)).toContain("cdc-connect");
  });
});

describe("Strimzi specs", () => {
  const prod = resolved("prod").profile.kafka;
  const dev = resolved("dev").profile.kafka;

  it("broker defaults follow the tier and never exceed the broker count", () => {
    expect(brokerConfig("production", 3)).toMatchObject({ "default.replication.factor": 3, "min.insync.replicas": 2, "auto.create.topics.enable": false });
    expect(brokerConfig("production", 1)).toMatchObject({ "default.replication.factor": 1, "min.insync.replicas": 1 });
  });

  it("the one client listener is TLS + SCRAM on 9093", () => {
    expect((kafkaSpec("production", prod).kafka as any).listeners).toEqual([
      { name: "scram", port: 9093, type: "internal", tls: true, authentication: { type: "scram-sha-512" } },
    ]);
  });

  it("node pools: dedicated controllers in production, one dual-role pool on free", () => {
    expect(nodePools(prod, "gp3").map((p) => [p.name, (p.spec as any).roles])).toEqual([
      ["controllers", ["controller"]],
      ["brokers", ["broker"]],
    ]);
    expect(nodePools(dev, "gp3").map((p) => [p.name, (p.spec as any).replicas, (p.spec as any).roles])).toEqual([["brokers", 1, ["controller", "broker"]]]);
    expect((nodePools(prod, "gp3")[1].spec as any).storage.volumes[0]).toMatchObject({ size: "500Gi", class: "gp3", deleteClaim: false });
  });

  it("KafkaUser takes our generated password and the rules as given", () => {
    const acls = appAcls("processor");
    expect(userSpec(acls, "kafka-user-app-processor", "password")).toEqual({
      authentication: { type: "scram-sha-512", password: { valueFrom: { secretKeyRef: { name: "kafka-user-app-processor", key: "password" } } } },
      authorization: { type: "simple", acls: acls.map((a) => ({ resource: a.resource, operations: [...a.operations] })) },
    });
  });
});

describe("MSK settings", () => {
  const ARN = "arn:aws:kafka:us-east-1:123456789012:cluster/gamemetrics-prod/abcd-1";

  it("broker count is per AZ times at most 3 subnets", () => {
    expect([mskBrokerCount(1, 2), mskBrokerCount(1, 3), mskBrokerCount(2, 6)]).toEqual([2, 3, 6]);
  });

  it("server.properties locks the cluster down and follows the tier", () => {
    const props = mskServerProperties("production", 3).split("\n");
    expect(props).toEqual(expect.arrayContaining(["allow.everyone.if.no.acl.found=false", "min.insync.replicas=2", "default.replication.factor=3"]));
    expect(mskServerProperties("free", 2).split("\n")).toContain("min.insync.replicas=1");
  });

  it("secret names carry MSK's required prefix", () => {
    expect(mskSecretName("gamemetrics-dev", "app-ingestion")).toBe("AmazonMSK_gamemetrics-dev_app-ingestion");
  });

  it("the admin policy is scoped to this cluster and its topics, with no data-plane rights", () => {
    const doc = JSON.parse(mskAdminPolicy(ARN));
    expect(doc.Statement.map((s: any) => s.Resource)).toEqual([ARN, "arn:aws:kafka:us-east-1:123456789012:topic/gamemetrics-prod/abcd-1/*"]);
    const actions = doc.Statement.flatMap((s: any) => s.Action);
    expect(actions.some((a: string) => /ReadData|WriteData|\*/.test(a))).toBe(false);
    expect(() => mskResourceArn("arn:aws:s3:::bucket", "topic")).toThrow("not an MSK cluster ARN");
  });

  it("the admin script round-trips topics and ACLs and quotes names for the shell", () => {
    const topics = topicSpecs("free", { cdc: false });
    const users = principals({ cdc: false });
    const script = mskAdminScript(topics, users);
    expect(script.split("\n")[0]).toBe("set -euo pipefail");
    expect(Object.keys(scriptTopics(script)).sort()).toEqual(topics.map((t) => t.name).sort());
    expect(Object.keys(scriptAcls(script)).sort()).toEqual(users.map((u) => u.user).sort());
    expect(mskAdminScript([], [{ user: "it's", acls: appAcls("ingestion") }])).toContain(`'User:it'\\''s'`);
  });
});

describe("contract and credentials", () => {
  it("the contract is the same whatever the mode-specific inputs", () => {
    const a = kafkaContract({ bootstrapServers: "a:9093", caSecret: { name: "ca", key: "ca.crt" }, schemaRegistryUrl: "http://r" });
    const b = kafkaContract({ bootstrapServers: "b:9096", caSecret: null, schemaRegistryUrl: "http://r" });
    expect({ ...a, bootstrapServers: "", caSecret: null }).toEqual({ ...b, bootstrapServers: "", caSecret: null });
    expect(a.apps.ingestion).toEqual({ secretName: "kafka-ingestion", username: "app-ingestion", consumerGroup: null });
  });

  it("the JAAS line carries the user and password", () => {
    expect(scramJaasConfig("u", "p1")).toBe('org.apache.kafka.common.security.scram.ScramLoginModule required username="u" password="p1";');
  });
});
