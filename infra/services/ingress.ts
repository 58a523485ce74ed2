import * as aws from "@pulumi/aws";
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { type Tier } from "../config";
import type { IngressProfile } from "../config/sections/ingress";
import { IrsaRole } from "../cluster/irsa";
import { type ClusterInfo, NAMESPACES } from "../contracts";
import { type ChartServiceArgs, CHARTS, type IrsaServiceArgs, pinnedChart } from "./charts";
import { loadBalancerControllerPolicy } from "./ingress-iam";
import { irsaAnnotation } from "./s3-prefix-policy";
import { resourcesFor } from "./sizing";

export const LBC_SERVICE_ACCOUNT = "aws-load-balancer-controller";
/** IngressClass of the public APIs: every Ingress of this class joins one internet-facing ALB. */
export const PUBLIC_INGRESS_CLASS = "alb-public";
/** TLS 1.3 with 1.2 fallback, forward secrecy only. */
export const SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/**
 * Production serves the public APIs over HTTPS only: a missing certificate is a config error there.
 * Checked by the program before any resource (not a tier-profile combination: the production
 * defaults cannot carry an account's certificate, so they would never resolve on their own).
 */
/** What an app's Ingress needs to join the edge: its class and annotations. */
export interface EdgeInfo {
  readonly ingressClassName: string;
  readonly annotations: pulumi.Output<Record<string, string>>;
}

/** Ingress annotations of a public API: HTTPS (with redirect) when there is a certificate, HTTP only otherwise. */
export function edgeAnnotations(certificateArn: string, webAclArn: string): Record<string, string> {
  const common = {
    "alb.ingress.kubernetes.io/target-type": "ip",
    "alb.ingress.kubernetes.io/wafv2-acl-arn": webAclArn,
  };
  if (certificateArn === "") return { ...common, "alb.ingress.kubernetes.io/listen-ports": JSON.stringify([{ HTTP: 80 }]) };
  return {
    ...common,
    "alb.ingress.kubernetes.io/listen-ports": JSON.stringify([{ HTTP: 80 }, { HTTPS: 443 }]),
    "alb.ingress.kubernetes.io/ssl-redirect": "443",
    "alb.ingress.kubernetes.io/certificate-arn": certificateArn,
    "alb.ingress.kubernetes.io/ssl-policy": SSL_POLICY,
  };
}

const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });

/**
 * Edge rules, in priority order: block a client IP past its request budget, then AWS's common and
 * known-bad-input rule groups. Bodies over 8 KB are only counted: ingestion batches are larger.
 */
export function webAclRules(profile: Pick<IngressProfile, "rateLimitPerIp" | "rateLimitWindowSeconds">): aws.types.input.wafv2.WebAclRule[] {
  const managed = (priority: number, name: string, ruleActionOverrides?: aws.types.input.wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverride[]) => ({
    name,
    priority,
    overrideAction: { none: {} },
    statement: { managedRuleGroupStatement: { vendorName: "AWS", name, ruleActionOverrides } },
    visibilityConfig: visibility(name),
  });
  return [
    {
      name: "rate-limit-per-ip",
      priority: 0,
      action: { block: {} },
      statement: {
        rateBasedStatement: { limit: profile.rateLimitPerIp, evaluationWindowSec: profile.rateLimitWindowSeconds, aggregateKeyType: "IP" },
      },
      visibilityConfig: visibility("rate-limit-per-ip"),
    },
    managed(1, "AWSManagedRulesCommonRuleSet", [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }]),
    managed(2, "AWSManagedRulesKnownBadInputsRuleSet"),
  ];
}

export interface LbcValuesArgs {
  readonly clusterName: string;
  readonly region: string;
  readonly vpcId: string;
  readonly roleArn: string;
  readonly groupName: string;
  readonly profile: IngressProfile;
  readonly tier: Tier;
}

