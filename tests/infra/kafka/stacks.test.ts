import { SECRET, type Capture, type CapturedResource } from "../../../infra/tools/capture";
import { cachedCapture } from "../../support/captures";
import { descendants, ofType } from "../tree";
import { APP_SECRET_NAMES, EXPECTED_ACLS, EXPECTED_APP_TOPICS, EXPECTED_CONNECT_ACLS, scriptAcls, scriptTopics, strimziAcls } from "./expected";

// Each stack captured once per mode: Strimzi (the default) and MSK by `--config gamemetrics:kafka.mode=msk`.
const STACKS = ["dev", "staging", "prod"] as const;
const MODES = ["strimzi", "msk"] as const;
type Stack = (typeof STACKS)[number];
type Mode = (typeof MODES)[number];
const TIER = { dev: "free", staging: "production", prod: "production" } as const;
const CDC = { dev: false, staging: true, prod: true } as const;

const captures = {} as Record<Mode, Record<Stack, Capture>>;
const layer = (m: Mode, s: Stack) => descendants(captures[m][s], "gamemetrics:kafka:KafkaLayer::kafka");
const of = (m: Mode, s: Stack, type: string) => ofType(layer(m, s), type);
const CR = (kind: string) => `kubernetes:kafka.strimzi.io/v1:${kind}`;
const spec = (r: CapturedResource) => r.inputs.spec as Record<string, any>;
const meta = (r: CapturedResource) => r.inputs.metadata as { name: string; namespace: string };
const mskScript = (s: Stack) => {
  const [job] = of("msk", s, "kubernetes:batch/v1:Job");
  return (job.inputs.spec as any).template.spec.containers[0].args[0] as string;
};
const expectedAcls = (s: Stack) => ({ ...EXPECTED_ACLS, ...(CDC[s] ? { "cdc-connect": EXPECTED_CONNECT_ACLS } : {}) });

beforeAll(async () => {
  for (const mode of MODES) {
    captures[mode] = {} as Record<Stack, Capture>;
    for (const stack of STACKS) {
      captures[mode][stack] = await cachedCapture({ stack, config: mode === "msk" ? ["gamemetrics:kafka.mode=msk"] : [] });
    }
  }
}, 240_000);

describe.each(STACKS)("%s: the topic catalog holds per tier", (stack) => {
  const tier = TIER[stack];

  it("Strimzi: one KafkaTopic per app topic with the tier's partitions, replicas and retention", () => {
    const topics = Object.fromEntries(of("strimzi", stack, CR("KafkaTopic")).map((t) => [spec(t).topicName, spec(t)]));
    for (const [name, want] of Object.entries(EXPECTED_APP_TOPICS[tier])) {
      expect({ name, partitions: topics[name]?.partitions, replicas: topics[name]?.replicas, retention: topics[name]?.config["retention.ms"] }).toEqual({
        name,
        partitions: want.partitions,
        replicas: want.replicas,
        retention: want.retentionMs,
      });
      expect(topics[name].config["min.insync.replicas"]).toBe(tier === "production" ? 2 : 1);
    }
  });

  it("MSK: the admin job creates the same topics with the same counts and config", () => {
    const topics = scriptTopics(mskScript(stack));
    for (const [name, want] of Object.entries(EXPECTED_APP_TOPICS[tier])) {
      expect(topics[name]).toMatchObject({ partitions: want.partitions, replicas: want.replicas });
      expect(topics[name].config).toContain(`retention.ms=${want.retentionMs}`);
      expect(topics[name].config).toContain(`min.insync.replicas=${tier === "production" ? 2 : 1}`);
    }
    const strimziNames = of("strimzi", stack, CR("KafkaTopic")).map((t) => spec(t).topicName).sort();
    expect(Object.keys(topics).sort()).toEqual(strimziNames);
  });

  it("Connect's state topics exist exactly when CDC runs", () => {
    const names = of("strimzi", stack, CR("KafkaTopic")).map((t) => spec(t).topicName);
    expect(names.includes("connect-cdc.offsets")).toBe(CDC[stack]);
  });
});

