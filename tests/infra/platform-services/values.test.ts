import { ConfigError, rawFromConfigMap, resolveConfig, tierDefaults } from "../../../infra/config";
import { EKS_VERSIONS } from "../../../infra/config/sections/eks";
import { NAMESPACES } from "../../../infra/contracts";
import { clusterAutoscalerImage, clusterAutoscalerValues } from "../../../infra/services/autoscaling";
import { CHARTS } from "../../../infra/services/charts";
import { externalSecretBody } from "../../../infra/services/external-secrets";
import { edgeAnnotations, loadBalancerControllerValues, SSL_POLICY, webAclRules } from "../../../infra/services/ingress";
import { kyvernoValues, policyValues } from "../../../infra/services/kyverno";
import { controlPlaneValues } from "../../../infra/services/mesh";
import { admissionNote, backupsNote, edgeNote, meshNote } from "../../../infra/services/platform-notes";
import { resourcesFor } from "../../../infra/services/sizing";
import { veleroValues } from "../../../infra/services/velero";
import { readStackConfig } from "../../../infra/tools/stack-config";

const CERT = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-4000-8000-000000000000";
const ACL = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/edge/abc";

describe("edge", () => {
  it("serves HTTP only without a certificate, and HTTPS with redirect and a TLS 1.3 policy with one", () => {
    const http = edgeAnnotations("", ACL);
    expect(http["alb.ingress.kubernetes.io/listen-ports"]).toBe('[{"HTTP":80}]');
    expect(http["alb.ingress.kubernetes.io/certificate-arn"]).toBeUndefined();
    const https = edgeAnnotations(CERT, ACL);
    expect(https).toMatchObject({
      "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP":80},{"HTTPS":443}]',
      "alb.ingress.kubernetes.io/ssl-redirect": "443",
      "alb.ingress.kubernetes.io/certificate-arn": CERT,
      "alb.ingress.kubernetes.io/ssl-policy": SSL_POLICY,
    });
    for (const a of [http, https]) expect(a).toMatchObject({ "alb.ingress.kubernetes.io/wafv2-acl-arn": ACL, "alb.ingress.kubernetes.io/target-type": "ip" });
  });

  it("refuses a production stack without a certificate before any resource, naming the key", () => {
    const stack = (overrides: string[]) => () => resolveConfig("prod", rawFromConfigMap(readStackConfig("prod", overrides).values));
    expect(stack([])).not.toThrow();
    expect(stack(["gamemetrics:ingress.certificateArn="])).toThrow(ConfigError);
    expect(stack(["gamemetrics:ingress.certificateArn="])).toThrow(/gamemetrics:ingress\.certificateArn is "" on the production tier; allowed: an ACM certificate ARN/);
    expect(() => resolveConfig("dev", { tier: "free" })).not.toThrow();
  });

  it("validates the certificate ARN and the rate-limit window as stack config", () => {
    expect(() => resolveConfig("dev", { tier: "free", ingress: { certificateArn: "arn:aws:iam::1:role/x" } })).toThrow(/gamemetrics:ingress\.certificateArn is "arn:aws:iam::1:role\/x"; allowed: an ACM certificate ARN/);
    expect(() => resolveConfig("dev", { tier: "free", ingress: { rateLimitWindowSeconds: 30 } })).toThrow(/gamemetrics:ingress\.rateLimitWindowSeconds is 30; allowed: one of 60, 120, 300, 600/);
    expect(resolveConfig("dev", { tier: "free", ingress: { certificateArn: CERT } }).profile.ingress.certificateArn).toBe(CERT);
  });

  it("rate-limits each client IP first, then applies AWS's managed rules without blocking large ingestion bodies", () => {
    const rules = webAclRules({ rateLimitPerIp: 500, rateLimitWindowSeconds: 60 });
    expect(rules.map((r) => [r.priority, r.name])).toEqual([
      [0, "rate-limit-per-ip"],
      [1, "AWSManagedRulesCommonRuleSet"],
      [2, "AWSManagedRulesKnownBadInputsRuleSet"],
    ]);
    expect(rules[0]).toMatchObject({ action: { block: {} }, statement: { rateBasedStatement: { limit: 500, evaluationWindowSec: 60, aggregateKeyType: "IP" } } });
    expect(rules[1]).toMatchObject({
      statement: { managedRuleGroupStatement: { ruleActionOverrides: [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }] } },
    });
  });

  it("makes one internet-facing ALB group per stack, protected from deletion as the tier says", () => {
    const profile = tierDefaults("production").ingress;
    const v = loadBalancerControllerValues({ clusterName: "c", region: "r", vpcId: "v", roleArn: "arn", groupName: "gamemetrics-prod-public", profile, tier: "production" });
    expect(v).toMatchObject({
      replicaCount: 2,
      enableServiceMutatorWebhook: false,
      ingressClass: "alb-public",
      ingressClassParams: { create: true, name: "alb-public", spec: { scheme: "internet-facing", group: { name: "gamemetrics-prod-public" } } },
      serviceAccount: { annotations: { "eks.amazonaws.com/role-arn": "arn" } },
    });
    expect(JSON.stringify(v)).toContain('{"key":"deletion_protection.enabled","value":"true"}');
  });
});

