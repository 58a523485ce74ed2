import { type Field, int, section, text } from "../fields";

/**
 * How releases reach a stack: the GitHub repository whose workflows may deploy it (through an IAM
 * role assumed with GitHub's OIDC token), and, when `gamemetrics:apps.delivery` is `argocd`, the
 * repository Argo CD syncs the rendered manifests from, with SSO through the users service's issuer.
 */
export interface DeliveryProfile {
  /**
   * `owner/name` of the GitHub repository of this stack's code; "" means none: no GitHub role and
   * no Argo CD source. Never defaulted: a role that trusted someone else's repository would let
   * their workflows deploy into this account.
   */
  repository: string;
  /** The branch Argo CD tracks and whose pushes may build images (`refs/heads/<branch>`). */
  branch: string;
  /**
   * The AWS account the stack deploys to: the rendered manifests name its ECR registry. Checked
   * against the deploying identity at `pulumi up`. Needed only to render (apps.delivery argocd).
   */
  awsAccountId: string;
  /** An existing IAM OIDC provider for token.actions.githubusercontent.com (one per account); "" creates it. */
  githubOidcProviderArn: string;
  /** The S3 bucket of Pulumi state when the stack uses an S3 backend (the GitHub roles get access to it); "" otherwise. */
  stateBucket: string;
  /** OIDC issuer Argo CD signs users in with (the users service's, ending in /oauth); "" keeps the local admin. */
  ssoIssuer: string;
  /** The public (PKCE) client registered for Argo CD at that issuer. */
  ssoClientId: string;
  /** The URL people open Argo CD at: SSO redirects back to it. */
  argocdUrl: string;
  /** Argo CD API server and repo server replicas. */
  argocdReplicas: number;
  /** Argo Rollouts controller replicas (leader-elected: one active). */
  rolloutsReplicas: number;
}

// GitHub's rules: an owner is up to 39 letters, digits or single hyphens, not at either end; a
// repository name is up to 100 letters, digits, '.', '-', '_' (and not "." or "..").
const REPOSITORY = /^$|^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}\/(?!\.\.?$)[A-Za-z0-9._-]{1,100}$/;
// A git branch name as a workflow's `refs/heads/<branch>` names it: no wildcards, no "..", no spaces.
const BRANCH = /^(?!.*\.\.)(?!\/)(?!.*\/$)[A-Za-z0-9._/-]{1,100}$/;
const ACCOUNT = /^$|^\d{12}$/;
const OIDC_PROVIDER_ARN = /^$|^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/;
// S3 bucket naming rules: 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit.
const BUCKET = /^$|^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const ISSUER = /^$|^https:\/\/[^\s/]+(\/\S*)?\/oauth$/;
const URL = /^https?:\/\/[^\s/]+(:\d+)?$/;
const CLIENT_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function repository(): Field<string> {
  return text(REPOSITORY, 'a GitHub repository "owner/name" (GitHub\'s characters, no wildcards), or "" for none');
}

/** Nothing is trusted or rendered until the stack says so; the same on every tier. */
const COMMON = {
  repository: "",
  branch: "main",
  awsAccountId: "",
  githubOidcProviderArn: "",
  stateBucket: "",
  ssoIssuer: "",
  ssoClientId: "argocd",
  argocdUrl: "https://localhost:8080",
} as const;

export const delivery = section<DeliveryProfile>({
  fields: {
    repository: repository(),
    branch: text(BRANCH, 'a branch name such as "main" (letters, digits, . _ / -, no wildcards)'),
    awsAccountId: text(ACCOUNT, 'a 12-digit AWS account id as a string ("012345678901": account ids may start with 0), or "" when nothing is rendered'),
    githubOidcProviderArn: text(OIDC_PROVIDER_ARN, 'the ARN of an existing token.actions.githubusercontent.com provider, or "" to create one'),
    stateBucket: text(BUCKET, 'an S3 bucket name (the Pulumi state bucket), or "" for another backend'),
    ssoIssuer: text(ISSUER, 'an https issuer URL ending in /oauth (the users service), or "" for none'),
    ssoClientId: text(CLIENT_ID, "an OAuth client id (letters, digits, . _ -)"),
    argocdUrl: text(URL, 'the URL Argo CD is opened at, such as "https://argocd.example.com" (no path)'),
    argocdReplicas: int(1, 5),
    rolloutsReplicas: int(1, 3),
  },
  free: { ...COMMON, argocdReplicas: 1, rolloutsReplicas: 1 },
  // Two of each stateless Argo CD server and of the Rollouts controller, so a node drain keeps both.
  production: { ...COMMON, argocdReplicas: 2, rolloutsReplicas: 2 },
});
