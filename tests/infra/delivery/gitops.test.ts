import { Application } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application";
import { AppProject } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject";
import { CHARTS } from "../../../infra/services/charts";
import { PUBLIC_INGRESS_CLASS } from "../../../infra/services/ingress";
import { capture, type Capture, type CapturedResource } from "../../../infra/tools/capture";
import { cachedCapture } from "../../support/captures";
import { descendants, ofType } from "../tree";
import { validate } from "./rendered";

type Obj = Record<string, any>;
const ROOT = "gamemetrics:delivery:GitOps::delivery";
const REPO = "acme-games/gamemetrics-pro";
const SSO = ["gamemetrics:delivery.ssoIssuer=https://api.example.com/oauth", "gamemetrics:delivery.argocdUrl=https://argocd.example.com"];
const captures = {} as Record<"prod" | "withRepo" | "sso" | "dev" | "devArgo", Capture>;
beforeAll(async () => {
  captures.prod = await cachedCapture({ stack: "prod" });
  captures.withRepo = await cachedCapture({ stack: "prod", config: [`gamemetrics:delivery.repository=${REPO}`, "gamemetrics:delivery.branch=release"] });
  captures.sso = await cachedCapture({ stack: "prod", config: SSO });
  captures.dev = await cachedCapture({ stack: "dev" });
  captures.devArgo = await cachedCapture({ stack: "dev", config: ["gamemetrics:apps.delivery=argocd"] });
}, 600_000);

const charts = (c: Capture) => ofType(descendants(c, ROOT), "kubernetes:helm.sh/v4:Chart");
const chart = (c: Capture, name: string): Obj => {
  const found = charts(c).find((r) => r.inputs.chart === name);
  if (found === undefined) throw new Error(`no chart ${name}`);
  return found.inputs as Obj;
};
const argoObject = (c: Capture, kind: string): CapturedResource | undefined => descendants(c, ROOT).find((r) => r.type === `kubernetes:argoproj.io/v1alpha1:${kind}`);

describe("Argo CD and Argo Rollouts on a stack delivered through Argo CD", () => {
  it("installs both pinned charts in the argocd namespace, only under Argo CD delivery", () => {
    for (const [key, c] of [["argoCd", chart(captures.prod, "argo-cd")], ["argoRollouts", chart(captures.prod, "argo-rollouts")]] as const) {
      expect(c).toMatchObject({ version: CHARTS[key].version, repositoryOpts: { repo: "https://argoproj.github.io/argo-helm" }, namespace: "argocd" });
    }
    expect([CHARTS.argoCd.version, CHARTS.argoRollouts.version]).toEqual(["10.1.1", "2.41.0"]);
    expect(charts(captures.dev)).toEqual([]);
    expect(captures.dev.resources.filter((r) => r.type.startsWith("gamemetrics:delivery:GitOps"))).toEqual([]);
    // The namespace exists on every stack, with its default-deny.
    for (const c of [captures.prod, captures.dev]) {
      const policies = ofType(c.resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy").map((p) => p.inputs.metadata as Obj);
      expect(policies).toEqual(expect.arrayContaining([{ name: "default-deny", namespace: "argocd" }]));
    }
  });

  it("sizes Argo CD per tier and leaves its NetworkPolicies to the security baseline", () => {
    const values = (c: Capture) => chart(c, "argo-cd").values as Obj;
    expect(values(captures.prod)).toMatchObject({ server: { replicas: 2, pdb: { enabled: true } }, repoServer: { replicas: 2 }, controller: { replicas: 1 }, dex: { enabled: false } });
    expect(values(captures.devArgo)).toMatchObject({ server: { replicas: 1, pdb: { enabled: false } }, repoServer: { replicas: 1 } });
    expect(values(captures.prod).global.networkPolicy).toEqual({ create: false });
    for (const key of ["controller", "server", "repoServer", "redis"]) expect(values(captures.prod)[key].resources.limits.memory).toMatch(/^\d+(Mi|Gi)$/);
  });

  it("keeps the local admin without SSO, and with the users service's issuer signs in by PKCE and maps its roles", () => {
    expect(chart(captures.prod, "argo-cd").values.configs.cm["admin.enabled"]).toBe("true");
    const cm = chart(captures.sso, "argo-cd").values.configs as Obj;
    expect(cm.cm).toMatchObject({ "admin.enabled": "false", url: "https://argocd.example.com" });
    const oidc = String(cm.cm["oidc.config"]);
    for (const line of ["issuer: https://api.example.com/oauth", "clientID: argocd", "enablePKCEAuthentication: true"]) expect(oidc).toContain(line);
    expect(oidc).not.toMatch(/clientSecret/);
    expect(cm.rbac).toEqual({ "policy.default": "", "policy.csv": "g, admin, role:admin\ng, analyst, role:readonly\ng, support, role:readonly\n", scopes: "[roles]" });
    expect(chart(captures.sso, "argo-cd").values.global.domain).toBe("argocd.example.com");
  });

  it("lets the Rollouts controller shift our ALB's weights and verify its target groups through IRSA", () => {
    const values = chart(captures.prod, "argo-rollouts").values as Obj;
    expect(values.controller).toMatchObject({ replicas: 2, awsVerifyTargetGroup: true, extraArgs: ["--aws-region=us-east-1", `--alb-ingress-classes=${PUBLIC_INGRESS_CLASS}`] });
    const roleArn = values.serviceAccount.annotations["eks.amazonaws.com/role-arn"] as string;
    const role = ofType(descendants(captures.prod, ROOT), "aws:iam/role:Role").find((r) => roleArn.endsWith(`/${r.inputs.name ?? r.name}`));
    const trust = JSON.parse(String(role?.inputs.assumeRolePolicy)) as Obj;
    expect(Object.values(trust.Statement[0].Condition.StringEquals)).toContain("system:serviceaccount:argocd:argo-rollouts");
    const policy = ofType(descendants(captures.prod, ROOT), "aws:iam/rolePolicy:RolePolicy").find((p) => p.name === role?.name);
    expect(JSON.parse(String(policy?.inputs.policy)).Statement[0].Action.every((a: string) => a.startsWith("elasticloadbalancing:Describe"))).toBe(true);
  });

  it("lets only the Rollouts controller query Prometheus and Thanos across namespaces", () => {
    const named = (ns: string, name: string) => ofType(captures.prod.resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy").find((p) => (p.inputs.metadata as Obj).namespace === ns && (p.inputs.metadata as Obj).name === name)?.inputs as Obj;
    const rollouts = { "app.kubernetes.io/name": "argo-rollouts" };
    expect(named("argocd", "allow-canary-analysis").spec).toMatchObject({ podSelector: { matchLabels: rollouts }, policyTypes: ["Egress"] });
    const ingress = named("observability", "allow-canary-analysis").spec;
    expect(ingress.ingress[0]).toEqual({
      ports: [{ port: 9090, protocol: "TCP" }, { port: 10902, protocol: "TCP" }],
      from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "argocd" } }, podSelector: { matchLabels: rollouts } }],
    });
  });
});

