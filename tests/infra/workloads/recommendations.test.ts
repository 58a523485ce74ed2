// The recommendations workloads: the service and its train CronJob (a second workload of the same app
// and image), the env each reads, and NetworkPolicies that let exactly the data users reach their stores.
import { loadRecommendationsConfig } from "../../../apps/recommendations/config";
import { loadAuthConfig } from "../../../apps/shared/auth";
import { CATALOG, imageOf, WORKLOAD_NAMES } from "../../../infra/workloads/catalog";
import { appEnv, type EnvContext } from "../../../infra/workloads/env";
import { dataAllows, podTemplate } from "../../../infra/workloads/spec";
import { kafkaContract } from "../../../infra/kafka/contract";
import { NAMESPACES } from "../../../infra/contracts";
import { tierDefaults } from "../../../infra/config";
import { type Capture } from "../../../infra/tools/capture";
import { cachedCapture } from "../../support/captures";
import { descendants, ofType } from "../tree";

const VPC = "10.20.0.0/16";
const ctx: EnvContext = {
  kafka: kafkaContract({ bootstrapServers: "b-1:9096", caSecret: null, schemaRegistryUrl: "http://registry:8080" }),
  qdrantUrl: "http://qdrant.data.svc.cluster.local:6333",
  region: "eu-west-1",
  archivesBucket: "archives",
  archivesKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/data",
  settings: tierDefaults("free"),
  identity: { issuer: "https://api.example.com/oauth", jwksUrl: "http://users.gamemetrics.svc.cluster.local:8080/oauth/jwks", profile: tierDefaults("production").identity },
};
/** The env as the kubelet would hand it over: secretKeyRefs filled with placeholders, $(VAR) expanded. */
function resolved(name: (typeof WORKLOAD_NAMES)[number]): Record<string, string> {
  const out: Record<string, string> = {};
  // The ElastiCache Secret's `cluster` key holds "true" or "false" (infra/data/redis-settings.ts, synced by External Secrets).
  const secret = (key: string) => (key === "cluster" ? "true" : `secret-${key}`);
  for (const e of appEnv(name, CATALOG[name], ctx)) out[e.name] = "value" in e ? e.value.replace(/\$\(([A-Z_]+)\)/g, (_, v: string) => out[v]) : secret(e.valueFrom.secretKeyRef.key);
  return out;
}

describe("catalog entries", () => {
  it("runs the train job from the recommendations image with its own name and command", () => {
    const train = CATALOG["recommendations-train"];
    expect(train).toMatchObject({ kind: "cronjob", image: "recommendations", command: ["node", "dist/apps/recommendations/cli.js", "train"], data: ["postgres", "qdrant"] });
    expect(imageOf("recommendations-train")).toBe("recommendations");
    expect(imageOf("recommendations")).toBe("recommendations");
    const pod = podTemplate({ app: "recommendations-train", entry: train, image: "repo/recommendations:1", env: [], resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { memory: "1Gi" } }, serviceAccountName: "recommendations-train", topologySpread: [], kafkaCa: null }) as { spec: { containers: { command: string[]; ports?: unknown }[] } };
    expect(pod.spec.containers[0].command).toEqual(["node", "dist/apps/recommendations/cli.js", "train"]);
    expect(pod.spec.containers[0].ports).toBeUndefined();
  });

  it("gives the service exactly what its config module reads: it loads, on Qdrant, on the catalog's port", () => {
    const env = resolved("recommendations");
    // AUTH_ISSUER and AUTH_JWKS_URL come from the catalog too: recommendations is among the users service's callers.
    expect(env).toMatchObject({ AUTH_ISSUER: ctx.identity.issuer, AUTH_JWKS_URL: ctx.identity.jwksUrl });
    expect(loadAuthConfig(env)).toMatchObject({ issuer: ctx.identity.issuer, jwksUrl: ctx.identity.jwksUrl });
    const config = loadRecommendationsConfig(env);
    expect(config).toMatchObject({ vectorStore: "qdrant", port: 8084, host: "0.0.0.0", qdrant: { url: ctx.qdrantUrl, apiKey: "secret-api-key" }, groupId: "gamemetrics.recommendations" });
    expect(env.KAFKA_SASL_USERNAME).toBe("secret-username");
    expect(env.REDIS_URL).toBe("rediss://secret-host:secret-port");
  });

  it("gives the train job PostgreSQL and Qdrant, and no Kafka or Redis credentials", () => {
    const env = resolved("recommendations-train");
    expect(loadRecommendationsConfig(env)).toMatchObject({ vectorStore: "qdrant", qdrant: { url: ctx.qdrantUrl } });
    expect(Object.keys(env).filter((k) => k.startsWith("KAFKA_") || k.startsWith("REDIS_"))).toEqual([]);
    expect(env.DATABASE_URL).toMatch(/^postgres:\/\//);
  });
});

