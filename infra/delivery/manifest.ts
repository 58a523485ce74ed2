import * as yaml from "js-yaml";

/** A Kubernetes object as it is written to a file and applied: plain JSON with its type in apiVersion/kind. */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
  readonly [field: string]: unknown;
}

export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly [field: string]: unknown;
}

/**
 * `kubernetes:apps/v1:Deployment` -> apps/v1, Deployment; the core group has no prefix (`v1`).
 * Undefined for what is not a Kubernetes object (providers, charts, components).
 */
export function typeOfToken(token: string): { apiVersion: string; kind: string } | undefined {
  const m = /^kubernetes:([^:]+)\/([^/:]+):([A-Za-z]+)$/.exec(token);
  if (m === null || m[1] === "helm.sh") return undefined;
  return { apiVersion: m[1] === "core" ? m[2] : `${m[1]}/${m[2]}`, kind: m[3] };
}

/** The Pulumi type token of a manifest, so policy rules written for the program's resources apply to it. */
export function tokenOf(m: Pick<Manifest, "apiVersion" | "kind">): string {
  const [group, version] = m.apiVersion.includes("/") ? m.apiVersion.split("/") : ["core", m.apiVersion];
  return `kubernetes:${group}/${version}:${m.kind}`;
}

/** A captured resource's inputs as the object the API server would receive. */
export function toManifest(token: string, inputs: Readonly<Record<string, unknown>>): Manifest | undefined {
  const type = typeOfToken(token);
  if (type === undefined) return undefined;
  const metadata = inputs["metadata"] as ObjectMeta | undefined;
  if (metadata?.name === undefined) throw new Error(`${token} has no metadata.name; a rendered object needs a fixed name`);
  return { ...inputs, ...type, metadata };
}

const FIRST = ["apiVersion", "kind", "metadata", "name", "namespace", "labels", "annotations", "spec"];

/** Keys as people read manifests: type and metadata first, then alphabetical, so a render is stable. */
export function keyOrder(a: string, b: string): number {
  const [ia, ib] = [FIRST.indexOf(a), FIRST.indexOf(b)];
  if (ia !== -1 || ib !== -1) return (ia === -1 ? FIRST.length : ia) - (ib === -1 ? FIRST.length : ib);
  return a < b ? -1 : a > b ? 1 : 0;
}

export function toYaml(value: unknown): string {
  return yaml.dump(value, { sortKeys: keyOrder, lineWidth: -1, noRefs: true });
}

/** `Rollout` `ingestion` -> `rollout-ingestion.yaml`. */
export function fileName(m: Manifest): string {
  return `${m.kind.toLowerCase()}-${m.metadata.name}.yaml`;
}
