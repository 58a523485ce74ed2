import { tierDefaults } from "../../../infra/config";
import { CLUSTER_SECRET_STORE, NAMESPACES } from "../../../infra/contracts";
import { CHARTS, type ChartKey } from "../../../infra/services/charts";
import { APP_SECRETS } from "../../../infra/services/external-secrets";
import { wildcardGrants, type PolicyDocument } from "../../../infra/services/platform-iam";
import { resourcesFor } from "../../../infra/services/sizing";
import { type Capture, type CapturedResource, SECRET } from "../../../infra/tools/capture";
import { cachedCapture } from "../../support/captures";
import { at, irsaRoles, pinned } from "../observability/view";
import { descendants, named, ofType } from "../tree";

const STACKS = ["dev", "staging", "prod"] as const;
const TIER = { dev: "free", staging: "production", prod: "production" } as const;
const ROOT = "gamemetrics:services:PlatformServices::platform";
const CHART = "kubernetes:helm.sh/v4:Chart";
const captures = {} as Record<(typeof STACKS)[number] | "devSwitchedOn", Capture>;

beforeAll(async () => {
  for (const stack of STACKS) captures[stack] = await cachedCapture({ stack });
  captures.devSwitchedOn = await cachedCapture({ stack: "dev", config: ["gamemetrics:platform.backups=true", "gamemetrics:mesh.enabled=true"] });
}, 300_000);

/** Chart resource name -> its CHARTS entry, for every chart the component can install. */
const CHART_KEYS: Record<string, ChartKey> = {
  "platform-external-secrets": "externalSecrets",
  "platform-edge-lbc": "awsLoadBalancerController",
  "platform-autoscaling-metrics-server": "metricsServer",
  "platform-autoscaling-cluster-autoscaler": "clusterAutoscaler",
  "platform-admission": "kyverno",
  "platform-admission-policies": "kyvernoPolicies",
  "platform-backups": "velero",
  "platform-mesh-crds": "linkerdCrds",
  "platform-mesh-cni": "linkerdCni",
  "platform-mesh-control-plane": "linkerdControlPlane",
};
const ALWAYS = ["platform-external-secrets", "platform-edge-lbc", "platform-autoscaling-metrics-server", "platform-autoscaling-cluster-autoscaler", "platform-admission", "platform-admission-policies"];
const BACKUPS = ["platform-backups"];
const MESH = ["platform-mesh-crds", "platform-mesh-cni", "platform-mesh-control-plane"];

const owned = (c: Capture) => descendants(c, ROOT);
const charts = (c: Capture) => ofType(owned(c), CHART);
const values = (c: Capture, name: string) => named(owned(c), CHART, name).inputs.values as Record<string, unknown>;

