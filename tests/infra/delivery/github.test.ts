import { ConfigError, resolveConfig, tierDefaults } from "../../../infra/config";
import { DEPLOY_IAM_ACTIONS, DEPLOY_SERVICES, FORBIDDEN_MANAGED_POLICIES, rolePolicy } from "../../../infra/delivery/github-policies";
import { type Capture, type CapturedResource } from "../../../infra/tools/capture";
import { judge, toPolicyResources } from "../../../infra/tools/policy-gate";
import { DELIVERY_RULES } from "../../../policies/rules/delivery";
import { cachedCapture } from "../../support/captures";
import { ofType } from "../tree";

const REPO = "acme-games/gamemetrics-pro";
const WITH_REPO = [`gamemetrics:delivery.repository=${REPO}`];
const PROVIDER_TYPE = "aws:iam/openIdConnectProvider:OpenIdConnectProvider";
type Doc = { Statement: { Sid?: string; Effect: string; Action: string | string[]; Resource: string | string[]; Condition?: Record<string, Record<string, string | string[]>> }[] };

const captures = {} as Record<"prod" | "dev" | "prodNoRepo" | "reusedProvider" | "pulumiProd" | "msk", Capture>;
beforeAll(async () => {
  captures.prod = await cachedCapture({ stack: "prod", config: WITH_REPO });
  captures.dev = await cachedCapture({ stack: "dev", config: WITH_REPO });
  captures.prodNoRepo = await cachedCapture({ stack: "prod" });
  captures.reusedProvider = await cachedCapture({
    stack: "staging",
    config: [...WITH_REPO, "gamemetrics:delivery.githubOidcProviderArn=arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"],
  });
  captures.pulumiProd = await cachedCapture({ stack: "prod", config: ["gamemetrics:apps.delivery=pulumi"] });
  captures.msk = await cachedCapture({ stack: "prod", config: ["gamemetrics:apps.delivery=pulumi", "gamemetrics:kafka.mode=msk"] });
}, 600_000);

const githubRoles = (c: Capture) => ofType(c.resources, "aws:iam/role:Role").filter((r) => String(r.inputs.name).includes("-github-"));
const roleNamed = (c: Capture, name: string): CapturedResource => {
  const found = githubRoles(c).find((r) => r.inputs.name === name);
  if (found === undefined) throw new Error(`no role ${name}`);
  return found;
};
const trustOf = (r: CapturedResource): Doc => JSON.parse(String(r.inputs.assumeRolePolicy)) as Doc;
const policyOf = (c: Capture, role: string): Doc => {
  const found = ofType(c.resources, "aws:iam/rolePolicy:RolePolicy").find((p) => p.name === role);
  if (found === undefined) throw new Error(`no policy ${role}`);
  return JSON.parse(String(found.inputs.policy)) as Doc;
};
const actions = (d: Doc, effect = "Allow") => d.Statement.filter((s) => s.Effect === effect).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

describe("gamemetrics:delivery config", () => {
  const problems = (delivery: Record<string, unknown>) => {
    try {
      resolveConfig("t", { tier: "free", delivery });
      return [];
    } catch (e) {
      if (e instanceof ConfigError) return [...e.problems];
      throw e;
    }
  };

  it("takes a GitHub repository as owner/name and refuses wildcards and other shapes, naming key, value and allowed values", () => {
    for (const ok of ["acme/gamemetrics-pro", "a/b", "Acme-Games/x.y_z", "o/.github"]) expect(problems({ repository: ok })).toEqual([]);
    for (const bad of ["acme", "acme/*", "*/x", "-acme/x", "acme-/x", "ac--me/x", "acme/..", "acme/x y", "acme/x/y", "https://github.com/acme/x"]) {
      expect(problems({ repository: bad })).toEqual([expect.stringMatching(new RegExp(`^gamemetrics:delivery.repository is "${bad.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}"; allowed: a GitHub repository "owner/name"`))]);
    }
  });

  it("takes branch names without wildcards, 12-digit accounts and https issuers ending in /oauth", () => {
    expect(problems({ branch: "release/2.x", awsAccountId: "210987654321", ssoIssuer: "https://api.example.com/oauth" })).toEqual([]);
    for (const branch of ["*", "main*", "a..b", "/main", "main/"]) expect(problems({ branch })).toHaveLength(1);
    for (const awsAccountId of ["12345", "1234567890123", "abcdefghijkl"]) expect(problems({ awsAccountId })).toHaveLength(1);
    for (const ssoIssuer of ["http://api.example.com/oauth", "https://api.example.com", "https://api.example.com/oauth/"]) expect(problems({ ssoIssuer })).toHaveLength(1);
  });

  it("delivers with Pulumi on free and through Argo CD on production, and trusts no repository until one is named", () => {
    expect(tierDefaults("free").apps.delivery).toBe("pulumi");
    expect(tierDefaults("production").apps.delivery).toBe("argocd");
    for (const tier of ["free", "production"] as const) expect(tierDefaults(tier).delivery.repository).toBe("");
    expect(githubRoles(captures.prodNoRepo)).toEqual([]);
    expect(ofType(captures.prodNoRepo.resources, PROVIDER_TYPE).filter((p) => String(p.inputs.url).includes("githubusercontent"))).toEqual([]);
  });
});