export function loadBalancerControllerValues(a: LbcValuesArgs): Record<string, unknown> {
  return {
    clusterName: a.clusterName,
    region: a.region,
    vpcId: a.vpcId,
    replicaCount: a.profile.controllerReplicas,
    resources: resourcesFor("loadBalancerController", a.tier),
    podDisruptionBudget: a.profile.controllerReplicas > 1 ? { maxUnavailable: 1 } : {},
    serviceAccount: { create: true, name: LBC_SERVICE_ACCOUNT, annotations: irsaAnnotation(a.roleArn) },
    // Services of type LoadBalancer stay as they are; only our IngressClass makes load balancers.
    enableServiceMutatorWebhook: false,
    defaultTargetType: "ip",
    createIngressClassResource: true,
    ingressClass: PUBLIC_INGRESS_CLASS,
    ingressClassParams: {
      create: true,
      name: PUBLIC_INGRESS_CLASS,
      spec: {
        scheme: "internet-facing",
        ipAddressType: "ipv4",
        group: { name: a.groupName },
        loadBalancerAttributes: [
          { key: "deletion_protection.enabled", value: String(a.profile.deletionProtection) },
          { key: "routing.http.drop_invalid_header_fields.enabled", value: "true" },
        ],
      },
    },
  };
}

export interface EdgeArgs extends ChartServiceArgs<IngressProfile>, IrsaServiceArgs {
  /** Also the cluster's name (a chart value) and OIDC provider (the controller's IRSA role). */
  readonly cluster: Pick<ClusterInfo, "name" | "provider" | "oidcProviderArn" | "oidcIssuer">;
  readonly vpcId: pulumi.Input<string>;
  readonly accountId: pulumi.Input<string>;
  readonly namePrefix: string;
}

/** AWS Load Balancer Controller (IRSA) and the WAF web ACL every public API's ALB carries. */
export class Edge extends pulumi.ComponentResource implements EdgeInfo {
  readonly ingressClassName = PUBLIC_INGRESS_CLASS;
  readonly annotations: pulumi.Output<Record<string, string>>;
  readonly webAclArn: pulumi.Output<string>;
  readonly chart: k8s.helm.v4.Chart;

  constructor(name: string, args: EdgeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gamemetrics:services:Edge", name, {}, opts);
    const { profile } = args;
    const role = new IrsaRole(
      `${name}-lbc`,
      {
        cluster: args.cluster,
        namespace: NAMESPACES.platform,
        serviceAccount: LBC_SERVICE_ACCOUNT,
        policy: pulumi
          .all([args.accountId, args.vpcId])
          .apply(([accountId, vpcId]) => JSON.stringify(loadBalancerControllerPolicy({ region: args.region, accountId, vpcId }))),
        tags: args.tags,
      },
      { parent: this },
    );
    const acl = new aws.wafv2.WebAcl(
      `${name}-waf`,
      {
        name: `${args.namePrefix}-edge`,
        scope: "REGIONAL",
        defaultAction: { allow: {} },
        rules: webAclRules(profile),
        visibilityConfig: visibility(`${args.namePrefix}-edge`),
        tags: args.tags,
      },
      { parent: this },
    );
    this.chart = pinnedChart(
      `${name}-lbc`,
      {
        source: CHARTS.awsLoadBalancerController,
        namespace: NAMESPACES.platform,
        values: pulumi.all([args.cluster.name, args.vpcId, role.arn]).apply(([clusterName, vpcId, roleArn]) =>
          loadBalancerControllerValues({ clusterName, region: args.region, vpcId, roleArn, groupName: `${args.namePrefix}-public`, profile, tier: args.tier }),
        ),
      },
      { parent: this, provider: args.cluster.provider, dependsOn: args.dependsOn },
    );
    this.webAclArn = acl.arn;
    this.annotations = acl.arn.apply((arn) => edgeAnnotations(profile.certificateArn, arn));
    this.registerOutputs({ webAclArn: this.webAclArn, annotations: this.annotations });
  }
}