describe.each(STACKS)("%s: SCRAM and TLS are on", (stack) => {
  it("Strimzi: every client listener is TLS + SCRAM-SHA-512 with simple ACL authorization; no auto-created topics", () => {
    const [kafka] = of("strimzi", stack, CR("Kafka"));
    const listeners = spec(kafka).kafka.listeners as { tls: boolean; authentication: { type: string } }[];
    expect(listeners.length).toBeGreaterThan(0);
    for (const l of listeners) expect(l).toMatchObject({ tls: true, authentication: { type: "scram-sha-512" } });
    expect(spec(kafka).kafka.authorization).toEqual({ type: "simple" });
    expect(spec(kafka).kafka.config["auto.create.topics.enable"]).toBe(false);
    for (const user of of("strimzi", stack, CR("KafkaUser"))) expect(spec(user).authentication.type).toBe("scram-sha-512");
  });

  it("MSK: SCRAM (+IAM for the admin job), no unauthenticated access, TLS in transit, KMS at rest, private, logs on", () => {
    const [cluster] = of("msk", stack, "aws:msk/cluster:Cluster");
    const i = cluster.inputs as Record<string, any>;
    expect(i.clientAuthentication).toEqual({ sasl: { scram: true, iam: true }, unauthenticated: false });
    expect(i.encryptionInfo.encryptionInTransit).toEqual({ clientBroker: "TLS", inCluster: true });
    expect(i.encryptionInfo.encryptionAtRestKmsKeyArn).toMatch(/^arn:aws:kms:/);
    expect(i.brokerNodeGroupInfo.connectivityInfo).toEqual({ publicAccess: { type: "DISABLED" } });
    expect(i.loggingInfo.brokerLogs.cloudwatchLogs.enabled).toBe(true);
    const [config] = of("msk", stack, "aws:msk/configuration:Configuration");
    expect(config.inputs.serverProperties).toContain("auto.create.topics.enable=false");
    expect(config.inputs.serverProperties).toContain("allow.everyone.if.no.acl.found=false");
  });

  it("MSK: SCRAM secrets are AmazonMSK_-named, encrypted with the customer key, all associated", () => {
    const secrets = of("msk", stack, "aws:secretsmanager/secret:Secret");
    const [key] = of("msk", stack, "aws:kms/key:Key");
    expect(secrets.length).toBe(Object.keys(expectedAcls(stack)).length);
    for (const s of secrets) {
      expect(s.inputs.name).toMatch(/^AmazonMSK_gamemetrics-/);
      expect(s.inputs.kmsKeyId).toMatch(/^arn:aws:kms:.*kafka-msk-key/);
    }
    expect(key.inputs.enableKeyRotation).toBe(true);
    const [association] = of("msk", stack, "aws:msk/scramSecretAssociation:ScramSecretAssociation");
    expect((association.inputs.secretArnLists as string[]).length).toBe(secrets.length);
  });

  it("MSK: the security group admits only the cluster's nodes", () => {
    const [sg] = of("msk", stack, "aws:ec2/securityGroup:SecurityGroup");
    const ingress = sg.inputs.ingress as { securityGroups?: string[]; cidrBlocks?: string[]; fromPort: number }[];
    expect(ingress.map((r) => r.fromPort).sort((a, b) => a - b)).toEqual([9096, 9098, 11001]);
    for (const rule of ingress) {
      expect(rule.cidrBlocks).toBeUndefined();
      expect(rule.securityGroups).toEqual([expect.stringMatching(/-nodes$/)]);
    }
    expect(sg.inputs.egress).toBeUndefined();
  });
});

describe.each(STACKS)("%s: no principal gets an ACL it does not need", (stack) => {
  it("Strimzi KafkaUsers hold exactly the hand-written ACLs", () => {
    const got = Object.fromEntries(of("strimzi", stack, CR("KafkaUser")).map((u) => [meta(u).name, strimziAcls(u).sort()]));
    const want = Object.fromEntries(Object.entries(expectedAcls(stack)).map(([u, acls]) => [u, [...acls].sort()]));
    expect(got).toEqual(want);
  });

  it("the MSK admin job grants exactly the same ACLs", () => {
    const got = Object.fromEntries(Object.entries(scriptAcls(mskScript(stack))).map(([u, acls]) => [u, acls.sort()]));
    const want = Object.fromEntries(Object.entries(expectedAcls(stack)).map(([u, acls]) => [u, [...acls].sort()]));
    expect(got).toEqual(want);
  });
});

