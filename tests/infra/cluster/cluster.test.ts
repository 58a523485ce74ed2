import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_STORAGE_CLASS, EBS_CSI_PROVISIONER } from "../../../infra/cluster";
import { MANAGED_POLICIES } from "../../../infra/cluster/settings";
import { EKS_LOG_TYPES } from "../../../infra/config/sections/eks";
import { tierDefaults } from "../../../infra/config";
import { namePrefix, platformTags } from "../../../infra/tags";
import { capture, type Capture, type CapturedResource } from "../../../infra/tools/capture";
import { descendants, named, ofType, taggable } from "../tree";

const STACKS = [
  ["dev", "free"],
  ["staging", "production"],
  ["prod", "production"],
] as const;
/** Node group sizing per stack: staging overrides the production counts down in Pulumi.staging.yaml. */
// The minimum sizes the capacity model asks for (tests/infra/capacity): 4 x t3.medium, 10 x m5.xlarge.
const SCALING = {
  dev: { minSize: 4, desiredSize: 4, maxSize: 5 },
  staging: { minSize: 10, desiredSize: 10, maxSize: 15 },
  prod: { minSize: 10, desiredSize: 10, maxSize: 15 },
};

const captures = new Map<string, Capture>();
/** Whether the program returned the kubeconfig stack output as a secret (the capture prints outputs resolved). */
const kubeconfigIsSecret = new Map<string, boolean>();
beforeAll(async () => {
  for (const [stack] of STACKS) {
    const platform = async () => {
      const { program } = await import("../../../infra/program");
      const outputs = await program();
      kubeconfigIsSecret.set(stack, await pulumi.isSecret(pulumi.output(outputs.kubeconfig)));
      return outputs;
    };
    captures.set(stack, await capture({ stack, program: platform }));
  }
}, 120_000);

/** Matchers for the ids of the first `count` private subnets of the network. */
const privateSubnets = (count: number) => Array.from({ length: count }, (_, i) => expect.stringMatching(new RegExp(`^network-private-${i}-id-`)));

