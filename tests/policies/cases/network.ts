import { one, res, type RuleCase, TAGS } from "./support";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const sg = (ingress: unknown[], description = "PostgreSQL from EKS nodes only") => res(SG, { description, ingress, tags: TAGS });
const web = (port: number) => ({ protocol: "tcp", fromPort: port, toPort: port, cidrBlocks: ["0.0.0.0/0"] });
const subnet = (name: string, az: string, mapPublicIpOnLaunch: boolean, tags: Record<string, string> = {}) =>
  res("aws:ec2/subnet:Subnet", { availabilityZone: az, mapPublicIpOnLaunch, tags: { ...TAGS, ...tags } }, name);
const nat = (i: number) => res("aws:ec2/natGateway:NatGateway", { subnetId: `subnet-${i}`, tags: TAGS }, `nat-${i}`);
const awsxVpc = (inputs: Record<string, unknown>) => res("awsx:ec2:Vpc", { tags: TAGS, ...inputs }, "awsx-vpc");
const vpc = res("aws:ec2/vpc:Vpc", { cidrBlock: "10.0.0.0/16", tags: TAGS }, "vpc");

export const NETWORK_CASES: Record<string, RuleCase> = {
  "net-no-open-ingress": {
    pass: one(
      sg([{ protocol: "tcp", fromPort: 5432, toPort: 5432, securityGroups: ["sg-nodes"] }]),
      sg([web(443), web(80)], "public load balancer"),
      res("aws:ec2/securityGroupRule:SecurityGroupRule", { type: "egress", cidrBlocks: ["0.0.0.0/0"], fromPort: 0, toPort: 0 }),
    ),
    fail: one(
      sg([{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }]),
      sg([web(443)]),
      sg([{ protocol: "tcp", fromPort: 8080, toPort: 8080, cidrBlocks: ["0.0.0.0/0"] }], "alb"),
      res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", { cidrIpv6: "::/0", fromPort: 6379, toPort: 6379, ipProtocol: "tcp" }),
      res("aws:ec2/securityGroupRule:SecurityGroupRule", { type: "ingress", cidrBlocks: ["0.0.0.0/0"], fromPort: 0, toPort: 65535 }),
    ),
  },
  "net-no-public-ip-private": {
    pass: one(
      subnet("net-private-0", "us-east-1a", false),
      subnet("net-public-0", "us-east-1a", true, { "kubernetes.io/role/elb": "1" }),
      res("aws:ec2/launchTemplate:LaunchTemplate", { metadataOptions: { httpTokens: "required" } }),
    ),
    fail: one(
      subnet("net-private-0", "us-east-1a", true),
      subnet("net-a", "us-east-1a", true, { "kubernetes.io/role/internal-elb": "1" }),
      res("aws:ec2/launchTemplate:LaunchTemplate", { networkInterfaces: [{ associatePublicIpAddress: "true" }] }),
      res("eks:index:Cluster", { nodeAssociatePublicIpAddress: true }),
    ),
  },
  "net-flow-logs": {
    pass: [[vpc, res("aws:ec2/flowLog:FlowLog", { vpcId: "vpc-1", trafficType: "ALL", tags: TAGS })], []],
    fail: [[vpc], [vpc, res("aws:ec2/flowLog:FlowLog", { vpcId: "vpc-1", trafficType: "REJECT", tags: TAGS })]],
  },
  "net-nat-single-free": {
    pass: [[nat(0)], [], [awsxVpc({ numberOfAvailabilityZones: 2, natGateways: { strategy: "Single" } })]],
    // awsx's default is one NAT gateway per AZ.
    fail: [[nat(0), nat(1)], [awsxVpc({ numberOfAvailabilityZones: 2 })]],
  },
  "net-nat-per-az": {
    pass: [[subnet("a", "us-east-1a", false), subnet("b", "us-east-1b", false), nat(0), nat(1)], [awsxVpc({})]],
    fail: [
      [subnet("a", "us-east-1a", false), subnet("b", "us-east-1b", false), subnet("c", "us-east-1c", false), nat(0)],
      [awsxVpc({ numberOfAvailabilityZones: 3, natGateways: { strategy: "Single" } })],
    ],
  },
};
