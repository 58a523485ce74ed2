import { ALWAYS, missingProblem, problems, resourceRule } from "../engine/define";
import { obj } from "../engine/inputs";
import type { Rule } from "../engine/types";

export const REQUIRED_TAGS = ["project", "env", "tier"];

/** The taggable resource types the platform creates (and the components that forward tags). */
export const TAGGABLE_TYPES = [
  "aws:ec2/vpc:Vpc",
  "aws:ec2/subnet:Subnet",
  "aws:ec2/internetGateway:InternetGateway",
  "aws:ec2/natGateway:NatGateway",
  "aws:ec2/eip:Eip",
  "aws:ec2/routeTable:RouteTable",
  "aws:ec2/securityGroup:SecurityGroup",
  "aws:ec2/vpcEndpoint:VpcEndpoint",
  "aws:ec2/flowLog:FlowLog",
  "aws:ec2/launchTemplate:LaunchTemplate",
  "aws:cloudwatch/logGroup:LogGroup",
  "aws:kms/key:Key",
  "aws:iam/role:Role",
  "aws:iam/policy:Policy",
  "aws:eks/cluster:Cluster",
  "aws:eks/nodeGroup:NodeGroup",
  "aws:eks/addon:Addon",
  "aws:rds/instance:Instance",
  "aws:rds/subnetGroup:SubnetGroup",
  "aws:rds/parameterGroup:ParameterGroup",
  "aws:elasticache/replicationGroup:ReplicationGroup",
  "aws:elasticache/subnetGroup:SubnetGroup",
  "aws:s3/bucket:Bucket",
  "aws:s3/bucketV2:BucketV2",
  "aws:ecr/repository:Repository",
  "aws:msk/cluster:Cluster",
  "aws:msk/serverlessCluster:ServerlessCluster",
  "aws:secretsmanager/secret:Secret",
  "eks:index:Cluster",
  "eks:index:ManagedNodeGroup",
];

const requiredTags = resourceRule({
  name: "tags-required",
  description: `Taggable AWS resources carry the ${REQUIRED_TAGS.join(", ")} tags (cost allocation, ownership).`,
  remediation: "Pass tags: platformTags(config) (infra/tags.ts) to every taggable resource.",
  levels: ALWAYS,
  appliesTo: TAGGABLE_TYPES,
  check(r) {
    const tags = obj(r.inputs["tags"]) ?? {};
    return problems(missingProblem("missing tags:", REQUIRED_TAGS, (t) => typeof tags[t] === "string" && tags[t] !== ""));
  },
});

export const TAG_RULES: readonly Rule[] = [requiredTags];
