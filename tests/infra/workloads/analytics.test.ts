// The analytics catalog entry: what its pods receive (reads on the replica when there is one, the
// token issuer, one live consumer group per pod that the Kafka ACL admits, the recommendations service
// and its own client to call it with) on every stack, and the NetworkPolicies that let that call through.
import { CATALOG } from "../../../infra/workloads/catalog";
import { appEnv, type EnvContext } from "../../../infra/workloads/env";
import { issuerUrl } from "../../../infra/workloads/env";
import { tierDefaults } from "../../../infra/config";
import { appAcls } from "../../../infra/kafka/access";
import { kafkaContract } from "../../../infra/kafka/contract";
import { type Capture } from "../../../infra/tools/capture";
import { cachedCapture } from "../../support/captures";
import { descendants, ofType } from "../tree";
import { ANALYTICS_DEFAULTS, loadAnalyticsConfig } from "../../../apps/analytics/config";
import { ANALYTICS_CLIENT_ID } from "../../../apps/shared/auth/platform-clients";
import { deriveSecrets } from "../../../apps/users/secrets";
import { analyticsClientSecret } from "../../../infra/workloads/users-secrets";
import { admits, type Endpoint, policiesOf } from "../security/reachability";

type Obj = Record<string, any>;
const ISSUER = issuerUrl({ issuerUrl: "" });
const ctx = (reader?: string): EnvContext => ({
  kafka: kafkaContract({ bootstrapServers: "b-1:9096", caSecret: null, schemaRegistryUrl: "http://registry:8080" }),
  qdrantUrl: "http://qdrant.data:6333",
  region: "eu-west-1",
  archivesBucket: "archives",
  archivesKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/data",
  settings: tierDefaults("free"),
  postgresReaderHost: reader,
  identity: { issuer: ISSUER, jwksUrl: "http://users.gamemetrics.svc.cluster.local:8080/oauth/jwks", profile: tierDefaults("free").identity },
});
const value = (env: ReturnType<typeof appEnv>, name: string) => {
  const e = env.find((x) => x.name === name);
  return e !== undefined && "value" in e ? e.value : undefined;
};

describe("analytics environment", () => {
  it("listens where the app's config reads it, with the issuer and the per-pod group prefix", () => {
    const env = appEnv("analytics", CATALOG.analytics, ctx());
    expect(value(env, "PORT")).toBe(String(ANALYTICS_DEFAULTS.port));
    expect(value(env, "AUTH_ISSUER")).toBe("http://users.gamemetrics.svc.cluster.local:8080/oauth");
    expect(value(env, "AUTH_JWKS_URL")).toBe("http://users.gamemetrics.svc.cluster.local:8080/oauth/jwks");
    expect(value(env, "ANALYTICS_LIVE_GROUP_PREFIX")).toBe("gamemetrics.analytics");
    expect(value(env, "DATABASE_READ_URL")).toBeUndefined(); // no replica: reads go to the primary
  });

  it("reads on the replica with the primary's credentials when the stack has one", () => {
    const env = appEnv("analytics", CATALOG.analytics, ctx("db-replica-1.rds.amazonaws.com"));
    expect(value(env, "DATABASE_READ_URL")).toBe("postgres://$(PGUSER)@db-replica-1.rds.amazonaws.com:$(PGPORT)/$(PGDATABASE)?sslmode=verify-full");
    expect(value(appEnv("processor", CATALOG.processor, ctx("db-replica-1")), "DATABASE_READ_URL")).toBeUndefined(); // writers never get it
  });

  it("calls recommendations inside the cluster with a token of its own client, its secret from a Secret; the app's config accepts it", () => {
    const env = appEnv("analytics", CATALOG.analytics, ctx());
    expect(value(env, "RECOMMENDATIONS_URL")).toBe("http://recommendations.gamemetrics.svc.cluster.local:8084");
    expect(value(env, "AUTH_TOKEN_URL")).toBe("http://users.gamemetrics.svc.cluster.local:8080/oauth/token");
    expect(env.find((e) => e.name === "AUTH_CLIENT_SECRET")).toEqual({ name: "AUTH_CLIENT_SECRET", valueFrom: { secretKeyRef: { name: "analytics-service-client", key: "clientSecret" } } });
    // Secrets as External Secrets fills them (the ElastiCache one's `cluster` key holds "true" or "false").
    const plain = Object.fromEntries(env.map((e) => [e.name, "value" in e ? e.value : e.valueFrom.secretKeyRef.key === "cluster" ? "false" : "from-the-secret"]));
    expect(loadAnalyticsConfig(plain).recommendations).toMatchObject({ url: value(env, "RECOMMENDATIONS_URL"), client: { tokenUrl: value(env, "AUTH_TOKEN_URL"), clientId: ANALYTICS_CLIENT_ID } });
  });

  it("the client secret Pulumi puts in that Secret is the one the users service derives for analytics' client", () => {
    const key = "k".repeat(48);
    expect(analyticsClientSecret(key)).toBe(deriveSecrets(key).clientSecret(ANALYTICS_CLIENT_ID, 1));
    expect(analyticsClientSecret(key)).not.toBe(analyticsClientSecret("j".repeat(48)));
  });

  it("its Kafka ACL admits every pod's own group under the app's prefix, and nothing wider", () => {
    const groups = appAcls("analytics").filter((a) => a.resource.type === "group");
    expect(groups).toEqual([{ resource: { type: "group", name: "gamemetrics.analytics.", patternType: "prefix" }, operations: ["Read"] }]);
    expect(appAcls("processor").filter((a) => a.resource.type === "group")[0].resource).toEqual({ type: "group", name: "gamemetrics.processor", patternType: "literal" });
  });
});

