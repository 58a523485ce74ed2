import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { DeliveryProfile } from "../config/sections/delivery";
import type { Tags } from "../contracts";
import { CLUSTER_ACCESS, rolePolicy } from "./github-policies";
import { GITHUB_OIDC_URL, GITHUB_ROLE_KINDS, githubRoleName, githubTrustPolicy, type GithubRoleKind, STS_AUDIENCE, trustedSubjects } from "./github-trust";

export interface GithubDeliveryArgs {
  readonly profile: Pick<DeliveryProfile, "repository" | "branch" | "githubOidcProviderArn" | "stateBucket">;
  readonly stack: string;
  readonly namePrefix: string;
  readonly region: string;
  readonly clusterName: pulumi.Input<string>;
  readonly tags: Tags;
}

/**
 * GitHub Actions' way into this stack's account, with no long-lived key: the account's OIDC
 * provider for token.actions.githubusercontent.com (or an existing one) and three roles, each
 * trusting only this repository's jobs of one kind (pull requests, pushes of the branch and release
 * tags, the stack's Environment), with EKS access entries for the two that talk to the cluster.
 */
export class GithubDelivery extends pulumi.ComponentResource {
  readonly roleArns: Readonly<Record<GithubRoleKind, pulumi.Output<string>>>;

  constructor(name: string, args: GithubDeliveryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gamemetrics:delivery:GithubDelivery", name, {}, opts);
    const { profile } = args;
    const parent = { parent: this };
    // An account holds one provider per issuer URL: a second stack in the account reuses the first's.
    const providerArn =
      profile.githubOidcProviderArn !== ""
        ? pulumi.output(profile.githubOidcProviderArn)
        : new aws.iam.OpenIdConnectProvider(`${name}-oidc`, { url: GITHUB_OIDC_URL, clientIdLists: [STS_AUDIENCE], tags: args.tags }, parent).arn;
    const accountId = aws.getCallerIdentityOutput({}, parent).accountId;
    const context = { repository: profile.repository, branch: profile.branch, stack: args.stack };

    const arns = GITHUB_ROLE_KINDS.map((kind) => {
      const role = new aws.iam.Role(
        `${name}-${kind}`,
        {
          name: githubRoleName(args.namePrefix, kind),
          description: `GitHub Actions (${profile.repository}, ${kind}) for stack ${args.stack}`,
          assumeRolePolicy: providerArn.apply((arn) => githubTrustPolicy(arn, trustedSubjects(kind, context))),
          // One hour covers the longest `pulumi up`; a token never outlives its job by much.
          maxSessionDuration: 3600,
          tags: args.tags,
        },
        parent,
      );
      new aws.iam.RolePolicy(
        `${name}-${kind}`,
        {
          role: role.name,
          policy: accountId.apply((id) => rolePolicy(kind, { accountId: id, region: args.region, namePrefix: args.namePrefix, stateBucket: profile.stateBucket })),
        },
        parent,
      );
      const access = CLUSTER_ACCESS[kind];
      if (access !== undefined) {
        const entry = new aws.eks.AccessEntry(`${name}-${kind}`, { clusterName: args.clusterName, principalArn: role.arn, type: "STANDARD", tags: args.tags }, parent);
        new aws.eks.AccessPolicyAssociation(
          `${name}-${kind}`,
          { clusterName: args.clusterName, principalArn: role.arn, policyArn: access, accessScope: { type: "cluster" } },
          { parent: this, dependsOn: [entry] },
        );
      }
      return [kind, role.arn] as const;
    });
    this.roleArns = Object.fromEntries(arns) as Record<GithubRoleKind, pulumi.Output<string>>;
    this.registerOutputs({ roleArns: this.roleArns });
  }
}