describe("GitHub's way into the account", () => {
  it("creates the account's GitHub OIDC provider for the STS audience, or reuses the configured one", () => {
    const providers = ofType(captures.prod.resources, PROVIDER_TYPE).filter((p) => p.inputs.url === "https://token.actions.githubusercontent.com");
    expect(providers.map((p) => p.inputs.clientIdLists)).toEqual([["sts.amazonaws.com"]]);
    expect(ofType(captures.reusedProvider.resources, PROVIDER_TYPE).filter((p) => String(p.inputs.url).includes("githubusercontent"))).toEqual([]);
    const trust = trustOf(roleNamed(captures.reusedProvider, "gamemetrics-staging-github-deploy"));
    expect(trust.Statement[0]).toMatchObject({ Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" } });
  });

  it("trusts exactly this repository's pull requests (preview), branch and release tags (images), and the stack's Environment (deploy)", () => {
    const expected: Record<string, Record<string, Record<string, string | string[]>>> = {
      "gamemetrics-prod-github-preview": { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": [`repo:${REPO}:pull_request`] } },
      "gamemetrics-prod-github-images": {
        StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": [`repo:${REPO}:ref:refs/heads/main`] },
        StringLike: { "token.actions.githubusercontent.com:sub": [`repo:${REPO}:ref:refs/tags/v*`] },
      },
      "gamemetrics-prod-github-deploy": { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": [`repo:${REPO}:environment:prod`] } },
    };
    expect(githubRoles(captures.prod).map((r) => r.inputs.name).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, condition] of Object.entries(expected)) {
      const [statement, ...rest] = trustOf(roleNamed(captures.prod, name)).Statement;
      expect(rest).toEqual([]);
      expect(statement).toMatchObject({ Effect: "Allow", Action: "sts:AssumeRoleWithWebIdentity", Principal: { Federated: expect.stringMatching(/:oidc-provider\/token\.actions\.githubusercontent\.com$/) } });
      expect(statement.Condition).toEqual(condition);
    }
    expect(trustOf(roleNamed(captures.dev, "gamemetrics-dev-github-deploy")).Statement[0].Condition?.["StringEquals"]?.["token.actions.githubusercontent.com:sub"]).toEqual([`repo:${REPO}:environment:dev`]);
  });

  it("passes the policy rule on every stack that has the roles", () => {
    for (const c of [captures.prod, captures.dev, captures.reusedProvider]) {
      const result = judge(c.stack, "production", toPolicyResources(c.resources), { "iam-github-oidc-trust-pinned": "mandatory" }, DELIVERY_RULES);
      expect(result.findings).toEqual([]);
    }
    // The rule reads the roles the program makes: with a trust widened to any ref, it fails.
    const widened = toPolicyResources(captures.prod.resources).map((r) =>
      r.inputs.name === "gamemetrics-prod-github-deploy" ? { ...r, inputs: { ...r.inputs, assumeRolePolicy: String(r.inputs.assumeRolePolicy).replace(`environment:prod`, "*") } } : r,
    );
    expect(judge("prod", "production", widened, { "iam-github-oidc-trust-pinned": "mandatory" }, DELIVERY_RULES).findings).toHaveLength(1);
  });

  it("gives the cluster to the deploy role as admin and to the preview role read-only; the images role gets no cluster access", () => {
    const associations = ofType(captures.prod.resources, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation").filter((a) => a.name.startsWith("github-"));
    expect(Object.fromEntries(associations.map((a) => [a.name, [a.inputs.policyArn, a.inputs.accessScope]]))).toEqual({
      "github-deploy": ["arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", { type: "cluster" }],
      "github-preview": ["arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", { type: "cluster" }],
    });
    expect(ofType(captures.prod.resources, "aws:eks/accessEntry:AccessEntry").filter((a) => a.name.startsWith("github-")).map((a) => a.name).sort()).toEqual(["github-deploy", "github-preview"]);
  });
});

describe("what each GitHub role may do", () => {
  // Pulumi module -> IAM service prefix, for every AWS type any stack or Kafka mode creates.
  const IAM_PREFIX: Record<string, string> = { cloudwatch: "logs", msk: "kafka", sesv2: "ses" };
  const awsModules = () =>
    new Set(
      [captures.pulumiProd, captures.msk, captures.dev, captures.prod].flatMap((c) => c.resources.map((r) => /^aws:([a-z0-9]+)\//.exec(r.type)?.[1]).filter((m): m is string => m !== undefined)),
    );

  it("lets the deploy role manage every AWS service the program creates resources in, in the stack's region", () => {
    const deploy = policyOf(captures.prod, "github-deploy");
    const granted = actions(deploy);
    const modules = awsModules();
    expect(modules.size).toBeGreaterThan(10);
    for (const m of [...modules].filter((x) => x !== "iam")) expect(granted).toContain(`${IAM_PREFIX[m] ?? m}:*`);
    // EKS node groups run EC2 Auto Scaling groups on the caller's behalf.
    expect(granted).toEqual(expect.arrayContaining(["autoscaling:*", ...DEPLOY_SERVICES.map((s) => `${s}:*`)]));
    const regional = deploy.Statement.find((s) => s.Sid === "ManageServices");
    expect(regional?.Condition).toEqual({ StringEquals: { "aws:RequestedRegion": "us-east-1" } });
  });

  it("names each IAM action the program needs, never iam:*, and denies attaching admin policies", () => {
    const granted = actions(policyOf(captures.prod, "github-deploy"));
    const needed = { "aws:iam/role:Role": "iam:CreateRole", "aws:iam/rolePolicy:RolePolicy": "iam:PutRolePolicy", "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "iam:AttachRolePolicy", [PROVIDER_TYPE]: "iam:CreateOpenIDConnectProvider" };
    for (const [type, action] of Object.entries(needed)) {
      expect(ofType(captures.prod.resources, type).length).toBeGreaterThan(0);
      expect(granted).toContain(action);
    }
    expect(granted).toContain("iam:PassRole");
    expect(granted.filter((a) => a === "iam:*" || a === "*")).toEqual([]);
    const deny = policyOf(captures.prod, "github-deploy").Statement.find((s) => s.Effect === "Deny");
    expect(deny?.Condition).toEqual({ ArnEquals: { "iam:PolicyARN": [...FORBIDDEN_MANAGED_POLICIES] } });
    expect(FORBIDDEN_MANAGED_POLICIES).toContain("arn:aws:iam::aws:policy/AdministratorAccess");
    expect(DEPLOY_IAM_ACTIONS.every((a) => a.startsWith("iam:") && !a.includes("*"))).toBe(true);
  });

  it("lets the images role push only to this stack's repositories, and the preview role read no data", () => {
    const images = policyOf(captures.prod, "github-images");
    const push = images.Statement.find((s) => s.Sid === "EcrPush");
    expect(push?.Resource).toBe("arn:aws:ecr:us-east-1:123456789012:repository/gamemetrics-prod/*");
    expect(actions(images)).toEqual(expect.arrayContaining(["ecr:PutImage", "ecr:GetAuthorizationToken"]));
    const preview = actions(policyOf(captures.prod, "github-preview"));
    expect(preview.filter((a) => /^(s3:GetObject|secretsmanager:GetSecretValue|kms:Decrypt|logs:Get|ssm:GetParameter)/.test(a) || a.endsWith(":*"))).toEqual([]);
    expect(preview).toEqual(["ec2:DescribeAvailabilityZones", "ecr:DescribeImages", "ecr:DescribeRepositories"]);
  });

  it("adds the Pulumi state bucket when the stack names one: read for previews, read and write for deploys", () => {
    const context = { accountId: "123456789012", region: "eu-west-1", namePrefix: "gamemetrics-prod", stateBucket: "acme-pulumi-state" };
    const objects = (kind: "preview" | "deploy") => (JSON.parse(rolePolicy(kind, context)) as Doc).Statement.find((s) => s.Sid === "StateObjects");
    expect(objects("preview")).toMatchObject({ Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::acme-pulumi-state/*"] });
    expect(objects("deploy")).toMatchObject({ Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"] });
    expect((JSON.parse(rolePolicy("preview", { ...context, stateBucket: "" })) as Doc).Statement.map((s) => s.Sid)).toEqual(["ZoneLookup", "ImageLookup"]);
  });
});
