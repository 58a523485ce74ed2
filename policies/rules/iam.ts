import { ALWAYS, perTypeRule, problems, resourceRule } from "../engine/define";
import { isAllow, oneOrMany, statementsOf } from "../engine/iam";
import { arr, obj, type Obj, str } from "../engine/inputs";
import type { PolicyResource, Rule } from "../engine/types";
import { GITHUB_OIDC_HOST } from "./delivery";

const SERVICE_ACCOUNT = /^system:serviceaccount:[a-z0-9]([-a-z0-9]*[a-z0-9])?:[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/;

/** Problems of one web-identity trust statement: it must pin one service account and the STS audience. */
function trustProblems(statement: Obj): string[] {
  const federated = oneOrMany(obj(statement["Principal"])?.["Federated"]);
  // GitHub's provider has its own rule (iam-github-oidc-trust-pinned): it names repositories, not service accounts.
  const cluster = federated.filter((f) => f.includes(":oidc-provider/") && !f.endsWith(`/${GITHUB_OIDC_HOST}`));
  if (!isAllow(statement) || cluster.length === 0) return [];
  const equals = obj(obj(statement["Condition"])?.["StringEquals"]) ?? {};
  const key = (suffix: string) => Object.keys(equals).find((k) => k.endsWith(suffix));
  const sub = key(":sub");
  const aud = key(":aud");
  const subjects = sub === undefined ? [] : oneOrMany(equals[sub]);
  return problems(
    (subjects.length !== 1 || !SERVICE_ACCOUNT.test(subjects[0])) && "trust does not pin exactly one system:serviceaccount:<namespace>:<name> with StringEquals on :sub",
    (aud === undefined || oneOrMany(equals[aud]).join() !== "sts.amazonaws.com") && "trust does not require audience sts.amazonaws.com with StringEquals on :aud",
  );
}

const irsaTrust = resourceRule({
  name: "iam-irsa-trust-pinned",
  description: "Every web-identity (IRSA) role trusts exactly one service account and the sts.amazonaws.com audience.",
  remediation: "Build IRSA roles with IrsaRole / irsaTrustPolicy from infra/cluster/irsa.ts.",
  levels: ALWAYS,
  appliesTo: ["aws:iam/role:Role"],
  check: (r) => statementsOf(r.inputs["assumeRolePolicy"]).flatMap(trustProblems),
});

const ADMIN_POLICY = /:policy\/AdministratorAccess$/;

function wildcardProblems(statement: Obj): string[] {
  if (!isAllow(statement)) return [];
  const resources = oneOrMany(statement["Resource"]);
  const actions = oneOrMany(statement["Action"]);
  if (statement["NotAction"] !== undefined && resources.includes("*")) return ["Allow with NotAction on Resource \"*\""];
  return actions.some((a) => a === "*" || a === "*:*") && resources.includes("*") ? ["Allow \"*\" on \"*\""] : [];
}

/** Star-on-star problems of the policy documents an IAM resource carries. */
const inDocuments = (documents: readonly unknown[]) => documents.flatMap((d) => statementsOf(d).flatMap(wildcardProblems));
const inPolicy = (r: PolicyResource) => inDocuments([r.inputs["policy"]]);

const noWildcardAdmin = perTypeRule({
  name: "iam-no-star-on-star",
  description: "No IAM policy allows \"*\" actions on \"*\" resources, and no role gets AdministratorAccess.",
  remediation: "Scope each policy to the actions and ARNs the workload needs (bucket/prefix, secret ARN).",
  levels: ALWAYS,
  checks: {
    "aws:iam/role:Role": (r) => inDocuments(arr(r.inputs["inlinePolicies"]).map((p) => obj(p)?.["policy"])),
    "aws:iam/rolePolicy:RolePolicy": inPolicy,
    "aws:iam/policy:Policy": inPolicy,
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (r) => (ADMIN_POLICY.test(str(r.inputs["policyArn"]) ?? "") ? ["AdministratorAccess attached"] : []),
  },
});

export const IAM_RULES: readonly Rule[] = [irsaTrust, noWildcardAdmin];
