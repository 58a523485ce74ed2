import { CATALOG, type CatalogEntry } from "../../../infra/workloads/catalog";
import { APP_NAMES, type AppName } from "../../../infra/config/sections/apps";
import { appEnv, KAFKA_CA_DIR, type EnvContext } from "../../../infra/workloads/env";
import { callAllows, consumerCap, disruptionBudget, podTemplate, scaling, topologySpread } from "../../../infra/workloads/spec";
import { tierDefaults } from "../../../infra/config";
import { kafkaContract } from "../../../infra/kafka/contract";
import { configProblems } from "../config-problems";
import { planNotes } from "../../../infra/tools/plan-notes";
import { migrationJobName } from "../../../infra/workloads/migrations";

const context = (caSecret: { name: string; key: string } | null): EnvContext => ({
  kafka: kafkaContract({ bootstrapServers: "b-1:9096,b-2:9096", caSecret, schemaRegistryUrl: "http://registry:8080" }),
  qdrantUrl: "http://qdrant.data:6333",
  region: "eu-west-1",
  archivesBucket: "archives-bucket",
  identity: { issuer: "https://api.example.com/oauth", jwksUrl: "http://users.gamemetrics.svc.cluster.local:8080/oauth/jwks", profile: tierDefaults("production").identity },
});
const names = (app: AppName, ctx = context(null)) => appEnv(app, CATALOG[app], ctx).map((e) => e.name);

describe("apps config section", () => {
  it("keeps free at one pod and production at two or more", () => {
    expect(tierDefaults("free").apps).toMatchObject({ replicas: 1, minReplicas: 1 });
    expect(tierDefaults("production").apps.replicas).toBeGreaterThanOrEqual(2);
    expect(tierDefaults("production").apps.minReplicas).toBeGreaterThanOrEqual(2);
  });

  it("rejects a moving or malformed image tag, naming key, value and what is allowed", () => {
    expect(configProblems({ tier: "free", apps: { imageTag: "latest" } })).toEqual([
      'gamemetrics:apps.imageTag is "latest"; allowed: an image tag such as "0.1.0" (letters, digits, _ . -, up to 128 characters; not "latest"), or "" before any image is pushed',
    ]);
    expect(configProblems({ tier: "free", apps: { imageTag: "" } })).toEqual([]);
    expect(configProblems({ tier: "free", apps: { imageTag: "v1/2" } })[0]).toMatch(/^gamemetrics:apps\.imageTag is "v1\/2"; allowed: an image tag/);
    expect(configProblems({ tier: "free", apps: { imageTag: "1.4.0-rc.2" } })).toEqual([]);
  });

  it("rejects HPA bounds the wrong way round, and single pods on production", () => {
    expect(configProblems({ tier: "free", apps: { minReplicas: 5, maxReplicas: 3 } })).toEqual([
      "gamemetrics:apps.minReplicas (5) exceeds gamemetrics:apps.maxReplicas (3); allowed: at most 3",
    ]);
    const cert = { certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-4000-8000-000000000000" };
    expect(configProblems({ tier: "production", ingress: cert, eks: { publicAccessCidrs: ["203.0.113.10/32"] }, apps: { replicas: 1, minReplicas: 1 } })).toEqual([
      "gamemetrics:apps.replicas is 1 on the production tier; allowed: 2 or more",
      "gamemetrics:apps.minReplicas is 1 on the production tier; allowed: 2 or more",
    ]);
  });
});

describe("sizing", () => {
  const production = tierDefaults("production").apps;
  it("scales autoscaled services by HPA and budgets a disruption only with two or more pods", () => {
    const ingestion = CATALOG.ingestion;
    if (ingestion.kind !== "service") throw new Error("catalog changed: ingestion is a service");
    expect(scaling(ingestion, production)).toEqual({ kind: "hpa", min: production.minReplicas, max: production.maxReplicas, targetCpuPercent: production.targetCpuPercent });
    expect(scaling({ ...ingestion, autoscale: false }, production)).toEqual({ kind: "fixed", replicas: production.replicas });
    expect(disruptionBudget({ kind: "fixed", replicas: 1 })).toBeNull();
    expect(disruptionBudget({ kind: "hpa", min: 2, max: 4, targetCpuPercent: 70 })).toEqual({ maxUnavailable: 1 });
  });

  it("never scales a consumer past the partitions of what it consumes", () => {
    expect(consumerCap("processor", "production")).toBe(12); // player.events.raw
    expect(consumerCap("processor", "free")).toBe(2);
    expect(consumerCap("ingestion", "production")).toBeNull(); // produces only
    const processor = CATALOG.processor;
    if (processor.kind !== "service") throw new Error("catalog changed: processor is a service");
    expect(scaling(processor, { ...production, minReplicas: 2, maxReplicas: 40 }, 12)).toMatchObject({ min: 2, max: 12 });
    expect(scaling(processor, { ...production, minReplicas: 3, maxReplicas: 40 }, 2)).toMatchObject({ min: 2, max: 2 });
  });

  it("spreads over zones only when workloads span several, and not at all for one pod", () => {
    expect(topologySpread("ingestion", 3, 1)).toEqual([]);
    expect(topologySpread("ingestion", 1, 2).map((s) => s.topologyKey)).toEqual(["kubernetes.io/hostname"]);
    expect(topologySpread("ingestion", 3, 2).map((s) => [s.topologyKey, s.whenUnsatisfiable])).toEqual([
      ["topology.kubernetes.io/zone", "DoNotSchedule"],
      ["kubernetes.io/hostname", "ScheduleAnyway"],
    ]);
  });
});

describe("environment", () => {
  it("gives each Kafka app the contract with its own credential Secret and its own group", () => {
    const env = appEnv("processor", CATALOG.processor, context(null));
    expect(env).toContainEqual({ name: "KAFKA_SASL_PASSWORD", valueFrom: { secretKeyRef: { name: "kafka-processor", key: "password" } } });
    expect(env).toContainEqual({ name: "KAFKA_CONSUMER_GROUP", value: "gamemetrics.processor" });
    expect(env).toContainEqual({ name: "PROCESSOR_GROUP_ID", value: "gamemetrics.processor" });
    // The ingestion app only produces: no group.
    expect(names("ingestion")).not.toContain("KAFKA_CONSUMER_GROUP");
  });

  it("points at the Kafka CA file only when the brokers use a private CA (Strimzi), and mounts it", () => {
    expect(names("processor")).not.toContain("KAFKA_CA_FILE");
    const ctx = context({ name: "kafka-cluster-ca", key: "ca.crt" });
    expect(appEnv("processor", CATALOG.processor, ctx)).toContainEqual({ name: "KAFKA_CA_FILE", value: `${KAFKA_CA_DIR}/ca.crt` });
    const pod = podTemplate({
      app: "processor",
      entry: CATALOG.processor,
      image: "repo:1",
      env: [],
      resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { memory: "1Gi" } },
      serviceAccountName: "processor",
      topologySpread: [],
      kafkaCa: { secretName: "kafka-cluster-ca", mountPath: KAFKA_CA_DIR },
    }) as { spec: { volumes: unknown[]; containers: { volumeMounts: unknown[] }[] } };
    expect(pod.spec.volumes).toContainEqual({ name: "kafka-ca", secret: { secretName: "kafka-cluster-ca" } });
    expect(pod.spec.containers[0].volumeMounts).toContainEqual({ name: "kafka-ca", mountPath: KAFKA_CA_DIR, readOnly: true });
  });

  it("gives Qdrant's URL and key to an app that needs Qdrant, and the archives location to one with an archives prefix", () => {
    // Entries shaped like the apps that will need them; no app in today's catalog does.
    const vectorApp: CatalogEntry = { ...CATALOG.ingestion, data: ["qdrant"] };
    const archiver: CatalogEntry = { kind: "cronjob", description: "archiver", schedule: "30 3 * * *", data: ["postgres"], archivesPrefix: "player-events" };
    expect(names("ingestion").filter((n) => n.startsWith("QDRANT_") || n.startsWith("ARCHIVES_"))).toEqual([]);
    expect(appEnv("ingestion", vectorApp, context(null))).toEqual(
      expect.arrayContaining([
        { name: "QDRANT_URL", value: "http://qdrant.data:6333" },
        { name: "QDRANT_API_KEY", valueFrom: { secretKeyRef: { name: "qdrant-api-key", key: "api-key" } } },
      ]),
    );
    expect(appEnv("processor", archiver, context(null))).toEqual(
      expect.arrayContaining([
        { name: "ARCHIVES_BUCKET", value: "archives-bucket" },
        { name: "ARCHIVES_PREFIX", value: "player-events" },
        { name: "AWS_REGION", value: "eu-west-1" },
      ]),
    );
  });

  it("defines every $(VAR) a composed value references before it (the kubelet expands only earlier vars)", () => {
    for (const app of APP_NAMES) {
      const env = appEnv(app, CATALOG[app], context({ name: "ca", key: "ca.crt" }));
      env.forEach((e, i) => {
        if (!("value" in e)) return;
        for (const [, ref] of e.value.matchAll(/\$\(([A-Z_]+)\)/g)) expect(env.slice(0, i).map((v) => v.name)).toContain(ref);
      });
    }
  });
});

