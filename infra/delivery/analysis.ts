import { NAMESPACES } from "../contracts";
import { URLS } from "../observability/names";

/**
 * The Prometheus checks a canary must pass, as an Argo Rollouts AnalysisTemplate. The queries read
 * the metrics the app exports (its CanaryMetrics, which a test checks against the app's own registry),
 * only from the canary's pods: the PodMonitor copies the pods' `rollouts-pod-template-hash` label onto
 * every series, and the Rollout passes the canary's hash in.
 */

/** Label Argo Rollouts puts on a ReplicaSet's pods, as Prometheus names it after the PodMonitor copies it. */
export const POD_HASH_LABEL = "rollouts-pod-template-hash";
export const POD_HASH_SERIES_LABEL = "rollouts_pod_template_hash";
export const CANARY_HASH_ARG = "canary-hash";

/** In-cluster query endpoint: Thanos Query where it runs (it deduplicates the HA pair), else Prometheus itself. */
export function prometheusAddress(thanos: boolean): string {
  return thanos ? URLS.thanosQuery : URLS.prometheus;
}

/** The app's own metrics a canary is judged by. */
export interface CanaryMetrics {
  /** Counter of HTTP requests with a `status` label. */
  readonly requests: string;
  /** Histogram (seconds) of the latency that matters to the app's callers. */
  readonly latency: string;
}

export interface AnalysisThresholds {
  /** Largest share of the canary's requests answered 5xx. */
  readonly maxErrorRatio: number;
  /** Largest p99 of the canary's latency histogram, in seconds. */
  readonly maxP99Seconds: number;
  /** Rate window of each query: long enough for a few scrapes (30 s interval), short enough to react. */
  readonly window: string;
  /** How often each check runs, and how many failures abort (the next one does). */
  readonly interval: string;
  readonly failureLimit: number;
}

const selector = (extra = "") => `namespace="${NAMESPACES.apps}",${POD_HASH_SERIES_LABEL}="{{args.${CANARY_HASH_ARG}}}"${extra}`;

/**
 * Share of the canary's requests answered 5xx. Never empty and never NaN: with no errors the
 * numerator is 0, and before the canary's first request the denominator is clamped above 0.
 */
export function errorRatioQuery(requests: string, window: string): string {
  return (
    `(sum(rate(${requests}{${selector(',status=~"5.."')}}[${window}])) or vector(0))` +
    ` / clamp_min(sum(rate(${requests}{${selector()}}[${window}])) or vector(0), 1e-9)`
  );
}

/** p99 of the canary's latency histogram; 0 before it has any series. */
export function p99LatencyQuery(latency: string, window: string): string {
  return `histogram_quantile(0.99, sum by (le) (rate(${latency}_bucket{${selector()}}[${window}]))) or vector(0)`;
}

export function analysisTemplate(name: string, namespace: string, thanos: boolean, m: CanaryMetrics, t: AnalysisThresholds): Record<string, unknown> {
  const prometheus = (query: string) => ({ prometheus: { address: prometheusAddress(thanos), timeout: 30, query } });
  const check = { interval: t.interval, failureLimit: t.failureLimit };
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "AnalysisTemplate",
    // Before the Rollout that names it, in the same sync.
    metadata: { name, namespace, annotations: { "argocd.argoproj.io/sync-wave": "-1" } },
    spec: {
      args: [{ name: CANARY_HASH_ARG }],
      metrics: [
        { name: "error-ratio", ...check, successCondition: `result[0] <= ${t.maxErrorRatio}`, provider: prometheus(errorRatioQuery(m.requests, t.window)) },
        // A histogram with no requests in the window gives NaN: no latency to judge yet, not a failure.
        {
          name: "p99-latency",
          ...check,
          successCondition: `isNaN(result[0]) || result[0] <= ${t.maxP99Seconds}`,
          provider: prometheus(p99LatencyQuery(m.latency, t.window)),
        },
      ],
    },
  };
}