describe("external secrets", () => {
  it("extracts every JSON key of the remote secret into an owned Secret through the ClusterSecretStore", () => {
    expect(externalSecretBody({ namespace: NAMESPACES.apps, secretName: "kafka-ingestion" }, "arn:secret")).toEqual({
      refreshInterval: "1h",
      secretStoreRef: { kind: "ClusterSecretStore", name: "aws-secrets-manager" },
      target: { name: "kafka-ingestion", creationPolicy: "Owner", deletionPolicy: "Retain" },
      dataFrom: [{ extract: { key: "arn:secret" } }],
    });
  });
});

describe("autoscaling, backups, mesh and admission values", () => {
  it("pins a Cluster Autoscaler image of the cluster's own minor version for every supported EKS version", () => {
    for (const version of EKS_VERSIONS) {
      expect(clusterAutoscalerImage(version)).toEqual({ repository: "registry.k8s.io/autoscaling/cluster-autoscaler", tag: expect.stringMatching(new RegExp(`^v${version.replace(".", "\\.")}\\.\\d+$`)) });
    }
    const v = clusterAutoscalerValues({ clusterName: "gm", region: "us-east-1", roleArn: "arn", eksVersion: "1.36", tier: "free" });
    expect(v).toMatchObject({ autoDiscovery: { clusterName: "gm" }, awsRegion: "us-east-1", image: { tag: "v1.36.1" }, resources: resourcesFor("clusterAutoscaler", "free") });
  });

  it("backs up the stateful namespaces daily to the velero prefix, kept for the profile's days", () => {
    const v = veleroValues({ bucket: "b", kmsKeyArn: "k", region: "r", roleArn: "a", profile: { backupSchedule: "0 2 * * *", backupTtlDays: 30 }, tier: "production" });
    expect(v).toMatchObject({
      deployNodeAgent: false,
      credentials: { useSecret: false },
      configuration: { backupStorageLocation: [{ bucket: "b", prefix: "velero", config: { kmsKeyId: "k" } }] },
      schedules: { daily: { schedule: "0 2 * * *", template: { ttl: "720h0m0s", includedNamespaces: [NAMESPACES.kafka, NAMESPACES.data, NAMESPACES.observability] } } },
    });
  });

  it("keeps the mesh issuer key out of the chart values and the CNI plugin on", () => {
    const v = controlPlaneValues(tierDefaults("production").mesh, "production", "ANCHOR");
    expect(v).toMatchObject({ cniEnabled: true, installNamespace: false, identityTrustAnchorsPEM: "ANCHOR", identity: { issuer: { scheme: "kubernetes.io/tls" } }, controllerReplicas: 3, webhookFailurePolicy: "Fail" });
    expect(JSON.stringify(v)).not.toMatch(/keyPEM|PRIVATE KEY/);
    expect(controlPlaneValues(tierDefaults("free").mesh, "free", "A")).toMatchObject({ controllerReplicas: 1, enablePodDisruptionBudget: false, webhookFailurePolicy: "Ignore" });
  });

  it("applies the baseline pod security policies in the given mode, excepting only node-exporter and the mesh CNI", () => {
    expect(policyValues("Enforce")).toMatchObject({ podSecurityStandard: "baseline", validationFailureAction: "Enforce" });
    const excluded = Object.values(policyValues("Audit").policyExclude as Record<string, { any: { resources: { namespaces: string[] } }[] }>).flatMap((e) => e.any[0].resources.namespaces);
    expect([...new Set(excluded)].sort()).toEqual([NAMESPACES.observability, "linkerd-cni"].sort());
    expect(kyvernoValues(3, "production")).toMatchObject({ admissionController: { replicas: 3 } });
  });

  it("pins every chart of this area to an exact version", () => {
    const mine = [CHARTS.externalSecrets, CHARTS.awsLoadBalancerController, CHARTS.metricsServer, CHARTS.clusterAutoscaler, CHARTS.velero, CHARTS.linkerdCrds, CHARTS.linkerdCni, CHARTS.linkerdControlPlane, CHARTS.kyverno, CHARTS.kyvernoPolicies];
    for (const c of mine) {
      expect(c.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(c.repo).toMatch(/^https:\/\//);
    }
  });
});

describe("plan notes", () => {
  const config = (tier: "free" | "production") => ({ stack: "s", tier, profile: tierDefaults(tier), otherKeys: [] });

  it("says the free edge is HTTP only and what the WAF costs", () => {
    expect(edgeNote(config("free"))).toContain("HTTP only (no gamemetrics:ingress.certificateArn: no TLS listener)");
    expect(edgeNote(config("free"))).toContain("WAF is billed");
    const prod = config("production");
    expect(edgeNote({ ...prod, profile: { ...prod.profile, ingress: { ...prod.profile.ingress, certificateArn: CERT } } })).toContain("HTTPS with the ACM certificate");
  });

  it("states the mesh, backups and admission mode of the tier", () => {
    expect(meshNote(config("free"))).toMatch(/^mesh: off/);
    expect(meshNote(config("production"))).toMatch(/^mesh: Linkerd mTLS/);
    expect(backupsNote(config("free"))).toMatch(/^backups: Velero off/);
    expect(backupsNote(config("production"))).toMatch(/kept 30 days$/);
    expect(admissionNote(config("free"))).toContain("Audit mode");
    expect(admissionNote(config("production"))).toContain("enforced");
  });
});
