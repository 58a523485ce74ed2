import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { NAMESPACES, type Tags } from "../contracts";
import { jsonSecret } from "../data/secret";
import { externalSecret } from "../services/external-secrets";

/** Where the apps' generated secrets are kept: Secrets Manager under the data key, under the stack's prefix. */
export interface AppSecretStore {
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly namePrefix: string;
  readonly recoveryWindowInDays: number;
}

/** What a component holding an app's generated secret takes: the store, and the cluster it is synced into. */
export interface AppSecretArgs extends AppSecretStore {
  readonly tags: Tags;
  readonly provider: k8s.Provider;
  readonly dependsOn: pulumi.Input<pulumi.Resource>[];
}

export interface AppSecretSpec {
  /** The app it belongs to: the Secrets Manager name is `<prefix>/apps/<app>`. */
  readonly app: string;
  readonly description: string;
  /** The Kubernetes Secret in the apps namespace the pods read it from. */
  readonly secretName: string;
  /** Flat JSON object: each key becomes a key of the Kubernetes Secret. */
  readonly value: pulumi.Input<object>;
  /** How often External Secrets syncs it (its default, 1h, when absent). */
  readonly refreshInterval?: string;
}

/**
 * One app's generated secret: a JSON secret in Secrets Manager (`<name>-secret`) and the ExternalSecret
 * (`<name>-external`) that syncs it into the apps namespace, created once the store and namespace exist.
 */
export function appSecret(name: string, args: AppSecretArgs, spec: AppSecretSpec, parent: pulumi.Resource): void {
  const secret = jsonSecret(
    `${name}-secret`,
    {
      secretName: `${args.namePrefix}/apps/${spec.app}`,
      description: spec.description,
      kmsKeyArn: args.kmsKeyArn,
      recoveryWindowInDays: args.recoveryWindowInDays,
      value: spec.value,
      tags: args.tags,
    },
    parent,
  );
  externalSecret(
    `${name}-external`,
    { namespace: NAMESPACES.apps, secretName: spec.secretName, remoteKey: secret.arn, refreshInterval: spec.refreshInterval },
    { parent, provider: args.provider, dependsOn: [...args.dependsOn, secret] },
  );
}
