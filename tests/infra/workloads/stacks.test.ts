import { CATALOG, imageOf, WORKLOAD_NAMES, type WorkloadName } from "../../../infra/workloads/catalog";
import { APP_NAMES } from "../../../infra/config/sections/apps";
import { consumerCap } from "../../../infra/workloads/spec";
import { tierDefaults } from "../../../infra/config";
import { NAMESPACES } from "../../../infra/contracts";
import { APP_ACCESS } from "../../../infra/kafka/access";
import { PUBLIC_INGRESS_CLASS } from "../../../infra/services/ingress";
import { type Capture, type CapturedResource } from "../../../infra/tools/capture";
import { cachedCapture } from "../../support/captures";
import { descendants, named, ofType } from "../tree";

const STACKS = ["dev", "staging", "prod"] as const;
const TIER = { dev: "free", staging: "production", prod: "production" } as const;
const ROOT = "gamemetrics:workloads:Workloads::apps";
const TAG = "9.8.7-rc.1";
const TAGGED = [`gamemetrics:apps.imageTag=${TAG}`];
const captures = {} as Record<(typeof STACKS)[number] | "untagged", Capture>;

beforeAll(async () => {
  // The apps deploy only once images were pushed, i.e. with an image tag set. Production stacks deliver
  // through Argo CD by default; this suite is about what Pulumi deploys.
  const PULUMI = "gamemetrics:apps.delivery=pulumi";
  for (const stack of STACKS) captures[stack] = await cachedCapture({ stack, config: [...TAGGED, PULUMI] });
  captures.untagged = await cachedCapture({ stack: "prod", config: [PULUMI] });
}, 300_000);

// Captured inputs are plain JSON; the assertions below are what type them.
type Obj = Record<string, any>;
const SERVICES = WORKLOAD_NAMES.filter((a) => CATALOG[a].kind === "service");
const JOBS = WORKLOAD_NAMES.filter((a) => CATALOG[a].kind === "cronjob");
const mine = (c: Capture) => descendants(c, ROOT);
const byObjectName = (rs: CapturedResource[], type: string, name: string): Obj => {
  const found = ofType(rs, type).find((r) => (r.inputs.metadata as Obj).name === name);
  if (found === undefined) throw new Error(`no ${type} with metadata.name ${name}`);
  return found.inputs as Obj;
};
const deployment = (c: Capture, app: WorkloadName) => byObjectName(mine(c), "kubernetes:apps/v1:Deployment", app);
const cronJob = (c: Capture, app: WorkloadName) => byObjectName(mine(c), "kubernetes:batch/v1:CronJob", app);
const podOf = (c: Capture, app: WorkloadName): Obj => (CATALOG[app].kind === "service" ? deployment(c, app).spec.template : cronJob(c, app).spec.jobTemplate.spec.template);
const envOf = (c: Capture, app: WorkloadName): Obj[] => podOf(c, app).spec.containers[0].env;

