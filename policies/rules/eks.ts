import { ALWAYS, flagRule, missingProblem, perTypeRule, problems, PRODUCTION, PRODUCTION_WARN_FREE, resourceRule } from "../engine/define";
import { arr, at, bool, obj, str, strings } from "../engine/inputs";
import type { PolicyResource, Rule } from "../engine/types";
import { EKS_VERSION_PINS, EKS_VERSIONS } from "../../infra/config/pins";

/** The @pulumi/eks component and the aws.eks.Cluster it creates: cluster rules check either. */
const COMPONENT = "eks:index:Cluster";
const AWS_CLUSTER = "aws:eks/cluster:Cluster";
const CLUSTER_TYPES = [COMPONENT, AWS_CLUSTER];
const MANAGED_NODE_GROUP = "eks:index:ManagedNodeGroup";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const ALL_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];
/** Today as YYYY-MM-DD: standard support is a date, so the verdict moves with the calendar. */
const today = (): string => new Date().toISOString().slice(0, 10);

/**
 * Why a version is refused, or undefined: it must be a minor of the pins table (the EKS release calendar)
 * whose standard support has not ended. Past that date EKS bills extended support or (upgrade policy
 * STANDARD) upgrades the cluster under the version-keyed Cluster Autoscaler image.
 */
export function eksVersionProblem(version: string | undefined, on: string = today()): string | undefined {
  if (version === undefined) return "version is not pinned (the default moves with the provider)";
  const pin = (EKS_VERSION_PINS as Readonly<Record<string, { standardSupportEnds: string }>>)[version];
  if (pin === undefined) return `version ${version} is not in EKS standard support (allowed: ${EKS_VERSIONS.join(", ")})`;
  return on > pin.standardSupportEnds ? `version ${version} left EKS standard support on ${pin.standardSupportEnds}` : undefined;
}

/** Endpoint settings of either the @pulumi/eks component or the aws.eks.Cluster it creates, with their defaults. */
function endpoint(r: PolicyResource): { publicAccess: boolean; privateAccess: boolean; cidrs: string[] } {
  const src = r.type === COMPONENT ? r.inputs : obj(r.inputs["vpcConfig"]) ?? {};
  const cidrs = src["publicAccessCidrs"];
  return {
    publicAccess: bool(src["endpointPublicAccess"]) ?? true,
    privateAccess: bool(src["endpointPrivateAccess"]) ?? false,
    cidrs: cidrs === undefined ? ["0.0.0.0/0"] : strings(cidrs),
  };
}

/** A cluster check: every one of `required` is among the control-plane log types sent to CloudWatch. */
function sendsLogs(required: readonly string[]): (r: PolicyResource) => string[] {
  return (r) => problems(missingProblem("control-plane log types missing:", required, (t) => strings(r.inputs["enabledClusterLogTypes"]).includes(t)));
}

const endpointRestricted = resourceRule({
  name: "eks-endpoint-restricted",
  description: "The EKS API endpoint is private, or public only to named CIDRs (never 0.0.0.0/0).",
  remediation: "Set gamemetrics:eks.endpointPublicAccess false, or list your office/CI ranges in gamemetrics:eks.publicAccessCidrs.",
  levels: PRODUCTION_WARN_FREE,
  appliesTo: CLUSTER_TYPES,
  check(r) {
    const e = endpoint(r);
    if (!e.publicAccess) return [];
    const open = e.cidrs.filter((c) => c === "0.0.0.0/0" || c === "::/0");
    if (e.cidrs.length === 0) return ["public endpoint with no CIDR restriction"];
    return open.length > 0 ? [`public endpoint open to ${open.join(", ")}`] : [];
  },
});

const privateEndpoint = resourceRule({
  name: "eks-private-endpoint",
  description: "The EKS API endpoint is reachable privately from inside the VPC (nodes never leave the VPC to reach it).",
  remediation: "Set endpointPrivateAccess true on the cluster (infra/cluster/settings.ts endpointAccess).",
  levels: ALWAYS,
  appliesTo: CLUSTER_TYPES,
  check: (r) => (endpoint(r).privateAccess ? [] : ["endpointPrivateAccess is not enabled"]),
});

const secretsEncryption = perTypeRule({
  name: "eks-secrets-encryption",
  description: "Kubernetes secrets are envelope-encrypted with a KMS key.",
  remediation: "Pass encryptionConfigKeyArn (a KMS key with rotation) to the EKS cluster.",
  levels: ALWAYS,
  checks: {
    [COMPONENT]: (r) => (str(r.inputs["encryptionConfigKeyArn"]) ? [] : ["no encryptionConfigKeyArn"]),
    [AWS_CLUSTER]: (r) => {
      const config = obj(r.inputs["encryptionConfig"]);
      return strings(config?.["resources"]).includes("secrets") && str(at(config, "provider.keyArn")) ? [] : ["secrets are not KMS-encrypted"];
    },
  },
});

