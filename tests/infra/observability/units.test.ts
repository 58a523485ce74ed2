import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { rawFromConfigMap, tierDefaults } from "../../../infra/config";
import { rdsFreeStorageThresholdBytes } from "../../../infra/observability/alert-rules";
import { alertingNote, alertmanagerConfig, configuredReceivers } from "../../../infra/observability/alerting";
import { alloyConfig } from "../../../infra/observability/alloy";
import { cloudwatchExporterConfig } from "../../../infra/observability/cloudwatch";
import { dashboardJson, PLATFORM_DASHBOARDS } from "../../../infra/observability/dashboards";
import { lokiReplicas } from "../../../infra/observability/loki-values";
import { METRICS } from "../../../infra/observability/metrics";
import { s3PrefixPolicy } from "../../../infra/services/s3-prefix-policy";
import { PROJECT_ROOT, readStackConfig } from "../../../infra/tools/stack-config";
import { configProblems as problems } from "../config-problems";

describe("s3PrefixPolicy", () => {
  const KEY = "arn:aws:kms:us-east-1:123456789012:key/abc";
  const statements = (access: "read" | "readwrite") =>
    (JSON.parse(s3PrefixPolicy("logs-bucket", "loki", access, KEY)) as { Statement: { Sid: string; Action: string[]; Resource: string[]; Condition?: unknown }[] }).Statement;

  it("lists only under the prefix and touches objects only below it", () => {
    const [list, , objects] = statements("readwrite");
    expect(list).toMatchObject({ Action: ["s3:ListBucket"], Resource: ["arn:aws:s3:::logs-bucket"], Condition: { StringLike: { "s3:prefix": ["loki", "loki/*"] } } });
    expect(objects.Resource).toEqual(["arn:aws:s3:::logs-bucket/loki/*"]);
  });

  it("grants writes, deletes and data-key generation only for readwrite", () => {
    const actions = (access: "read" | "readwrite") => statements(access).flatMap((s) => s.Action);
    expect(actions("read")).toEqual(["s3:ListBucket", "s3:GetBucketLocation", "s3:GetObject", "kms:Decrypt"]);
    expect(actions("readwrite")).toEqual(expect.arrayContaining(["s3:PutObject", "s3:DeleteObject", "kms:GenerateDataKey"]));
    for (const s of statements("readwrite")) expect(s.Resource).not.toContain("*");
    expect(statements("readwrite")[3].Resource).toEqual([KEY]);
  });
});

describe("alert receivers", () => {
  it("are decided by which secret keys the stack config holds", () => {
    expect(configuredReceivers([])).toEqual({ slack: false, pagerduty: false });
    expect(configuredReceivers(["pagerdutyRoutingKey"])).toEqual({ slack: false, pagerduty: true });
  });

  it("route warnings to Slack and critical alerts to PagerDuty only, when Slack is absent", () => {
    const config = alertmanagerConfig({ slack: false, pagerduty: true });
    expect(config.route).toMatchObject({ receiver: "null", routes: [{ receiver: "null" }, { receiver: "pagerduty", continue: false }] });
    expect((config.receivers as { name: string }[]).map((r) => r.name)).toEqual(["null", "pagerduty"]);
  });

  it("never put a credential in the config: receivers read files", () => {
    const text = JSON.stringify(alertmanagerConfig({ slack: true, pagerduty: true }));
    expect(text).toContain('"api_url_file"');
    expect(text).toContain('"routing_key_file"');
    expect(text).not.toMatch(/"api_url"|"routing_key"|"service_key"/);
  });

  it("note what is missing and what happens to alerts", () => {
    expect(alertingNote({ slack: true, pagerduty: true })).toBeUndefined();
    expect(alertingNote({ slack: true, pagerduty: false })).toBe("alerting: gamemetrics:pagerdutyRoutingKey not set (pulumi config set --secret); alerts skip pagerduty");
    expect(alertingNote({ slack: false, pagerduty: false })).toMatch(/slackWebhookUrl, gamemetrics:pagerdutyRoutingKey .* null receiver$/);
  });
});

describe("sizing helpers", () => {
  it("scale the Loki targets of the other mode to zero", () => {
    expect(lokiReplicas(tierDefaults("free").observability)).toEqual({ singleBinary: 1, read: 0, write: 0, backend: 0 });
    expect(lokiReplicas(tierDefaults("production").observability)).toEqual({ singleBinary: 0, read: 3, write: 3, backend: 3 });
  });

  it("turn a fraction of the RDS allocation into bytes", () => {
    expect(rdsFreeStorageThresholdBytes(20, 0.1)).toBe(2147483648);
    expect(rdsFreeStorageThresholdBytes(500, 0.05)).toBe(26843545600);
  });
});

