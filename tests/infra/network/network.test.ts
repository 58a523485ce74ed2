import { tierDefaults } from "../../../infra/config";
import { namePrefix, platformTags } from "../../../infra/tags";
import { azSubnets, natGatewayForAz } from "../../../infra/network/subnets";
import { type Capture, type CapturedResource } from "../../../infra/tools/capture";
import { cachedCapture } from "../../support/captures";
import { descendants, named, ofType, taggable } from "../tree";

const STACKS = [
  ["dev", "free"],
  ["staging", "production"],
  ["prod", "production"],
] as const;
const MOCK_AZS = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"];

const captures = new Map<string, Capture>();
beforeAll(async () => {
  for (const [stack] of STACKS) captures.set(stack, await cachedCapture({ stack }));
}, 120_000);

describe.each(STACKS)("network of %s (%s tier)", (stack, tier) => {
  const profile = tierDefaults(tier).network;
  let all: Capture;
  let network: CapturedResource[];
  const subnets = (kind: "public" | "private") =>
    Array.from({ length: profile.azCount }, (_, i) => named(network, "aws:ec2/subnet:Subnet", `network-${kind}-${i}`));
  beforeAll(() => {
    all = captures.get(stack)!;
    network = descendants(all, "gamemetrics:network:Network::network");
  });

  it("builds a DNS-enabled VPC on the profile's CIDR and exports its id", () => {
    const [vpc] = ofType(network, "aws:ec2/vpc:Vpc");
    expect(vpc?.inputs).toMatchObject({ cidrBlock: profile.vpcCidr, enableDnsHostnames: true, enableDnsSupport: true });
    expect(all.outputs.vpcId).toMatch(/^network-id-/);
  });

  it(`spans ${profile.azCount} AZs with a public and a private subnet each, on the computed CIDRs`, () => {
    expect(ofType(network, "aws:ec2/subnet:Subnet")).toHaveLength(2 * profile.azCount);
    for (const kind of ["public", "private"] as const) {
      const zones = subnets(kind).map((s) => s.inputs.availabilityZone);
      expect(zones).toEqual(MOCK_AZS.slice(0, profile.azCount));
      expect(subnets(kind).map((s) => s.inputs.cidrBlock)).toEqual(subnets(kind).map((_, i) => azSubnets(profile.vpcCidr, i)[kind]));
    }
  });

  it("gives no instance a public IP on launch, in any subnet", () => {
    for (const subnet of ofType(network, "aws:ec2/subnet:Subnet")) expect(subnet.inputs.mapPublicIpOnLaunch).toBe(false);
  });

  it("tags subnets for internet-facing and internal load balancers", () => {
    for (const s of subnets("public")) expect(s.inputs.tags).toMatchObject({ "kubernetes.io/role/elb": "1" });
    for (const s of subnets("private")) expect(s.inputs.tags).toMatchObject({ "kubernetes.io/role/internal-elb": "1" });
  });

  const natCount = tier === "free" ? 1 : 3;
  it(`runs ${natCount} NAT gateway(s) with an EIP each, in public subnets`, () => {
    const nats = ofType(network, "aws:ec2/natGateway:NatGateway");
    expect(nats).toHaveLength(natCount);
    expect(ofType(network, "aws:ec2/eip:Eip")).toHaveLength(natCount);
    nats.forEach((nat, i) => {
      expect(nat.inputs.subnetId).toMatch(new RegExp(`^network-public-${i}-id-`));
      expect(nat.inputs.allocationId).toMatch(new RegExp(`^network-nat-${i}-id-`));
    });
  });

  it("routes public subnets to the internet gateway and each private subnet through its NAT gateway", () => {
    const publicRoutes = named(network, "aws:ec2/routeTable:RouteTable", "network-public");
    expect(publicRoutes.inputs.routes).toEqual([{ cidrBlock: "0.0.0.0/0", gatewayId: expect.stringMatching(/^network-id-/) }]);
    for (let az = 0; az < profile.azCount; az++) {
      const routes = named(network, "aws:ec2/routeTable:RouteTable", `network-private-${az}`).inputs.routes as { natGatewayId: string }[];
      expect(routes).toHaveLength(1);
      expect(routes[0]!.natGatewayId).toMatch(new RegExp(`^network-nat-${natGatewayForAz(profile.natGateways, az)}-id-`));
      const association = named(network, "aws:ec2/routeTableAssociation:RouteTableAssociation", `network-private-${az}`);
      expect(association.inputs).toMatchObject({
        subnetId: expect.stringMatching(new RegExp(`^network-private-${az}-id-`)),
        routeTableId: expect.stringMatching(new RegExp(`^network-private-${az}-id-`)),
      });
    }
  });

  it("keeps S3 traffic on a gateway endpoint on every private route table", () => {
    const [endpoint] = ofType(network, "aws:ec2/vpcEndpoint:VpcEndpoint");
    expect(endpoint?.inputs).toMatchObject({ serviceName: "com.amazonaws.us-east-1.s3", vpcEndpointType: "Gateway" });
    expect(endpoint?.inputs.routeTableIds).toHaveLength(profile.azCount);
  });

  it("locks down the default security group (no rules at all)", () => {
    const [sg] = ofType(network, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
    expect(sg?.inputs).toMatchObject({ ingress: [], egress: [] });
  });

  if (tier === "production") {
    it("sends all VPC traffic to a KMS-encrypted log group kept for the profile's retention", () => {
      const [flowLog] = ofType(network, "aws:ec2/flowLog:FlowLog");
      expect(flowLog?.inputs).toMatchObject({ trafficType: "ALL", logDestinationType: "cloud-watch-logs" });
      const [group] = ofType(network, "aws:cloudwatch/logGroup:LogGroup");
      expect(group?.inputs).toMatchObject({
        name: `/${namePrefix({ stack })}/vpc-flow-logs`,
        retentionInDays: profile.flowLogRetentionDays,
        kmsKeyId: expect.stringMatching(/^arn:aws:kms:.*network-flow-logs/),
      });
      expect(flowLog?.inputs.logDestination).toBe(`arn:aws:logs:us-east-1:123456789012:log-group:/${namePrefix({ stack })}/vpc-flow-logs`);
      const [key] = ofType(network, "aws:kms/key:Key");
      expect(key?.inputs.enableKeyRotation).toBe(true);
    });
  } else {
    it("has no flow logs on the free tier", () => {
      expect(ofType(network, "aws:ec2/flowLog:FlowLog")).toHaveLength(0);
      expect(ofType(network, "aws:cloudwatch/logGroup:LogGroup")).toHaveLength(0);
    });
  }

  it("tags every taggable resource with project, env and tier", () => {
    const resources = taggable(network);
    expect(resources.length).toBeGreaterThan(10);
    for (const r of resources) expect({ resource: `${r.type} ${r.name}`, tags: r.inputs.tags }).toMatchObject({ tags: platformTags({ stack, tier }) });
  });
});
