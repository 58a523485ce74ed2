import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { AlertReceiver, ObservabilityProfile } from "../config/sections/observability";
import { type ClusterInfo, NAMESPACES, type Tags } from "../contracts";
import { CHARTS, pinnedChart } from "../services/charts";
import type { EncryptedBucket } from "../services/s3-prefix-policy";
import { platformAlertRules } from "./alert-rules";
import { anyReceiver, RECEIVER_FILES, RECEIVER_SECRET, type ReceiverSet } from "./alerting";
import { alloyValues } from "./alloy";
import { cloudwatchExporterValues } from "./cloudwatch";
import { dashboardJson, PLATFORM_DASHBOARDS } from "./dashboards";
import { lokiValues } from "./loki-values";
import { DASHBOARD_LABEL, GRAFANA_ADMIN_SECRET, LOG_PREFIXES } from "./names";
import { thanosObjstore } from "./objstore";
import { observabilityRoles } from "./roles";
import { stackValues } from "./stack-values";
import { tempoEndpoints, tempoValues } from "./tempo-values";
import { thanosValues } from "./thanos-values";

export interface ObservabilityArgs {
  readonly profile: ObservabilityProfile;
  /** Stack name: Prometheus's `cluster` external label. */
  readonly stack: string;
  readonly cluster: Pick<ClusterInfo, "provider" | "oidcProviderArn" | "oidcIssuer">;
  readonly storageClass: string;
  /** The logs bucket: Thanos blocks, Loki chunks and Tempo traces, each under its own prefix. */
  readonly logs: EncryptedBucket;
  readonly region: string;
  /** RDS allocated storage, for the free-storage alert thresholds. */
  readonly rdsAllocatedGb: number;
  /** Secret receiver credentials from stack config; an absent one means no such receiver. */
  readonly receiverSecrets: Partial<Record<AlertReceiver, pulumi.Input<string>>>;
  readonly tags: Tags;
  /** The namespaces (created by the security baseline). */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

const NS = NAMESPACES.observability;

/**
 * Metrics, logs and traces: kube-prometheus-stack (Prometheus, Alertmanager, Grafana, exporters),
 * Thanos on the logs bucket when the profile asks, Loki (fed by Grafana Alloy) and Tempo on S3 through IRSA, a CloudWatch
 * exporter for RDS and ElastiCache, the platform's alert rules and dashboards.
 */
export class Observability extends pulumi.ComponentResource {
  /** The kube-prometheus-stack release; anything rendering ServiceMonitors or PrometheusRules waits for its CRDs. */
  readonly prometheusStack: k8s.helm.v4.Chart;
  /** OTLP gRPC endpoint (host:port) the apps export traces to. */
  readonly otlpEndpoint: string;

  constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gamemetrics:services:Observability", name, {}, opts);
    const { profile, storageClass, region } = args;
    const base = { parent: this, provider: args.cluster.provider };
    const afterNamespaces = { ...base, dependsOn: args.dependsOn };
    const bucket = pulumi.output(args.logs.bucket);

    const password = new random.RandomPassword(`${name}-grafana-admin`, { length: 32, special: false }, { parent: this });
    const grafanaSecret = new k8s.core.v1.Secret(
      `${name}-grafana-admin`,
      {
        metadata: { name: GRAFANA_ADMIN_SECRET.name, namespace: NS },
        type: "Opaque",
        stringData: { [GRAFANA_ADMIN_SECRET.userKey]: "admin", [GRAFANA_ADMIN_SECRET.passwordKey]: password.result },
      },
      afterNamespaces,
    );

    const receivers: ReceiverSet = { slack: args.receiverSecrets.slack !== undefined, pagerduty: args.receiverSecrets.pagerduty !== undefined };
    const secretInputs = anyReceiver(receivers)
      ? [
          new k8s.core.v1.Secret(
            `${name}-receivers`,
            {
              metadata: { name: RECEIVER_SECRET, namespace: NS },
              type: "Opaque",
              stringData: Object.fromEntries(
                (Object.entries(args.receiverSecrets) as [AlertReceiver, pulumi.Input<string>][]).map(([r, value]) => [RECEIVER_FILES[r], pulumi.secret(value)]),
              ),
            },
            afterNamespaces,
          ),
        ]
      : [];

