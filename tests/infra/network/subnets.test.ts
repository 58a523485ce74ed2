import { logsKeyPolicy } from "../../../infra/logs-key";
import { flowLogDeliveryPolicy, flowLogTrustPolicy } from "../../../infra/network/flow-logs";
import { MAX_AZS, parseCidr } from "../../../infra/config/vpc-cidr";
import { azSubnets, natGatewayCount, natGatewayForAz } from "../../../infra/network/subnets";

/** [first, last] address of a CIDR as numbers. */
function range(text: string): [number, number] {
  const cidr = parseCidr(text);
  if (cidr === undefined) throw new Error(`not a CIDR: ${text}`);
  return [cidr.base, cidr.base + 2 ** (32 - cidr.prefix) - 1];
}

describe("parseCidr", () => {
  it("reads address and prefix", () => {
    expect(parseCidr("10.0.0.0/16")).toEqual({ base: 10 * 2 ** 24, prefix: 16 });
    expect(parseCidr("172.16.4.0/22")).toEqual({ base: ((172 * 256 + 16) * 256 + 4) * 256, prefix: 22 });
  });

  it.each(["10.0.0.1/16", "10.0.0.0/33", "256.0.0.0/8", "10.0.0/16", "10.0.0.0", "x"])("rejects %s", (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });
});

describe("azSubnets", () => {
  it("lays out a /16: private /19 per AZ, public /22 per AZ after the private block", () => {
    expect(azSubnets("10.0.0.0/16", 0)).toEqual({ private: "10.0.0.0/19", public: "10.0.192.0/22" });
    expect(azSubnets("10.0.0.0/16", 1)).toEqual({ private: "10.0.32.0/19", public: "10.0.196.0/22" });
    expect(azSubnets("10.0.0.0/16", 5)).toEqual({ private: "10.0.160.0/19", public: "10.0.212.0/22" });
  });

  it("places subnets relative to the VPC base address", () => {
    expect(azSubnets("10.20.0.0/16", 2)).toEqual({ private: "10.20.64.0/19", public: "10.20.200.0/22" });
  });

  it.each(["10.0.0.0/16", "192.168.0.0/20", "172.16.8.0/22"])("gives six AZs disjoint subnets inside %s", (vpc) => {
    const [vpcFirst, vpcLast] = range(vpc);
    const all = Array.from({ length: MAX_AZS }, (_, i) => azSubnets(vpc, i)).flatMap((s) => [s.private, s.public].map(range));
    for (const [first, last] of all) {
      expect(first).toBeGreaterThanOrEqual(vpcFirst);
      expect(last).toBeLessThanOrEqual(vpcLast);
    }
    const sorted = [...all].sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]![0]).toBeGreaterThan(sorted[i - 1]![1]);
  });

  it("sizes public subnets at /28 for the smallest VPC it accepts", () => {
    expect(azSubnets("10.0.0.0/22", 0)).toEqual({ private: "10.0.0.0/25", public: "10.0.3.0/28" });
  });

  it.each([
    ["10.0.0.0/23", 0, 'vpcCidr is "10.0.0.0/23"; allowed: an IPv4 CIDR from /16 to /22 with no host bits set'],
    ["10.0.0.0/8", 0, 'vpcCidr is "10.0.0.0/8"; allowed: an IPv4 CIDR from /16 to /22 with no host bits set'],
    ["10.0.0.1/16", 0, 'vpcCidr is "10.0.0.1/16"; allowed: an IPv4 CIDR from /16 to /22 with no host bits set'],
    ["10.0.0.0/16", 6, "azIndex is 6; allowed: an integer from 0 to 5"],
    ["10.0.0.0/16", -1, "azIndex is -1; allowed: an integer from 0 to 5"],
  ] as const)("rejects %s with AZ index %d", (vpc, az, message) => {
    expect(() => azSubnets(vpc, az)).toThrow(message);
  });
});

describe("NAT gateways", () => {
  it("single: one gateway that every AZ routes through", () => {
    expect(natGatewayCount("single", 3)).toBe(1);
    expect([0, 1, 2].map((az) => natGatewayForAz("single", az))).toEqual([0, 0, 0]);
  });

  it("perAz: one gateway per AZ, each AZ routes through its own", () => {
    expect(natGatewayCount("perAz", 3)).toBe(3);
    expect([0, 1, 2].map((az) => natGatewayForAz("perAz", az))).toEqual([0, 1, 2]);
  });
});

describe("flow log policies", () => {
  it("lets CloudWatch Logs use the key only for this account's log groups in the region", () => {
    const policy = JSON.parse(logsKeyPolicy("123456789012", "eu-west-1", "aws"));
    const logs = policy.Statement.find((s: { Sid: string }) => s.Sid === "CloudWatchLogsUsesKey");
    expect(logs.Principal).toEqual({ Service: "logs.eu-west-1.amazonaws.com" });
    expect(logs.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"]).toBe("arn:aws:logs:eu-west-1:123456789012:log-group:*");
    expect(logs.Action).not.toContain("kms:*");
  });

  it("lets only the flow-logs service assume the role, for this account", () => {
    const trust = JSON.parse(flowLogTrustPolicy("123456789012")).Statement[0];
    expect(trust.Principal).toEqual({ Service: "vpc-flow-logs.amazonaws.com" });
    expect(trust.Condition).toEqual({ StringEquals: { "aws:SourceAccount": "123456789012" } });
  });

  it("scopes delivery to the one log group", () => {
    const arn = "arn:aws:logs:us-east-1:123456789012:log-group:/gamemetrics-prod/vpc-flow-logs";
    const statement = JSON.parse(flowLogDeliveryPolicy(arn)).Statement[0];
    expect(statement.Resource).toEqual([arn, `${arn}:*`]);
    expect(statement.Action).toEqual(expect.arrayContaining(["logs:CreateLogStream", "logs:PutLogEvents"]));
  });
});