/** The IAM role inside an IrsaRole component, with its trust policy parsed. */
function irsa(cluster: CapturedResource[], name: string) {
  const role = cluster.find((r) => r.type === "aws:iam/role:Role" && r.parent === `gamemetrics:cluster:IrsaRole::${name}`);
  const attachments = cluster.filter((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && r.parent === `gamemetrics:cluster:IrsaRole::${name}`);
  if (role === undefined) throw new Error(`no IRSA role ${name}`);
  return { trust: JSON.parse(role.inputs.assumeRolePolicy as string).Statement, policies: attachments.map((a) => a.inputs.policyArn) };
}

describe.each(STACKS)("cluster of %s (%s tier)", (stack, tier) => {
  const profile = tierDefaults(tier);
  const clusterName = namePrefix({ stack });
  let all: Capture;
  let cluster: CapturedResource[];
  let eks: Record<string, unknown>;
  beforeAll(() => {
    all = captures.get(stack)!;
    cluster = descendants(all, "gamemetrics:cluster:Cluster::cluster");
    eks = named(cluster, "eks:index:Cluster", "cluster").inputs;
  });

  it("creates the control plane with OIDC, API access entries, the pinned version and no default node group", () => {
    expect(eks).toMatchObject({
      name: clusterName,
      version: profile.eks.version,
      createOidcProvider: true,
      authenticationMode: "API",
      skipDefaultNodeGroup: true,
      upgradePolicy: { supportType: "STANDARD" },
      deletionProtection: tier === "production",
    });
    expect(all.outputs.clusterName).toBe(clusterName);
  });

  it("puts the control plane in the private subnets of every AZ of the VPC", () => {
    expect(eks.vpcId).toMatch(/^network-id-/);
    expect(eks.privateSubnetIds).toEqual(privateSubnets(profile.network.azCount));
    expect(eks).not.toHaveProperty("publicSubnetIds");
  });

  it("encrypts Kubernetes secrets with a rotating KMS key of its own", () => {
    const key = named(cluster, "aws:kms/key:Key", "cluster-secrets");
    expect(key.inputs.enableKeyRotation).toBe(true);
    expect(eks.encryptionConfigKeyArn).toMatch(/^arn:aws:kms:us-east-1:123456789012:key\/.*cluster-secrets/);
  });

  it(tier === "production" ? "ships every control-plane log type" : "ships the api and audit logs", () => {
    expect(eks.enabledClusterLogTypes).toEqual(tier === "production" ? [...EKS_LOG_TYPES] : ["api", "audit"]);
  });

  // The first up needs a public endpoint (the deployer is not inside a VPC that does not exist yet); production names its CIDRs.
  it("opens the API endpoint publicly only to the stack's CIDRs, private access on", () => {
    expect(eks).toMatchObject({ endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: tier === "production" ? ["203.0.113.10/32"] : profile.eks.publicAccessCidrs });
  });

  it(`sizes the managed node group for the ${tier} tier in the workload subnets`, () => {
    const nodes = named(cluster, "eks:index:ManagedNodeGroup", "cluster-nodes").inputs;
    expect(nodes.scalingConfig).toEqual(SCALING[stack]);
    // Cluster Autoscaler owns desiredSize once the group exists.
    expect(nodes.ignoreScalingChanges).toBe(true);
    expect(nodes.subnetIds).toEqual(privateSubnets(profile.network.workloadAzCount));
    if (tier === "free") {
      expect(nodes.instanceTypes).toEqual(["t3.medium"]);
      expect(nodes.subnetIds).toHaveLength(1);
    } else {
      // m5.xlarge or bigger (a broker of 2 CPU / 8 GiB never fits an m5.large), spread over all three AZs.
      for (const type of nodes.instanceTypes as string[]) expect(type).toMatch(/^m5[a-z]*\.\d*xlarge$/);
      expect(nodes.subnetIds).toHaveLength(3);
    }
    expect(nodes).not.toHaveProperty("remoteAccess");
    // The launch template's root device (/dev/xvda) is AL2023's.
    expect(nodes.operatingSystem).toBe("AL2023");
    expect(nodes.launchTemplate).toEqual({ id: expect.stringMatching(/^cluster-nodes-id-/), version: "1" });
  });

  it("launches nodes with IMDSv2 required (hop limit 2) and an encrypted gp3 root volume", () => {
    const template = named(cluster, "aws:ec2/launchTemplate:LaunchTemplate", "cluster-nodes").inputs;
    expect(template.metadataOptions).toMatchObject({ httpTokens: "required", httpPutResponseHopLimit: 2, httpEndpoint: "enabled" });
    expect(template.blockDeviceMappings).toEqual([
      { deviceName: "/dev/xvda", ebs: { volumeSize: profile.eks.nodeDiskGb, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } },
    ]);
    expect(template).not.toHaveProperty("keyName");
  });

  const attachedTo = (role: string) =>
    ofType(cluster, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
      .filter((a) => a.name.startsWith(`${role}-`))
      .map((a) => a.inputs.policyArn);

  it("gives the node role only joining and image pulls (pod networking rights sit on the vpc-cni IRSA role)", () => {
    const role = named(cluster, "aws:iam/role:Role", "cluster-node");
    expect(JSON.parse(role.inputs.assumeRolePolicy as string).Statement).toEqual([
      { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: ["sts:AssumeRole"] },
    ]);
    expect(attachedTo("cluster-node").sort()).toEqual([MANAGED_POLICIES.ecrPull, MANAGED_POLICIES.workerNode].sort());
    expect(ofType(cluster, "aws:iam/rolePolicy:RolePolicy").filter((p) => p.name === "cluster-node")).toHaveLength(0);
  });

  it("runs the control plane under its own role: the cluster policy and use of the secrets key only", () => {
    expect(eks.serviceRole).toBe("[resource]");
    const role = named(cluster, "aws:iam/role:Role", "cluster-control-plane");
    expect(JSON.parse(role.inputs.assumeRolePolicy as string).Statement[0].Principal).toEqual({ Service: "eks.amazonaws.com" });
    expect(attachedTo("cluster-control-plane")).toEqual([MANAGED_POLICIES.cluster]);
    const inline = JSON.parse(named(cluster, "aws:iam/rolePolicy:RolePolicy", "cluster-control-plane").inputs.policy as string);
    expect(inline.Statement).toEqual([
      { Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"], Resource: eks.encryptionConfigKeyArn },
    ]);
  });

  it("manages vpc-cni (network policy on), kube-proxy, coredns and the EBS CSI driver as EKS add-ons", () => {
    const addons = new Map(ofType(cluster, "aws:eks/addon:Addon").map((a) => [a.inputs.addonName, a.inputs]));
    expect([...addons.keys()].sort()).toEqual(["aws-ebs-csi-driver", "coredns", "kube-proxy", "vpc-cni"]);
    for (const addon of addons.values()) expect(addon.clusterName).toBe(clusterName);
    // Prefix delegation off: on these nodes its kube-reserved memory costs more than its pod slots give.
    expect(JSON.parse(addons.get("vpc-cni")!.configurationValues as string)).toMatchObject({ enableNetworkPolicy: "true", env: { ENABLE_PREFIX_DELEGATION: "false" } });
    expect(addons.get("vpc-cni")!.serviceAccountRoleArn).toMatch(/cluster-vpc-cni/);
    expect(addons.get("aws-ebs-csi-driver")!.serviceAccountRoleArn).toMatch(/cluster-ebs-csi/);
    // The component's own add-ons are off, so nothing is installed twice.
    expect(eks).toMatchObject({ corednsAddonOptions: { enabled: false }, kubeProxyAddonOptions: { enabled: false }, useDefaultVpcCni: true });
  });

  it.each([
    ["cluster-ebs-csi", "ebs-csi-controller-sa", MANAGED_POLICIES.ebsCsi],
    ["cluster-vpc-cni", "aws-node", MANAGED_POLICIES.vpcCni],
  ])("pins the %s IRSA role to kube-system/%s with the AWS managed policy", (name, serviceAccount, policy) => {
    const { trust, policies } = irsa(cluster, name);
    expect(trust).toHaveLength(1);
    const federated = trust[0].Principal.Federated as string;
    expect(federated).toMatch(/^arn:aws:iam::123456789012:oidc-provider\/oidc\.eks\.us-east-1\.amazonaws\.com\/id\//);
    // The condition keys are the provider's issuer (host/path, no scheme).
    const issuer = federated.split("oidc-provider/")[1];
    expect(trust[0].Condition).toEqual({
      StringEquals: { [`${issuer}:sub`]: `system:serviceaccount:kube-system:${serviceAccount}`, [`${issuer}:aud`]: "sts.amazonaws.com" },
    });
    expect(policies).toEqual([policy]);
  });

  it(`defines the default "${DEFAULT_STORAGE_CLASS}" StorageClass: encrypted gp3 through the EBS CSI driver`, () => {
    const storageClass = named(cluster, "kubernetes:storage.k8s.io/v1:StorageClass", "cluster-gp3").inputs;
    expect(storageClass).toMatchObject({
      metadata: { name: DEFAULT_STORAGE_CLASS, annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
      provisioner: EBS_CSI_PROVISIONER,
      parameters: { type: "gp3", encrypted: "true" },
      volumeBindingMode: "WaitForFirstConsumer",
      reclaimPolicy: tier === "production" ? "Retain" : "Delete",
    });
  });

  it("hands later components a Kubernetes provider built from the cluster's kubeconfig, also a stack output", () => {
    const provider = named(cluster, "pulumi:providers:kubernetes", "cluster").inputs;
    const kubeconfig = JSON.parse(provider.kubeconfig as string);
    expect(kubeconfig.clusters[0].name).toBe(clusterName);
    expect(kubeconfig.users[0].user.exec.args).toEqual(["eks", "get-token", "--cluster-name", clusterName]);
    expect(all.outputs.kubeconfig).toBe(provider.kubeconfig);
    expect(kubeconfigIsSecret.get(stack)).toBe(true);
  });

  it("tags every taggable resource (launched instances and volumes too) with project, env and tier", () => {
    const tags = platformTags({ stack, tier });
    const resources = taggable(cluster);
    expect(resources.length).toBeGreaterThan(8);
    for (const r of resources) expect({ resource: `${r.type} ${r.name}`, tags: r.inputs.tags }).toMatchObject({ tags });
    const template = named(cluster, "aws:ec2/launchTemplate:LaunchTemplate", "cluster-nodes").inputs;
    expect(template.tagSpecifications).toEqual(["instance", "volume", "network-interface"].map((resourceType) => ({ resourceType, tags })));
  });
});