describe("dashboards", () => {
  it("lay panels out on the 24-column grid without overlap, ids unique", () => {
    for (const spec of PLATFORM_DASHBOARDS) {
      const panels = dashboardJson(spec).panels as { id: number; gridPos: { x: number; y: number; w: number; h: number } }[];
      expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
      for (const p of panels) expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
      const cells = panels.map((p) => `${p.gridPos.x},${p.gridPos.y}`);
      expect(new Set(cells).size).toBe(cells.length);
    }
  });

  it("cover ingestion, consumer lag, the DLQ and both data stores", () => {
    const text = JSON.stringify(PLATFORM_DASHBOARDS.map(dashboardJson));
    for (const metric of [METRICS.ingestion.requests, METRICS.kafka.consumerLag, METRICS.processor.dlq, METRICS.rds.freeStorage, METRICS.redis.memory]) {
      expect(text).toContain(metric);
    }
    expect(text).toContain('topic=\\"system.dlq\\"');
  });
});

describe("metric names", () => {
  const source = (file: string) => fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8");
  it.each([
    ["apps/ingestion/metrics.ts", Object.values(METRICS.ingestion)],
    ["apps/processor/main.ts", Object.values(METRICS.processor)],
    ["apps/users/metrics.ts", Object.values(METRICS.users)],
  ])("match the prom-client metrics declared in %s", (file, names) => {
    for (const name of names) expect(source(file)).toContain(`name: "${name}"`);
  });
});

describe("Alloy pipeline", () => {
  it("wires discovery -> relabel -> Kubernetes log source -> Loki, with braces balanced", () => {
    const config = alloyConfig(true);
    const order = ['discovery.kubernetes "pods"', 'discovery.relabel "pods"', 'loki.source.kubernetes "pods"', 'loki.write "default"'].map((b) => config.indexOf(b));
    expect(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1]))).toBe(true);
    expect(config.split("{").length).toBe(config.split("}").length);
    expect(config).toContain("forward_to = [loki.write.default.receiver]");
    for (const label of ["namespace", "pod", "container", "app"]) expect(config).toContain(`target_label  = "${label}"`);
    expect(alloyConfig(false)).toContain("enabled = false");
  });
});

describe("CloudWatch exporter config", () => {
  it("discovers only this stack's RDS and ElastiCache resources", () => {
    const config = yaml.load(cloudwatchExporterConfig("eu-west-1", { project: "gamemetrics", env: "dev", tier: "free" })) as {
      discovery: { jobs: { type: string; regions: string[]; searchTags: unknown[]; metrics: { name: string }[] }[] };
    };
    expect(config.discovery.jobs.map((j) => j.type)).toEqual(["AWS/RDS", "AWS/ElastiCache"]);
    for (const job of config.discovery.jobs) {
      expect(job.regions).toEqual(["eu-west-1"]);
      expect(job.searchTags).toEqual([{ key: "project", value: "^gamemetrics$" }, { key: "env", value: "^dev$" }]);
    }
    expect(config.discovery.jobs[0].metrics.map((m) => m.name)).toContain("FreeStorageSpace");
  });
});

describe("qdrant and observability config rules", () => {
  const dev = () => rawFromConfigMap(readStackConfig("dev").values) as Record<string, unknown>;

  it("name the key, the bad value and the allowed ones", () => {
    expect(problems({ ...dev(), observability: { prometheusRetention: "7 days" } })).toEqual([
      'gamemetrics:observability.prometheusRetention is "7 days"; allowed: a Prometheus duration such as 12h, 15d or 2w',
    ]);
    expect(problems({ ...dev(), observability: { lokiMode: "Distributed" } })).toEqual([
      'gamemetrics:observability.lokiMode is "Distributed"; allowed: one of "SingleBinary", "SimpleScalable"',
    ]);
    expect(problems({ ...dev(), qdrant: { memory: "4GB" } })).toEqual(['gamemetrics:qdrant.memory is "4GB"; allowed: a memory quantity such as 512Mi or 2Gi']);
  });

  it("refuse more shard copies than Qdrant replicas", () => {
    expect(problems({ ...dev(), qdrant: { replicationFactor: 2 } })).toEqual([
      "gamemetrics:qdrant.replicationFactor (2) exceeds gamemetrics:qdrant.replicas (1); allowed: at most 1",
    ]);
    expect(problems({ ...dev(), qdrant: { replicas: 2, replicationFactor: 2 } })).toEqual([]);
  });

  it("refuse observability retention longer than the logs bucket keeps objects", () => {
    expect(problems({ ...dev(), observability: { lokiRetentionDays: 30 } })).toEqual([
      "gamemetrics:observability retention (30 days, Loki/Tempo/Thanos) exceeds gamemetrics:storage.logsExpirationDays (7), which deletes the objects first; allowed: at most 7 days",
    ]);
    expect(problems({ ...dev(), observability: { lokiRetentionDays: 30 }, storage: { logsExpirationDays: 30 } })).toEqual([]);
  });
});
