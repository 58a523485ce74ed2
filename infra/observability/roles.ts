import * as pulumi from "@pulumi/pulumi";
import { IrsaRole } from "../cluster/irsa";
import { type ClusterInfo, NAMESPACES, type Tags } from "../contracts";
import { type EncryptedBucket, prefixRole, type S3Access } from "../services/s3-prefix-policy";
import { CLOUDWATCH_READ_POLICY } from "./cloudwatch";
import { LOG_PREFIXES, SERVICE_ACCOUNTS } from "./names";

export interface ObservabilityRoles {
  readonly loki: IrsaRole;
  readonly tempo: IrsaRole;
  readonly cloudwatch: IrsaRole;
  /** Present when Thanos is on: the sidecar ships blocks, the store reads, the compactor rewrites. */
  readonly thanos?: { readonly sidecar: IrsaRole; readonly store: IrsaRole; readonly compact: IrsaRole };
}

export interface RolesArgs {
  readonly cluster: Pick<ClusterInfo, "oidcProviderArn" | "oidcIssuer">;
  readonly logs: EncryptedBucket;
  readonly thanos: boolean;
  readonly tags: Tags;
}

/** One IRSA role per service account that touches AWS, each scoped to its own prefix of the logs bucket. */
export function observabilityRoles(name: string, args: RolesArgs, parent: pulumi.Resource): ObservabilityRoles {
  const role = (suffix: string, serviceAccount: string, prefix: string, access: S3Access) =>
    prefixRole(
      `${name}-${suffix}`,
      { cluster: args.cluster, namespace: NAMESPACES.observability, serviceAccount, storage: args.logs, prefix, access, tags: args.tags },
      { parent },
    );
  return {
    loki: role("loki", SERVICE_ACCOUNTS.loki, LOG_PREFIXES.loki, "readwrite"),
    tempo: role("tempo", SERVICE_ACCOUNTS.tempo, LOG_PREFIXES.tempo, "readwrite"),
    cloudwatch: new IrsaRole(
      `${name}-cloudwatch`,
      { cluster: args.cluster, namespace: NAMESPACES.observability, serviceAccount: SERVICE_ACCOUNTS.cloudwatch, policy: CLOUDWATCH_READ_POLICY, tags: args.tags },
      { parent },
    ),
    thanos: args.thanos
      ? {
          sidecar: role("thanos-sidecar", SERVICE_ACCOUNTS.prometheus, LOG_PREFIXES.thanos, "readwrite"),
          store: role("thanos-store", SERVICE_ACCOUNTS.thanosStore, LOG_PREFIXES.thanos, "read"),
          compact: role("thanos-compact", SERVICE_ACCOUNTS.thanosCompact, LOG_PREFIXES.thanos, "readwrite"),
        }
      : undefined,
  };
}