describe("data allows", () => {
  const { apps, data } = dataAllows(VPC);
  it("lets each workload reach exactly the stores it names", () => {
    for (const w of WORKLOAD_NAMES) {
      const mine = apps.filter((a) => a.pods?.["app.kubernetes.io/name"] === w);
      expect(mine.map((a) => a.name).sort()).toEqual(CATALOG[w].data.map((d) => `allow-${w}-to-${d}`).sort());
    }
    const toQdrant = apps.find((a) => a.name === "allow-recommendations-to-qdrant")!;
    expect(toQdrant).toMatchObject({ direction: "egress", peers: [{ namespace: "data", pods: { "app.kubernetes.io/name": "qdrant" } }], ports: [{ port: 6333, protocol: "TCP" }] });
    expect(apps.find((a) => a.name === "allow-recommendations-to-redis")).toMatchObject({ peers: [{ cidr: VPC }], ports: [{ port: 6379, protocol: "TCP" }] });
    expect(apps.find((a) => a.name === "allow-processor-to-redis")).toBeUndefined();
  });

  it("admits to Qdrant only the workloads that use it", () => {
    expect(data).toHaveLength(1);
    expect(data[0]).toMatchObject({ name: "allow-qdrant-from-apps", direction: "ingress", pods: { "app.kubernetes.io/name": "qdrant" }, ports: [{ port: 6333, protocol: "TCP" }] });
    expect(data[0].peers.map((p) => ("pods" in p ? p.pods?.["app.kubernetes.io/name"] : undefined)).sort()).toEqual(["recommendations", "recommendations-train"]);
  });
});

describe.each(["dev", "prod"] as const)("on the %s stack", (stack) => {
  let c: Capture;
  beforeAll(async () => {
    // The same capture as analytics.test.ts: apps deploy only once an image tag is set; production
    // delivers through Argo CD unless Pulumi is chosen (the render test shows both give the same objects).
    c = await cachedCapture({ stack, config: ["gamemetrics:apps.imageTag=9.8.7-rc.1", "gamemetrics:apps.delivery=pulumi"] });
  }, 300_000);
  const mine = () => descendants(c, "gamemetrics:workloads:Workloads::apps");
  type Obj = Record<string, any>;

  it("deploys the train CronJob after retention, from the recommendations repository", () => {
    const jobs = ofType(mine(), "kubernetes:batch/v1:CronJob").map((r) => r.inputs as Obj);
    const train = jobs.find((j) => j.metadata.name === "recommendations-train")!;
    expect(train.spec).toMatchObject({ schedule: "15 4 * * *", timeZone: "Etc/UTC", concurrencyPolicy: "Forbid" });
    const container = train.spec.jobTemplate.spec.template.spec.containers[0];
    expect(container.image.startsWith(`${(c.outputs.ecrRepositoryUrls as Record<string, string>).recommendations}:9.8.7-rc.1@sha256:`)).toBe(true);
    expect(container.command).toEqual(["node", "dist/apps/recommendations/cli.js", "train"]);
    expect(Object.keys(c.outputs.ecrRepositoryUrls as object)).not.toContain("recommendations-train");
  });

  it("creates the data NetworkPolicies: egress in the apps namespace, Qdrant's ingress in the data namespace", () => {
    const policies = ofType(mine(), "kubernetes:networking.k8s.io/v1:NetworkPolicy").map((r) => r.inputs as Obj);
    const qdrantIn = policies.find((p) => p.metadata.name === "allow-qdrant-from-apps")!;
    expect(qdrantIn.metadata.namespace).toBe(NAMESPACES.data);
    expect(qdrantIn.spec.podSelector).toEqual({ matchLabels: { "app.kubernetes.io/name": "qdrant" } });
    expect(qdrantIn.spec.ingress[0].from.map((f: Obj) => f.podSelector.matchLabels["app.kubernetes.io/name"]).sort()).toEqual(["recommendations", "recommendations-train"]);
    const toRedis = policies.find((p) => p.metadata.name === "allow-recommendations-to-redis")!;
    expect(toRedis.metadata.namespace).toBe(NAMESPACES.apps);
    expect(toRedis.spec.egress[0]).toEqual({ ports: [{ port: 6379, protocol: "TCP" }], to: [{ ipBlock: { cidr: expect.stringMatching(/^10\./) } }] });
  });
});