describe.each(STACKS)("%s: the mode switch leaves the apps' contract alone", (stack) => {
  const contract = (m: Mode) => captures[m][stack].outputs.kafka as Record<string, any>;

  it("the contract has the same shape, secret names, topics and groups in both modes", () => {
    const { bootstrapServers: sb, caSecret: sc, ...strimziRest } = contract("strimzi");
    const { bootstrapServers: mb, caSecret: mc, ...mskRest } = contract("msk");
    expect(Object.keys(contract("msk")).sort()).toEqual(Object.keys(contract("strimzi")).sort());
    expect(mskRest).toEqual(strimziRest);
    expect(Object.values(strimziRest.apps).map((a: any) => a.secretName).sort()).toEqual([...APP_SECRET_NAMES].sort());
    expect(sb).toBe("gamemetrics-kafka-bootstrap.kafka.svc:9093");
    expect(mb).toMatch(/^b-1\..*:9096(,b-\d\..*:9096)+$/);
    expect(sc).toEqual({ name: "kafka-cluster-ca", key: "ca.crt" });
    expect(mc).toBeNull();
    expect(strimziRest).toMatchObject({ securityProtocol: "SASL_SSL", saslMechanism: "SCRAM-SHA-512" });
  });

  it("each app's credentials are one Secret in the apps namespace, same name and keys in both modes, never in clear", () => {
    const appSecrets = (m: Mode) =>
      of(m, stack, "kubernetes:core/v1:Secret")
        .filter((s) => meta(s).namespace === "gamemetrics")
        .map((s) => ({ name: meta(s).name, data: s.inputs.stringData }));
    expect(appSecrets("msk").map((s) => s.name)).toEqual(appSecrets("strimzi").map((s) => s.name));
    expect(appSecrets("strimzi").map((s) => s.name).sort()).toEqual([...APP_SECRET_NAMES].sort());
    for (const s of [...appSecrets("strimzi"), ...appSecrets("msk")]) expect(s.data).toBe(SECRET);
  });

  it("switches the broker resources: Strimzi CRs or an MSK cluster, never both", () => {
    expect(of("strimzi", stack, CR("Kafka"))).toHaveLength(1);
    expect(of("strimzi", stack, "aws:msk/cluster:Cluster")).toHaveLength(0);
    expect(of("msk", stack, CR("Kafka"))).toHaveLength(0);
    expect(of("msk", stack, CR("KafkaTopic"))).toHaveLength(0);
    expect(of("msk", stack, "aws:msk/cluster:Cluster")).toHaveLength(1);
  });
});

