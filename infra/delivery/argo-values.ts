import type { Tier } from "../config/profile";
import type { DeliveryProfile } from "../config/sections/delivery";
import { SYSTEM_NAMESPACES } from "../security/namespaces";
import { ROLLOUTS_PODS } from "../security/network-policies";
import { PUBLIC_INGRESS_CLASS } from "../services/ingress";
import { irsaAnnotation } from "../services/s3-prefix-policy";
import { disruptionBudget, resourcesFor } from "../services/sizing";

/** Values for the argo-cd and argo-rollouts charts (keys as in each chart's values.yaml at the pinned version). */

/** Where both controllers run; fixed names so the IRSA trust and NetworkPolicy peers can be written down. */
export const GITOPS_NAMESPACE = SYSTEM_NAMESPACES.gitops;
export const ARGOCD_FULLNAME = "argocd";
/** Also the chart's pod label (ROLLOUTS_PODS, which the NetworkPolicies select) and the service account. */
export const ROLLOUTS_NAME = ROLLOUTS_PODS["app.kubernetes.io/name"];

/** The roles the users service puts in its tokens, as Argo CD RBAC groups (`scopes: [roles]`). */
export const SSO_ROLE_BINDINGS = { admin: "role:admin", analyst: "role:readonly", support: "role:readonly" } as const;

/**
 * Argo CD signs people in with the users service's issuer as a public PKCE client (no client secret
 * to store), reads their roles from the `roles` claim, and turns the local admin off. Without an
 * issuer the local admin stays, with the generated initial password.
 */
export function ssoConfig(p: Pick<DeliveryProfile, "ssoIssuer" | "ssoClientId">): Record<string, string> {
  if (p.ssoIssuer === "") return { "admin.enabled": "true" };
  const oidc = [
    "name: GameMetrics",
    `issuer: ${p.ssoIssuer}`,
    `clientID: ${p.ssoClientId}`,
    "enablePKCEAuthentication: true",
    "requestedScopes: [openid, profile, email]",
    "requestedIDTokenClaims: {roles: {essential: true}}",
  ].join("\n");
  return { "admin.enabled": "false", "oidc.config": `${oidc}\n` };
}

export function rbacPolicy(p: Pick<DeliveryProfile, "ssoIssuer">): Record<string, string> {
  if (p.ssoIssuer === "") return { "policy.default": "" };
  const lines = Object.entries(SSO_ROLE_BINDINGS).map(([group, role]) => `g, ${group}, ${role}`);
  return { "policy.default": "", "policy.csv": `${lines.join("\n")}\n`, scopes: "[roles]" };
}

export interface ArgoCdValuesArgs {
  readonly profile: DeliveryProfile;
  readonly tier: Tier;
}

export function argoCdValues({ profile, tier }: ArgoCdValuesArgs): Record<string, unknown> {
  const replicas = profile.argocdReplicas;
  const scaled = (key: "argocdServer" | "argocdRepoServer") => ({
    replicas,
    resources: resourcesFor(key, tier),
    pdb: replicas > 1 ? { enabled: true, minAvailable: 1 } : { enabled: false },
    metrics: { enabled: true, serviceMonitor: { enabled: true } },
  });
  return {
    fullnameOverride: ARGOCD_FULLNAME,
    crds: { install: true, keep: true },
    global: {
      domain: new URL(profile.argocdUrl).host,
      logging: { format: "json" },
      // The security baseline owns the namespace's NetworkPolicies (default-deny plus explicit allows).
      networkPolicy: { create: false },
    },
    configs: {
      cm: {
        url: profile.argocdUrl,
        "exec.enabled": "false",
        ...ssoConfig(profile),
      },
      rbac: rbacPolicy(profile),
    },
    controller: { replicas: 1, resources: resourcesFor("argocdController", tier), metrics: { enabled: true, serviceMonitor: { enabled: true } } },
    server: scaled("argocdServer"),
    repoServer: scaled("argocdRepoServer"),
    redis: { resources: resourcesFor("argocdRedis", tier) },
    applicationSet: { replicas: 1, resources: resourcesFor("argocdApplicationSet", tier) },
    // Argo CD signs in against the issuer directly; no Dex, and no notifications to configure.
    dex: { enabled: false },
    notifications: { enabled: false },
  };
}

export interface RolloutsValuesArgs {
  readonly replicas: number;
  readonly tier: Tier;
  readonly region: string;
  /** IRSA role that may describe load balancers, for target group verification. */
  readonly roleArn: string;
}

/**
 * The Rollouts controller shifts ALB weights on Ingresses of our public class, and before each step
 * checks in AWS that the target groups hold the new pods (--aws-verify-target-group, via IRSA).
 */
export function rolloutsValues(a: RolloutsValuesArgs): Record<string, unknown> {
  const budget = disruptionBudget(a.replicas);
  return {
    fullnameOverride: ROLLOUTS_NAME,
    installCRDs: true,
    keepCRDs: true,
    controller: {
      replicas: a.replicas,
      resources: resourcesFor("rollouts", a.tier),
      awsVerifyTargetGroup: true,
      extraArgs: [`--aws-region=${a.region}`, `--alb-ingress-classes=${PUBLIC_INGRESS_CLASS}`],
      logging: { format: "json" },
      metrics: { enabled: true, serviceMonitor: { enabled: true } },
      pdb: budget.enabled ? { enabled: true, minAvailable: budget.minAvailable } : { enabled: false },
    },
    serviceAccount: { create: true, name: ROLLOUTS_NAME, annotations: irsaAnnotation(a.roleArn) },
    dashboard: { enabled: false },
  };
}

/** What the Rollouts controller's IRSA role may do (Argo Rollouts' documented target group verification permissions). */
export const TARGET_GROUP_VERIFY_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Action: [
        "elasticloadbalancing:DescribeTargetGroups",
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeListeners",
        "elasticloadbalancing:DescribeRules",
        "elasticloadbalancing:DescribeTags",
        "elasticloadbalancing:DescribeTargetHealth",
      ],
      Resource: "*",
    },
  ],
});