describe("the app of apps", () => {
  it("exists only once the stack names its repository", () => {
    expect(argoObject(captures.prod, "Application")).toBeUndefined();
    expect(argoObject(captures.withRepo, "Application")).toBeDefined();
  });

  it("syncs deploy/<stack>/apps from the repository's branch, automated, pruning, self-healing, retrying with backoff", () => {
    const app = argoObject(captures.withRepo, "Application")?.inputs as Obj;
    expect(() => validate(new Application(app as never))).not.toThrow();
    expect(app.spec.source).toEqual({
      repoURL: `https://github.com/${REPO}.git`,
      targetRevision: "release",
      path: "deploy/prod/apps",
      helm: { valuesObject: { repoURL: `https://github.com/${REPO}.git`, targetRevision: "release" } },
    });
    expect(app.spec.syncPolicy).toEqual({
      automated: { prune: true, selfHeal: true },
      retry: { limit: 5, backoff: { duration: "30s", factor: 2, maxDuration: "5m" } },
      syncOptions: ["PruneLast=true", "PrunePropagationPolicy=foreground"],
    });
    expect(app.spec.project).toBe("gamemetrics-prod");
  });

  it("confines the project to this repository, the apps and argocd namespaces, and no cluster-scoped object", () => {
    const project = argoObject(captures.withRepo, "AppProject")?.inputs as Obj;
    expect(() => validate(new AppProject(project as never))).not.toThrow();
    expect(project.spec.sourceRepos).toEqual([`https://github.com/${REPO}.git`]);
    expect(project.spec.destinations.map((d: Obj) => d.namespace).sort()).toEqual(["argocd", "gamemetrics"]);
    expect(project.spec.clusterResourceWhitelist).toEqual([]);
    expect(project.spec.namespaceResourceWhitelist).toEqual(expect.arrayContaining([{ group: "argoproj.io", kind: "Rollout" }, { group: "argoproj.io", kind: "Application" }]));
    expect(project.spec.namespaceResourceWhitelist).not.toEqual(expect.arrayContaining([{ group: "rbac.authorization.k8s.io", kind: "Role" }]));
  });
});

it("refuses to deploy into an account other than the one the rendered manifests name", async () => {
  await expect(capture({ stack: "prod", config: ['gamemetrics:delivery.awsAccountId="210987654321"'] })).rejects.toThrow(
    "gamemetrics:delivery.awsAccountId is 210987654321 but this deploy runs in account 123456789012",
  );
}, 120_000);
