import type { Tier } from "../config";

/** Container resources as charts take them. Memory limits only: CPU limits throttle controllers for nothing. */
export interface Resources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly memory: string };
}

const r = (cpu: string, memory: string, limit: string): Resources => ({ requests: { cpu, memory }, limits: { memory: limit } });

/** Requests and limits of the platform controllers per tier: free packs them onto three t3.medium nodes. */
export const CONTROLLER_RESOURCES = {
  externalSecrets: { free: r("10m", "64Mi", "128Mi"), production: r("50m", "128Mi", "256Mi") },
  loadBalancerController: { free: r("25m", "64Mi", "192Mi"), production: r("100m", "128Mi", "384Mi") },
  metricsServer: { free: r("25m", "64Mi", "128Mi"), production: r("100m", "200Mi", "400Mi") },
  clusterAutoscaler: { free: r("25m", "128Mi", "256Mi"), production: r("100m", "300Mi", "600Mi") },
  velero: { free: r("50m", "128Mi", "512Mi"), production: r("250m", "256Mi", "1Gi") },
  kyvernoAdmission: { free: r("50m", "192Mi", "384Mi"), production: r("100m", "256Mi", "768Mi") },
  kyvernoController: { free: r("25m", "64Mi", "128Mi"), production: r("50m", "128Mi", "256Mi") },
  linkerdController: { free: r("25m", "64Mi", "192Mi"), production: r("100m", "128Mi", "256Mi") },
  linkerdProxy: { free: r("10m", "20Mi", "64Mi"), production: r("50m", "32Mi", "128Mi") },
  // Argo CD and Argo Rollouts (apps.delivery argocd). The application controller holds every app's tree in memory.
  argocdController: { free: r("100m", "256Mi", "512Mi"), production: r("250m", "512Mi", "1Gi") },
  argocdRepoServer: { free: r("50m", "128Mi", "256Mi"), production: r("100m", "256Mi", "512Mi") },
  argocdServer: { free: r("25m", "64Mi", "128Mi"), production: r("50m", "128Mi", "256Mi") },
  argocdRedis: { free: r("25m", "32Mi", "64Mi"), production: r("50m", "64Mi", "128Mi") },
  argocdApplicationSet: { free: r("10m", "32Mi", "64Mi"), production: r("25m", "64Mi", "128Mi") },
  rollouts: { free: r("25m", "64Mi", "128Mi"), production: r("50m", "128Mi", "256Mi") },
} as const satisfies Record<string, Record<Tier, Resources>>;

export type ControllerKey = keyof typeof CONTROLLER_RESOURCES;

export function resourcesFor(controller: ControllerKey, tier: Tier): Resources {
  return CONTROLLER_RESOURCES[controller][tier];
}

/** Highly available controllers get a PodDisruptionBudget so node drains keep one running. */
export function disruptionBudget(replicas: number): { enabled: boolean; minAvailable?: number } {
  return replicas > 1 ? { enabled: true, minAvailable: 1 } : { enabled: false };
}
