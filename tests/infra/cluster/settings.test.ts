import { irsaTrustPolicy } from "../../../infra/cluster/irsa";
import { endpointAccess, nodeScaling, publicEndpointWarning, vpcCniConfiguration } from "../../../infra/cluster/settings";
import { tierDefaults } from "../../../infra/config";
import { planNotes } from "../../../infra/tools/plan-notes";

describe("endpointAccess", () => {
  it("keeps the private endpoint on, and turns the public one off once the deployer is inside the VPC", () => {
    expect(endpointAccess({ endpointPublicAccess: false, publicAccessCidrs: [] })).toEqual({ endpointPrivateAccess: true, endpointPublicAccess: false });
    // Production defaults to the public endpoint for the first up; the stack names the CIDRs.
    expect(tierDefaults("production").eks).toMatchObject({ endpointPublicAccess: true, publicAccessCidrs: [], deployerInVpc: false });
  });

  it("opens the public endpoint only to the configured CIDRs", () => {
    expect(endpointAccess({ endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] })).toEqual({
      endpointPrivateAccess: true,
      endpointPublicAccess: true,
      publicAccessCidrs: ["203.0.113.0/24"],
    });
  });

  it("drops the CIDR list when the public endpoint is off (nothing to restrict)", () => {
    expect(endpointAccess({ endpointPublicAccess: false, publicAccessCidrs: ["203.0.113.0/24"] })).not.toHaveProperty("publicAccessCidrs");
  });
});

describe("nodeScaling", () => {
  it("maps the profile counts to the node group's scaling config", () => {
    expect(nodeScaling({ nodeMinCount: 3, nodeDesiredCount: 6, nodeMaxCount: 12 })).toEqual({ minSize: 3, desiredSize: 6, maxSize: 12 });
  });
});

describe("vpcCniConfiguration", () => {
  it("turns on the network policy agent, and prefix delegation only when asked (the add-on schema takes strings)", () => {
    expect(JSON.parse(vpcCniConfiguration(true))).toEqual({
      enableNetworkPolicy: "true",
      env: { ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "1" },
    });
    expect(JSON.parse(vpcCniConfiguration(false))).toEqual({ enableNetworkPolicy: "true", env: { ENABLE_PREFIX_DELEGATION: "false" } });
  });
});

describe("publicEndpointWarning", () => {
  it("warns when the API endpoint is open to the whole internet, in the plan notes too", () => {
    const free = tierDefaults("free");
    expect(publicEndpointWarning(free.eks)).toMatch(/public to 0\.0\.0\.0\/0.*gamemetrics:eks\.publicAccessCidrs/);
    expect(planNotes({ stack: "dev", tier: "free", profile: free, otherKeys: [] })).toContain(publicEndpointWarning(free.eks));
  });

  it("stays quiet for a private or CIDR-restricted endpoint", () => {
    expect(publicEndpointWarning({ endpointPublicAccess: false, publicAccessCidrs: ["0.0.0.0/0"] })).toBeUndefined();
    expect(publicEndpointWarning({ endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] })).toBeUndefined();
  });
});

describe("irsaTrustPolicy", () => {
  it("pins the role to one service account of one cluster, via STS only", () => {
    const provider = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC";
    const issuer = "oidc.eks.us-east-1.amazonaws.com/id/ABC";
    const [statement] = JSON.parse(irsaTrustPolicy(provider, issuer, "kube-system", "ebs-csi-controller-sa")).Statement;
    expect(statement).toEqual({
      Effect: "Allow",
      Principal: { Federated: provider },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: {
        StringEquals: {
          [`${issuer}:sub`]: "system:serviceaccount:kube-system:ebs-csi-controller-sa",
          [`${issuer}:aud`]: "sts.amazonaws.com",
        },
      },
    });
  });
});
