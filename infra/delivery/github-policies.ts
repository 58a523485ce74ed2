import type { GithubRoleKind } from "./github-trust";

/**
 * What each GitHub role may do, as IAM policy documents. Pure: the tests read them and check the
 * deploy role can manage every AWS service the program creates, and no more.
 */

export interface PolicyContext {
  readonly accountId: string;
  readonly region: string;
  /** `gamemetrics-<stack>`: the stack's ECR repositories are `<prefix>/<app>`. */
  readonly namePrefix: string;
  /** The S3 bucket holding Pulumi state, when the stack uses an S3 backend; "" otherwise. */
  readonly stateBucket: string;
}

/**
 * IAM prefixes of the services the program creates resources in (Pulumi module -> IAM prefix:
 * cloudwatch log groups are `logs`, MSK is `kafka`, SES v2 is `ses`). EKS managed node groups also create EC2
 * instances and Auto Scaling groups on the caller's behalf.
 */
export const DEPLOY_SERVICES = ["ec2", "eks", "rds", "elasticache", "s3", "ecr", "kms", "secretsmanager", "logs", "kafka", "wafv2", "autoscaling", "ses"] as const;

/**
 * IAM actions `pulumi up` needs: roles and their policies (IRSA, the control plane, the nodes, these
 * GitHub roles), OIDC providers (IRSA, GitHub) and the service-linked roles EKS, RDS and ElastiCache create.
 */
export const DEPLOY_IAM_ACTIONS = [
  "iam:CreateRole",
  "iam:DeleteRole",
  "iam:GetRole",
  "iam:UpdateRole",
  "iam:UpdateAssumeRolePolicy",
  "iam:TagRole",
  "iam:UntagRole",
  "iam:ListRoleTags",
  "iam:PutRolePolicy",
  "iam:GetRolePolicy",
  "iam:DeleteRolePolicy",
  "iam:ListRolePolicies",
  "iam:AttachRolePolicy",
  "iam:DetachRolePolicy",
  "iam:ListAttachedRolePolicies",
  "iam:ListInstanceProfilesForRole",
  "iam:PassRole",
  "iam:GetPolicy",
  "iam:GetPolicyVersion",
  "iam:CreateOpenIDConnectProvider",
  "iam:GetOpenIDConnectProvider",
  "iam:DeleteOpenIDConnectProvider",
  "iam:UpdateOpenIDConnectProviderThumbprint",
  "iam:AddClientIDToOpenIDConnectProvider",
  "iam:RemoveClientIDFromOpenIDConnectProvider",
  "iam:TagOpenIDConnectProvider",
  "iam:UntagOpenIDConnectProvider",
  "iam:CreateServiceLinkedRole",
] as const;

/** AWS managed policies no role the program creates may get: attaching one would escalate past the program's own grants. */
export const FORBIDDEN_MANAGED_POLICIES = ["arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/IAMFullAccess", "arn:aws:iam::aws:policy/PowerUserAccess"] as const;

/** ECR push and pull, for the stack's repositories only. */
export const ECR_PUSH_ACTIONS = [
  "ecr:BatchCheckLayerAvailability",
  "ecr:BatchGetImage",
  "ecr:CompleteLayerUpload",
  "ecr:DescribeImages",
  "ecr:DescribeRepositories",
  "ecr:GetDownloadUrlForLayer",
  "ecr:InitiateLayerUpload",
  "ecr:ListImages",
  "ecr:PutImage",
  "ecr:UploadLayerPart",
] as const;

const statement = (Sid: string, Action: readonly string[], Resource: string | readonly string[], extra: Record<string, unknown> = {}) => ({
  Sid,
  Effect: "Allow",
  Action: [...Action],
  Resource,
  ...extra,
});

const repositories = (c: PolicyContext) => `arn:aws:ecr:${c.region}:${c.accountId}:repository/${c.namePrefix}/*`;

function stateStatements(c: PolicyContext, write: boolean): Record<string, unknown>[] {
  if (c.stateBucket === "") return [];
  const objects = [`arn:aws:s3:::${c.stateBucket}/*`];
  return [
    statement("StateList", ["s3:ListBucket", "s3:GetBucketLocation"], `arn:aws:s3:::${c.stateBucket}`),
    statement("StateObjects", write ? ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"] : ["s3:GetObject"], objects),
  ];
}

function deployStatements(c: PolicyContext): Record<string, unknown>[] {
  return [
    statement(
      "ManageServices",
      [...DEPLOY_SERVICES.map((s) => `${s}:*`), "ssm:GetParameter", "ssm:GetParameters", "sts:GetCallerIdentity"],
      "*",
      // Everything regional stays in the stack's region.
      { Condition: { StringEquals: { "aws:RequestedRegion": c.region } } },
    ),
    statement("ManageRoles", DEPLOY_IAM_ACTIONS, "*"),
    {
      Sid: "NoEscalation",
      Effect: "Deny",
      Action: ["iam:AttachRolePolicy", "iam:AttachUserPolicy", "iam:AttachGroupPolicy"],
      Resource: "*",
      Condition: { ArnEquals: { "iam:PolicyARN": [...FORBIDDEN_MANAGED_POLICIES] } },
    },
    ...stateStatements(c, true),
  ];
}

/** The inline policy of one GitHub role. */
export function rolePolicy(kind: GithubRoleKind, c: PolicyContext): string {
  const statements: Record<string, unknown>[] =
    kind === "deploy"
      ? deployStatements(c)
      : kind === "images"
        ? [statement("EcrLogin", ["ecr:GetAuthorizationToken"], "*"), statement("EcrPush", ECR_PUSH_ACTIONS, repositories(c))]
        : // What `pulumi preview` (no refresh) calls: the AZ lookup and the pushed-image gate. Nothing that
          // reads data: a pull request's author can change the workflow that assumes this role.
          [
            statement("ZoneLookup", ["ec2:DescribeAvailabilityZones"], "*"),
            statement("ImageLookup", ["ecr:DescribeImages", "ecr:DescribeRepositories"], repositories(c)),
            ...stateStatements(c, false),
          ];
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** EKS access policies per role: the deployer administers the cluster, a preview only reads it (no Secrets). */
export const CLUSTER_ACCESS: Readonly<Partial<Record<GithubRoleKind, string>>> = {
  deploy: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
  preview: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
};
