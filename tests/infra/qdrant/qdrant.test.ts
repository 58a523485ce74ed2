import { tierDefaults } from "../../../infra/config";
import { NAMESPACES } from "../../../infra/contracts";
import { CHARTS } from "../../../infra/services/charts";
import { qdrantValues } from "../../../infra/services/qdrant";
import { type Capture, SECRET } from "../../../infra/tools/capture";
import { cachedCapture } from "../../support/captures";
import { at, irsaRoles, pinned } from "../observability/view";
import { descendants, named, ofType } from "../tree";

const STACKS = ["dev", "staging", "prod"] as const;
const TIER = { dev: "free", staging: "production", prod: "production" } as const;
const ROOT = "gamemetrics:services:Qdrant::qdrant";
const captures = {} as Record<(typeof STACKS)[number], Capture>;

beforeAll(async () => {
  for (const stack of STACKS) captures[stack] = await cachedCapture({ stack });
}, 240_000);

describe.each(STACKS)("qdrant on %s", (stack) => {
  const owned = () => descendants(captures[stack], ROOT);
  const chart = () => named(owned(), "kubernetes:helm.sh/v4:Chart", "qdrant");
  const profile = tierDefaults(TIER[stack]).qdrant;
  const production = TIER[stack] === "production";

  it("installs the pinned chart in the data namespace, sized by the tier", () => {
    expect(chart().inputs).toMatchObject({ chart: CHARTS.qdrant.chart, version: CHARTS.qdrant.version, repositoryOpts: { repo: CHARTS.qdrant.repo }, namespace: NAMESPACES.data });
    const v = chart().inputs.values;
    expect(at(v, "replicaCount")).toBe(production ? 3 : 1);
    expect(at(v, "config.storage.collection.replication_factor")).toBe(production ? 2 : 1);
    expect(at(v, "persistence")).toEqual({ accessModes: ["ReadWriteOnce"], size: `${profile.storageGb}Gi`, storageClassName: "gp3" });
    expect(at(v, "resources")).toEqual({ requests: { cpu: profile.cpu, memory: profile.memory }, limits: { memory: profile.memory } });
    expect(at(v, "podDisruptionBudget.enabled")).toBe(production);
    expect((at(v, "topologySpreadConstraints") as { topologyKey: string }[]).map((t) => t.topologyKey)).toEqual(production ? ["topology.kubernetes.io/zone"] : []);
  });

  it("is scraped by a PodMonitor that presents the API key", () => {
    const monitor = named(owned(), "kubernetes:monitoring.coreos.com/v1:PodMonitor", "qdrant-metrics");
    expect(at(monitor.inputs, "metadata.namespace")).toBe(NAMESPACES.data);
    expect(at(monitor.inputs, "spec.podMetricsEndpoints")).toEqual([
      { port: "http", path: "/metrics", authorization: { type: "Bearer", credentials: { name: "qdrant-api-key", key: "api-key" } } },
    ]);
    expect(at(chart().inputs.values, "metrics.serviceMonitor.enabled")).toBe(false);
  });

  it("reads its API key from a Secret holding a random password, also given to the apps namespace", () => {
    expect(at(chart().inputs.values, "env")).toEqual([
      { name: "QDRANT__SERVICE__API_KEY", valueFrom: { secretKeyRef: { name: "qdrant-api-key", key: "api-key" } } },
    ]);
    // No chart-managed key: its lookup-based rendering would leave the server without one.
    expect(() => at(chart().inputs.values, "apiKey")).toThrow();
    const secrets = ofType(owned(), "kubernetes:core/v1:Secret");
    expect(secrets.map((s) => at(s.inputs, "metadata.namespace")).sort()).toEqual([NAMESPACES.apps, NAMESPACES.data].sort());
    for (const s of secrets) {
      expect(at(s.inputs, "metadata.name")).toBe("qdrant-api-key");
      expect(at(s.inputs, "stringData")).toBe(SECRET);
    }
    expect(ofType(owned(), "random:index/randomPassword:RandomPassword")).toHaveLength(1);
    expect(JSON.stringify(captures[stack])).not.toContain("offline-mock-password");
  });

  it("snapshots to the backups bucket through a role pinned to its service account, in production only", () => {
    const v = chart().inputs.values;
    const roles = irsaRoles(owned());
    if (!production) {
      expect(roles).toEqual([]);
      expect(() => at(v, "config.storage.snapshots_config")).toThrow();
      expect(at(v, "serviceAccount.annotations")).toEqual({});
      return;
    }
    const backups = captures[stack].outputs.backupsBucket;
    expect(typeof backups).toBe("string");
    expect(at(v, "config.storage.snapshots_config")).toEqual({ snapshots_storage: "s3", s3_config: { bucket: backups, region: "us-east-1" } });
    expect(roles.map((r) => r.name)).toEqual(["qdrant-snapshots"]);
    const [role] = roles;
    expect(pinned(role.trust)).toEqual({ sub: "system:serviceaccount:data:qdrant", aud: "sts.amazonaws.com" });
    const objectResources = role.policy.Statement.filter((s) => [s.Action].flat().includes("s3:PutObject")).flatMap((s) => [s.Resource].flat());
    expect(objectResources).toEqual([`arn:aws:s3:::${backups}/qdrant/snapshots/*`]);
    expect(at(v, "serviceAccount.annotations")).toEqual({ "eks.amazonaws.com/role-arn": expect.stringContaining("qdrant-snapshots") });
  });
});

describe("qdrantValues", () => {
  it("keeps snapshots on the volume when no S3 target is given, and names S3 without keys when one is", () => {
    const profile = tierDefaults("production").qdrant;
    const local = qdrantValues({ profile, storageClass: "gp3" });
    expect(at(local, "config.storage")).toEqual({ collection: { replication_factor: 2, write_consistency_factor: 1 }, snapshots_path: "/qdrant/snapshots" });
    const s3 = qdrantValues({ profile, storageClass: "gp3", snapshots: { bucket: "b", region: "eu-west-1", roleArn: "arn:aws:iam::1:role/r" } });
    expect(JSON.stringify(s3)).not.toMatch(/access_key|secret_key/);
    expect(at(s3, "config.storage.snapshots_config.s3_config")).toEqual({ bucket: "b", region: "eu-west-1" });
  });
});
