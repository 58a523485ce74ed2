// The program uses no pin outside the table (infra/config/pins.ts): every chart version, image,
// Maven artifact, EKS and Kafka version of every stack and mode is one of the table's entries.
import { CHART_PINS } from "../../../infra/config/pins";
import type { Capture } from "../../../infra/tools/capture";
import { normalizeImage, pinUsesOf, unpinnedUses } from "../../../infra/tools/pin-uses";
import { cachedCapture } from "../../support/captures";

const TAGGED = "gamemetrics:apps.imageTag=1.0.0";
const VARIANTS: Record<string, { stack: string; config: string[] }> = {
  dev: { stack: "dev", config: [TAGGED] },
  prod: { stack: "prod", config: [TAGGED] },
  "dev-msk": { stack: "dev", config: [TAGGED, "gamemetrics:kafka.mode=msk"] },
  "prod-msk": { stack: "prod", config: [TAGGED, "gamemetrics:kafka.mode=msk"] },
  "dev-mesh-backups": { stack: "dev", config: [TAGGED, "gamemetrics:mesh.enabled=true", "gamemetrics:platform.backups=true"] },
};
const captures: Record<string, Capture> = {};

beforeAll(async () => {
  for (const [name, v] of Object.entries(VARIANTS)) captures[name] = await cachedCapture(v);
}, 600_000);

describe("pins in use", () => {
  it.each(Object.keys(VARIANTS))("%s uses only pins from the table", (name) => {
    expect(unpinnedUses(captures[name].resources)).toEqual([]);
  });

  it("finds the uses it checks: charts, third-party images through the cache, Maven artifacts, EKS and Kafka versions", () => {
    const uses = Object.values(captures).flatMap((c) => c.resources.flatMap(pinUsesOf));
    const kinds = new Set(uses.map((u) => u.kind));
    expect([...kinds].sort()).toEqual(["chart", "eks", "image", "kafka", "maven", "msk-kafka"]);
    const values = new Set(uses.map((u) => u.value));
    expect(values).toContain("quay.io/apicurio/apicurio-registry:3.3.1");
    expect(values).toContain("docker.io/velero/velero-plugin-for-aws:v1.13.0");
    expect(values).toContain("registry.k8s.io/autoscaling/cluster-autoscaler:v1.36.1");
    expect(values).toContain("https://repo1.maven.org/maven2/software/amazon/msk/aws-msk-iam-auth/2.3.5/aws-msk-iam-auth-2.3.5-all.jar");
    // Every chart of the table is installed by some stack and mode: none is stale.
    const charts = new Set(uses.filter((u) => u.kind === "chart").map((u) => u.value));
    for (const c of Object.values(CHART_PINS)) expect(charts).toContain(`${c.repo} ${c.chart}@${c.version}`);
  });

  it("reports a chart version, an image tag and a Maven artifact that are not in the table, naming the resource", () => {
    const broken = captures.prod.resources.map((r) => {
      if (r.type === "kubernetes:helm.sh/v4:Chart" && r.inputs.chart === "external-secrets") return { ...r, inputs: { ...r.inputs, version: "2.14.0" } };
      if (r.type === "kubernetes:apps/v1:Deployment" && (r.inputs.metadata as { name: string }).name === "schema-registry") {
        return { ...r, inputs: JSON.parse(JSON.stringify(r.inputs).replace(/apicurio-registry:3\.3\.1/, "apicurio-registry:3.3.3")) as Record<string, unknown> };
      }
      if (r.type.endsWith(":KafkaConnect")) return { ...r, inputs: JSON.parse(JSON.stringify(r.inputs).replace(/3\.2\.0\.Final/g, "3.2.9.Final")) as Record<string, unknown> };
      return r;
    });
    const found = unpinnedUses(broken).map((u) => [u.kind, u.value]);
    expect(found).toEqual(
      expect.arrayContaining([
        ["chart", "https://charts.external-secrets.io external-secrets@2.14.0"],
        ["image", "quay.io/apicurio/apicurio-registry:3.3.3"],
        ["maven", "https://repo1.maven.org/maven2/io/debezium/debezium-connector-postgres/3.2.9.Final/debezium-connector-postgres-3.2.9.Final-plugin.tar.gz"],
      ]),
    );
    expect(found).toHaveLength(3);
  });

  it("normalizes image references the way registries resolve them", () => {
    expect(normalizeImage("velero/velero-plugin-for-aws:v1.13.0")).toBe("docker.io/velero/velero-plugin-for-aws:v1.13.0");
    expect(normalizeImage("123456789012.dkr.ecr.us-east-1.amazonaws.com/gamemetrics-dev-quay/strimzi/kafka:1.2.0-kafka-4.2.1")).toBe("quay.io/strimzi/kafka:1.2.0-kafka-4.2.1");
    expect(normalizeImage("registry.k8s.io/autoscaling/cluster-autoscaler:v1.36.1@sha256:00")).toBe("registry.k8s.io/autoscaling/cluster-autoscaler:v1.36.1");
  });
});
