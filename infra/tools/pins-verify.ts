// `npm run pins:verify [-- --json]`: checks every entry of the pins table (infra/config/pins.ts) against
// its upstream (chart repository index, registry manifest, Maven Central, the EKS docs) and prints a
// table. It needs the internet: run it in CI and on a schedule. A source it cannot reach is reported as
// UNREACHABLE and fails the run (exit 3): nothing was proven. Exit 1: a pin is missing upstream.
import * as yaml from "js-yaml";
import {
  allImagePins,
  CHART_PINS,
  EKS_VERSION_PINS,
  type ImagePin,
  MAVEN_PINS,
  mavenUrl,
  type Verified,
} from "../config/pins";
import { runMain } from "./cli-args";

export type PinCheck =
  | { readonly kind: "chart"; readonly chart: string; readonly version: string; readonly repo: string; readonly verified: Verified }
  | ({ readonly kind: "image" } & ImagePin)
  | { readonly kind: "maven"; readonly url: string; readonly verified: Verified }
  | { readonly kind: "eks"; readonly version: string; readonly standardSupportEnds: string; readonly verified: Verified };

export type Status = "ok" | "missing" | "unreachable";

export interface PinResult {
  readonly pin: string;
  readonly source: string;
  readonly status: Status;
  readonly detail: string;
  readonly verifiedOn: string;
}

/** What `fetch` is to the checks: injectable so tests point it at a local server. */
export type Fetch = (url: string, init?: { method?: string; headers?: Record<string, string> }) => Promise<Response>;

/** The page that lists the EKS minors in standard support. */
export const EKS_STANDARD_SUPPORT_PAGE = "https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions-standard.html";
const MANIFEST_TYPES = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");
const TIMEOUT_MS = 20_000;

/** Every entry of the table as a check. */
export function tablePinChecks(): PinCheck[] {
  return [
    ...Object.values(CHART_PINS).map((c): PinCheck => ({ kind: "chart", ...c })),
    ...allImagePins().map((i): PinCheck => ({ kind: "image", ...i })),
    ...Object.values(MAVEN_PINS).map((m): PinCheck => ({ kind: "maven", url: mavenUrl(m), verified: m.verified })),
    ...Object.entries(EKS_VERSION_PINS).map(([version, p]): PinCheck => ({ kind: "eks", version, standardSupportEnds: p.standardSupportEnds, verified: p.verified })),
  ];
}

class Unreachable extends Error {}

