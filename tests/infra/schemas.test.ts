// Every Kubernetes object we author validates against the upstream schema: kubernetes-models for the
// core API, @kubernetes-models/prometheus-operator and /external-secrets for those CRDs, over the capture
// of every stack and mode. Strimzi's CRDs have no model package on npm: they are listed, not validated.
import { type Capture, type CapturedResource, SECRET } from "../../infra/tools/capture";
import { cachedCapture } from "../support/captures";

const TAGGED = "gamemetrics:apps.imageTag=1.0.0";
const VARIANTS = [
  { stack: "dev", config: [TAGGED] },
  { stack: "prod", config: [TAGGED] },
  { stack: "prod", config: [TAGGED, "gamemetrics:kafka.mode=msk"] },
];
const captures: Capture[] = [];
beforeAll(async () => {
  for (const v of VARIANTS) captures.push(await cachedCapture(v));
}, 600_000);

type Model = new (data: Record<string, unknown>) => { validate(): void };

/** The module holding a type's model, or undefined when none exists on npm. */
function modelModule(group: string, version: string): string | undefined {
  if (group === "core") return `kubernetes-models/${version}`;
  if (group === "monitoring.coreos.com") return `@kubernetes-models/prometheus-operator/${group}/${version}`;
  if (group === "external-secrets.io" || group === "generators.external-secrets.io") return `@kubernetes-models/external-secrets/${group}/${version}`;
  if (/^[a-z0-9.-]+\.k8s\.io$/.test(group) || ["apps", "batch", "autoscaling", "policy"].includes(group)) return `kubernetes-models/${group}/${version}`;
  return undefined;
}

const AUTHORED = /^kubernetes:([a-z0-9.-]+)\/([a-z0-9]+):([A-Za-z]+)$/;

async function modelFor(r: CapturedResource): Promise<Model | undefined> {
  const m = AUTHORED.exec(r.type);
  if (m === null) return undefined;
  const module = modelModule(m[1], m[2]);
  if (module === undefined) return undefined;
  const exports = (await import(module)) as Record<string, Model>;
  const model = exports[m[3]];
  if (model === undefined) throw new Error(`${module} has no model ${m[3]}`);
  return model;
}

/**
 * The object as the API server would receive it. A Secret's whole data map is secret in the capture
 * ("[secret]"): it stands in as one string entry, which is what the schema checks (a map of strings).
 */
function manifest(r: CapturedResource): Record<string, unknown> {
  const m = AUTHORED.exec(r.type) as RegExpExecArray;
  const inputs = Object.fromEntries(Object.entries(r.inputs).map(([k, v]) => [k, v === SECRET && (k === "data" || k === "stringData") ? { value: SECRET } : v]));
  return { apiVersion: m[1] === "core" ? m[2] : `${m[1]}/${m[2]}`, kind: m[3], ...inputs };
}

describe("authored Kubernetes objects", () => {
  it("validate against the upstream schemas", async () => {
    const failures: string[] = [];
    const validated = new Set<string>();
    const uncovered = new Set<string>();
    for (const c of captures) {
      for (const r of c.resources.filter((x) => AUTHORED.test(x.type) && !x.type.startsWith("kubernetes:helm.sh/"))) {
        const model = await modelFor(r);
        if (model === undefined) {
          uncovered.add(r.type);
          continue;
        }
        validated.add(r.type);
        try {
          new model(manifest(r)).validate();
        } catch (err) {
          failures.push(`${c.stack} ${r.type} ${r.name}: ${(err as Error).message}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect([...validated]).toEqual(
      expect.arrayContaining([
        "kubernetes:apps/v1:Deployment",
        "kubernetes:batch/v1:Job",
        "kubernetes:networking.k8s.io/v1:NetworkPolicy",
        "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
        "kubernetes:external-secrets.io/v1:ExternalSecret",
      ]),
    );
    // Only Strimzi's resources have no model package.
    expect([...uncovered].every((t) => t.startsWith("kubernetes:kafka.strimzi.io/"))).toBe(true);
  });

  it("rejects an object that breaks its schema", async () => {
    const { Deployment } = (await import("kubernetes-models/apps/v1")) as unknown as Record<string, Model>;
    expect(() => new Deployment({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "x" }, spec: { replicas: "two", selector: {}, template: {} } }).validate()).toThrow();
  });
});