    const roles = observabilityRoles(name, { cluster: args.cluster, logs: args.logs, thanos: profile.thanos, tags: args.tags }, this);
    const thanosObj = bucket.apply((b) => thanosObjstore(b, region, LOG_PREFIXES.thanos));

    const stack = pulumi
      .all([thanosObj, roles.thanos?.sidecar.arn])
      .apply(([objstore, sidecarArn]) =>
        stackValues({
          profile,
          cluster: args.stack,
          storageClass,
          receivers,
          thanos: sidecarArn === undefined ? undefined : { objstore, roleArn: sidecarArn },
        }),
      );
    this.prometheusStack = pinnedChart(
      `${name}-stack`,
      { source: CHARTS.kubePrometheusStack, namespace: NS, values: stack },
      { ...base, dependsOn: [...(args.dependsOn ?? []), grafanaSecret, ...secretInputs] },
    );
    // Every other chart renders a ServiceMonitor: the Prometheus Operator CRDs must exist first.
    const afterCrds = { ...base, dependsOn: [this.prometheusStack] };

    if (roles.thanos !== undefined) {
      const values = pulumi
        .all([thanosObj, roles.thanos.store.arn, roles.thanos.compact.arn])
        .apply(([objstore, storeRoleArn, compactRoleArn]) => thanosValues({ profile, storageClass, objstore, storeRoleArn, compactRoleArn }));
      pinnedChart(`${name}-thanos`, { source: CHARTS.thanos, namespace: NS, values }, afterCrds);
    }
    const loki = pulumi.all([bucket, roles.loki.arn]).apply(([b, roleArn]) => lokiValues({ profile, storageClass, bucket: b, region, roleArn }));
    pinnedChart(`${name}-loki`, { source: CHARTS.loki, namespace: NS, values: loki }, afterCrds);
    const tempo = pulumi.all([bucket, roles.tempo.arn]).apply(([b, roleArn]) => tempoValues({ profile, storageClass, bucket: b, region, roleArn }));
    const tempoChart = profile.tempoMode === "Monolithic" ? CHARTS.tempo : CHARTS.tempoDistributed;
    pinnedChart(`${name}-tempo`, { source: tempoChart, namespace: NS, values: tempo }, afterCrds);
    pinnedChart(`${name}-alloy`, { source: CHARTS.alloy, namespace: NS, values: alloyValues(profile) }, afterCrds);
    const cloudwatch = roles.cloudwatch.arn.apply((roleArn) => cloudwatchExporterValues(region, args.tags, roleArn));
    pinnedChart(`${name}-cloudwatch`, { source: CHARTS.cloudwatchExporter, namespace: NS, values: cloudwatch }, afterCrds);

    new k8s.apiextensions.CustomResource(
      `${name}-platform-rules`,
      {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PrometheusRule",
        metadata: { name: "gamemetrics-platform", namespace: NS },
        spec: {
          groups: platformAlertRules({
            consumerLag: profile.alertConsumerLag,
            ingestionErrorRatio: profile.alertIngestionErrorPercent / 100,
            rdsAllocatedGb: args.rdsAllocatedGb,
          }),
        },
      },
      afterCrds,
    );
    for (const dashboard of PLATFORM_DASHBOARDS) {
      new k8s.core.v1.ConfigMap(
        `${name}-dashboard-${dashboard.uid}`,
        {
          metadata: { name: `dashboard-${dashboard.uid}`, namespace: NS, labels: { ...DASHBOARD_LABEL } },
          data: { [`${dashboard.uid}.json`]: JSON.stringify(dashboardJson(dashboard)) },
        },
        afterNamespaces,
      );
    }
    this.otlpEndpoint = tempoEndpoints(profile.tempoMode).otlpGrpc;
    this.registerOutputs({ otlpEndpoint: this.otlpEndpoint });
  }
}
