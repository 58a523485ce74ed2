// Every pinned thing a captured stack uses (chart versions, images, Maven artifacts, EKS and Kafka
// versions), and which of them the pins table (infra/config/pins.ts) does not hold. Pure: it reads the
// captured inputs only, so a test can run it over every stack and over a deliberately broken capture.
import {
  allImagePins,
  CHART_PINS,
  EKS_VERSION_PINS,
  MAVEN_PINS,
  mavenUrl,
  MSK_KAFKA_VERSION_PINS,
  STRIMZI_KAFKA_VERSION_PINS,
  type Verified,
} from "../config/pins";

export type PinKind = "chart" | "image" | "maven" | "eks" | "eks-addon" | "kafka" | "msk-kafka";

export interface PinUse {
  readonly kind: PinKind;
  /** The value as the table would write it: `repo chart@version`, `registry/repository:tag`, a URL, a version. */
  readonly value: string;
  /** `type::name` of the resource that uses it. */
  readonly where: string;
}

export interface PinnedResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Readonly<Record<string, unknown>>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Our own ECR repositories (apps, the Connect build): images we build, not third-party pins. */
const OWN_ECR = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/(?!(?:[a-z0-9-]+)-quay\/)/;
/** The ECR pull-through cache of quay.io: `<account>.dkr.ecr.<region>.amazonaws.com/<prefix>-quay/<path>:<tag>`. */
const QUAY_CACHE = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/[a-z0-9-]+-quay\//;

/** `registry/repository:tag`, with Docker Hub's implicit registry made explicit and any digest dropped. */
export function normalizeImage(image: string): string {
  const [ref] = image.split("@");
  if (QUAY_CACHE.test(ref)) return `quay.io/${ref.replace(QUAY_CACHE, "")}`;
  const first = ref.split("/")[0];
  return ref.includes("/") && (first.includes(".") || first.includes(":")) ? ref : `docker.io/${ref}`;
}

function imagesIn(value: unknown, found: string[]): void {
  if (Array.isArray(value)) value.forEach((v) => imagesIn(v, found));
  if (!isObj(value)) return;
  for (const [key, v] of Object.entries(value)) {
    if (key === "image" && typeof v === "string") found.push(v);
    else if (key === "image" && isObj(v) && typeof v["tag"] === "string" && typeof v["repository"] === "string") {
      found.push(`${typeof v["registry"] === "string" ? `${v["registry"]}/` : ""}${v["repository"]}:${v["tag"]}`);
    } else imagesIn(v, found);
  }
}

function stringsIn(value: unknown, found: string[]): void {
  if (typeof value === "string") found.push(value);
  else if (Array.isArray(value)) value.forEach((v) => stringsIn(v, found));
  else if (isObj(value)) Object.values(value).forEach((v) => stringsIn(v, found));
}

const MAVEN_URL = /https:\/\/repo1\.maven\.org\/maven2\/[^\s"'`]+?(?=\.sha256\b|[\s"'`]|$)/g;

/** Every pin a resource uses. */
export function pinUsesOf(r: PinnedResource): PinUse[] {
  const where = `${r.type}::${r.name}`;
  const uses: PinUse[] = [];
  const add = (kind: PinKind, value: string) => uses.push({ kind, value, where });
  if (r.type === "kubernetes:helm.sh/v4:Chart") {
    const repo = isObj(r.inputs["repositoryOpts"]) ? String(r.inputs["repositoryOpts"]["repo"]) : "";
    add("chart", `${repo} ${String(r.inputs["chart"])}@${String(r.inputs["version"])}`);
  }
  if (r.type === "eks:index:Cluster" || r.type === "aws:eks/cluster:Cluster") add("eks", String(r.inputs["version"]));
  if (r.type === "aws:eks/addon:Addon" && r.inputs["addonVersion"] !== undefined) add("eks-addon", `${String(r.inputs["addonName"])}@${String(r.inputs["addonVersion"])}`);
  if (r.type === "aws:msk/cluster:Cluster") add("msk-kafka", String(r.inputs["kafkaVersion"]));
  if (/^kubernetes:kafka\.strimzi\.io\/[^:]+:(Kafka|KafkaConnect)$/.test(r.type) && isObj(r.inputs["spec"])) {
    const spec = r.inputs["spec"];
    const version = r.type.endsWith(":Kafka") && isObj(spec["kafka"]) ? spec["kafka"]["version"] : spec["version"];
    add("kafka", String(version));
  }
  const images: string[] = [];
  imagesIn(r.inputs, images);
  for (const image of images) if (!OWN_ECR.test(image)) add("image", normalizeImage(image));
  const strings: string[] = [];
  stringsIn(r.inputs, strings);
  for (const s of strings) for (const url of s.match(MAVEN_URL) ?? []) add("maven", url);
  return uses;
}

/** The values the table holds, per kind. */
export function pinnedValues(): Readonly<Record<PinKind, ReadonlySet<string>>> {
  return {
    chart: new Set(Object.values(CHART_PINS).map((c) => `${c.repo} ${c.chart}@${c.version}`)),
    image: new Set(allImagePins().map((i) => `${i.registry}/${i.repository}:${i.tag}`)),
    maven: new Set(Object.values(MAVEN_PINS).map(mavenUrl)),
    eks: new Set(Object.keys(EKS_VERSION_PINS)),
    // Add-ons run the version EKS picks for the cluster's minor; pinning one means adding it to the table first.
    "eks-addon": new Set<string>(),
    kafka: new Set<string>(STRIMZI_KAFKA_VERSION_PINS.versions),
    "msk-kafka": new Set<string>(MSK_KAFKA_VERSION_PINS.versions),
  };
}

/** Each table entry as the value a use names, with its verification. */
function tableEntries(): Map<string, Verified> {
  const entries: [string, Verified][] = [
    ...Object.values(CHART_PINS).map((c): [string, Verified] => [`${c.repo} ${c.chart}@${c.version}`, c.verified]),
    ...allImagePins().map((i): [string, Verified] => [`${i.registry}/${i.repository}:${i.tag}`, i.verified]),
    ...Object.values(MAVEN_PINS).map((m): [string, Verified] => [mavenUrl(m), m.verified]),
    ...Object.entries(EKS_VERSION_PINS).map(([version, p]): [string, Verified] => [version, p.verified]),
    ...STRIMZI_KAFKA_VERSION_PINS.versions.map((version): [string, Verified] => [version, STRIMZI_KAFKA_VERSION_PINS.verified]),
    ...MSK_KAFKA_VERSION_PINS.versions.map((version): [string, Verified] => [version, MSK_KAFKA_VERSION_PINS.verified]),
  ];
  return new Map(entries);
}

/** The pins a stack uses, once each, with where and when each was verified: what `npm run plan` lists. */
export function usedPins(resources: readonly PinnedResource[]): { kind: PinKind; value: string; verified?: Verified }[] {
  const table = tableEntries();
  const seen = new Map<string, { kind: PinKind; value: string; verified?: Verified }>();
  for (const u of resources.flatMap(pinUsesOf)) {
    const verified = table.get(u.value);
    if (!seen.has(`${u.kind} ${u.value}`)) seen.set(`${u.kind} ${u.value}`, { kind: u.kind, value: u.value, ...(verified === undefined ? {} : { verified }) });
  }
  return [...seen.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.value.localeCompare(b.value));
}

/** Uses of pins that are not in the table: each one names the resource and the value. */
export function unpinnedUses(resources: readonly PinnedResource[]): PinUse[] {
  const pinned = pinnedValues();
  return resources.flatMap(pinUsesOf).filter((u) => !pinned[u.kind].has(u.value));
}