describe.each(STACKS)("apps on %s", (stack) => {
  const c = () => captures[stack];
  const profile = tierDefaults(TIER[stack]).apps;
  const production = TIER[stack] === "production";

  it("deploys one workload per catalog entry, in the apps namespace, from its ECR repository at the tag, pinned to the pushed digest", () => {
    const deployments = ofType(mine(c()), "kubernetes:apps/v1:Deployment").map((r) => (r.inputs.metadata as Obj).name);
    const jobs = ofType(mine(c()), "kubernetes:batch/v1:CronJob").map((r) => (r.inputs.metadata as Obj).name);
    expect(deployments.sort()).toEqual([...SERVICES].sort());
    expect(jobs).toEqual(JOBS);
    const repos = c().outputs.ecrRepositoryUrls as Record<string, string>;
    for (const app of WORKLOAD_NAMES) {
      // A second workload of an app (recommendations-train) runs that app's image.
      const image: string = podOf(c(), app).spec.containers[0].image;
      expect(image.startsWith(`${repos[imageOf(app)]}:${TAG}@sha256:`)).toBe(true);
      expect(image).toMatch(/^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/gamemetrics-[a-z]+\/[a-z]+:[^@]+@sha256:[0-9a-f]{64}$/);
    }
    for (const r of ofType(mine(c()), "kubernetes:apps/v1:Deployment")) expect((r.inputs.metadata as Obj).namespace).toBe(NAMESPACES.apps);
  });

  it("runs the migrations Job of this release, from the app image, before any Deployment rolls", () => {
    const job = byObjectName(mine(c()), "kubernetes:batch/v1:Job", "migrate-9-8-7-rc-1");
    const container = job.spec.template.spec.containers[0];
    expect(container.command).toEqual(["node", "dist/apps/admin/migrate.js"]);
    expect(container.image).toBe(podOf(c(), "processor").spec.containers[0].image);
    expect(container.env.map((e: Obj) => e.name)).toEqual(expect.arrayContaining(["PGHOST", "PGPASSWORD", "DATABASE_URL"]));
    expect(job.spec.template.spec.restartPolicy).toBe("Never");
    const jobKey = `kubernetes:batch/v1:Job::${ofType(mine(c()), "kubernetes:batch/v1:Job")[0].name}`;
    for (const d of ofType(mine(c()), "kubernetes:apps/v1:Deployment")) expect(d.dependsOn ?? []).toContain(jobKey);
  });

  it("hands the retention job its tier's hot window and the archives bucket, prefix and data key", () => {
    const env = Object.fromEntries(envOf(c(), "retention").map((e) => [e.name, e.value]));
    expect(env.RETENTION_HOT_DAYS).toBe(String(tierDefaults(TIER[stack]).retention.hotDays));
    expect(env.RETENTION_HOT_DAYS).toBe(production ? "90" : "30");
    expect(env).toMatchObject({ ARCHIVES_BUCKET: c().outputs.archivesBucket, ARCHIVES_PREFIX: "player-events" });
    expect(env.ARCHIVES_KMS_KEY_ID).toMatch(/^arn:aws:kms:/);
  });

  it("sizes replicas and HPAs by tier: one pod on free, two or more plus a PDB on production", () => {
    const hpas = ofType(mine(c()), "kubernetes:autoscaling/v2:HorizontalPodAutoscaler").map((r) => r.inputs as Obj);
    const pdbs = ofType(mine(c()), "kubernetes:policy/v1:PodDisruptionBudget").map((r) => r.inputs as Obj);
    for (const app of SERVICES) {
      const entry = CATALOG[app];
      if (entry.kind !== "service") throw new Error("unreachable");
      const hpa = hpas.find((h) => h.spec.scaleTargetRef.name === app);
      if (entry.autoscale) {
        expect(deployment(c(), app).spec.replicas).toBeUndefined();
        const max = Math.min(profile.maxReplicas, consumerCap(app, TIER[stack]) ?? Infinity);
        expect(hpa?.spec).toMatchObject({ scaleTargetRef: { kind: "Deployment", name: app }, minReplicas: profile.minReplicas, maxReplicas: max });
        expect(hpa?.spec.metrics[0].resource).toEqual({ name: "cpu", target: { type: "Utilization", averageUtilization: profile.targetCpuPercent } });
      } else {
        expect(hpa).toBeUndefined();
        expect(deployment(c(), app).spec.replicas).toBe(profile.replicas);
      }
      const pdb = pdbs.find((p) => p.metadata.name === app);
      if (production) {
        expect(entry.autoscale ? hpa?.spec.minReplicas : deployment(c(), app).spec.replicas).toBeGreaterThanOrEqual(2);
        expect(pdb?.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: deployment(c(), app).spec.selector.matchLabels } });
      } else {
        expect(entry.autoscale ? hpa?.spec.minReplicas : deployment(c(), app).spec.replicas).toBe(1);
        expect(pdb).toBeUndefined();
      }
    }
    expect(hpas.map((h) => h.spec.scaleTargetRef.name).sort()).toEqual(["ingestion", "processor"]);
  });

  it("spreads production pods over zones (hard) and nodes; free pods are not constrained", () => {
    for (const app of SERVICES) {
      const spread = (deployment(c(), app).spec.template.spec.topologySpreadConstraints ?? []) as Obj[];
      if (production) {
        expect(spread.find((s) => s.topologyKey === "topology.kubernetes.io/zone")).toMatchObject({ maxSkew: 1, whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { "app.kubernetes.io/name": app } } });
        expect(spread.map((s) => s.topologyKey)).toContain("kubernetes.io/hostname");
      } else {
        expect(spread).toEqual([]);
      }
    }
  });

  it("runs every pod restricted: non-root, read-only root, no escalation, no capabilities, RuntimeDefault, sized, probed, own service account", () => {
    for (const app of WORKLOAD_NAMES) {
      const pod = podOf(c(), app).spec;
      const container = pod.containers[0];
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
      expect(container.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        runAsUser: 1000,
        runAsGroup: 1000,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      });
      // The tier's size, or the entry's own fixed one (the dashboard: static files and a proxy).
      const size = CATALOG[app].resources ?? profile;
      expect(container.resources).toEqual({ requests: { cpu: size.cpu, memory: size.memory }, limits: { memory: size.memory } });
      expect(container.volumeMounts).toContainEqual({ name: "tmp", mountPath: "/tmp" });
      expect(pod.serviceAccountName).toBe(app);
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(byObjectName(mine(c()), "kubernetes:core/v1:ServiceAccount", app).metadata.namespace).toBe(NAMESPACES.apps);
      const entry = CATALOG[app];
      if (entry.kind === "service") {
        expect(container.ports).toEqual([{ name: "http", containerPort: entry.listener.port, protocol: "TCP" }]);
        expect(container.readinessProbe.httpGet).toEqual({ path: "/readyz", port: "http" });
        expect(container.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
        const env = Object.fromEntries(envOf(c(), app).map((e) => [e.name, e.value]));
        expect(env[entry.listener.hostEnv]).toBe("0.0.0.0");
        expect(env[entry.listener.portEnv]).toBe(String(entry.listener.port));
      } else {
        expect(container.readinessProbe).toBeUndefined();
        expect(pod.restartPolicy).toBe("OnFailure");
      }
    }
  });

  it("feeds credentials only through secretKeyRefs: the right Secret per app, never a literal", () => {
    for (const app of WORKLOAD_NAMES) {
      const env = envOf(c(), app);
      const json = JSON.stringify(env);
      expect(json).not.toContain("offline-mock-password");
      expect(json).not.toContain("[secret]");
      for (const e of env.filter((v) => /PASSWORD|USERNAME|API_KEY|^PGUSER$/.test(v.name))) {
        expect(e.value).toBeUndefined();
        expect(e.valueFrom.secretKeyRef.name).toMatch(/^(postgres-credentials|redis-credentials|qdrant-api-key|kafka-[a-z]+|notifications-providers)$/);
      }
      const secrets = new Set(env.filter((e) => e.valueFrom !== undefined).map((e) => e.valueFrom.secretKeyRef.name));
      const kafka = app in APP_ACCESS;
      expect(secrets.has(`kafka-${app}`)).toBe(kafka);
      expect(secrets.has("postgres-credentials")).toBe(CATALOG[app].data.includes("postgres"));
      expect(secrets.has("redis-credentials")).toBe(CATALOG[app].data.includes("redis"));
      expect([...secrets].filter((s) => s.startsWith("kafka-") && s !== `kafka-${app}`)).toEqual([]);
      const byName = Object.fromEntries(env.map((e) => [e.name, e]));
      // Passwords travel in their own variables, never inside a URL.
      if (CATALOG[app].data.includes("postgres")) expect(byName.DATABASE_URL.value).toBe("postgres://$(PGUSER)@$(PGHOST):$(PGPORT)/$(PGDATABASE)?sslmode=verify-full");
      if (CATALOG[app].data.includes("redis")) expect(byName.REDIS_URL.value).toBe("rediss://$(REDIS_HOST):$(REDIS_PORT)");
      if (kafka) {
        expect(byName.KAFKA_BROKERS.value).toBe((c().outputs.kafka as Obj).bootstrapServers);
        expect(byName.KAFKA_SASL_MECHANISM.value).toBe("SCRAM-SHA-512");
      } else {
        expect(env.filter((e) => e.name.startsWith("KAFKA_"))).toEqual([]);
      }
    }
    // The processor's ACLs admit only its own consumer group.
    expect(envOf(c(), "processor").find((e) => e.name === "PROCESSOR_GROUP_ID")?.value).toBe("gamemetrics.processor");
  });

  it("gives only users (audit anchors) and retention (archives) an IRSA role, each scoped to its prefix of the archives bucket", () => {
    for (const app of ["users", "retention"]) {
      const sa = byObjectName(mine(c()), "kubernetes:core/v1:ServiceAccount", app);
      expect(sa.metadata.annotations["eks.amazonaws.com/role-arn"]).toMatch(/^arn:aws:iam::\d{12}:role\//);
    }
    for (const app of WORKLOAD_NAMES.filter((a) => a !== "users" && a !== "retention")) {
      expect(byObjectName(mine(c()), "kubernetes:core/v1:ServiceAccount", app).metadata.annotations ?? {}).toEqual({});
    }
    const trust = JSON.parse(named(mine(c()), "aws:iam/role:Role", "apps-users-irsa").inputs.assumeRolePolicy as string);
    expect(JSON.stringify(trust)).toContain(`system:serviceaccount:${NAMESPACES.apps}:users`);
    const policy = JSON.stringify(JSON.parse(named(mine(c()), "aws:iam/rolePolicy:RolePolicy", "apps-users-irsa").inputs.policy as string));
    expect(policy).toContain(`arn:aws:s3:::${c().outputs.archivesBucket}/audit-anchors/*`);
    expect(policy).not.toContain("s3:DeleteObject");

    const retentionPolicy = JSON.parse(named(mine(c()), "aws:iam/rolePolicy:RolePolicy", "apps-retention-irsa").inputs.policy as string);
    const objects = retentionPolicy.Statement.find((s: Obj) => s.Sid === "Objects");
    expect(objects.Resource).toEqual([`arn:aws:s3:::${c().outputs.archivesBucket}/player-events/*`]);
    // The archives bucket is versioned: a GDPR rewrite deletes the older versions, within the prefix only.
    expect(objects.Action).toContain("s3:DeleteObjectVersion");
    expect(retentionPolicy.Statement.find((s: Obj) => s.Sid === "ListPrefix")).toMatchObject({
      Action: ["s3:ListBucket", "s3:ListBucketVersions"],
      Condition: { StringLike: { "s3:prefix": ["player-events", "player-events/*"] } },
    });
    const retentionTrust = JSON.parse(named(mine(c()), "aws:iam/role:Role", "apps-retention-irsa").inputs.assumeRolePolicy as string);
    expect(JSON.stringify(retentionTrust)).toContain(`system:serviceaccount:${NAMESPACES.apps}:retention`);
  });

  it("scrapes every service's /metrics and lets only the declared callers reach a service", () => {
    for (const app of SERVICES) {
      const monitor = byObjectName(mine(c()), "kubernetes:monitoring.coreos.com/v1:ServiceMonitor", app);
      expect(monitor.spec.endpoints).toEqual([{ port: "http", path: "/metrics", interval: "30s" }]);
      expect(monitor.spec.selector.matchLabels).toEqual(byObjectName(mine(c()), "kubernetes:core/v1:Service", app).spec.selector);
    }
    // analytics, notifications and recommendations fetch the users service's JWKS; notifications reaches SMTP;
    // The data allows (allow-<workload>-to-<store>, allow-qdrant-from-apps) are checked in recommendations.test.ts,
    // the Prometheus query allows (allow-<workload>-to-prometheus, allow-prometheus-query-from-apps) in users.test.ts.
    const policies = ofType(mine(c()), "kubernetes:networking.k8s.io/v1:NetworkPolicy").map((r) => r.inputs as Obj).filter((p) => !/-to-(postgres|redis|qdrant|prometheus)$|^allow-(qdrant|prometheus-query)-from-apps$/.test(p.metadata.name));
    const callers = ["analytics", "notifications", "recommendations", "dashboard"];
    // ...the users service's GDPR job calls recommendations for its remote store, analytics asks it for a player's
    // recommendations, and the dashboard's server forwards GraphQL to analytics.
    expect(policies.map((p) => p.metadata.name).sort()).toEqual(
      [
        ...callers.map((a) => `allow-${a}-to-users`),
        "allow-notifications-internet-egress",
        "allow-users-from-callers",
        "allow-users-to-recommendations",
        "allow-analytics-to-recommendations",
        "allow-recommendations-from-callers",
        "allow-dashboard-to-analytics",
        "allow-analytics-from-callers",
      ].sort(),
    );
    const peer = (app: string) => ({
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": NAMESPACES.apps } },
      podSelector: { matchLabels: { "app.kubernetes.io/name": app, "app.kubernetes.io/part-of": "gamemetrics" } },
    });
    expect(policies.find((p) => p.metadata.name === "allow-analytics-from-callers")?.spec.ingress).toEqual([{ ports: [{ port: 8083, protocol: "TCP" }], from: [peer("dashboard")] }]);
    expect(policies.find((p) => p.metadata.name === "allow-recommendations-from-callers")?.spec.ingress).toEqual([{ ports: [{ port: 8084, protocol: "TCP" }], from: [peer("users"), peer("analytics")] }]);
    const ingress = policies.find((p) => p.metadata.name === "allow-users-from-callers");
    expect(ingress?.spec).toEqual({
      podSelector: { matchLabels: { "app.kubernetes.io/name": "users", "app.kubernetes.io/part-of": "gamemetrics" } },
      policyTypes: ["Ingress"],
      ingress: [{ ports: [{ port: 8080, protocol: "TCP" }], from: callers.map(peer) }],
    });
    const egress = policies.find((p) => p.metadata.name === "allow-analytics-to-users");
    expect(egress?.spec.policyTypes).toEqual(["Egress"]);
    expect(egress?.spec.podSelector.matchLabels["app.kubernetes.io/name"]).toBe("analytics");
  });

  it("puts ingestion, the users service's issuer paths, the dashboard's prefix and nothing else on the public edge", () => {
    const ingresses = ofType(mine(c()), "kubernetes:networking.k8s.io/v1:Ingress").map((r) => r.inputs as Obj);
    expect(ingresses.map((i) => i.metadata.name).sort()).toEqual(["dashboard", "ingestion", "users"]);
    const dash = ingresses.find((i) => i.metadata.name === "dashboard") as Obj;
    expect(dash.spec.rules[0].http.paths).toEqual([{ path: "/dashboard", pathType: "Prefix", backend: { service: { name: "dashboard", port: { name: "http" } } } }]);
    // Ordered before ingestion's "/", which would otherwise shadow it.
    expect(dash.metadata.annotations["alb.ingress.kubernetes.io/group.order"]).toBe("-10");
    const ing = ingresses.find((i) => i.metadata.name === "ingestion") as Obj;
    expect(ing.spec.ingressClassName).toBe(PUBLIC_INGRESS_CLASS);
    expect(c().outputs.publicIngressClass).toBe(PUBLIC_INGRESS_CLASS);
    expect(ing.spec.rules[0].http.paths[0].backend).toEqual({ service: { name: "ingestion", port: { name: "http" } } });
    expect(ing.metadata.annotations).toMatchObject({
      "gamemetrics.io/internet-facing": "true",
      "alb.ingress.kubernetes.io/target-type": "ip",
      "alb.ingress.kubernetes.io/healthcheck-path": "/readyz",
    });
    expect(ing.metadata.annotations["alb.ingress.kubernetes.io/certificate-arn"] !== undefined).toBe(production);
    for (const app of SERVICES) {
      expect(deployment(c(), app).spec.template.metadata.labels["gamemetrics.io/public-api"]).toBe(app === "ingestion" || app === "users" || app === "dashboard" ? "true" : undefined);
    }
  });
});

describe("before any image is pushed", () => {
  it("deploys no app, no migrations Job and no app policy: only the (empty) ECR repositories and the apps' own secrets exist", () => {
    // The apps' generated secrets come first so External Secrets has synced them before the pods start.
    const owned = ["gamemetrics:workloads:UsersSecrets::apps-users-secrets", "gamemetrics:workloads:NotificationsSecrets::apps-notifications-secrets"];
    const secrets = new Set(owned.flatMap((root) => [root, ...descendants(captures.untagged, root).map((r) => `${r.type}::${r.name}`)]));
    expect(mine(captures.untagged).filter((r) => !secrets.has(`${r.type}::${r.name}`))).toEqual([]);
    expect(mine(captures.untagged).map((r) => `${r.type}::${r.name}`)).toEqual(expect.arrayContaining(owned));
    expect(Object.keys(captures.untagged.outputs.ecrRepositoryUrls as Record<string, string>).sort()).toEqual([...APP_NAMES].sort());
  });
});
