import { execFileSync, spawnSync } from "node:child_process";
import { Application } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application";
import { APP_NAMES } from "../../../infra/config/sections/apps";
import { DEPLOYABLE_KINDS } from "../../../infra/delivery/applications";
import { FACTS, factRef, type FactKey } from "../../../infra/delivery/facts";
import type { Manifest } from "../../../infra/delivery/manifest";
import { type Capture } from "../../../infra/tools/capture";
import { judge, toPolicyResources } from "../../../infra/tools/policy-gate";
import { committedFiles, drift, expectedFiles, renderedPolicyResources, renderInput } from "../../../infra/tools/render";
import { PROJECT_ROOT, STACKS } from "../../../infra/tools/stack-config";
import { levelsFor } from "../../../policies/engine/levels";
import { RULES } from "../../../policies/rules";
import { CATALOG } from "../../../infra/workloads/catalog";
import { cachedCapture } from "../../support/captures";
import { descendants, ofType } from "../tree";
import { appObjects, objectOf, type RenderedFile, renderedFiles, TAGGED, validate } from "./rendered";

type Obj = Record<string, any>;
const PULUMI = [...TAGGED, "gamemetrics:apps.delivery=pulumi"];
const captures = {} as Record<"pulumiProd" | "pulumiProdMsk" | "prod", Capture>;
let files: RenderedFile[] = [];
beforeAll(async () => {
  captures.pulumiProd = await cachedCapture({ stack: "prod", config: PULUMI });
  captures.pulumiProdMsk = await cachedCapture({ stack: "prod", config: [...PULUMI, "gamemetrics:kafka.mode=msk"] });
  captures.prod = await cachedCapture({ stack: "prod", config: TAGGED });
  files = await renderedFiles("prod");
}, 600_000);

