import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { type KubernetesPlacement, NAMESPACES } from "../contracts";
import { CLUSTER_CA_SECRET } from "./strimzi-spec";

/** Secret in the apps namespace with the Strimzi cluster CA (key `ca.crt`), as named in the contract. */
export const APPS_CA_SECRET = { name: "kafka-cluster-ca", key: "ca.crt" } as const;
const READER = "kafka-ca-reader";

/**
 * Keeps a copy of the Strimzi cluster CA certificate in the apps namespace, so apps can verify the
 * brokers' TLS. The operator owns and rotates the CA; External Secrets' Kubernetes provider re-reads
 * it hourly through a service account that may read that one Secret and nothing else.
 */
export class StrimziCaCopy extends pulumi.ComponentResource {
  constructor(name: string, args: KubernetesPlacement, opts?: pulumi.ComponentResourceOptions) {
    super("gamemetrics:kafka:CaCopy", name, {}, opts);
    const k8sOpts = { parent: this, provider: args.provider, dependsOn: args.dependsOn };
    const sa = new k8s.core.v1.ServiceAccount(`${name}-sa`, { metadata: { name: READER, namespace: NAMESPACES.apps } }, k8sOpts);
    const role = new k8s.rbac.v1.Role(
      `${name}-role`,
      {
        metadata: { name: READER, namespace: NAMESPACES.kafka },
        rules: [{ apiGroups: [""], resources: ["secrets"], resourceNames: [CLUSTER_CA_SECRET], verbs: ["get", "list", "watch"] }],
      },
      k8sOpts,
    );
    const binding = new k8s.rbac.v1.RoleBinding(
      `${name}-binding`,
      {
        metadata: { name: READER, namespace: NAMESPACES.kafka },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: READER },
        subjects: [{ kind: "ServiceAccount", name: READER, namespace: NAMESPACES.apps }],
      },
      { ...k8sOpts, dependsOn: [role, sa] },
    );
    const store = new k8s.apiextensions.CustomResource(
      `${name}-store`,
      {
        apiVersion: "external-secrets.io/v1",
        kind: "SecretStore",
        metadata: { name: READER, namespace: NAMESPACES.apps },
        spec: {
          provider: {
            kubernetes: {
              remoteNamespace: NAMESPACES.kafka,
              server: { caProvider: { type: "ConfigMap", name: "kube-root-ca.crt", key: "ca.crt" } },
              auth: { serviceAccount: { name: READER } },
            },
          },
        },
      },
      { ...k8sOpts, dependsOn: [binding] },
    );
    new k8s.apiextensions.CustomResource(
      `${name}-secret`,
      {
        apiVersion: "external-secrets.io/v1",
        kind: "ExternalSecret",
        metadata: { name: APPS_CA_SECRET.name, namespace: NAMESPACES.apps },
        spec: {
          refreshInterval: "1h",
          secretStoreRef: { kind: "SecretStore", name: READER },
          target: { name: APPS_CA_SECRET.name, creationPolicy: "Owner" },
          data: [{ secretKey: APPS_CA_SECRET.key, remoteRef: { key: CLUSTER_CA_SECRET, property: "ca.crt" } }],
        },
      },
      { ...k8sOpts, dependsOn: [store] },
    );
    this.registerOutputs({});
  }
}
