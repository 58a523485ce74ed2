import * as yaml from "js-yaml";
import { resources } from "../config/sections/kube-quantities";
import type { Tags } from "../contracts";
import { irsaAnnotation } from "../services/s3-prefix-policy";
import { NAMES, SERVICE_ACCOUNTS } from "./names";

/**
 * CloudWatch metrics the dashboards and the RDS storage alert need, exported by YACE as
 * `aws_<namespace>_<metric>_<statistic>` with `dimension_<Name>` labels.
 */
const JOBS = [
  { type: "AWS/RDS", metrics: [["FreeStorageSpace", "Average"], ["CPUUtilization", "Average"], ["DatabaseConnections", "Average"]] },
  { type: "AWS/ElastiCache", metrics: [["CPUUtilization", "Average"], ["DatabaseMemoryUsagePercentage", "Average"], ["Evictions", "Sum"]] },
] as const;

/** YACE discovery config: only resources tagged with this stack's project and env. */
export function cloudwatchExporterConfig(region: string, tags: Tags): string {
  const searchTags = ["project", "env"].map((key) => ({ key, value: `^${tags[key]}$` }));
  return yaml.dump({
    apiVersion: "v1alpha1",
    "sts-region": region,
    discovery: {
      jobs: JOBS.map((job) => ({
        type: job.type,
        regions: [region],
        searchTags,
        metrics: job.metrics.map(([name, statistic]) => ({ name, statistics: [statistic], period: 300, length: 300 })),
      })),
    },
  });
}

/**
 * CloudWatch read access. GetMetricData, ListMetrics and tag:GetResources have no resource-level
 * permissions in IAM, so these three actions are the narrowest grant possible.
 */
export const CLOUDWATCH_READ_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Sid: "ReadMetrics", Effect: "Allow", Action: ["cloudwatch:GetMetricData", "cloudwatch:ListMetrics", "tag:GetResources"], Resource: "*" }],
});

export function cloudwatchExporterValues(region: string, tags: Tags, roleArn: string): Record<string, unknown> {
  return {
    fullnameOverride: NAMES.cloudwatch,
    serviceAccount: { create: true, name: SERVICE_ACCOUNTS.cloudwatch, annotations: irsaAnnotation(roleArn) },
    service: { enabled: true },
    serviceMonitor: { enabled: true, interval: "60s" },
    resources: resources("50m", "128Mi"),
    config: cloudwatchExporterConfig(region, tags),
  };
}
