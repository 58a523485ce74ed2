import type { AppName } from "../config/sections/apps";
import { METRICS } from "../observability/metrics";
import { analysisTemplate, type AnalysisThresholds, CANARY_HASH_ARG, type CanaryMetrics, POD_HASH_LABEL } from "./analysis";
import type { Manifest } from "./manifest";

/**
 * Apps delivered by canary (Argo Rollouts) instead of a rolling update: opting in is one entry here,
 * naming the app's own metrics and the thresholds that abort it. Traffic moves by ALB weights (exact
 * percentages at any replica count), each step held while the analysis runs in the background; a
 * failed check aborts the rollout and sends all traffic back to the stable pods.
 */
export interface CanarySpec {
  readonly metrics: CanaryMetrics;
  readonly thresholds: AnalysisThresholds;
  readonly steps: readonly { readonly weight: number; readonly pause: string }[];
}

export const CANARIES: Readonly<Partial<Record<AppName, CanarySpec>>> = {
  // The public edge: every game's events enter here, so a bad build must not take all of them.
  ingestion: {
    metrics: { requests: METRICS.ingestion.requests, latency: METRICS.ingestion.produceLatency },
    // 1% 5xx is where the production alert pages; a canary should be no worse than what we page on.
    // 500 ms p99 from hand-off to acks=all is many times the healthy figure (bench: single-digit ms).
    thresholds: { maxErrorRatio: 0.01, maxP99Seconds: 0.5, window: "2m", interval: "1m", failureLimit: 2 },
    steps: [
      { weight: 10, pause: "5m" },
      { weight: 25, pause: "5m" },
      { weight: 50, pause: "10m" },
    ],
  },
};

export const canaryServiceName = (app: string): string => `${app}-canary`;
export const analysisName = (app: string): string => `${app}-canary`;
/** Backend port name telling the AWS Load Balancer Controller to forward by the actions annotation. */
export const USE_ANNOTATION = "use-annotation";

const ROLLOUT_API = "argoproj.io/v1alpha1";

type Spec = Record<string, unknown>;
const specOf = (m: Manifest): Spec => (m["spec"] as Spec | undefined) ?? {};

export interface CanaryContext {
  readonly app: string;
  readonly spec: CanarySpec;
  /** Port the app's Service listens on: the ALB forwards to it on both Services. */
  readonly servicePort: number;
  readonly thanos: boolean;
}

function rollout(deployment: Manifest, c: CanaryContext): Manifest {
  const { strategy: _rollingUpdate, ...spec } = specOf(deployment);
  const steps = c.spec.steps.flatMap((s) => [{ setWeight: s.weight }, { pause: { duration: s.pause } }]);
  return {
    apiVersion: ROLLOUT_API,
    kind: "Rollout",
    metadata: deployment.metadata,
    spec: {
      ...spec,
      revisionHistoryLimit: 3,
      // A canary whose pods never become ready aborts instead of waiting forever.
      progressDeadlineSeconds: 600,
      progressDeadlineAbort: true,
      strategy: {
        canary: {
          stableService: c.app,
          canaryService: canaryServiceName(c.app),
          maxUnavailable: 0,
          abortScaleDownDelaySeconds: 30,
          trafficRouting: { alb: { ingress: c.app, servicePort: c.servicePort } },
          // Runs from the first weight step to the end; any failed check aborts the rollout.
          analysis: {
            templates: [{ templateName: analysisName(c.app) }],
            startingStep: 1,
            args: [{ name: CANARY_HASH_ARG, valueFrom: { podTemplateHashValue: "Latest" } }],
          },
          steps,
        },
      },
    },
  };
}

/**
 * With a canary, pods move between the stable and canary Services, so a ServiceMonitor on one of them
 * would miss the other's pods: a PodMonitor scrapes them all, tagged with their ReplicaSet's hash.
 */
function podMonitor(serviceMonitor: Manifest): Manifest {
  const spec = specOf(serviceMonitor);
  const endpoints = (spec["endpoints"] as Spec[] | undefined) ?? [];
  return {
    apiVersion: serviceMonitor.apiVersion,
    kind: "PodMonitor",
    metadata: serviceMonitor.metadata,
    spec: {
      selector: spec["selector"],
      namespaceSelector: spec["namespaceSelector"],
      podMetricsEndpoints: endpoints,
      podTargetLabels: [POD_HASH_LABEL],
    },
  };
}

function routedIngress(ingress: Manifest): Manifest {
  const spec = specOf(ingress);
  const rules = ((spec["rules"] as Spec[] | undefined) ?? []).map((rule) => {
    const http = rule["http"] as { paths: Spec[] };
    const paths = http.paths.map((p) => {
      const backend = p["backend"] as { service: Spec };
      return { ...p, backend: { service: { ...backend.service, port: { name: USE_ANNOTATION } } } };
    });
    return { ...rule, http: { ...http, paths } };
  });
  return { ...ingress, spec: { ...spec, rules } };
}

const is = (m: Manifest, kind: string, name: string) => m.kind === kind && m.metadata.name === name;

/** One app's manifests with its Deployment delivered as a canary Rollout (HPA, metrics and Ingress to match). */
export function withCanary(manifests: readonly Manifest[], c: CanaryContext): Manifest[] {
  const namespace = manifests.find((m) => is(m, "Deployment", c.app))?.metadata.namespace;
  if (namespace === undefined) throw new Error(`canary for ${c.app}: no Deployment ${c.app} to turn into a Rollout`);
  const out = manifests.flatMap((m): Manifest[] => {
    if (is(m, "Deployment", c.app)) return [rollout(m, c)];
    if (is(m, "ServiceMonitor", c.app)) return [podMonitor(m)];
    if (is(m, "Ingress", c.app)) return [routedIngress(m)];
    if (is(m, "Service", c.app)) return [m, { ...m, metadata: { ...m.metadata, name: canaryServiceName(c.app) } }];
    if (m.kind === "HorizontalPodAutoscaler" && (specOf(m)["scaleTargetRef"] as Spec | undefined)?.["name"] === c.app) {
      return [{ ...m, spec: { ...specOf(m), scaleTargetRef: { apiVersion: ROLLOUT_API, kind: "Rollout", name: c.app } } }];
    }
    return [m];
  });
  const template = analysisTemplate(analysisName(c.app), namespace, c.thanos, c.spec.metrics, c.spec.thresholds) as unknown as Manifest;
  return [...out, template];
}
