import { type Field, int, oneOf, section, text } from "../fields";
import { cpu, memory } from "./kube-quantities";

/**
 * The platform's application services that have code (apps/<name>/main.ts). One entry per app; ECR
 * repositories, Kafka identities and workloads are all derived from this list. Adding an app is one
 * name here and one CATALOG entry (infra/workloads/catalog.ts), once its code exists.
 */
export const APP_NAMES = ["ingestion", "processor", "analytics", "users", "notifications", "retention", "recommendations", "dashboard"] as const;
export type AppName = (typeof APP_NAMES)[number];

/**
 * Who deploys the apps: `pulumi` (the Workloads component, on every `pulumi up`) or `argocd` (GitOps:
 * Argo CD syncs deploy/<stack>/, rendered from the same catalog by `npm run render`, with canary
 * Rollouts). Free defaults to pulumi: nothing more to run on small nodes. Production defaults to
 * argocd: drift is healed, every change is a reviewed commit, and a bad release aborts itself.
 */
export const DELIVERY_MODES = ["pulumi", "argocd"] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

export interface AppsProfile {
  /** Who deploys the apps (see DELIVERY_MODES). */
  delivery: DeliveryMode;
  /**
   * Tag of every app image in its ECR repository (immutable tags: a release, never "latest").
   * Empty (the default): no image was pushed yet, so no app is deployed; the first `pulumi up` creates
   * the repositories, CI pushes the images, and setting the tag deploys them (README: first deploy).
   */
  imageTag: string;
  /** Replicas of the services without an HPA. */
  replicas: number;
  /** HPA bounds of the autoscaled services (ingestion, processor). */
  minReplicas: number;
  maxReplicas: number;
  /** Average CPU utilization (of the request) the HPA aims for. */
  targetCpuPercent: number;
  /** Per-container requests; the memory limit equals the request. */
  cpu: string;
  memory: string;
  /** Sender of the notifications service's email; its domain becomes an SES identity (verify it with the DKIM records). */
  notificationsEmailFrom: string;
}

/** "Name <local@domain>" or a bare address; the domain is what SES verifies. */
const EMAIL_FROM = /^([^<>@\r\n]*<[^\s<>@]+@[a-z0-9.-]+\.[a-z]{2,}>|[^\s<>@]+@[a-z0-9.-]+\.[a-z]{2,})$/i;
/** Replace per stack with a domain you own: SES sends only from verified identities. */
export const PLACEHOLDER_SENDER = "GameMetrics <noreply@example.com>";

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** A Docker tag (charset and length as the registry accepts), but never the moving "latest"; "" means none pushed yet. */
export function imageTag(): Field<string> {
  return {
    allowed: 'an image tag such as "0.1.0" (letters, digits, _ . -, up to 128 characters; not "latest"), or "" before any image is pushed',
    parse: (raw) => (typeof raw === "string" && (raw === "" || (TAG.test(raw) && raw !== "latest")) ? raw : undefined),
  };
}

/** Apps are deployed only once an image tag is set: before that their repositories are empty. */
export const imagesPushed = (profile: Pick<AppsProfile, "imageTag">): boolean => profile.imageTag !== "";

export const apps = section<AppsProfile>({
  fields: {
    delivery: oneOf(...DELIVERY_MODES),
    imageTag: imageTag(),
    replicas: int(1, 50),
    minReplicas: int(1, 100),
    maxReplicas: int(1, 100),
    targetCpuPercent: int(10, 100),
    cpu: cpu(),
    memory: memory(),
    notificationsEmailFrom: text(EMAIL_FROM, 'a sender such as "My Game <noreply@mail.mygame.com>"'),
  },
  // One pod each, small enough to fit beside the platform on the free nodes (see infra/capacity).
  free: { delivery: "pulumi", imageTag: "", replicas: 1, minReplicas: 1, maxReplicas: 2, targetCpuPercent: 75, cpu: "50m", memory: "192Mi", notificationsEmailFrom: PLACEHOLDER_SENDER },
  // Two or more per service, spread over the zones, so a node or an AZ can go without an outage.
  production: { delivery: "argocd", imageTag: "", replicas: 2, minReplicas: 2, maxReplicas: 12, targetCpuPercent: 65, cpu: "250m", memory: "512Mi", notificationsEmailFrom: PLACEHOLDER_SENDER },
});
