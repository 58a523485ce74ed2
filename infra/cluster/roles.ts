import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Tags } from "../contracts";
import { MANAGED_POLICIES } from "./settings";

/** Trust policy letting one AWS service assume the role. */
export function serviceTrustPolicy(service: string, actions: readonly string[] = ["sts:AssumeRole"]): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: actions }],
  });
}

/** What the control plane needs on the secrets key for envelope encryption, on that key only. */
export function secretsKeyUsePolicy(keyArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"], Resource: keyArn },
    ],
  });
}

/** A role for `service` with AWS managed policies and an optional inline policy; resolves once all are attached. */
function serviceRole(
  name: string,
  args: { service: string; actions?: readonly string[]; managedPolicyArns: readonly string[]; inlinePolicy?: pulumi.Input<string>; tags: Tags },
  opts: pulumi.CustomResourceOptions,
): { role: aws.iam.Role; attached: pulumi.Resource[] } {
  const role = new aws.iam.Role(name, { assumeRolePolicy: serviceTrustPolicy(args.service, args.actions), tags: args.tags }, opts);
  const attached: pulumi.Resource[] = args.managedPolicyArns.map(
    (policyArn, i) => new aws.iam.RolePolicyAttachment(`${name}-${i}`, { role: role.name, policyArn }, opts),
  );
  if (args.inlinePolicy !== undefined) attached.push(new aws.iam.RolePolicy(name, { role: role.name, policy: args.inlinePolicy }, opts));
  return { role, attached };
}

/** The EKS control plane's role: the cluster policy plus use of the secrets key (as terraform-aws-eks grants it). */
export function controlPlaneRole(name: string, secretsKeyArn: pulumi.Output<string>, tags: Tags, opts: pulumi.CustomResourceOptions) {
  return serviceRole(
    name,
    {
      service: "eks.amazonaws.com",
      actions: ["sts:AssumeRole", "sts:TagSession"],
      managedPolicyArns: [MANAGED_POLICIES.cluster],
      inlinePolicy: secretsKeyArn.apply(secretsKeyUsePolicy),
      tags,
    },
    opts,
  );
}

/** The nodes' role: join the cluster and pull images. Pod networking rights sit on the vpc-cni IRSA role. */
export function nodeRole(name: string, tags: Tags, opts: pulumi.CustomResourceOptions) {
  return serviceRole(name, { service: "ec2.amazonaws.com", managedPolicyArns: [MANAGED_POLICIES.workerNode, MANAGED_POLICIES.ecrPull], tags }, opts);
}
