import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Tier } from "../config";
import { CHART_PINS } from "../config/pins";
import type { ClusterInfo, Tags } from "../contracts";

/** A Helm chart pinned to one version: every chart the platform installs is listed in CHARTS. */
export interface ChartSource {
  readonly chart: string;
  readonly version: string;
  readonly repo: string;
}

/** Every Helm chart and its pinned version: the chart rows of the pins table (infra/config/pins.ts). */
export const CHARTS = CHART_PINS satisfies Record<string, ChartSource>;
export type ChartKey = keyof typeof CHARTS;

/** What a chart-backed cluster service takes: the cluster to install into, its profile section, the tier, what must exist first. */
export interface ChartServiceArgs<P> {
  readonly cluster: Pick<ClusterInfo, "provider">;
  readonly profile: P;
  readonly tier: Tier;
  readonly dependsOn: pulumi.Input<pulumi.Resource>[];
}

/** What PlatformServices hands every service that runs under an IRSA role: the cluster with its OIDC provider, the region, the tier, the tags. */
export interface IrsaServiceArgs {
  readonly cluster: Pick<ClusterInfo, "provider" | "oidcProviderArn" | "oidcIssuer">;
  readonly region: string;
  readonly tier: Tier;
  readonly tags: Tags;
}

export interface PinnedChartArgs {
  readonly source: ChartSource;
  readonly namespace: pulumi.Input<string>;
  readonly values: pulumi.Input<Record<string, unknown>>;
}

/**
 * Installs a pinned chart with helm.v4.Chart, so a real preview renders its objects and the
 * policy pack sees them; offline, its inputs (chart, version, values) are what tests assert on.
 */
export function pinnedChart(name: string, args: PinnedChartArgs, opts: pulumi.ComponentResourceOptions): k8s.helm.v4.Chart {
  return new k8s.helm.v4.Chart(
    name,
    {
      chart: args.source.chart,
      version: args.source.version,
      repositoryOpts: { repo: args.source.repo },
      namespace: args.namespace,
      values: args.values,
    },
    opts,
  );
}
