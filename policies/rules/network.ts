import { ALWAYS, flagAt, FREE, perTypeRule, PRODUCTION, problems, stackRule } from "../engine/define";
import { arr, at, bool, num, obj, type Obj, str } from "../engine/inputs";
import type { PolicyResource, Rule } from "../engine/types";

const OPEN = new Set(["0.0.0.0/0", "::/0"]);
const WEB_PORTS = new Set([80, 443]);
const LOAD_BALANCER = /load.?balancer|\b[an]?lb\b|\belb\b/i;

/** An internet-open ingress is fine only for 80/443 on a load balancer's group. */
function openIngressProblem(rule: Obj, groupLabel: string): string | undefined {
  const cidrs = [...arr(rule["cidrBlocks"]), ...arr(rule["ipv6CidrBlocks"]), rule["cidrIpv4"], rule["cidrIpv6"]];
  const open = cidrs.filter((c): c is string => typeof c === "string" && OPEN.has(c));
  if (open.length === 0) return undefined;
  const from = num(rule["fromPort"]);
  const to = num(rule["toPort"]);
  const web = from !== undefined && from === to && WEB_PORTS.has(from);
  if (web && LOAD_BALANCER.test(groupLabel)) return undefined;
  return `ingress from ${open.join(", ")} on ports ${from ?? "all"}-${to ?? "all"}`;
}

function label(r: PolicyResource): string {
  const tags = obj(r.inputs["tags"]) ?? {};
  return [r.name, str(r.inputs["description"]), str(r.inputs["name"]), str(tags["Name"])].filter(Boolean).join(" ");
}

/** A standalone security group rule: its own inputs are the one ingress entry. */
const ruleOpen = (r: PolicyResource) => problems(openIngressProblem(r.inputs, label(r)));

const noOpenIngress = perTypeRule({
  name: "net-no-open-ingress",
  description: "No security group admits 0.0.0.0/0 or ::/0, except ports 80/443 on a load balancer's group.",
  remediation: "Admit the source security group (e.g. the EKS node group) instead of a CIDR; expose HTTP only through the ingress load balancer.",
  levels: ALWAYS,
  checks: {
    "aws:ec2/securityGroup:SecurityGroup": (r) => arr(r.inputs["ingress"]).flatMap((i) => openIngressProblem(obj(i) ?? {}, label(r)) ?? []),
    "aws:ec2/securityGroupRule:SecurityGroupRule": (r) => (r.inputs["type"] === "ingress" ? ruleOpen(r) : []),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ruleOpen,
  },
});

/** Private subnets are recognised by the internal-ELB role tag or "private" in their name. */
function isPrivateSubnet(r: PolicyResource): boolean {
  const tags = obj(r.inputs["tags"]) ?? {};
  return tags["kubernetes.io/role/internal-elb"] !== undefined || /private/i.test(`${r.name} ${str(tags["Name"]) ?? ""}`);
}

const noPublicIps = perTypeRule({
  name: "net-no-public-ip-private",
  description: "Private subnets do not assign public IPs, and nodes are launched without one.",
  remediation: "Set mapPublicIpOnLaunch false on private subnets (infra/network) and never associatePublicIpAddress on node launch templates.",
  levels: ALWAYS,
  checks: {
    "aws:ec2/subnet:Subnet": (r) =>
      isPrivateSubnet(r) && bool(r.inputs["mapPublicIpOnLaunch"]) === true ? ["private subnet maps public IPs on launch"] : [],
    "aws:ec2/launchTemplate:LaunchTemplate": (r) =>
      arr(r.inputs["networkInterfaces"]).some((n) => bool(obj(n)?.["associatePublicIpAddress"]) === true)
        ? ["launch template associates a public IP address"]
        : [],
    "eks:index:Cluster": (r) => problems(flagAt(r.inputs, "nodeAssociatePublicIpAddress", "not true")),
  },
});

const flowLogs = stackRule({
  name: "net-flow-logs",
  description: "Every VPC has a flow log capturing ALL traffic.",
  remediation: "Keep gamemetrics:network.flowLogs true on production stacks (the production profile default).",
  levels: PRODUCTION,
  appliesTo: ["aws:ec2/vpc:Vpc", "aws:ec2/flowLog:FlowLog"],
  check(resources) {
    const vpcs = resources.filter((r) => r.type === "aws:ec2/vpc:Vpc");
    const logs = resources.filter(
      (r) => r.type === "aws:ec2/flowLog:FlowLog" && r.inputs["vpcId"] !== undefined && (r.inputs["trafficType"] ?? "ALL") === "ALL",
    );
    if (vpcs.length <= logs.length) return [];
    return vpcs.map((v) => ({ resource: v, message: `${vpcs.length} VPC(s) but ${logs.length} flow log(s) capturing ALL traffic` }));
  },
});

const AWSX_VPC = "awsx:ec2:Vpc";
/** awsx.ec2.Vpc defaults: 3 AZs, one NAT gateway per AZ. */
const AWSX_DEFAULT_AZS = 3;

/** NAT gateways of the stack: plain aws.ec2 ones, plus those an awsx Vpc will create from its inputs. */
function natCount(resources: readonly PolicyResource[]): number {
  const plain = resources.filter((r) => r.type === "aws:ec2/natGateway:NatGateway").length;
  const awsx = resources
    .filter((r) => r.type === AWSX_VPC)
    .reduce((n, v) => {
      const strategy = at(v.inputs, "natGateways.strategy") ?? "OnePerAz";
      return n + (strategy === "None" ? 0 : strategy === "Single" ? 1 : num(v.inputs["numberOfAvailabilityZones"]) ?? AWSX_DEFAULT_AZS);
    }, 0);
  return plain + awsx;
}

/** AZs the stack's subnets span (plain subnets, or an awsx Vpc's AZ count). */
function azCount(resources: readonly PolicyResource[]): number {
  const azs = new Set(resources.filter((r) => r.type === "aws:ec2/subnet:Subnet").map((s) => str(s.inputs["availabilityZone"])).filter(Boolean));
  const awsx = resources.filter((r) => r.type === AWSX_VPC).map((v) => num(v.inputs["numberOfAvailabilityZones"]) ?? AWSX_DEFAULT_AZS);
  return Math.max(azs.size, ...awsx);
}

const natSingleFree = stackRule({
  name: "net-nat-single-free",
  description: "The free tier runs at most one NAT gateway (each costs $0.045/h plus data).",
  remediation: "Set gamemetrics:network.natGateways to \"single\" on free-tier stacks.",
  levels: FREE,
  appliesTo: ["aws:ec2/natGateway:NatGateway", AWSX_VPC],
  check(resources) {
    const nats = natCount(resources);
    return nats > 1 ? [{ message: `${nats} NAT gateways on the free tier; allowed: 1` }] : [];
  },
});

const natPerAz = stackRule({
  name: "net-nat-per-az",
  description: "Production has one NAT gateway per AZ, so losing an AZ does not cut the others off.",
  remediation: "Set gamemetrics:network.natGateways to \"perAz\" (the production default).",
  levels: PRODUCTION,
  appliesTo: ["aws:ec2/natGateway:NatGateway", "aws:ec2/subnet:Subnet", AWSX_VPC],
  check(resources) {
    const nats = natCount(resources);
    const azs = azCount(resources);
    return nats < azs ? [{ message: `${nats} NAT gateway(s) for ${azs} AZs; required: one per AZ` }] : [];
  },
});

export const NETWORK_RULES: readonly Rule[] = [noOpenIngress, noPublicIps, flowLogs, natSingleFree, natPerAz];
