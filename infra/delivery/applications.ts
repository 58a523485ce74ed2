import { NAMESPACES } from "../contracts";
import { GITOPS_NAMESPACE } from "./argo-values";
import type { Manifest } from "./manifest";

/**
 * The Argo CD objects of a stack: an AppProject that may deploy only this repository's manifests into
 * the apps namespace, a root Application (app of apps) that Pulumi creates, and one child Application
 * per app, rendered into deploy/<stack>/apps (a Helm chart, so the repository URL comes from the root).
 */

export const IN_CLUSTER = "https://kubernetes.default.svc";
export const deployPath = (stack: string): string => `deploy/${stack}`;
export const appsChartPath = (stack: string): string => `${deployPath(stack)}/apps`;
export const repoUrl = (repository: string): string => `https://github.com/${repository}.git`;
export const projectName = (stack: string): string => `gamemetrics-${stack}`;
export const rootAppName = (stack: string): string => `gamemetrics-${stack}`;
export const childAppName = (stack: string, app: string): string => `${stack}-${app}`;

/** Deleting an Application deletes what it deployed, not only the Application. */
const FINALIZERS = ["resources-finalizer.argocd.argoproj.io"];

/** Automated sync that prunes what left git and reverts what changed outside it, retrying with backoff. */
export const SYNC_POLICY = {
  automated: { prune: true, selfHeal: true },
  retry: { limit: 5, backoff: { duration: "30s", factor: 2, maxDuration: "5m" } },
  syncOptions: ["PruneLast=true", "PrunePropagationPolicy=foreground"],
} as const;

/** What a rendered app may contain, per API group: the only kinds the project lets Argo CD create (no cluster-scoped ones). */
const DEPLOYABLE: Readonly<Record<string, readonly string[]>> = {
  apps: ["Deployment"],
  "argoproj.io": ["Rollout", "AnalysisTemplate"],
  "": ["Service"],
  autoscaling: ["HorizontalPodAutoscaler"],
  policy: ["PodDisruptionBudget"],
  "networking.k8s.io": ["Ingress", "NetworkPolicy"],
  "monitoring.coreos.com": ["ServiceMonitor", "PodMonitor"],
  batch: ["CronJob", "Job"],
};
/** The same as the {group, kind} pairs an AppProject's whitelist takes. */
export const DEPLOYABLE_KINDS: readonly { readonly group: string; readonly kind: string }[] = Object.entries(DEPLOYABLE).flatMap(
  ([group, kinds]) => kinds.map((kind) => ({ group, kind })),
);
const APPLICATION = { group: "argoproj.io", kind: "Application" };

export function appProject(stack: string, repository: string): Manifest {
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "AppProject",
    metadata: { name: projectName(stack), namespace: GITOPS_NAMESPACE },
    spec: {
      description: `GameMetrics apps of stack ${stack}, from ${repository}`,
      sourceRepos: [repoUrl(repository)],
      destinations: [
        { server: IN_CLUSTER, namespace: NAMESPACES.apps },
        { server: IN_CLUSTER, namespace: GITOPS_NAMESPACE },
      ],
      clusterResourceWhitelist: [],
      namespaceResourceWhitelist: [...DEPLOYABLE_KINDS, APPLICATION],
    },
  };
}

export interface Source {
  readonly repoURL: string;
  readonly targetRevision: string;
}

/** An Application of the stack's project, syncing `path` of `source` into `namespace` by SYNC_POLICY. */
function application(stack: string, name: string, source: Source & { readonly path: string; readonly helm?: unknown }, namespace: string): Manifest {
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    metadata: { name, namespace: GITOPS_NAMESPACE, finalizers: FINALIZERS },
    spec: { project: projectName(stack), source, destination: { server: IN_CLUSTER, namespace }, syncPolicy: SYNC_POLICY },
  };
}

/** The app of apps: the apps chart, told where the repository is so its Applications can say so too. */
export function rootApplication(stack: string, source: Source): Manifest {
  return application(stack, rootAppName(stack), { ...source, path: appsChartPath(stack), helm: { valuesObject: { ...source } } }, GITOPS_NAMESPACE);
}

/** The child Application of one app; in the committed chart, `source` holds the Helm references below. */
export function childApplication(stack: string, app: string, source: Source): Manifest {
  return application(stack, childAppName(stack, app), { ...source, path: `${deployPath(stack)}/${app}` }, NAMESPACES.apps);
}

/** How the apps chart's templates name the root's values. */
export const TEMPLATE_SOURCE: Source = { repoURL: "{{ .Values.repoURL }}", targetRevision: "{{ .Values.targetRevision }}" };

export function appsChart(stack: string): { chart: Record<string, unknown>; values: Record<string, unknown> } {
  return {
    chart: { apiVersion: "v2", name: `gamemetrics-${stack}-apps`, description: `The Argo CD Applications of stack ${stack}, one per app`, version: "1.0.0" },
    // The root Application sets both; these defaults only document the shape.
    values: { repoURL: "", targetRevision: "main" },
  };
}
