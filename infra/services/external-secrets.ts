import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { IrsaRole } from "../cluster/irsa";
import { CLUSTER_SECRET_STORE, NAMESPACES } from "../contracts";
import { CHARTS, type IrsaServiceArgs, pinnedChart } from "./charts";
import { externalSecretsPolicy, secretArnPattern } from "./platform-iam";
import { irsaAnnotation } from "./s3-prefix-policy";
import { disruptionBudget, resourcesFor } from "./sizing";

export const ESO_SERVICE_ACCOUNT = "external-secrets";
const ESO_API = "external-secrets.io/v1";

/** Kubernetes Secrets the apps mount, in NAMESPACES.apps, kept in sync with Secrets Manager. */
export const APP_SECRETS = { postgres: "postgres-credentials", redis: "redis-credentials" } as const;

export interface ExternalSecretSpec {
  /** Namespace and name of the Kubernetes Secret to create. */
  readonly namespace: string;
  readonly secretName: string;
  /** Secrets Manager secret (name or ARN) holding one flat JSON object; each key becomes a Secret key. */
  readonly remoteKey: pulumi.Input<string>;
  readonly refreshInterval?: string;
}

/** The ExternalSecret manifest body (pure): every JSON key of the remote secret, owned by the ExternalSecret. */
export function externalSecretBody(spec: Omit<ExternalSecretSpec, "remoteKey">, remoteKey: string): Record<string, unknown> {
  return {
    refreshInterval: spec.refreshInterval ?? "1h",
    secretStoreRef: { kind: "ClusterSecretStore", name: CLUSTER_SECRET_STORE },
    target: { name: spec.secretName, creationPolicy: "Owner", deletionPolicy: "Retain" },
    dataFrom: [{ extract: { key: remoteKey } }],
  };
}

/**
 * One Secrets Manager JSON secret as a Kubernetes Secret. The one shape for every credential
 * (RDS, Redis, Kafka users): pass the ClusterSecretStore (PlatformServices.secretStore) in `opts.dependsOn`.
 */
export function externalSecret(name: string, spec: ExternalSecretSpec, opts: pulumi.CustomResourceOptions): k8s.apiextensions.CustomResource {
  return new k8s.apiextensions.CustomResource(
    name,
    {
      apiVersion: ESO_API,
      kind: "ExternalSecret",
      metadata: { name: spec.secretName, namespace: spec.namespace },
      spec: pulumi.output(spec.remoteKey).apply((key) => externalSecretBody(spec, key)),
    },
    opts,
  );
}

export interface ExternalSecretsArgs extends IrsaServiceArgs {
  readonly accountId: pulumi.Input<string>;
  readonly namePrefix: string;
  /** The data key that encrypts the platform's secrets. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Secrets Manager ARNs of the data layer's credentials. */
  readonly postgresSecretArn: pulumi.Input<string>;
  readonly redisSecretArn: pulumi.Input<string>;
  readonly replicas: number;
  readonly dependsOn: pulumi.Input<pulumi.Resource>[];
}

/** External Secrets Operator with IRSA, the ClusterSecretStore on Secrets Manager, and the data credentials for the apps. */
export class ExternalSecrets extends pulumi.ComponentResource {
  /** `dependsOn` this before creating an ExternalSecret. */
  readonly store: k8s.apiextensions.CustomResource;

  constructor(name: string, args: ExternalSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gamemetrics:services:ExternalSecrets", name, {}, opts);
    const k8sOpts = { parent: this, provider: args.cluster.provider };
    const role = new IrsaRole(
      name,
      {
        cluster: args.cluster,
        namespace: NAMESPACES.platform,
        serviceAccount: ESO_SERVICE_ACCOUNT,
        policy: pulumi
          .all([args.accountId, args.kmsKeyArn])
          .apply(([account, key]) => JSON.stringify(externalSecretsPolicy(secretArnPattern(args.region, account, args.namePrefix), key, args.region))),
        tags: args.tags,
      },
      { parent: this },
    );
    const resources = resourcesFor("externalSecrets", args.tier);
    const chart = pinnedChart(
      name,
      {
        source: CHARTS.externalSecrets,
        namespace: NAMESPACES.platform,
        values: role.arn.apply((arn) => ({
          installCRDs: true,
          replicaCount: args.replicas,
          podDisruptionBudget: disruptionBudget(args.replicas),
          resources,
          serviceAccount: { create: true, name: ESO_SERVICE_ACCOUNT, annotations: irsaAnnotation(arn) },
          webhook: { replicaCount: args.replicas, resources },
          certController: { resources },
        })),
      },
      { ...k8sOpts, dependsOn: args.dependsOn },
    );
    // No auth block: the store uses the controller's own IRSA credentials, so only this role reads secrets.
    this.store = new k8s.apiextensions.CustomResource(
      `${name}-store`,
      {
        apiVersion: ESO_API,
        kind: "ClusterSecretStore",
        metadata: { name: CLUSTER_SECRET_STORE },
        spec: { provider: { aws: { service: "SecretsManager", region: args.region } } },
      },
      { ...k8sOpts, dependsOn: [chart] },
    );
    const appOpts = { ...k8sOpts, dependsOn: [this.store] };
    externalSecret(`${name}-postgres`, { namespace: NAMESPACES.apps, secretName: APP_SECRETS.postgres, remoteKey: args.postgresSecretArn }, appOpts);
    externalSecret(`${name}-redis`, { namespace: NAMESPACES.apps, secretName: APP_SECRETS.redis, remoteKey: args.redisSecretArn }, appOpts);
    this.registerOutputs({});
  }
}
