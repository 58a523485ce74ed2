import { tierDefaults } from "../../../infra/config";
import { NAMESPACES } from "../../../infra/contracts";
import { CHARTS } from "../../../infra/services/charts";
import { type Capture, SECRET } from "../../../infra/tools/capture";
import { cachedCapture } from "../../support/captures";
import { named, ofType } from "../tree";
import { at, chart, chartNames, irsaRoles, owned, pinned, values } from "./view";

const STACKS = ["dev", "staging", "prod"] as const;
const TIER = { dev: "free", staging: "production", prod: "production" } as const;
const captures = {} as Record<(typeof STACKS)[number], Capture>;

beforeAll(async () => {
  for (const stack of STACKS) captures[stack] = await cachedCapture({ stack });
}, 240_000);

describe.each(STACKS)("observability on %s", (stack) => {
  const c = () => captures[stack];
  const profile = tierDefaults(TIER[stack]).observability;
  const production = TIER[stack] === "production";

  it("installs every chart at its pinned version, Thanos only on the production tier", () => {
    const expected = ["alloy", "cloudwatch", "loki", "stack", "tempo", ...(production ? ["thanos"] : [])].sort();
    expect(chartNames(c())).toEqual(expected.map((n) => `observability-${n}`));
    const tempo = production ? CHARTS.tempoDistributed : CHARTS.tempo;
    const pins = { stack: CHARTS.kubePrometheusStack, loki: CHARTS.loki, tempo, alloy: CHARTS.alloy, cloudwatch: CHARTS.cloudwatchExporter, thanos: CHARTS.thanos };
    for (const name of expected) {
      const pin = pins[name as keyof typeof pins];
      expect(chart(c(), name).inputs).toMatchObject({ chart: pin.chart, version: pin.version, repositoryOpts: { repo: pin.repo }, namespace: NAMESPACES.observability });
    }
  });

  it("sizes Prometheus, Alertmanager and Grafana from the tier", () => {
    const v = values(c(), "stack");
    expect(at(v, "prometheus.prometheusSpec")).toMatchObject({
      replicas: profile.prometheusReplicas,
      retention: profile.prometheusRetention,
      resources: { requests: { cpu: profile.prometheusCpu, memory: profile.prometheusMemory }, limits: { memory: profile.prometheusMemory } },
      storageSpec: { volumeClaimTemplate: { spec: { storageClassName: "gp3", resources: { requests: { storage: `${profile.prometheusStorageGb}Gi` } } } } },
      externalLabels: { cluster: stack },
      ruleSelectorNilUsesHelmValues: false,
      serviceMonitorSelectorNilUsesHelmValues: false,
    });
    expect(at(v, "alertmanager.alertmanagerSpec.replicas")).toBe(profile.alertmanagerReplicas);
    expect(at(v, "grafana.replicas")).toBe(profile.grafanaReplicas);
    expect(at(v, "grafana.admin")).toEqual({ existingSecret: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" });
  });

  it("monitors no component EKS keeps out of reach, so their down alerts never page (chart 81.x keys)", () => {
    const v = values(c(), "stack");
    for (const component of ["kubeControllerManager", "kubeScheduler", "kubeEtcd", "kubeProxy"]) expect(at(v, `${component}.enabled`)).toBe(false);
    expect(at(v, "defaultRules.rules")).toEqual({
      kubeControllerManager: false,
      kubeSchedulerAlerting: false,
      kubeSchedulerRecording: false,
      etcd: false,
      kubeProxy: false,
      windows: false,
    });
    // What EKS does expose stays monitored.
    for (const component of ["kubeApiServer", "kubelet", "coreDns"]) expect(component in (v as object)).toBe(false);
  });

  it("wires Thanos exactly on the production tier: sidecar, store, query, compactor on the logs bucket", () => {
    const v = values(c(), "stack");
    const sources = (at(v, "grafana.additionalDataSources") as { uid: string }[]).map((s) => s.uid);
    if (!production) {
      expect(at(v, "prometheus.prometheusSpec.thanos")).toEqual({});
      expect(at(v, "prometheus.thanosService.enabled")).toBe(false);
      expect(sources).toEqual(["loki", "tempo"]);
      return;
    }
    const logsBucket = c().outputs.logsBucket;
    expect(typeof logsBucket).toBe("string");
    expect(at(v, "prometheus.prometheusSpec.thanos.objectStorageConfig.secret")).toEqual({
      type: "S3",
      prefix: "thanos",
      config: { bucket: logsBucket, region: "us-east-1", endpoint: "s3.us-east-1.amazonaws.com" },
    });
    expect(at(v, "prometheus.thanosService.enabled")).toBe(true);
    expect(sources).toEqual(["loki", "tempo", "thanos"]);
    const t = values(c(), "thanos");
    expect(at(t, "objstoreConfig.value")).toEqual(at(v, "prometheus.prometheusSpec.thanos.objectStorageConfig.secret"));
    expect(at(t, "query.enabled")).toBe(true);
    expect(at(t, "storeGateway.enabled")).toBe(true);
    expect(at(t, "compact.enabled")).toBe(true);
    expect(at(t, "compact.extraArgs")).toEqual([
      `--retention.resolution-raw=${profile.thanosRawRetentionDays}d`,
      `--retention.resolution-5m=${profile.thanos5mRetentionDays}d`,
      `--retention.resolution-1h=${profile.thanos1hRetentionDays}d`,
    ]);
    expect(at(t, "additionalEndpoints")).toEqual(["dnssrv+_grpc._tcp.kps-thanos-discovery.observability.svc.cluster.local"]);
  });

  it("runs Loki in the tier's mode with its retention and the loki prefix of the logs bucket", () => {
    const v = values(c(), "loki");
    expect(v.deploymentMode).toBe(production ? "SimpleScalable" : "SingleBinary");
    const active = production ? ["write", "read", "backend"] : ["singleBinary"];
    for (const target of ["singleBinary", "write", "read", "backend"]) {
      expect(at(v, `${target}.replicas`)).toBe(active.includes(target) ? profile.lokiReplicas : 0);
    }
    expect(at(v, "loki.limits_config.retention_period")).toBe(`${profile.lokiRetentionDays * 24}h`);
    expect(at(v, "loki.storage")).toMatchObject({
      bucketNames: { chunks: c().outputs.logsBucket },
      use_thanos_objstore: true,
      object_store: { type: "s3", storage_prefix: "loki" },
    });
    expect(at(v, "singleBinary.persistence")).toEqual({ enabled: true, storageClass: "gp3", size: `${profile.lokiStorageGb}Gi` });
  });

  it("ships every pod's logs to Loki with Alloy, clustered when the tier runs more than one", () => {
    const v = values(c(), "alloy");
    expect(at(v, "controller")).toEqual({ type: "deployment", replicas: profile.logAgentReplicas });
    expect(at(v, "alloy.clustering.enabled")).toBe(profile.logAgentReplicas > 1);
    const config = String(at(v, "alloy.configMap.content"));
    expect(config).toContain('url = "http://loki-gateway.observability.svc.cluster.local:80/loki/api/v1/push"');
    expect(config).toContain(`enabled = ${profile.logAgentReplicas > 1}`);
  });

  it("runs Tempo on S3, monolithic on free and distributed on production, with the tier's retention and resources", () => {
    const v = values(c(), "tempo");
    const sized = { requests: { cpu: profile.tempoCpu, memory: profile.tempoMemory }, limits: { memory: profile.tempoMemory } };
    const s3 = { backend: "s3", s3: { bucket: c().outputs.logsBucket, prefix: "tempo" } };
    if (production) {
      expect(at(v, "compactor.config.compaction.block_retention")).toBe(`${profile.tempoRetentionHours}h`);
      expect(at(v, "storage.trace")).toMatchObject(s3);
      for (const component of ["ingester", "distributor", "querier", "queryFrontend"]) {
        expect(at(v, component)).toMatchObject({ replicas: profile.tempoReplicas, resources: sized });
      }
      expect(at(v, "ingester.persistence")).toEqual({ enabled: true, storageClass: "gp3", size: `${profile.tempoStorageGb}Gi` });
      expect(c().outputs.tracesOtlpEndpoint).toBe("tempo-distributor.observability.svc.cluster.local:4317");
    } else {
      expect(at(v, "tempo.retention")).toBe(`${profile.tempoRetentionHours}h`);
      expect(at(v, "tempo.storage.trace")).toMatchObject(s3);
      expect(at(v, "tempo.resources")).toEqual(sized);
      expect(c().outputs.tracesOtlpEndpoint).toBe("tempo.observability.svc.cluster.local:4317");
    }
    const tempoSource = (at(values(c(), "stack"), "grafana.additionalDataSources") as { uid: string; url: string }[]).find((d) => d.uid === "tempo");
    expect(tempoSource?.url).toBe(production ? "http://tempo-query-frontend.observability.svc.cluster.local:3200" : "http://tempo.observability.svc.cluster.local:3200");
  });

  it("gives each AWS-facing service account its own role, trust pinned to it and STS, and each chart that role", () => {
    const roles = irsaRoles(owned(c()));
    const expected: Record<string, string> = {
      "observability-loki": "loki",
      "observability-tempo": "tempo",
      "observability-cloudwatch": "cloudwatch-exporter",
      ...(production ? { "observability-thanos-sidecar": "prometheus", "observability-thanos-store": "thanos-store", "observability-thanos-compact": "thanos-compact" } : {}),
    };
    expect(roles.map((r) => r.name).sort()).toEqual(Object.keys(expected).sort());
    for (const role of roles) {
      expect(role.trust.Action).toBe("sts:AssumeRoleWithWebIdentity");
      expect(pinned(role.trust)).toEqual({ sub: `system:serviceaccount:observability:${expected[role.name]}`, aud: "sts.amazonaws.com" });
      for (const statement of role.policy.Statement) {
        expect([statement.Action].flat()).not.toContain("*");
        if ([statement.Action].flat().some((a) => a.startsWith("s3:"))) {
          for (const resource of [statement.Resource].flat()) expect(resource).toMatch(/^arn:aws:s3:::[^*]+$|^arn:aws:s3:::[^/]+\/(thanos|loki|tempo)\/\*$/);
        }
      }
    }
    const annotation = (v: unknown, path: string) => at(v, `${path}.annotations`) as Record<string, string>;
    const arnOf = (name: string) => annotation(values(c(), name), "serviceAccount")["eks.amazonaws.com/role-arn"];
    expect(arnOf("loki")).toContain("observability-loki");
    expect(arnOf("tempo")).toContain("observability-tempo");
    expect(arnOf("cloudwatch")).toContain("observability-cloudwatch");
    expect(at(values(c(), "loki"), "serviceAccount.name")).toBe("loki");
    if (production) {
      expect(annotation(values(c(), "stack"), "prometheus.serviceAccount")["eks.amazonaws.com/role-arn"]).toContain("observability-thanos-sidecar");
      expect(annotation(values(c(), "thanos"), "compact.serviceAccount")["eks.amazonaws.com/role-arn"]).toContain("observability-thanos-compact");
    }
  });

  it("creates the platform alert rules, dashboards and a random Grafana admin password", () => {
    const rules = named(owned(c()), "kubernetes:monitoring.coreos.com/v1:PrometheusRule", "observability-platform-rules");
    const groups = at(rules.inputs, "spec.groups") as { rules: { alert: string; expr: string }[] }[];
    const alerts = groups.flatMap((g) => g.rules);
    expect(alerts.map((a) => a.alert).sort()).toEqual(
      [
        "DeadLetterQueueGrowing",
        "IngestionErrorRatioHigh",
        "KafkaConsumerLagHigh",
        "PlatformPodCrashLooping",
        "RdsFreeStorageCritical",
        "RdsFreeStorageLow",
        "GdprRequestSlaAtRisk",
        "GdprRequestSlaLapsing",
        "AuditChainNotAnchored",
      ].sort(),
    );
    const allocated = tierDefaults(TIER[stack]).rds.allocatedStorageGb;
    expect(alerts.find((a) => a.alert === "RdsFreeStorageLow")?.expr).toContain(`< ${Math.round(allocated * 1024 ** 3 * 0.1)}`);
    expect(alerts.find((a) => a.alert === "KafkaConsumerLagHigh")?.expr).toMatch(new RegExp(`kafka_consumergroup_lag\\) > ${profile.alertConsumerLag}$`));
    expect(alerts.find((a) => a.alert === "IngestionErrorRatioHigh")?.expr).toMatch(new RegExp(`> ${profile.alertIngestionErrorPercent / 100}$`));

    const dashboards = ofType(owned(c()), "kubernetes:core/v1:ConfigMap");
    expect(dashboards.map((d) => d.name).sort()).toEqual(["gm-datastores", "gm-event-path", "gm-ingestion"].map((u) => `observability-dashboard-${u}`));
    for (const d of dashboards) {
      expect(at(d.inputs, "metadata.labels")).toEqual({ grafana_dashboard: "1" });
      const [json] = Object.values(at(d.inputs, "data") as Record<string, string>);
      expect((JSON.parse(json) as { panels: unknown[] }).panels.length).toBeGreaterThan(3);
    }

    const admin = named(owned(c()), "kubernetes:core/v1:Secret", "observability-grafana-admin");
    // The Kubernetes provider marks the whole stringData secret; the generated password never shows.
    expect(at(admin.inputs, "stringData")).toBe(SECRET);
    expect(JSON.stringify(c())).not.toContain("offline-mock-password");
    expect(ofType(owned(c()), "random:index/randomPassword:RandomPassword").map((r) => r.name)).toEqual(["observability-grafana-admin"]);
  });

  it("has no alert receiver without secret config: only the null receiver, nothing mounted", () => {
    const v = values(c(), "stack");
    expect((at(v, "alertmanager.config.receivers") as { name: string }[]).map((r) => r.name)).toEqual(["null"]);
    expect(at(v, "alertmanager.config.route.receiver")).toBe("null");
    expect(at(v, "alertmanager.alertmanagerSpec.secrets")).toEqual([]);
    expect(ofType(owned(c()), "kubernetes:core/v1:Secret").map((s) => s.name)).toEqual(["observability-grafana-admin"]);
  });
});