const auditLogs = resourceRule({
  name: "eks-audit-logs",
  description: "The control plane sends at least the api and audit logs to CloudWatch.",
  remediation: "Include \"api\" and \"audit\" in gamemetrics:eks.logTypes.",
  levels: ALWAYS,
  appliesTo: CLUSTER_TYPES,
  check: sendsLogs(["api", "audit"]),
});

const allLogs = resourceRule({
  name: "eks-all-control-plane-logs",
  description: "Production clusters send every control-plane log type (api, audit, authenticator, controllerManager, scheduler).",
  remediation: "Leave gamemetrics:eks.logTypes at the production default (all five types).",
  levels: PRODUCTION,
  appliesTo: CLUSTER_TYPES,
  check: sendsLogs(ALL_LOG_TYPES),
});

const supportedVersion = resourceRule({
  name: "eks-supported-version",
  description: `The Kubernetes version is pinned and in EKS standard support today (${EKS_VERSIONS.map((v) => `${v} until ${EKS_VERSION_PINS[v].standardSupportEnds}`).join(", ")}).`,
  remediation: "Set gamemetrics:eks.version to a minor of the pins table (infra/config/pins.ts, from the EKS release calendar) and upgrade before its standard support ends.",
  levels: ALWAYS,
  appliesTo: CLUSTER_TYPES,
  check: (r) => [eksVersionProblem(str(r.inputs["version"]))].filter((m): m is string => m !== undefined),
});

const oidc = flagRule({
  name: "eks-oidc-provider",
  description: "The cluster has an IAM OIDC provider, so pods get AWS access through IRSA instead of node roles.",
  remediation: "Set createOidcProvider true on the eks.Cluster.",
  levels: ALWAYS,
  appliesTo: [COMPONENT],
  flag: "createOidcProvider",
});

const tokensRequired = (r: PolicyResource) =>
  at(r.inputs, "metadataOptions.httpTokens") === "required" ? [] : ["metadataOptions.httpTokens is not \"required\""];

const imdsv2 = perTypeRule({
  name: "eks-imdsv2",
  description: "Nodes require IMDSv2 session tokens (no IMDSv1 credential theft via SSRF).",
  remediation: "Use a launch template with metadataOptions.httpTokens \"required\" (infra/cluster/settings.ts NODE_METADATA_OPTIONS), or enableIMDSv2.",
  levels: ALWAYS,
  checks: {
    [LAUNCH_TEMPLATE]: tokensRequired,
    "aws:ec2/instance:Instance": tokensRequired,
    [MANAGED_NODE_GROUP]: (r) =>
      bool(r.inputs["enableIMDSv2"]) === true || r.inputs["launchTemplate"] !== undefined
        ? []
        : ["neither enableIMDSv2 nor a launch template (with httpTokens required) is set"],
  },
});

/** Node groups may allow SSH only from named security groups. */
function remoteAccessOpen(r: PolicyResource): string[] {
  const remote = obj(r.inputs["remoteAccess"]);
  if (remote === undefined) return [];
  return arr(remote["sourceSecurityGroupIds"]).length > 0 ? [] : ["remoteAccess without sourceSecurityGroupIds opens SSH to 0.0.0.0/0"];
}

const noRemoteAccess = perTypeRule({
  name: "eks-node-no-remote-access",
  description: "Nodes have no SSH key (use SSM Session Manager); remote access, if any, only from named security groups.",
  remediation: "Remove remoteAccess/keyName/nodePublicKey from node groups and launch templates.",
  levels: ALWAYS,
  checks: {
    [MANAGED_NODE_GROUP]: remoteAccessOpen,
    "aws:eks/nodeGroup:NodeGroup": remoteAccessOpen,
    [LAUNCH_TEMPLATE]: (r) => (str(r.inputs["keyName"]) ? ["launch template sets an SSH keyName"] : []),
    [COMPONENT]: (r) => (str(r.inputs["nodePublicKey"]) ? ["nodePublicKey is set"] : []),
  },
});

export const EKS_RULES: readonly Rule[] = [
  endpointRestricted,
  privateEndpoint,
  secretsEncryption,
  auditLogs,
  allLogs,
  supportedVersion,
  oidc,
  imdsv2,
  noRemoteAccess,
];
