import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import type { Tier } from "../config";
import type { MeshProfile } from "../config/sections/mesh";
import { SYSTEM_NAMESPACES } from "../security/namespaces";
import { type ChartServiceArgs, CHARTS, pinnedChart } from "./charts";
import { type Resources, resourcesFor } from "./sizing";

/** Linkerd's identity names, as its own `linkerd install` would issue them. */
export const TRUST_DOMAIN = "cluster.local";
const TRUST_ANCHOR_HOURS = 10 * 365 * 24;
const ISSUER_RENEWAL_HOURS = 30 * 24;
const ECDSA = { algorithm: "ECDSA", ecdsaCurve: "P256" } as const;

/** Secret the identity controller reads the issuer from (scheme kubernetes.io/tls), as cert-manager would write it. */
export const ISSUER_SECRET = "linkerd-identity-issuer";

/** Linkerd's charts take resources as `{cpu: {request}, memory: {request, limit}}`. */
function linkerdResources(r: Resources): Record<string, Record<string, string>> {
  return { cpu: { request: r.requests.cpu }, memory: { request: r.requests.memory, limit: r.limits.memory } };
}

export function controlPlaneValues(profile: MeshProfile, tier: Tier, trustAnchorPem: pulumi.Input<string>): Record<string, unknown> {
  const ha = profile.controlPlaneReplicas > 1;
  const controller = linkerdResources(resourcesFor("linkerdController", tier));
  return {
    // The CNI plugin sets up traffic redirection, so meshed pods need no NET_ADMIN init container
    // and stay within the restricted pod security level.
    cniEnabled: true,
    // The security baseline creates and labels the namespace (pod security, NetworkPolicies).
    installNamespace: false,
    identityTrustDomain: TRUST_DOMAIN,
    // The anchor is public; the issuer key stays out of the values, in a Secret (see ISSUER_SECRET).
    identityTrustAnchorsPEM: trustAnchorPem,
    identity: { issuer: { scheme: "kubernetes.io/tls" } },
    controllerReplicas: profile.controlPlaneReplicas,
    enablePodAntiAffinity: ha,
    enablePodDisruptionBudget: ha,
    // With one replica a failed injector must not block every pod creation in the cluster.
    webhookFailurePolicy: ha ? "Fail" : "Ignore",
    destinationResources: controller,
    identityResources: controller,
    proxyInjectorResources: controller,
    proxy: { resources: linkerdResources(resourcesFor("linkerdProxy", tier)) },
  };
}

export type MeshArgs = ChartServiceArgs<MeshProfile>;

/**
 * Linkerd: CRDs, the CNI plugin and the control plane, with the trust anchor and issuer generated
 * by @pulumi/tls (private keys live only as secrets: in the encrypted Pulumi state and a Kubernetes
 * Secret under the cluster's KMS envelope encryption). The issuer is
 * re-issued by `pulumi up` in its last 30 days; the 10-year anchor does not rotate on its own.
 */
export class Mesh extends pulumi.ComponentResource {
  constructor(name: string, args: MeshArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gamemetrics:services:Mesh", name, {}, opts);
    const parent = { parent: this };
    const anchorKey = new tls.PrivateKey(`${name}-trust-anchor`, ECDSA, parent);
    const anchor = new tls.SelfSignedCert(
      `${name}-trust-anchor`,
      {
        privateKeyPem: anchorKey.privateKeyPem,
        isCaCertificate: true,
        allowedUses: ["certSigning", "crlSigning"],
        subject: { commonName: `root.linkerd.${TRUST_DOMAIN}` },
        validityPeriodHours: TRUST_ANCHOR_HOURS,
      },
      parent,
    );
    const issuerKey = new tls.PrivateKey(`${name}-issuer`, ECDSA, parent);
    const issuerRequest = new tls.CertRequest(
      `${name}-issuer`,
      { privateKeyPem: issuerKey.privateKeyPem, subject: { commonName: `identity.linkerd.${TRUST_DOMAIN}` } },
      parent,
    );
    const issuer = new tls.LocallySignedCert(
      `${name}-issuer`,
      {
        certRequestPem: issuerRequest.certRequestPem,
        caPrivateKeyPem: anchorKey.privateKeyPem,
        caCertPem: anchor.certPem,
        isCaCertificate: true,
        maxPathLength: 0,
        allowedUses: ["certSigning", "crlSigning"],
        validityPeriodHours: args.profile.issuerValidityDays * 24,
        earlyRenewalHours: ISSUER_RENEWAL_HOURS,
      },
      parent,
    );

    const k8sOpts = { parent: this, provider: args.cluster.provider };
    const crds = pinnedChart(
      `${name}-crds`,
      // Linkerd's policy API builds on Gateway API types; the chart installs them when the cluster lacks them.
      { source: CHARTS.linkerdCrds, namespace: SYSTEM_NAMESPACES.mesh, values: { installGatewayAPI: true } },
      { ...k8sOpts, dependsOn: args.dependsOn },
    );
    const issuerSecret = new k8s.core.v1.Secret(
      `${name}-issuer`,
      {
        metadata: { name: ISSUER_SECRET, namespace: SYSTEM_NAMESPACES.mesh },
        type: "kubernetes.io/tls",
        stringData: { "ca.crt": anchor.certPem, "tls.crt": issuer.certPem, "tls.key": pulumi.secret(issuerKey.privateKeyPem) },
      },
      { ...k8sOpts, dependsOn: args.dependsOn },
    );
    const cni = pinnedChart(`${name}-cni`, { source: CHARTS.linkerdCni, namespace: SYSTEM_NAMESPACES.meshCni, values: { installNamespace: false } }, { ...k8sOpts, dependsOn: args.dependsOn });
    pinnedChart(
      `${name}-control-plane`,
      {
        source: CHARTS.linkerdControlPlane,
        namespace: SYSTEM_NAMESPACES.mesh,
        values: controlPlaneValues(args.profile, args.tier, anchor.certPem),
      },
      { ...k8sOpts, dependsOn: [crds, cni, issuerSecret] },
    );
    this.registerOutputs({});
  }
}
