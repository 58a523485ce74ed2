import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkProfile } from "../config/sections/network";
import type { NetworkInfo, Tags } from "../contracts";
import { FlowLogs } from "./flow-logs";
import { type AzSubnets, azSubnets, natGatewayCount, natGatewayForAz } from "./subnets";

export interface NetworkArgs {
  readonly profile: NetworkProfile;
  /** Physical-name prefix (`gamemetrics-dev`), used in Name tags and the flow log group. */
  readonly namePrefix: string;
  readonly tags: Tags;
}

/**
 * The VPC: per AZ a public subnet (NAT gateways, internet-facing load balancers) and a private one
 * (nodes, data services); NAT per tier, an S3 gateway endpoint, flow logs when the profile asks.
 * Plain aws.ec2 resources, so every piece is visible (and testable) in the offline capture.
 */
export class Network extends pulumi.ComponentResource {
  /** What later components receive: the VPC, its AZs and subnets. */
  readonly info: NetworkInfo;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gamemetrics:network:Network", name, {}, opts);
    const { profile, namePrefix, tags } = args;
    const parent = { parent: this };
    const named = (suffix: string) => ({ ...tags, Name: `${namePrefix}-${suffix}` });
    const azs = Array.from({ length: profile.azCount }, (_, i) => i);

    // Regular AZs only: Local and Wavelength Zones lack NAT gateways and most instance types.
    const available = aws.getAvailabilityZonesOutput(
      { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
      parent,
    );
    const azNames = available.names.apply((names) => {
      if (names.length < profile.azCount) {
        throw new Error(`gamemetrics:network.azCount is ${profile.azCount}; the region has ${names.length} available AZs`);
      }
      return names.slice(0, profile.azCount);
    });

    const vpc = new aws.ec2.Vpc(
      name,
      { cidrBlock: profile.vpcCidr, enableDnsHostnames: true, enableDnsSupport: true, tags: named("vpc") },
      parent,
    );
    // Adopt the default security group and strip its rules: nothing may fall back to it.
    new aws.ec2.DefaultSecurityGroup(name, { vpcId: vpc.id, ingress: [], egress: [], tags: named("default-locked") }, parent);

    const igw = new aws.ec2.InternetGateway(name, { vpcId: vpc.id, tags: named("igw") }, parent);
    const publicRoutes = new aws.ec2.RouteTable(
      `${name}-public`,
      { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }], tags: named("public") },
      parent,
    );

    // Both kinds alike: one per AZ from the pure layout, never a public IP on launch (load balancers and
    // NAT gateways bring their own addresses), tagged for the load balancers of their kind.
    const subnets = (kind: keyof AzSubnets, elbRole: string, routeTable: (i: number) => aws.ec2.RouteTable) =>
      azs.map((i) => {
        const subnet = new aws.ec2.Subnet(
          `${name}-${kind}-${i}`,
          {
            vpcId: vpc.id,
            availabilityZone: azNames[i],
            cidrBlock: azSubnets(profile.vpcCidr, i)[kind],
            mapPublicIpOnLaunch: false,
            tags: { ...named(`${kind}-${i}`), [`kubernetes.io/role/${elbRole}`]: "1" },
          },
          parent,
        );
        new aws.ec2.RouteTableAssociation(`${name}-${kind}-${i}`, { subnetId: subnet.id, routeTableId: routeTable(i).id }, parent);
        return subnet;
      });
    const publicSubnets = subnets("public", "elb", () => publicRoutes);

    const natGateways = Array.from({ length: natGatewayCount(profile.natGateways, profile.azCount) }, (_, i) => {
      const eip = new aws.ec2.Eip(`${name}-nat-${i}`, { domain: "vpc", tags: named(`nat-${i}`) }, parent);
      return new aws.ec2.NatGateway(
        `${name}-nat-${i}`,
        { allocationId: eip.id, subnetId: publicSubnets[i].id, connectivityType: "public", tags: named(`nat-${i}`) },
        { parent: this, dependsOn: [igw] },
      );
    });

    const privateRouteTables = azs.map((i) => {
      const nat = natGateways[natGatewayForAz(profile.natGateways, i)];
      return new aws.ec2.RouteTable(
        `${name}-private-${i}`,
        { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }], tags: named(`private-${i}`) },
        parent,
      );
    });
    const privateSubnets = subnets("private", "internal-elb", (i) => privateRouteTables[i]);

    // S3 traffic (backups, archives, ECR layers) stays off the NAT gateways: cheaper and private.
    const region = aws.getRegionOutput({}, parent);
    new aws.ec2.VpcEndpoint(
      `${name}-s3`,
      {
        vpcId: vpc.id,
        serviceName: pulumi.interpolate`com.amazonaws.${region.region}.s3`,
        vpcEndpointType: "Gateway",
        routeTableIds: privateRouteTables.map((rt) => rt.id),
        tags: named("s3"),
      },
      parent,
    );

    if (profile.flowLogs) {
      new FlowLogs(
        `${name}-flow-logs`,
        { vpcId: vpc.id, logGroupName: `/${namePrefix}/vpc-flow-logs`, retentionDays: profile.flowLogRetentionDays, tags },
        parent,
      );
    }

    const publicSubnetIds = publicSubnets.map((s) => s.id);
    const privateSubnetIds = privateSubnets.map((s) => s.id);
    this.info = {
      vpcId: vpc.id,
      vpcCidr: profile.vpcCidr,
      azNames,
      publicSubnetIds,
      privateSubnetIds,
      workloadSubnetIds: privateSubnetIds.slice(0, profile.workloadAzCount),
    };
    this.registerOutputs({ vpcId: vpc.id, privateSubnetIds, publicSubnetIds });
  }
}
