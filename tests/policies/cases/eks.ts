import { irsaTrustPolicy } from "../../../infra/cluster/irsa";
import { one, res, type RuleCase, TAGS, variants } from "./support";

const COMPONENT = "eks:index:Cluster";
const AWS_CLUSTER = "aws:eks/cluster:Cluster";
const ALL_LOGS = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

/** A compliant production cluster as our component builds it. */
const base = {
  version: "1.36",
  endpointPrivateAccess: true,
  endpointPublicAccess: false,
  encryptionConfigKeyArn: "arn:aws:kms:us-east-1:123456789012:key/1",
  enabledClusterLogTypes: ALL_LOGS,
  createOidcProvider: true,
  skipDefaultNodeGroup: true,
  tags: TAGS,
};
const cluster = variants(COMPONENT, base);
const awsCluster = variants(AWS_CLUSTER, {
  version: "1.36",
  vpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: false },
  encryptionConfig: { resources: ["secrets"], provider: { keyArn: "arn:aws:kms:us-east-1:123456789012:key/1" } },
  enabledClusterLogTypes: ALL_LOGS,
  tags: TAGS,
});
const OIDC_ARN = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC";
const ISSUER = "oidc.eks.us-east-1.amazonaws.com/id/ABC";
const role = (assumeRolePolicy: unknown, extra: Record<string, unknown> = {}) => res("aws:iam/role:Role", { assumeRolePolicy, tags: TAGS, ...extra });
const trust = (condition: unknown) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Federated: OIDC_ARN }, Action: "sts:AssumeRoleWithWebIdentity", Condition: condition }],
  });
const EC2_TRUST = JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] });
const doc = (statement: Record<string, unknown>) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });

export const EKS_CASES: Record<string, RuleCase> = {
  "eks-endpoint-restricted": {
    pass: one(cluster(), cluster({ endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] }), awsCluster()),
    fail: one(
      cluster({ endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] }),
      cluster({ endpointPublicAccess: true, publicAccessCidrs: [] }),
      // @pulumi/eks defaults: public endpoint, open to the world.
      res(COMPONENT, { version: "1.36" }),
      awsCluster({ vpcConfig: { endpointPublicAccess: true } }),
    ),
  },
  "eks-private-endpoint": {
    pass: one(cluster(), awsCluster()),
    fail: one(cluster({ endpointPrivateAccess: false }), res(AWS_CLUSTER, { vpcConfig: {} })),
  },
  "eks-secrets-encryption": {
    pass: one(cluster(), awsCluster()),
    fail: one(res(COMPONENT, { version: "1.36" }), awsCluster({ encryptionConfig: { resources: [], provider: { keyArn: "k" } } })),
  },
  "eks-audit-logs": {
    pass: one(cluster({ enabledClusterLogTypes: ["api", "audit"] }), awsCluster()),
    fail: one(cluster({ enabledClusterLogTypes: ["api"] }), awsCluster({ enabledClusterLogTypes: [] })),
  },
  "eks-all-control-plane-logs": {
    pass: one(cluster(), awsCluster()),
    fail: one(cluster({ enabledClusterLogTypes: ["api", "audit"] })),
  },
  "eks-supported-version": {
    pass: one(cluster(), cluster({ version: "1.35" })),
    // 1.34 leaves standard support on 2026-12-02, 1.33 left it on 2026-07-29: neither is in the table.
    fail: one(cluster({ version: "1.34" }), cluster({ version: "1.33" }), res(COMPONENT, {}), awsCluster({ version: "latest" })),
  },
  "eks-oidc-provider": {
    pass: one(cluster()),
    fail: one(cluster({ createOidcProvider: false })),
  },
  "eks-imdsv2": {
    pass: one(
      res("aws:ec2/launchTemplate:LaunchTemplate", { metadataOptions: { httpTokens: "required" } }),
      res("eks:index:ManagedNodeGroup", { enableIMDSv2: true }),
      res("eks:index:ManagedNodeGroup", { launchTemplate: { id: "lt-1", version: "1" } }),
    ),
    fail: one(
      res("aws:ec2/launchTemplate:LaunchTemplate", { metadataOptions: { httpTokens: "optional" } }),
      res("aws:ec2/launchTemplate:LaunchTemplate", {}),
      res("eks:index:ManagedNodeGroup", { instanceTypes: ["t3.small"] }),
    ),
  },
  "eks-node-no-remote-access": {
    pass: one(
      res("eks:index:ManagedNodeGroup", {}),
      res("aws:eks/nodeGroup:NodeGroup", { remoteAccess: { ec2SshKey: "k", sourceSecurityGroupIds: ["sg-bastion"] } }),
      cluster(),
    ),
    fail: one(
      res("aws:eks/nodeGroup:NodeGroup", { remoteAccess: { ec2SshKey: "k" } }),
      res("aws:ec2/launchTemplate:LaunchTemplate", { keyName: "ops" }),
      cluster({ nodePublicKey: "ssh-ed25519 AAAA" }),
    ),
  },
  "iam-irsa-trust-pinned": {
    pass: one(role(irsaTrustPolicy(OIDC_ARN, ISSUER, "data", "loki")), role(EC2_TRUST)),
    fail: one(
      role(trust({ StringLike: { [`${ISSUER}:sub`]: "system:serviceaccount:*:*" } })),
      role(trust({ StringEquals: { [`${ISSUER}:sub`]: "system:serviceaccount:data:loki" } })),
      role(trust({ StringEquals: { [`${ISSUER}:aud`]: "sts.amazonaws.com" } })),
      role(trust(undefined)),
    ),
  },
  "iam-no-star-on-star": {
    pass: one(
      res("aws:iam/rolePolicy:RolePolicy", { policy: doc({ Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/*" }) }),
      res("aws:iam/rolePolicy:RolePolicy", { policy: doc({ Effect: "Deny", Action: "*", Resource: "*" }) }),
      res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", { policyArn: "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy" }),
    ),
    fail: one(
      res("aws:iam/rolePolicy:RolePolicy", { policy: doc({ Effect: "Allow", Action: "*", Resource: "*" }) }),
      res("aws:iam/policy:Policy", { policy: { Version: "2012-10-17", Statement: { Effect: "Allow", Action: ["*"], Resource: ["*"] } } }),
      res("aws:iam/policy:Policy", { policy: doc({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }) }),
      role(EC2_TRUST, { inlinePolicies: [{ name: "admin", policy: doc({ Effect: "Allow", Action: "*:*", Resource: "*" }) }] }),
      res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", { policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }),
    ),
  },
};
