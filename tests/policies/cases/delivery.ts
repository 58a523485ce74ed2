import { githubTrustPolicy, subjects, trustedSubjects } from "../../../infra/delivery/github-trust";
import { one, res, type RuleCase, TAGS } from "./support";

const PROVIDER = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
const REPO = "acme/gamemetrics-pro";
const role = (assumeRolePolicy: unknown) => res("aws:iam/role:Role", { assumeRolePolicy, tags: TAGS });
/** A GitHub trust written by hand, so the rule is judged on documents the builder would never produce. */
const trust = (condition: unknown) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Federated: PROVIDER }, Action: "sts:AssumeRoleWithWebIdentity", Condition: condition }],
  });
const aud = { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" };
const sub = "token.actions.githubusercontent.com:sub";

export const DELIVERY_CASES: Record<string, RuleCase> = {
  "iam-github-oidc-trust-pinned": {
    pass: one(
      ...(["preview", "images", "deploy"] as const).map((kind) => role(githubTrustPolicy(PROVIDER, trustedSubjects(kind, { repository: REPO, branch: "main", stack: "prod" })))),
      role(trust({ StringEquals: { ...aud, [sub]: subjects.environment(REPO, "staging") } })),
      // Not a GitHub trust: left to the IRSA rule.
      role(trust(undefined).replace("token.actions.githubusercontent.com", "oidc.eks.us-east-1.amazonaws.com/id/ABC")),
    ),
    fail: one(
      // Any repository on GitHub, or any of an owner's repositories.
      role(trust({ StringEquals: aud })),
      role(trust({ StringEquals: aud, StringLike: { [sub]: "repo:*" } })),
      role(trust({ StringEquals: aud, StringLike: { [sub]: "repo:acme/*:ref:refs/heads/main" } })),
      // Any environment or branch of the repository.
      role(trust({ StringEquals: aud, StringLike: { [sub]: `repo:${REPO}:environment:*` } })),
      role(trust({ StringEquals: aud, StringLike: { [sub]: `repo:${REPO}:ref:refs/heads/*` } })),
      role(trust({ StringEquals: aud, StringLike: { [sub]: `repo:${REPO}:*` } })),
      // No audience, or two repositories.
      role(trust({ StringEquals: { [sub]: subjects.pullRequest(REPO) } })),
      role(trust({ StringEquals: { ...aud, [sub]: [subjects.pullRequest(REPO), subjects.pullRequest("other/repo")] } })),
    ),
  },
};