describe("call allows", () => {
  it("derives an ingress allow per called service and an egress allow per caller", () => {
    const catalog = { ...CATALOG, processor: { ...CATALOG.processor, calledBy: ["ingestion"] } as CatalogEntry };
    const allows = callAllows(catalog).filter((a) => a.name.includes("processor"));
    expect(allows.map((a) => [a.name, a.direction])).toEqual([
      ["allow-processor-from-callers", "ingress"],
      ["allow-ingestion-to-processor", "egress"],
    ]);
    expect(allows[0].ports).toEqual([{ port: 9091, protocol: "TCP" }]);
  });

  it("makes no allow for a service nobody calls", () => {
    expect(callAllows().map((a) => a.name)).not.toContain("allow-ingestion-from-callers");
  });
});

describe("image gating", () => {
  const config = (imageTag: string) => ({ stack: "dev", tier: "free" as const, profile: { ...tierDefaults("free"), apps: { ...tierDefaults("free").apps, imageTag } }, otherKeys: [] });
  it("says in the plan which apps are not deployed and why, until a tag is set", () => {
    expect(planNotes(config(""))).toContain(
      `apps: not deployed: ${APP_NAMES.join(", ")} (gamemetrics:apps.imageTag is not set, so no image was pushed yet); this up creates their ECR repositories, then build and push the images and set the tag (README: the first deploy)`,
    );
    expect(planNotes(config("1.2.0")).find((n) => n.startsWith("apps:"))).toMatch(new RegExp(`^apps: ${APP_NAMES.join(", ")} deployed from ECR at tag 1\\.2\\.0`));
  });

  it("names one migrations Job per release, as a DNS label", () => {
    expect(migrationJobName("1.4.0-rc.2")).toBe("migrate-1-4-0-rc-2");
    expect(migrationJobName("Release_7")).toBe("migrate-release-7");
    expect(migrationJobName("x".repeat(128))).toHaveLength(63);
    expect(migrationJobName(`${"a".repeat(54)}.b`)).toBe(`migrate-${"a".repeat(54)}`);
  });
});
