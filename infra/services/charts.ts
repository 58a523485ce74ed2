import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CHART_PINS } from "../config/pins";

/** A Helm chart pinned to one version: every chart the platform installs is listed in CHARTS. */
export interface ChartSource {
  readonly chart: string;
  readonly version: string;
  readonly repo: string;
}

/** Every Helm chart and its pinned version: the chart rows of the pins table (infra/config/pins.ts). */
export const CHARTS = CHART_PINS satisfies Record<string, ChartSource>;
export type ChartKey = keyof typeof CHARTS;

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
