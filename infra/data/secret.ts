import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Tags } from "../contracts";

export interface JsonSecretArgs {
  /** Secrets Manager name, e.g. `gamemetrics-dev/data/postgres`; External Secrets refers to it. */
  readonly secretName: string;
  readonly description: string;
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly recoveryWindowInDays: number;
  /** Flat JSON object; External Secrets maps each key to a Kubernetes Secret key. */
  readonly value: pulumi.Input<object>;
  readonly tags: Tags;
}

/** A KMS-encrypted Secrets Manager secret holding one JSON document, kept secret in the Pulumi state too. */
export function jsonSecret(name: string, args: JsonSecretArgs, parent: pulumi.Resource): aws.secretsmanager.Secret {
  const secret = new aws.secretsmanager.Secret(
    name,
    {
      name: args.secretName,
      description: args.description,
      kmsKeyId: args.kmsKeyArn,
      recoveryWindowInDays: args.recoveryWindowInDays,
      tags: args.tags,
    },
    { parent },
  );
  new aws.secretsmanager.SecretVersion(
    name,
    { secretId: secret.id, secretString: pulumi.secret(pulumi.output(args.value).apply((v) => JSON.stringify(v))) },
    { parent },
  );
  return secret;
}
