import { s3PrefixPolicy } from "./s3-prefix-policy";

/**
 * IAM policy documents of the platform controllers, as pure functions so tests check their scoping:
 * no `*` action anywhere, and `Resource: "*"` only for actions AWS does not scope (Describe*) or
 * under a tag condition that pins them to this cluster's resources.
 */

interface Statement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Action: readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Record<string, Record<string, string | boolean | readonly string[]>>;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly Statement[];
}

const doc = (...statements: Statement[]): PolicyDocument => ({ Version: "2012-10-17", Statement: statements });

/** Secrets Manager names of the platform (`gamemetrics-dev/...`) as an ARN pattern. */
export function secretArnPattern(region: string, accountId: string, namePrefix: string): string {
  return `arn:aws:secretsmanager:${region}:${accountId}:secret:${namePrefix}/*`;
}

/** External Secrets Operator: read the platform's secrets and decrypt them with the data key, via Secrets Manager only. */
export function externalSecretsPolicy(secretPattern: string, kmsKeyArn: string, region: string): PolicyDocument {
  return doc(
    { Sid: "ReadPlatformSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: [secretPattern] },
    {
      Sid: "DecryptWithDataKey",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: [kmsKeyArn],
      Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` } },
    },
  );
}

/**
 * Cluster Autoscaler: resize and terminate only the ASGs that carry this cluster's autoscaler tag
 * (EKS managed node groups set it on their ASGs), read everything it must simulate.
 */
export function clusterAutoscalerPolicy(clusterName: string, region: string, accountId: string): PolicyDocument {
  return doc(
    {
      Sid: "ScaleOwnNodeGroups",
      Effect: "Allow",
      Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
      Resource: "*",
      Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: "owned" } },
    },
    {
      Sid: "Discover",
      Effect: "Allow",
      Action: [
        "autoscaling:DescribeAutoScalingGroups",
        "autoscaling:DescribeAutoScalingInstances",
        "autoscaling:DescribeLaunchConfigurations",
        "autoscaling:DescribeScalingActivities",
        "autoscaling:DescribeTags",
        "ec2:DescribeImages",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeLaunchTemplateVersions",
        "ec2:GetInstanceTypesFromInstanceRequirements",
      ],
      Resource: "*",
    },
    { Sid: "DescribeNodeGroups", Effect: "Allow", Action: ["eks:DescribeNodegroup"], Resource: [`arn:aws:eks:${region}:${accountId}:nodegroup/${clusterName}/*`] },
  );
}

export const VELERO_PREFIX = "velero";

/** Velero: its prefix of the backups bucket (with the data key), and EBS snapshots of the cluster's volumes. */
export function veleroPolicy(bucket: string, kmsKeyArn: string): PolicyDocument {
  const s3 = JSON.parse(s3PrefixPolicy(bucket, VELERO_PREFIX, "readwrite", kmsKeyArn)) as PolicyDocument;
  return doc(
    ...s3.Statement,
    { Sid: "DescribeVolumes", Effect: "Allow", Action: ["ec2:DescribeVolumes", "ec2:DescribeSnapshots"], Resource: "*" },
    {
      Sid: "Snapshots",
      Effect: "Allow",
      Action: ["ec2:CreateSnapshot", "ec2:CreateVolume", "ec2:DeleteSnapshot", "ec2:CreateTags"],
      Resource: ["arn:aws:ec2:*:*:volume/*", "arn:aws:ec2:*::snapshot/*"],
    },
  );
}

/** Every action of a document that ends in a wildcard, and every statement granting `*` on `*`. */
export function wildcardGrants(document: PolicyDocument): string[] {
  return document.Statement.flatMap((s) => {
    const resources = typeof s.Resource === "string" ? [s.Resource] : s.Resource;
    const problems = s.Action.filter((a) => a === "*" || a.endsWith(":*")).map((a) => `${s.Sid}: action ${a}`);
    const unscopedWrite = resources.includes("*") && s.Condition === undefined && s.Action.some((a) => !/:(Describe|Get|List)/.test(a));
    return unscopedWrite ? [...problems, `${s.Sid}: non-read actions on * without a condition`] : problems;
  });
}