async function request(fetchImpl: Fetch, url: string, init: { method?: string; headers?: Record<string, string> } = {}): Promise<Response> {
  try {
    return await fetchImpl(url, { ...init, ...({ signal: AbortSignal.timeout(TIMEOUT_MS) } as object) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new Unreachable(`${url}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
  }
}

/** Maps an HTTP status to a verdict: 2xx found, 404 (and 401/403 after auth: private or absent) missing, anything else unknown. */
function verdict(res: Response, url: string): { status: Status; detail: string } {
  if (res.ok) return { status: "ok", detail: `HTTP ${res.status}` };
  if (res.status === 404) return { status: "missing", detail: `HTTP 404 at ${url}` };
  throw new Unreachable(`${url}: HTTP ${res.status}`);
}

async function checkChart(c: Extract<PinCheck, { kind: "chart" }>, fetchImpl: Fetch): Promise<{ status: Status; detail: string }> {
  const url = `${c.repo.replace(/\/$/, "")}/index.yaml`;
  const res = await request(fetchImpl, url);
  if (!res.ok) throw new Unreachable(`${url}: HTTP ${res.status}`);
  const index = yaml.load(await res.text()) as { entries?: Record<string, { version: string }[]> } | undefined;
  const versions = (index?.entries?.[c.chart] ?? []).map((e) => e.version);
  if (versions.includes(c.version)) return { status: "ok", detail: `in index (${versions.length} versions)` };
  return { status: "missing", detail: versions.length === 0 ? `no chart ${c.chart} in ${url}` : `not in index; newest ${versions[0]}` };
}

/** Bearer challenge of the OCI distribution spec: `Bearer realm="...",service="...",scope="..."`. */
export function parseChallenge(header: string | null): { realm: string; params: Record<string, string> } | undefined {
  if (header === null || !/^Bearer\s/i.test(header)) return undefined;
  const params = Object.fromEntries([...header.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
  const { realm, ...rest } = params;
  return realm === undefined ? undefined : { realm, params: rest };
}

async function checkImage(i: ImagePin, fetchImpl: Fetch): Promise<{ status: Status; detail: string }> {
  const host = i.registry === "docker.io" ? "registry-1.docker.io" : i.registry;
  const url = `https://${host}/v2/${i.repository}/manifests/${i.tag}`;
  const headers: Record<string, string> = { Accept: MANIFEST_TYPES };
  let res = await request(fetchImpl, url, { method: "HEAD", headers });
  if (res.status === 401) {
    const challenge = parseChallenge(res.headers.get("www-authenticate"));
    if (challenge === undefined) throw new Unreachable(`${url}: HTTP 401 without a Bearer challenge`);
    const query = new URLSearchParams({ scope: `repository:${i.repository}:pull`, ...challenge.params }).toString();
    const tokenRes = await request(fetchImpl, `${challenge.realm}?${query}`);
    if (!tokenRes.ok) throw new Unreachable(`${challenge.realm}: HTTP ${tokenRes.status}`);
    const body = (await tokenRes.json()) as { token?: string; access_token?: string };
    res = await request(fetchImpl, url, { method: "HEAD", headers: { ...headers, Authorization: `Bearer ${body.token ?? body.access_token ?? ""}` } });
    // An anonymous token that is still refused: the repository does not exist (registries answer so for absent ones).
    if (res.status === 401 || res.status === 403) return { status: "missing", detail: `HTTP ${res.status} for an anonymous pull of ${i.repository}` };
  }
  return verdict(res, url);
}

async function checkEks(e: Extract<PinCheck, { kind: "eks" }>, fetchImpl: Fetch, today: string): Promise<{ status: Status; detail: string }> {
  if (today > e.standardSupportEnds) return { status: "missing", detail: `standard support ended ${e.standardSupportEnds}` };
  const res = await request(fetchImpl, EKS_STANDARD_SUPPORT_PAGE);
  if (!res.ok) throw new Unreachable(`${EKS_STANDARD_SUPPORT_PAGE}: HTTP ${res.status}`);
  const listed = new RegExp(`Kubernetes\\s+${e.version.replace(".", "\\.")}\\b`).test(await res.text());
  return listed ? { status: "ok", detail: `listed in standard support, until ${e.standardSupportEnds}` } : { status: "missing", detail: "not listed in standard support" };
}

export function pinName(c: PinCheck): string {
  switch (c.kind) {
    case "chart":
      return `chart ${c.chart}@${c.version}`;
    case "image":
      return `image ${c.registry}/${c.repository}:${c.tag}`;
    case "maven":
      return `maven ${c.url.replace(/^.*\/maven2\//, "")}`;
    case "eks":
      return `eks ${c.version}`;
  }
}

function sourceOf(c: PinCheck): string {
  switch (c.kind) {
    case "chart":
      return `${c.repo.replace(/\/$/, "")}/index.yaml`;
    case "image":
      return `${c.registry} registry`;
    case "maven":
      return "Maven Central";
    case "eks":
      return EKS_STANDARD_SUPPORT_PAGE;
  }
}

async function checkOne(c: PinCheck, fetchImpl: Fetch, today: string): Promise<PinResult> {
  const base = { pin: pinName(c), source: sourceOf(c), verifiedOn: c.verified.on };
  try {
    const r =
      c.kind === "chart"
        ? await checkChart(c, fetchImpl)
        : c.kind === "image"
          ? await checkImage(c, fetchImpl)
          : c.kind === "maven"
            ? verdict(await request(fetchImpl, c.url, { method: "HEAD" }), c.url)
            : await checkEks(c, fetchImpl, today);
    return { ...base, ...r };
  } catch (err) {
    if (err instanceof Unreachable) return { ...base, status: "unreachable", detail: err.message };
    return { ...base, status: "unreachable", detail: `${(err as Error).message}` };
  }
}

/** Runs the checks, a few at a time. */
export async function verifyPins(checks: readonly PinCheck[], fetchImpl: Fetch = fetch as Fetch, today = new Date().toISOString().slice(0, 10)): Promise<PinResult[]> {
  const results: PinResult[] = new Array<PinResult>(checks.length);
  let next = 0;
  const worker = async () => {
    while (next < checks.length) {
      const i = next++;
      results[i] = await checkOne(checks[i], fetchImpl, today);
    }
  };
  await Promise.all(Array.from({ length: Math.min(6, checks.length) }, worker));
  return results;
}

/** 0: every pin found; 1: a pin is missing upstream; 3: some source could not be reached (and none missing). */
export function exitCode(results: readonly PinResult[]): number {
  if (results.some((r) => r.status === "missing")) return 1;
  return results.some((r) => r.status === "unreachable") ? 3 : 0;
}

export function renderResults(results: readonly PinResult[]): string {
  const width = Math.max(...results.map((r) => r.pin.length));
  const lines = results.map((r) => `${r.status.toUpperCase().padEnd(11)} ${r.pin.padEnd(width)}  ${r.detail}  (source ${r.source}; verified ${r.verifiedOn})`);
  const count = (s: Status) => results.filter((r) => r.status === s).length;
  const summary = `${count("ok")} ok, ${count("missing")} missing, ${count("unreachable")} unreachable`;
  const verdictLine =
    exitCode(results) === 0 ? "all pins found upstream" : exitCode(results) === 1 ? "FAILED: a pin is missing upstream" : "NOT VERIFIED: a source could not be reached";
  return [...lines, "", `${summary}: ${verdictLine}`].join("\n");
}

async function main(): Promise<number> {
  const results = await verifyPins(tablePinChecks());
  process.stdout.write(process.argv.includes("--json") ? `${JSON.stringify({ results, exitCode: exitCode(results) })}\n` : `${renderResults(results)}\n`);
  return exitCode(results);
}

if (require.main === module) runMain(main);