describe("deploy/<stack>/ is the render of the catalog", () => {
  it.each(STACKS)("the committed deploy/%s matches a fresh render (none for a stack Pulumi delivers)", async (stack) => {
    const expected = await expectedFiles({ stack });
    expect(drift(expected, committedFiles(stack))).toEqual([]);
    // Until an image tag is set nothing deploys, under Argo CD too: only the (empty) apps chart.
    expect([...expected.keys()]).toEqual(stack === "dev" ? [] : [`deploy/${stack}/apps/Chart.yaml`, `deploy/${stack}/apps/values.yaml`]);
  });

  it("reports a drifted, a missing and a stale file", () => {
    const rendered = new Map([["a", "1"], ["b", "2"]]);
    expect(drift(rendered, new Map([["a", "changed"], ["c", "3"]]))).toEqual(["missing b", "not rendered c", "differs a"]);
  });

  it("renders one folder and one Argo CD Application per catalog app, every object of a kind the project may deploy", () => {
    const appFolders = new Set(files.map((f) => f.path.split("/")[2]).filter((d) => d !== "apps"));
    expect([...appFolders].sort()).toEqual([...APP_NAMES].sort());
    expect(files.filter((f) => f.path.startsWith("deploy/prod/apps/templates/")).map((f) => f.manifest.metadata.name).sort()).toEqual(APP_NAMES.map((a) => `prod-${a}`).sort());
    const allowed = new Set(DEPLOYABLE_KINDS.map((k) => `${k.group}/${k.kind}`));
    for (const f of files.filter((x) => !x.path.startsWith("deploy/prod/apps/"))) {
      const group = f.manifest.apiVersion.includes("/") ? f.manifest.apiVersion.split("/")[0] : "";
      expect({ path: f.path, allowed: allowed.has(`${group}/${f.manifest.kind}`) }).toEqual({ path: f.path, allowed: true });
    }
  });

  it("renders from the same Workloads component Pulumi deploys with: the same pod of every app, facts aside", () => {
    const pulumiApps = descendants(captures.pulumiProd, "gamemetrics:workloads:Workloads::apps");
    const contract = captures.pulumiProd.outputs.kafka as { bootstrapServers: string };
    const outputs = captures.pulumiProd.outputs;
    const values: Record<FactKey, string> = { kafkaBootstrapServers: contract.bootstrapServers, archivesBucket: String(outputs.archivesBucket), archivesKmsKeyArn: String(outputs.dataKmsKeyArn), qdrantUrl: String(outputs.qdrantUrl), postgresReaderHost: String((outputs.rdsReaderAddresses as string[])[0]) };
    /** A rendered pod with each fact reference replaced by the value Pulumi resolved for it. */
    const resolved = (pod: Obj): Obj => {
      const text = JSON.stringify(pod);
      const withValues = (Object.keys(FACTS) as FactKey[]).reduce((t, f) => t.split(factRef(f)).join(values[f]), text);
      const out = JSON.parse(withValues) as Obj;
      for (const c of out.spec.containers) c.env = c.env.filter((e: Obj) => !String(e.name).startsWith("PLATFORM_"));
      return out;
    };
    for (const app of APP_NAMES) {
      const entry = CATALOG[app];
      const kind = entry.kind === "cronjob" ? "CronJob" : app === "ingestion" ? "Rollout" : "Deployment";
      const rendered = objectOf(appObjects(files, app), kind, app);
      const deployed = ofType(pulumiApps, entry.kind === "cronjob" ? "kubernetes:batch/v1:CronJob" : "kubernetes:apps/v1:Deployment").find((r) => (r.inputs.metadata as Obj).name === app)?.inputs as Obj;
      const pod = (o: Obj) => (entry.kind === "cronjob" ? o.spec.jobTemplate.spec.template : o.spec.template);
      // Pulumi pins the digest ECR reports; the committed manifest names the immutable tag.
      const [container] = pod(deployed).spec.containers as Obj[];
      expect(container.image).toMatch(/:1\.4\.2@sha256:[0-9a-f]{64}$/);
      const byTag = JSON.parse(JSON.stringify(pod(deployed)).replace(/@sha256:[0-9a-f]{64}/g, "")) as Obj;
      expect({ app, pod: resolved(pod(rendered)) }).toEqual({ app, pod: byTag });
    }
  });

  it("runs the migrations Job Pulumi would run as a PreSync hook of every app that uses PostgreSQL", () => {
    const deployed = ofType(descendants(captures.pulumiProd, "gamemetrics:workloads:Workloads::apps"), "kubernetes:batch/v1:Job")[0].inputs as Obj;
    const withPostgres = APP_NAMES.filter((a) => CATALOG[a].data.includes("postgres"));
    expect(withPostgres.length).toBeGreaterThan(0);
    for (const app of withPostgres) {
      const hook = objectOf(appObjects(files, app), "Job", `migrate-${app}`);
      expect(hook.metadata.annotations).toEqual({ "argocd.argoproj.io/hook": "PreSync", "argocd.argoproj.io/hook-delete-policy": "BeforeHookCreation" });
      expect(hook.spec).toEqual(JSON.parse(JSON.stringify(deployed.spec).replace(/@sha256:[0-9a-f]{64}/g, "")));
    }
  });

  it("takes Kafka's CA and schema registry as the Kafka layer hands them to the apps, in both modes", async () => {
    for (const [mode, capture] of [["strimzi", captures.pulumiProd], ["msk", captures.pulumiProdMsk]] as const) {
      const input = await renderInput({ stack: "prod", config: [...TAGGED, `gamemetrics:kafka.mode=${mode}`] });
      const ingestion = input.manifests.find((m) => m.kind === "Deployment" && m.metadata.name === "ingestion") as Obj;
      const deployed = descendants(capture, "gamemetrics:workloads:Workloads::apps").find((r) => r.type === "kubernetes:apps/v1:Deployment" && (r.inputs.metadata as Obj).name === "ingestion")?.inputs as Obj;
      const volumes = (o: Obj) => o.spec.template.spec.volumes;
      expect({ mode, volumes: volumes(ingestion) }).toEqual({ mode, volumes: volumes(deployed) });
      const env = (o: Obj, name: string) => o.spec.template.spec.containers[0].env.find((e: Obj) => e.name === name);
      expect(env(ingestion, "SCHEMA_REGISTRY_URL")).toEqual(env(deployed, "SCHEMA_REGISTRY_URL"));
      expect(env(ingestion, "KAFKA_CA_FILE")).toEqual(env(deployed, "KAFKA_CA_FILE"));
    }
  }, 120_000);

  it("defines every platform fact a container refers to before the reference, from the ConfigMap Pulumi writes", () => {
    const configMap = ofType(captures.prod.resources, "kubernetes:core/v1:ConfigMap").find((c) => (c.inputs.metadata as Obj).name === "platform-endpoints")?.inputs as Obj;
    expect(Object.keys(configMap.data).sort()).toEqual(Object.values(FACTS).map((f) => f.key).sort());
    for (const f of files) {
      const pod = f.manifest.kind === "CronJob" ? (f.manifest as Obj).spec.jobTemplate.spec.template : (f.manifest as Obj).spec?.template;
      for (const container of pod?.spec?.containers ?? []) {
        const env = container.env as Obj[];
        env.forEach((e, i) => {
          for (const ref of String(e.value ?? "").match(/\$\(PLATFORM_[A-Z_]+\)/g) ?? []) {
            const name = ref.slice(2, -1);
            const at = env.findIndex((d) => d.name === name);
            expect({ file: f.path, ref, definedBefore: at >= 0 && at < i }).toEqual({ file: f.path, ref, definedBefore: true });
            expect(env[at].valueFrom.configMapKeyRef.name).toBe("platform-endpoints");
          }
        });
      }
    }
  });

  it("names the edge's WAF web ACL as the platform creates it, and the load balancer controller may look it up", () => {
    const acl = ofType(captures.prod.resources, "aws:wafv2/webAcl:WebAcl")[0].inputs as Obj;
    expect(objectOf(appObjects(files, "ingestion"), "Ingress", "ingestion").metadata.annotations?.["alb.ingress.kubernetes.io/wafv2-acl-name"]).toBe(acl.name);
    const lbc = ofType(captures.prod.resources, "aws:iam/rolePolicy:RolePolicy").find((p) => String(p.inputs.policy).includes("wafv2:AssociateWebACL"));
    expect(String(lbc?.inputs.policy)).toContain("wafv2:ListWebACLs");
  });

  it("leaves ServiceAccounts to Pulumi: each pod's account exists in the stack, with IRSA where the app reaches AWS", () => {
    const accounts = descendants(captures.prod, "gamemetrics:delivery:GitOps::delivery").filter((r) => r.type === "kubernetes:core/v1:ServiceAccount");
    expect(files.filter((f) => f.manifest.kind === "ServiceAccount")).toEqual([]);
    // Exactly the accounts the rendered pods run as (the train CronJob and the migrations hook too).
    const podAccounts = new Set(files.map((f) => JSON.stringify(f.manifest).match(/"serviceAccountName":"([^"]+)"/)?.[1]).filter((n): n is string => n !== undefined));
    expect(podAccounts).toEqual(new Set([...APP_NAMES, "recommendations-train", "migrate"]));
    expect(accounts.map((a) => (a.inputs.metadata as Obj).name).sort()).toEqual([...podAccounts].sort());
    for (const a of accounts) {
      const meta = a.inputs.metadata as Obj;
      const irsa = meta.annotations?.["eks.amazonaws.com/role-arn"];
      const reachesAws = meta.name in CATALOG && CATALOG[meta.name as keyof typeof CATALOG].archivesPrefix !== undefined;
      expect({ account: meta.name, irsa: irsa === undefined ? "none" : irsa }).toEqual({ account: meta.name, irsa: reachesAws ? expect.stringMatching(/^arn:aws:iam::\d{12}:role\//) : "none" });
    }
    // Pulumi deploys no app workload of its own under Argo CD delivery.
    expect(captures.prod.resources.filter((r) => r.type === "gamemetrics:workloads:Workloads")).toEqual([]);
  });

  it("renders only objects that validate against their upstream schemas (Kubernetes, prometheus-operator, Argo)", async () => {
    const moduleFor = (apiVersion: string): string => {
      const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["core", apiVersion];
      if (group === "core") return `kubernetes-models/${version}`;
      if (group === "monitoring.coreos.com") return `@kubernetes-models/prometheus-operator/${group}/${version}`;
      if (group === "argoproj.io") return `@kubernetes-models/argo-rollouts/${group}/${version}`;
      return `kubernetes-models/${group}/${version}`;
    };
    const objects = files.filter((f) => !f.path.includes("/apps/")).map((f) => f.manifest);
    expect([...new Set(objects.map((m) => m.kind))]).toEqual(expect.arrayContaining(["Rollout", "AnalysisTemplate", "Deployment", "Service", "Ingress", "PodMonitor", "Job"]));
    for (const m of objects) {
      const model = ((await import(moduleFor(m.apiVersion))) as Record<string, new (d: unknown) => object>)[m.kind];
      expect(() => validate(new model(m))).not.toThrow();
    }
  });

  it("renders child Applications that validate once Helm fills in the root's repository and revision", () => {
    const templates = files.filter((f) => f.path.startsWith("deploy/prod/apps/templates/"));
    for (const t of templates) {
      const filled = JSON.parse(JSON.stringify(t.manifest).replace("{{ .Values.repoURL }}", "https://github.com/acme/gamemetrics-pro.git").replace("{{ .Values.targetRevision }}", "main")) as Obj;
      expect(() => validate(new Application(filled as never))).not.toThrow();
      expect(filled.spec.source.path).toBe(`deploy/prod/${t.path.split("/").pop()?.replace(/\.yaml$/, "")}`);
      expect(filled.spec.syncPolicy).toMatchObject({ automated: { prune: true, selfHeal: true }, retry: { limit: 5, backoff: { duration: "30s", factor: 2 } } });
    }
    expect(() => validate(new Application({ metadata: { name: "x" }, spec: { destination: {}, project: 3 } } as never))).toThrow();
  });
});

describe("the policy pack judges what Argo CD applies", () => {
  const levels = levelsFor(RULES, "production");

  it("the gate's resources include the rendered manifests, and they pass every rule", async () => {
    const rendered = await renderedPolicyResources({ stack: "prod", config: TAGGED });
    expect(rendered.map((r) => r.type)).toEqual(expect.arrayContaining(["kubernetes:argoproj.io/v1alpha1:Rollout", "kubernetes:apps/v1:Deployment", "kubernetes:batch/v1:Job"]));
    const result = judge("prod", "production", [...toPolicyResources(captures.prod.resources), ...rendered], levels);
    expect(result.findings.filter((f) => f.level === "mandatory")).toEqual([]);
  }, 120_000);

  it("a privileged canary or a Rollout without a disruption budget fails the gate, naming the rendered file", async () => {
    const rendered = await renderedPolicyResources({ stack: "prod", config: TAGGED });
    const rollout = "deploy/prod/ingestion/rollout-ingestion.yaml";
    const privileged = rendered.map((r) => {
      if (r.name !== rollout) return r;
      const m = JSON.parse(JSON.stringify(r.inputs)) as Manifest & Obj;
      m.spec.template.spec.containers[0].securityContext.privileged = true;
      return { ...r, inputs: m };
    });
    const stack = toPolicyResources(captures.prod.resources);
    const findings = (resources: typeof rendered) => judge("prod", "production", [...stack, ...resources], levels).findings.filter((f) => f.level === "mandatory");
    expect(findings(privileged).map((f) => [f.rule, f.resource?.name])).toEqual([["k8s-no-privileged", rollout]]);
    const noBudget = rendered.filter((r) => r.name !== "deploy/prod/ingestion/poddisruptionbudget-ingestion.yaml");
    expect(findings(noBudget).map((f) => [f.rule, f.resource?.name])).toEqual([["k8s-pdb", rollout]]);
  }, 120_000);
});

describe("npm run render", () => {
  it("refuses a stack Pulumi delivers, and a stack whose account it cannot name", async () => {
    const dev = spawnSync("npx", ["tsx", "infra/tools/render.ts", "--stack", "dev"], { cwd: PROJECT_ROOT, encoding: "utf8" });
    expect(dev.status).toBe(2);
    expect(dev.stderr).toContain("stack dev is delivered by Pulumi (gamemetrics:apps.delivery pulumi)");
    await expect(renderInput({ stack: "prod", config: ["gamemetrics:delivery.awsAccountId="] })).rejects.toThrow("gamemetrics:delivery.awsAccountId is unset on stack prod");
  }, 60_000);

  it("--check passes on the committed files", () => {
    const out = execFileSync("npx", ["tsx", "infra/tools/render.ts", "--all", "--check"], { cwd: PROJECT_ROOT, encoding: "utf8" });
    expect(out).toContain("prod: deploy/prod matches the render");
  }, 120_000);
});
