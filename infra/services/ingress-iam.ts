import type { PolicyDocument } from "./platform-iam";

/** Tag the controller puts on everything it creates; conditions on it keep the role to its own resources. */
const CLUSTER_TAG = "elbv2.k8s.aws/cluster";

export interface LbcScope {
  readonly region: string;
  readonly accountId: string;
  readonly vpcId: string;
}

/**
 * AWS Load Balancer Controller, after the upstream iam_policy.json, narrowed to this account, region
 * and VPC: writes only on load balancers, target groups and security groups it tagged itself
 * (or creates with that tag); the edge features we do not use (Shield, WAF classic, Cognito) left out.
 */
export function loadBalancerControllerPolicy({ region, accountId, vpcId }: LbcScope): PolicyDocument {
  const elb = (resource: string) => `arn:aws:elasticloadbalancing:${region}:${accountId}:${resource}`;
  const sg = `arn:aws:ec2:${region}:${accountId}:security-group/*`;
  const balancers = [elb("loadbalancer/app/*/*"), elb("loadbalancer/net/*/*")];
  const targetGroups = [elb("targetgroup/*/*")];
  const listeners = [elb("listener/app/*/*/*"), elb("listener/net/*/*/*"), elb("listener-rule/app/*/*/*"), elb("listener-rule/net/*/*/*")];
  const ownedResource = { Null: { [`aws:ResourceTag/${CLUSTER_TAG}`]: "false" } };
  const taggedRequest = { Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: "false" } };
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ServiceLinkedRole",
        Effect: "Allow",
        Action: ["iam:CreateServiceLinkedRole"],
        Resource: "*",
        Condition: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
      },
      {
        Sid: "Discover",
        Effect: "Allow",
        Action: [
          "ec2:DescribeAccountAttributes",
          "ec2:DescribeAddresses",
          "ec2:DescribeAvailabilityZones",
          "ec2:DescribeInternetGateways",
          "ec2:DescribeVpcs",
          "ec2:DescribeVpcPeeringConnections",
          "ec2:DescribeSubnets",
          "ec2:DescribeSecurityGroups",
          "ec2:DescribeInstances",
          "ec2:DescribeNetworkInterfaces",
          "ec2:DescribeTags",
          "ec2:DescribeRouteTables",
          "ec2:GetSecurityGroupsForVpc",
          "elasticloadbalancing:DescribeLoadBalancers",
          "elasticloadbalancing:DescribeLoadBalancerAttributes",
          "elasticloadbalancing:DescribeListeners",
          "elasticloadbalancing:DescribeListenerAttributes",
          "elasticloadbalancing:DescribeListenerCertificates",
          "elasticloadbalancing:DescribeSSLPolicies",
          "elasticloadbalancing:DescribeRules",
          "elasticloadbalancing:DescribeTargetGroups",
          "elasticloadbalancing:DescribeTargetGroupAttributes",
          "elasticloadbalancing:DescribeTargetHealth",
          "elasticloadbalancing:DescribeTags",
          "elasticloadbalancing:DescribeTrustStores",
          "acm:ListCertificates",
          "acm:DescribeCertificate",
          "wafv2:GetWebACL",
          "wafv2:GetWebACLForResource",
          // Ingresses rendered for Argo CD name the web ACL (alb.ingress.kubernetes.io/wafv2-acl-name); the controller lists to find it.
          "wafv2:ListWebACLs",
        ],
        Resource: "*",
      },
      {
        Sid: "AttachWebAcl",
        Effect: "Allow",
        Action: ["wafv2:AssociateWebACL", "wafv2:DisassociateWebACL"],
        Resource: [`arn:aws:wafv2:${region}:${accountId}:regional/webacl/*/*`, elb("loadbalancer/app/*/*")],
      },
      {
        Sid: "CreateSecurityGroupInVpc",
        Effect: "Allow",
        Action: ["ec2:CreateSecurityGroup"],
        Resource: [sg, `arn:aws:ec2:${region}:${accountId}:vpc/${vpcId}`],
      },
      {
        Sid: "TagNewSecurityGroup",
        Effect: "Allow",
        Action: ["ec2:CreateTags"],
        Resource: [sg],
        Condition: { StringEquals: { "ec2:CreateAction": "CreateSecurityGroup" }, ...taggedRequest },
      },
      {
        Sid: "ManageOwnSecurityGroups",
        Effect: "Allow",
        Action: ["ec2:CreateTags", "ec2:DeleteTags", "ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"],
        Resource: [sg],
        Condition: ownedResource,
      },
      // Backend rules go on the node security group, which the controller did not create (and cannot tag).
      {
        Sid: "BackendSecurityGroupRules",
        Effect: "Allow",
        Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
        Resource: [sg],
        Condition: { StringEquals: { "ec2:Vpc": `arn:aws:ec2:${region}:${accountId}:vpc/${vpcId}` } },
      },
      {
        Sid: "CreateTaggedBalancers",
        Effect: "Allow",
        Action: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
        Resource: [...balancers, ...targetGroups],
        Condition: taggedRequest,
      },
      {
        Sid: "TagOnCreate",
        Effect: "Allow",
        Action: ["elasticloadbalancing:AddTags"],
        Resource: [...balancers, ...targetGroups],
        Condition: { StringEquals: { "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"] }, ...taggedRequest },
      },
      {
        Sid: "ManageOwnBalancers",
        Effect: "Allow",
        Action: [
          "elasticloadbalancing:AddTags",
          "elasticloadbalancing:RemoveTags",
          "elasticloadbalancing:ModifyLoadBalancerAttributes",
          "elasticloadbalancing:SetIpAddressType",
          "elasticloadbalancing:SetSecurityGroups",
          "elasticloadbalancing:SetSubnets",
          "elasticloadbalancing:DeleteLoadBalancer",
          "elasticloadbalancing:ModifyTargetGroup",
          "elasticloadbalancing:ModifyTargetGroupAttributes",
          "elasticloadbalancing:DeleteTargetGroup",
        ],
        Resource: [...balancers, ...targetGroups],
        Condition: ownedResource,
      },
      {
        Sid: "Listeners",
        Effect: "Allow",
        Action: [
          "elasticloadbalancing:CreateListener",
          "elasticloadbalancing:DeleteListener",
          "elasticloadbalancing:CreateRule",
          "elasticloadbalancing:DeleteRule",
          "elasticloadbalancing:ModifyListener",
          "elasticloadbalancing:ModifyListenerAttributes",
          "elasticloadbalancing:AddListenerCertificates",
          "elasticloadbalancing:RemoveListenerCertificates",
          "elasticloadbalancing:ModifyRule",
          "elasticloadbalancing:SetRulePriorities",
          "elasticloadbalancing:AddTags",
          "elasticloadbalancing:RemoveTags",
        ],
        Resource: [...balancers, ...listeners],
      },
      {
        Sid: "Targets",
        Effect: "Allow",
        Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
        Resource: targetGroups,
      },
      { Sid: "SetWebAcl", Effect: "Allow", Action: ["elasticloadbalancing:SetWebAcl"], Resource: [elb("loadbalancer/app/*/*")] },
    ],
  };
}
