/**
 * Who in GitHub may act on this stack, as IAM trust policies for roles assumed with GitHub's OIDC
 * token (AssumeRoleWithWebIdentity). Pure, so tests and the policy pack check the pinning without mocks.
 * Subjects follow GitHub's default `sub` format: a job that names an environment gets
 * `repo:<owner>/<name>:environment:<env>`, a pull request `repo:<owner>/<name>:pull_request`, a push
 * `repo:<owner>/<name>:ref:<git ref>`.
 */
import { webIdentityTrustPolicy } from "../cluster/irsa";

export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
export const GITHUB_OIDC_URL = `https://${GITHUB_OIDC_HOST}`;
export const STS_AUDIENCE = "sts.amazonaws.com";

/** The git tags whose pushes build release images: `v1.2.3`, `v1.2.3-rc.1`. */
export const RELEASE_TAG_PATTERN = "v*";

export const subjects = {
  environment: (repository: string, environment: string) => `repo:${repository}:environment:${environment}`,
  pullRequest: (repository: string) => `repo:${repository}:pull_request`,
  branch: (repository: string, branch: string) => `repo:${repository}:ref:refs/heads/${branch}`,
  releaseTags: (repository: string) => `repo:${repository}:ref:refs/tags/${RELEASE_TAG_PATTERN}`,
} as const;

/**
 * Trust for GitHub's OIDC provider, only for the STS audience and only for these subjects.
 * Exact subjects go under StringEquals; a subject with a wildcard (the release tags) needs StringLike.
 */
export function githubTrustPolicy(providerArn: string, subs: readonly string[]): string {
  const exact = subs.filter((s) => !s.includes("*"));
  const patterns = subs.filter((s) => s.includes("*"));
  const sub = `${GITHUB_OIDC_HOST}:sub`;
  return webIdentityTrustPolicy(providerArn, {
    StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: STS_AUDIENCE, ...(exact.length > 0 ? { [sub]: exact } : {}) },
    ...(patterns.length > 0 ? { StringLike: { [sub]: patterns } } : {}),
  });
}

/** The three GitHub roles of a stack and the job identities each trusts. */
export type GithubRoleKind = "preview" | "images" | "deploy";
export const GITHUB_ROLE_KINDS: readonly GithubRoleKind[] = ["preview", "images", "deploy"];

/** Role names are fixed so a workflow can name the role it assumes: `gamemetrics-dev-github-deploy`. */
export const githubRoleName = (namePrefix: string, kind: GithubRoleKind): string => `${namePrefix}-github-${kind}`;

export interface TrustContext {
  readonly repository: string;
  readonly branch: string;
  /** The stack name, which is also its GitHub Environment name. */
  readonly stack: string;
}

/**
 * preview: pull-request jobs (read only). images: pushes to the branch and release tags (build and push
 * images). deploy: only jobs in the stack's GitHub Environment, where required reviewers gate staging
 * and prod.
 */
export function trustedSubjects(kind: GithubRoleKind, c: TrustContext): string[] {
  switch (kind) {
    case "preview":
      return [subjects.pullRequest(c.repository)];
    case "images":
      return [subjects.branch(c.repository, c.branch), subjects.releaseTags(c.repository)];
    case "deploy":
      return [subjects.environment(c.repository, c.stack)];
  }
}
