import { edgeAnnotations } from "../services/ingress";
import type { Manifest } from "./manifest";

/**
 * What only the platform's `pulumi up` knows or decides (the brokers' addresses on MSK, the archives
 * bucket's generated name and its key, where Qdrant serves) reaches GitOps-delivered pods through one ConfigMap that Pulumi writes, so the
 * committed manifests stay the same for every deploy of a stack. The rendered env refers to each
 * fact as $(VAR), which the kubelet expands from an env entry read from the ConfigMap.
 */
export const PLATFORM_CONFIGMAP = "platform-endpoints";

export const FACTS = {
  kafkaBootstrapServers: { env: "PLATFORM_KAFKA_BOOTSTRAP_SERVERS", key: "kafkaBootstrapServers" },
  archivesBucket: { env: "PLATFORM_ARCHIVES_BUCKET", key: "archivesBucket" },
  archivesKmsKeyArn: { env: "PLATFORM_ARCHIVES_KMS_KEY_ARN", key: "archivesKmsKeyArn" },
  qdrantUrl: { env: "PLATFORM_QDRANT_URL", key: "qdrantUrl" },
  postgresReaderHost: { env: "PLATFORM_POSTGRES_READER_HOST", key: "postgresReaderHost" },
} as const;
export type FactKey = keyof typeof FACTS;

/** The value a rendered manifest holds in place of the fact. */
export const factRef = (fact: FactKey): string => `$(${FACTS[fact].env})`;

type Env = { readonly name: string; readonly [field: string]: unknown };
type Obj = Record<string, unknown>;

const factEnv = (fact: FactKey): Env => ({
  name: FACTS[fact].env,
  valueFrom: { configMapKeyRef: { name: PLATFORM_CONFIGMAP, key: FACTS[fact].key } },
});

/** A container with the facts its env refers to defined first (the kubelet expands only earlier entries). */
function withFacts(container: Obj): Obj {
  const env = (container["env"] as Env[] | undefined) ?? [];
  const used = (Object.keys(FACTS) as FactKey[]).filter((f) => env.some((e) => typeof e["value"] === "string" && e["value"].includes(factRef(f))));
  return used.length === 0 ? container : { ...container, env: [...used.map(factEnv), ...env] };
}

/** Path of the pod template in each workload kind. */
function templatePath(kind: string): string[] | undefined {
  if (kind === "CronJob") return ["spec", "jobTemplate", "spec", "template"];
  return ["Deployment", "Rollout", "Job", "StatefulSet"].includes(kind) ? ["spec", "template"] : undefined;
}

function updateAt(root: Obj, path: readonly string[], fn: (o: Obj) => Obj): Obj {
  if (path.length === 0) return fn(root);
  const [head, ...rest] = path;
  return { ...root, [head]: updateAt((root[head] as Obj | undefined) ?? {}, rest, fn) };
}

/** A workload with `fn` applied to each of its containers (init containers too). */
function mapContainers(m: Manifest, fn: (container: Obj) => Obj): Manifest {
  const path = templatePath(m.kind);
  if (path === undefined) return m;
  return updateAt(m, [...path, "spec"], (pod) => ({
    ...pod,
    containers: ((pod["containers"] as Obj[] | undefined) ?? []).map(fn),
    ...(pod["initContainers"] === undefined ? {} : { initContainers: (pod["initContainers"] as Obj[]).map(fn) }),
  })) as Manifest;
}

/** Every container of a workload reads the platform facts it refers to from the ConfigMap. */
export const withPlatformFacts = (m: Manifest): Manifest => mapContainers(m, withFacts);

/**
 * Images by their immutable ECR tag alone: the digest Pulumi pins is what ECR reports at deploy time,
 * which a committed manifest cannot know (and needs not: the tag cannot move).
 */
export const withoutDigests = (m: Manifest): Manifest =>
  mapContainers(m, (c) => (typeof c["image"] === "string" ? { ...c, image: c["image"].replace(/@sha256:[0-9a-f]{64}$/, "") } : c));

/** The WAF web ACL of the public edge, by the name the platform gives it (infra/services/ingress.ts). */
export const edgeWebAclName = (namePrefix: string): string => `${namePrefix}-edge`;

/**
 * The public edge's annotations with the WAF named, not addressed by ARN: the ARN holds an id AWS
 * generates, the name is the stack's (the load balancer controller looks it up).
 */
export function renderedEdgeAnnotations(certificateArn: string, namePrefix: string): Record<string, string> {
  const { "alb.ingress.kubernetes.io/wafv2-acl-arn": _arn, ...rest } = edgeAnnotations(certificateArn, "");
  return { ...rest, "alb.ingress.kubernetes.io/wafv2-acl-name": edgeWebAclName(namePrefix) };
}