describe.each(STACKS)("platform services on %s", (stack) => {
  const c = () => captures[stack];
  const tier = TIER[stack];
  const profile = tierDefaults(tier);

  it("installs each chart at its pinned version: Velero and Linkerd only on the production tier", () => {
    const expected = [...ALWAYS, ...(tier === "production" ? [...BACKUPS, ...MESH] : [])].sort();
    expect(charts(c()).map((r) => r.name).sort()).toEqual(expected);
    for (const chart of charts(c())) {
      const pin = CHARTS[CHART_KEYS[chart.name]];
      expect(chart.inputs).toMatchObject({ chart: pin.chart, version: pin.version, repositoryOpts: { repo: pin.repo } });
    }
  });

  it("sizes the controllers from the tier profile", () => {
    expect(values(c(), "platform-external-secrets")).toMatchObject({ replicaCount: profile.platform.externalSecretsReplicas, resources: resourcesFor("externalSecrets", tier) });
    expect(values(c(), "platform-edge-lbc")).toMatchObject({ replicaCount: profile.ingress.controllerReplicas, resources: resourcesFor("loadBalancerController", tier) });
    expect(values(c(), "platform-autoscaling-metrics-server")).toMatchObject({ replicas: profile.platform.metricsServerReplicas });
    expect(at(values(c(), "platform-admission"), "admissionController.replicas")).toBe(profile.platform.policyReplicas);
    expect(values(c(), "platform-admission-policies")).toMatchObject({
      podSecurityStandard: "baseline",
      validationFailureAction: tier === "production" ? "Enforce" : "Audit",
    });
  });

  it("points the autoscaler at this cluster's node groups and the edge at this VPC", () => {
    expect(values(c(), "platform-autoscaling-cluster-autoscaler")).toMatchObject({ autoDiscovery: { clusterName: `gamemetrics-${stack}` }, awsRegion: "us-east-1" });
    expect(values(c(), "platform-edge-lbc")).toMatchObject({ clusterName: `gamemetrics-${stack}`, ingressClassParams: { spec: { group: { name: `gamemetrics-${stack}-public` } } } });
    expect(String(at(values(c(), "platform-edge-lbc"), "vpcId"))).not.toBe("");
    expect(c().outputs.publicIngressClass).toBe("alb-public");
  });

  it("pins every IRSA trust policy to its service account and STS, and scopes every permission", () => {
    const roles = irsaRoles(owned(c()));
    const expected = [
      ["platform-external-secrets", `system:serviceaccount:${NAMESPACES.platform}:external-secrets`],
      ["platform-edge-lbc", `system:serviceaccount:${NAMESPACES.platform}:aws-load-balancer-controller`],
      ["platform-autoscaling-cluster-autoscaler", "system:serviceaccount:kube-system:cluster-autoscaler"],
      ...(tier === "production" ? [["platform-backups", `system:serviceaccount:${NAMESPACES.platform}:velero`]] : []),
    ];
    expect(roles.map((r) => r.name).sort()).toEqual(expected.map(([n]) => n).sort());
    for (const [name, sub] of expected) {
      const role = roles.find((r) => r.name === name);
      expect(role?.trust.Action).toBe("sts:AssumeRoleWithWebIdentity");
      expect(pinned(role?.trust ?? { Action: "", Principal: { Federated: "" }, Condition: { StringEquals: {} } })).toEqual({ sub, aud: "sts.amazonaws.com" });
      expect(wildcardGrants(role?.policy as unknown as PolicyDocument)).toEqual([]);
    }
  });

  it("syncs the RDS and Redis credentials into the apps namespace through the ClusterSecretStore", () => {
    const store = ofType(owned(c()), "kubernetes:external-secrets.io/v1:ClusterSecretStore");
    expect(store.map((s) => s.inputs)).toEqual([
      expect.objectContaining({ metadata: { name: CLUSTER_SECRET_STORE }, spec: { provider: { aws: { service: "SecretsManager", region: "us-east-1" } } } }),
    ]);
    const secrets = ofType(owned(c()), "kubernetes:external-secrets.io/v1:ExternalSecret");
    const byTarget = new Map(secrets.map((s) => [(s.inputs.metadata as { name: string }).name, s]));
    expect([...byTarget.keys()].sort()).toEqual([APP_SECRETS.postgres, APP_SECRETS.redis].sort());
    const dataSecrets = ofType(c().resources, "aws:secretsmanager/secret:Secret");
    for (const [target, remote] of [
      [APP_SECRETS.postgres, "postgres-master"],
      [APP_SECRETS.redis, "redis-auth"],
    ]) {
      const es = byTarget.get(target) as CapturedResource;
      expect(es.inputs.metadata).toEqual({ name: target, namespace: NAMESPACES.apps });
      const key = at(es.inputs.spec, "dataFrom") as { extract: { key: string } }[];
      const source = dataSecrets.find((s) => String(s.inputs.name).endsWith(`/data/${remote}`));
      expect(source).toBeDefined();
      expect(key[0].extract.key).toContain(`:secret:${String(source?.inputs.name)}`);
    }
  });

  it("puts the edge's per-IP rate limit and managed rules in front of the public APIs", () => {
    const acl = named(owned(c()), "aws:wafv2/webAcl:WebAcl", "platform-edge-waf");
    expect(acl.inputs).toMatchObject({ scope: "REGIONAL", name: `gamemetrics-${stack}-edge`, tags: { project: "gamemetrics", env: stack, tier } });
    expect(at((acl.inputs.rules as unknown[])[0], "statement.rateBasedStatement")).toEqual({
      limit: profile.ingress.rateLimitPerIp,
      evaluationWindowSec: profile.ingress.rateLimitWindowSeconds,
      aggregateKeyType: "IP",
    });
  });

  it("never puts a private key into Kubernetes resources in clear", () => {
    const k8s = c().resources.filter((r) => r.type.startsWith("kubernetes:"));
    expect(JSON.stringify(k8s)).not.toContain("PRIVATE KEY");
    if (tier === "production") {
      const issuer = named(owned(c()), "kubernetes:core/v1:Secret", "platform-mesh-issuer");
      expect(issuer.inputs).toMatchObject({ type: "kubernetes.io/tls", metadata: { name: "linkerd-identity-issuer", namespace: "linkerd" } });
      // The key makes the whole stringData secret: nothing of it reaches the state in clear.
      expect(issuer.inputs.stringData).toBe(SECRET);
    }
  });
});

describe("tier switches", () => {
  it("turns Velero and the mesh on for the free tier when config asks", () => {
    const names = charts(captures.devSwitchedOn).map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining([...BACKUPS, ...MESH]));
    expect(at(values(captures.devSwitchedOn, "platform-mesh-control-plane"), "controllerReplicas")).toBe(tierDefaults("free").mesh.controlPlaneReplicas);
    const velero = values(captures.devSwitchedOn, "platform-backups");
    expect(at(velero, "schedules.daily.template.ttl")).toBe(`${tierDefaults("free").platform.backupTtlDays * 24}h0m0s`);
  });
});