describe.each([["dev", false], ["staging", true]] as const)("analytics on %s", (stack, hasReplica) => {
  let c: Capture;
  beforeAll(async () => {
    // Apps deploy only once an image tag is set; production delivers through Argo CD unless Pulumi is chosen.
    c = await cachedCapture({ stack, config: ["gamemetrics:apps.imageTag=9.8.7-rc.1", "gamemetrics:apps.delivery=pulumi"] });
  }, 300_000);

  it(hasReplica ? "reads on the first read replica" : "reads on the primary (no replica on this stack)", () => {
    const dep = ofType(descendants(c, "gamemetrics:workloads:Workloads::apps"), "kubernetes:apps/v1:Deployment").find((r) => (r.inputs.metadata as Obj).name === "analytics");
    const env = (dep?.inputs as Obj).spec.template.spec.containers[0].env as Obj[];
    const read = env.find((e) => e.name === "DATABASE_READ_URL");
    if (!hasReplica) expect(read).toBeUndefined();
    else expect(read?.value).toMatch(/^postgres:\/\/\$\(PGUSER\)@[^:]*replica-1[^:]*:\$\(PGPORT\)\/\$\(PGDATABASE\)\?sslmode=verify-full$/);
    expect(env.find((e) => e.name === "AUTH_ISSUER")?.value).toBe(ISSUER);
  });

  it("the NetworkPolicies let analytics, and no other caller but users, reach recommendations' port", () => {
    const app = (name: string): Endpoint => ({ namespace: "gamemetrics", labels: { "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": "gamemetrics" } });
    const ok = (from: string, port = 8084) => admits(policiesOf(c.resources), { from: app(from), to: app("recommendations"), port });
    expect([ok("analytics"), ok("users"), ok("dashboard"), ok("ingestion"), ok("analytics", 9090)]).toEqual([true, true, false, false, false]);
  });

  it("its client secret is synced from Secrets Manager, secret in state, before its pods start", () => {
    const version = ofType(c.resources, "aws:secretsmanager/secretVersion:SecretVersion").find((r) => r.name === "apps-users-secrets-analytics-client-secret");
    expect(version?.inputs.secretString).toBe("[secret]");
    const es = ofType(c.resources, "kubernetes:external-secrets.io/v1:ExternalSecret").find((r) => (r.inputs.metadata as Obj).name === "analytics-service-client");
    expect(es?.inputs).toMatchObject({ metadata: { namespace: "gamemetrics" }, spec: { target: { name: "analytics-service-client" } } });
  });
});
