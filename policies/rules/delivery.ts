import { ALWAYS, problems, resourceRule } from "../engine/define";
import { isAllow, oneOrMany, statementsOf } from "../engine/iam";
import { obj, type Obj } from "../engine/inputs";
import type { Rule } from "../engine/types";

/** GitHub Actions' OIDC issuer, as IAM names its provider and its condition keys. */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";

const NAME = "[A-Za-z0-9._-]+";
/**
 * The job identities a deploy role may trust, in GitHub's default `sub` format: one repository, named
 * in full, and one environment, pull requests, one branch, or release tags (the only place a `*` may be).
 */
const SUBJECT = new RegExp(`^repo:(${NAME}/${NAME}):(?:environment:${NAME}|pull_request|ref:refs/heads/[A-Za-z0-9._/-]+|ref:refs/tags/[A-Za-z0-9._/-]*\\*?)$`);

function trustsGithub(statement: Obj): boolean {
  return isAllow(statement) && oneOrMany(obj(statement["Principal"])?.["Federated"]).some((f) => f.endsWith(`:oidc-provider/${GITHUB_OIDC_HOST}`));
}

/** Problems of one statement trusting GitHub's OIDC provider. */
function githubTrustProblems(statement: Obj): string[] {
  const condition = obj(statement["Condition"]) ?? {};
  const equals = obj(condition["StringEquals"]) ?? {};
  const like = obj(condition["StringLike"]) ?? {};
  const sub = `${GITHUB_OIDC_HOST}:sub`;
  const exact = oneOrMany(equals[sub]);
  const patterns = oneOrMany(like[sub]);
  const malformed = [...exact.filter((s) => /[*?]/.test(s) || !SUBJECT.test(s)), ...patterns.filter((s) => /\?/.test(s) || !SUBJECT.test(s))];
  const repositories = new Set([...exact, ...patterns].map((s) => SUBJECT.exec(s)?.[1]).filter((r) => r !== undefined));
  return problems(
    oneOrMany(equals[`${GITHUB_OIDC_HOST}:aud`]).join() !== "sts.amazonaws.com" && "GitHub trust does not require audience sts.amazonaws.com with StringEquals on :aud",
    exact.length + patterns.length === 0 && "GitHub trust has no :sub condition: any repository's workflow could assume the role",
    malformed.length > 0 && `GitHub trust subjects are not one repository's environment, pull requests, branch or release tags: ${malformed.join(", ")}`,
    repositories.size > 1 && `GitHub trust names more than one repository: ${[...repositories].join(", ")}`,
  );
}

const githubTrust = resourceRule({
  name: "iam-github-oidc-trust-pinned",
  description: "Roles assumed with GitHub's OIDC token trust the sts.amazonaws.com audience and only named refs or environments of one repository.",
  remediation: "Build GitHub roles with githubTrustPolicy / trustedSubjects (infra/delivery/github-trust.ts), from gamemetrics:delivery.repository.",
  levels: ALWAYS,
  appliesTo: ["aws:iam/role:Role"],
  check: (r) => statementsOf(r.inputs["assumeRolePolicy"]).filter(trustsGithub).flatMap(githubTrustProblems),
});

export const DELIVERY_RULES: readonly Rule[] = [githubTrust];