describe("tier shapes", () => {
  it("dev: one dual-role broker, RF 1, no rack awareness", () => {
    const pools = of("strimzi", "dev", CR("KafkaNodePool"));
    expect(pools.map((p) => [spec(p).replicas, spec(p).roles])).toEqual([[1, ["controller", "broker"]]]);
    const [kafka] = of("strimzi", "dev", CR("Kafka"));
    expect(spec(kafka).kafka.rack).toBeUndefined();
    expect(spec(kafka).kafka.config["default.replication.factor"]).toBe(1);
  });

  it.each(["staging", "prod"] as const)("%s: 3 brokers over AZs with rack awareness, 3 controllers, min ISR 2", (stack) => {
    const pools = Object.fromEntries(of("strimzi", stack, CR("KafkaNodePool")).map((p) => [meta(p).name, spec(p)]));
    expect(pools.brokers).toMatchObject({ replicas: 3, roles: ["broker"] });
    expect(pools.controllers).toMatchObject({ replicas: 3, roles: ["controller"] });
    expect(pools.brokers.template.pod.topologySpreadConstraints[0].topologyKey).toBe("topology.kubernetes.io/zone");
    const [kafka] = of("strimzi", stack, CR("Kafka"));
    expect(spec(kafka).kafka.rack).toEqual({ topologyKey: "topology.kubernetes.io/zone" });
    expect(spec(kafka).kafka.config).toMatchObject({ "min.insync.replicas": 2, "default.replication.factor": 3 });
    const [msk] = of("msk", stack, "aws:msk/cluster:Cluster");
    expect(msk.inputs.numberOfBrokerNodes).toBe(3);
    expect((msk.inputs.brokerNodeGroupInfo as any).clientSubnets).toHaveLength(3);
  });

  it("broker volumes use the cluster's encrypted gp3 StorageClass", () => {
    for (const pool of of("strimzi", "prod", CR("KafkaNodePool"))) expect(spec(pool).storage.volumes[0].class).toBe("gp3");
  });

  it("CDC: production streams the users tables from RDS through Debezium; RDS gets logical replication", () => {
    const [connector] = of("strimzi", "prod", CR("KafkaConnector"));
    expect(spec(connector).class).toBe("io.debezium.connector.postgresql.PostgresConnector");
    expect(spec(connector).config).toMatchObject({ "plugin.name": "pgoutput", "database.hostname": expect.stringContaining("rds.amazonaws.com") });
    expect(of("strimzi", "dev", CR("KafkaConnect"))).toHaveLength(0);
    const params = (s: Stack) =>
      captures.strimzi[s].resources.find((r) => r.type === "aws:rds/parameterGroup:ParameterGroup")?.inputs.parameters as { name: string; value: string }[];
    expect(params("prod")).toContainEqual(expect.objectContaining({ name: "rds.logical_replication", value: "1" }));
    expect(params("dev").find((p) => p.name === "rds.logical_replication")?.value ?? "0").toBe("0");
  });

  it.each(MODES)("%s: Apicurio Registry stores schemas in Kafka as its own SCRAM principal, under its own service account", (mode) => {
    const [deployment] = of(mode, "prod", "kubernetes:apps/v1:Deployment");
    const pod = (deployment.inputs.spec as any).template.spec;
    const env = Object.fromEntries((pod.containers[0].env as { name: string; value?: string; valueFrom?: unknown }[]).map((e) => [e.name, e.value ?? e.valueFrom]));
    expect(env).toMatchObject({
      APICURIO_STORAGE_KIND: "kafkasql",
      APICURIO_KAFKASQL_BOOTSTRAP_SERVERS: (captures[mode].prod.outputs.kafka as any).bootstrapServers,
      APICURIO_KAFKA_COMMON_SECURITY_PROTOCOL: "SASL_SSL",
      APICURIO_KAFKA_COMMON_SASL_MECHANISM: "SCRAM-SHA-512",
      APICURIO_KAFKA_COMMON_SASL_JAAS_CONFIG: { secretKeyRef: { name: "kafka-user-schema-registry", key: "sasl.jaas.config" } },
    });
    // The Strimzi CA is private: trust it explicitly; MSK's certificates chain to a public CA.
    expect("APICURIO_KAFKA_COMMON_SSL_TRUSTSTORE_LOCATION" in env).toBe(mode === "strimzi");
    expect(pod.serviceAccountName).toBe("schema-registry");
    // Pulled through the ECR cache of quay.io into an immutable-tag repository.
    expect(pod.containers[0].image).toMatch(/^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/gamemetrics-prod-quay\/apicurio\/apicurio-registry:3\.3\.1$/);
    const repos = of(mode, "prod", "aws:ecr/repository:Repository").filter((r) => String(r.inputs.name).includes("-quay/"));
    for (const repo of repos) expect(repo.inputs.imageTagMutability).toBe("IMMUTABLE");
    expect(of(mode, "prod", "aws:ecr/pullThroughCacheRule:PullThroughCacheRule")[0].inputs.upstreamRegistryUrl).toBe("quay.io");
    expect(of(mode, "prod", "kubernetes:policy/v1:PodDisruptionBudget")).toHaveLength(1);
  });

  it("the Kafka metrics reach Prometheus: Strimzi metrics reporter, Kafka exporter and a PodMonitor", () => {
    const [kafka] = of("strimzi", "prod", CR("Kafka"));
    expect(spec(kafka).kafka.metricsConfig).toEqual({ type: "strimziMetricsReporter" });
    expect(spec(kafka).kafkaExporter).toBeDefined();
    expect(of("strimzi", "prod", "kubernetes:monitoring.coreos.com/v1:PodMonitor")).toHaveLength(1);
  });
});
