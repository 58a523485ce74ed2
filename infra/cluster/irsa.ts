import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterInfo, Tags } from "../contracts";

/** A role assumable only through STS with a token of the OIDC provider, under `condition`. */
export function webIdentityTrustPolicy(providerArn: string, condition: Record<string, Record<string, unknown>>): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Federated: providerArn }, Action: "sts:AssumeRoleWithWebIdentity", Condition: condition }],
  });
}

/**
 * IRSA trust policy: only the one service account, only via STS. Pure so tests and
 * policies can check the pinning without the mock runtime.
 */
export function irsaTrustPolicy(oidcProviderArn: string, oidcIssuer: string, namespace: string, serviceAccount: string): string {
  return webIdentityTrustPolicy(oidcProviderArn, {
    StringEquals: {
      [`${oidcIssuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
      [`${oidcIssuer}:aud`]: "sts.amazonaws.com",
    },
  });
}

export interface IrsaRoleArgs {
  readonly cluster: Pick<ClusterInfo, "oidcProviderArn" | "oidcIssuer">;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Inline policy document (JSON), scoped to the resources the workload needs. */
  readonly policy?: pulumi.Input<string>;
  /** AWS managed policies to attach, for add-ons that publish one (e.g. the EBS CSI driver). */
  readonly managedPolicyArns?: readonly string[];
  readonly tags: Tags;
}

/** An IAM role that exactly one Kubernetes service account can assume. */
export class IrsaRole extends pulumi.ComponentResource {
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: IrsaRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gamemetrics:cluster:IrsaRole", name, {}, opts);
    const role = new aws.iam.Role(
      name,
      {
        assumeRolePolicy: pulumi
          .all([args.cluster.oidcProviderArn, args.cluster.oidcIssuer])
          .apply(([arn, issuer]) => irsaTrustPolicy(arn, issuer, args.namespace, args.serviceAccount)),
        tags: args.tags,
      },
      { parent: this },
    );
    if (args.policy !== undefined) {
      new aws.iam.RolePolicy(name, { role: role.name, policy: args.policy }, { parent: this });
    }
    for (const [i, policyArn] of (args.managedPolicyArns ?? []).entries()) {
      new aws.iam.RolePolicyAttachment(`${name}-${i}`, { role: role.name, policyArn }, { parent: this });
    }
    this.arn = role.arn;
    this.registerOutputs({ arn: this.arn });
  }
}
